#!/usr/bin/env node
// Runs the compiled tap tests (dist/test/**/*.test.js, or the files given), streams tap's output,
// and ends with a plain "N passed, N failed" line taken from tap's own summary of the run.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith(".test.js") ? [p] : [];
  });
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : findTests("dist/test").sort();
if (files.length === 0) {
  console.log("no test files found under dist/test");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const tapBin = path.join(__dirname, "..", "node_modules", "tap", "dist", "esm", "run.mjs");
const child = spawn(process.execPath, [tapBin, "--reporter=tap", "--disable-coverage", "--timeout=900", ...files], {
  stdio: ["ignore", "pipe", "inherit"],
});
let tail = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
});
child.on("close", (code) => {
  const m = tail.match(/# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?/);
  let passed = m ? Number(m[2] ?? 0) : 0;
  let failed = m ? Number(m[3] ?? 0) : 0;
  if (!m) failed = Math.max(failed, 1);
  if (code !== 0 && failed === 0) failed = 1; // a crashed file or runner error still counts as a failure
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
