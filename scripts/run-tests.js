#!/usr/bin/env node
// Runs the compiled tap tests (dist/test/**/*.test.js, or the files given) and ends with a plain
// "N passed, N failed" line: the sum of tap's own summaries of each file's run.
//
// The files that boot localnets or CometBFT nodes spend most of their time waiting for blocks rather than
// on the CPU. Each of them runs in its own node process, the longest first, MIRA_TEST_JOBS (default 2)
// processes at a time; every other file runs in one tap process, one file after another, taking a
// slot beside them. tap alone would run all files in alphabetical order, one at a time on two cores (its default
// leaves a core free), leaving the run's tail to the long localnet tests. Their ports never overlap. A process's output is printed whole
// when it ends, so that files running together do not mix.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { Buffer } = require("node:buffer");

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith(".test.js") ? [p] : [];
  });
}

/** The slow files, longest first (their times in a CI run); every other file comes after them. */
const SLOW_FIRST = [
  "cli-chain",
  "localnet-gov-claims",
  "localnet-ibc",
  "localnet-sessions",
  "localnet-staking",
  "localnet-gov",
  "localnet-faults",
  "localnet-claims",
  "localnet-cosmjs",
  "localnet-drift",
  "web-certificate",
  "cli-sessions",
  "cli-gov",
  "cli-claims",
  "rest-gateway",
  "store-crash",
  "cli-keys",
  "lint",
  "ibc-fuzz",
  "localnet-nli",
  "store-property",
];
const rank = (f) => {
  const i = SLOW_FIRST.indexOf(path.basename(f, ".test.js"));
  return i < 0 ? SLOW_FIRST.length : i;
};
const jobs = Math.max(1, Number(process.env.MIRA_TEST_JOBS ?? 2) || 1);

const args = process.argv.slice(2);
const files = (args.length > 0 ? args : findTests("dist/test")).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
if (files.length === 0) {
  console.log("no test files found under dist/test");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const tapBin = path.join(__dirname, "..", "node_modules", "tap", "dist", "esm", "run.mjs");

let passed = 0;
let failed = 0;
const failedFiles = [];
const started = Date.now();

/** Runs files in one tap process, one after another (or one file by itself, `solo`); adds its summary's counts (no summary or a non-zero exit counts as a failure). */
function runFiles(group, solo) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const name = group.length === 1 ? group[0] : `${group.length} files`;
    // A slow file runs on its own, as plain node (a tap test file prints its own TAP and summary): only one tap runner
    // may run in the tree at a time, as each clears the tree's .tap/processinfo when it starts.
    const argv = solo ? [group[0]] : [tapBin, "--reporter=tap", "--disable-coverage", "--timeout=900", "--jobs=1", ...group];
    const child = spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TAP_TIMEOUT: "900" } });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    child.on("close", (code) => {
      const out = Buffer.concat(chunks).toString();
      process.stdout.write(out.endsWith("\n") ? out : out + "\n");
      const m = out.match(/# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/);
      const p = m ? Number(m[2] ?? 0) : 0;
      let f = m ? Number(m[3] ?? 0) : 1;
      if (code !== 0 && f === 0) f = 1; // a crashed file or runner error still counts as a failure
      passed += p;
      failed += f;
      if (f > 0) failedFiles.push(name);
      console.log(`# ${name}: ${p} passed, ${f} failed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      resolve();
    });
  });
}

const slow = files.filter((f) => rank(f) < SLOW_FIRST.length).map((f) => [f]);
const quick = files.filter((f) => rank(f) === SLOW_FIRST.length);
const queue = quick.length > 0 ? [...slow.slice(0, jobs), quick, ...slow.slice(jobs)] : slow;
const workers = Array.from({ length: Math.min(jobs, queue.length) }, async () => {
  for (let g = queue.shift(); g !== undefined; g = queue.shift()) await runFiles(g, g !== quick);
});
Promise.all(workers).then(() => {
  console.log(`# ${files.length} files, ${jobs} at a time, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (failedFiles.length > 0) console.log(`# failed: ${failedFiles.join(" ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
});
