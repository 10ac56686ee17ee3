// `mirad keys` as a user runs it: a child process with a temp --home, the password in
// MIRA_KEYRING_PASSWORD or on stdin; results on stdout, one "Error:" line on stderr and exit 1 on bad input.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import t, { Test } from "tap";
import { tempDir } from "./helpers/tmp";

const MAIN = path.join(__dirname, "..", "app", "cli", "main.js");
const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const ABANDON_ADDRESS = "mira19rl4cm2hmr8afy4kldpxz3fka4jguq0a7v0mlw";
const PASSWORD = "correct horse battery";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs mirad with a clean environment: only what the test passes, plus PATH and HOME. */
function mirad(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Run {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env };
  const result = spawnSync(process.execPath, [MAIN, ...args], { input: options.input ?? "", env, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A file-backend home with the password in the environment. */
function fileHome(t: Test) {
  const home = tempDir(t);
  return {
    home,
    run: (args: string[], input?: string) => mirad([...args, "--home", home], { input, env: { MIRA_KEYRING_PASSWORD: PASSWORD } }),
  };
}

function failsWithOneLine(t: Test, run: Run, message: RegExp): void {
  t.equal(run.code, 1, "exit code 1");
  t.equal(run.stdout, "", "nothing on stdout");
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  t.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(run.stderr)}`);
  t.match(lines[0], /^Error: /);
  t.match(lines[0], message);
  t.notMatch(run.stderr, /\n\s+at /, "no stack trace");
}

function parseJson<T>(t: Test, text: string): T {
  t.equal(text.trim().split("\n").length, 1, "one JSON line");
  return JSON.parse(text) as T;
}

interface KeyJson {
  name: string;
  address: string;
  pubkey: string;
  hdPath: string;
  mnemonic?: string;
}

t.test("help: mirad, keys and every keys command; commands to come say so", async (t) => {
  for (const args of [[], ["--help"], ["keys"], ["keys", "--help"]]) {
    const run = mirad(args);
    t.equal(run.code, 0, args.join(" "));
    t.match(run.stdout, /Usage: mirad/);
  }
  for (const sub of ["add", "import", "list", "show", "delete"]) {
    const run = mirad(["keys", sub, "--help"]);
    t.equal(run.code, 0);
    t.match(run.stdout, new RegExp(`Usage: mirad keys ${sub}`));
    t.match(run.stdout, /--keyring-backend/);
  }
  // Each command to come either says it is not there yet, or (once wired) answers --help.
  for (const cmd of ["init", "start", "tx", "query", "status"]) {
    const run = mirad([cmd, "--help"]);
    if (run.stderr === `not implemented yet: ${cmd}\n`) t.same(run, { code: 1, stdout: "", stderr: `not implemented yet: ${cmd}\n` }, cmd);
    else t.equal(run.code, 0, `${cmd} --help`);
  }
  failsWithOneLine(t, mirad(["frobnicate"]), /unknown command "frobnicate".*mirad --help/);
  failsWithOneLine(t, mirad(["keys", "frobnicate"]), /unknown keys command "frobnicate"/);
});

t.test("keys add --recover: the known address, text and json output, account and index", async (t) => {
  const { home, run } = fileHome(t);
  const text = run(["keys", "add", "alice", "--recover"], ABANDON + "\n");
  t.equal(text.code, 0, text.stderr);
  t.match(text.stdout, `- name: alice\n  address: ${ABANDON_ADDRESS}\n`);
  t.notMatch(text.stdout + text.stderr, /abandon/, "a recovered mnemonic is not printed");

  const json = run(["keys", "add", "alice2", "--recover", "--account", "1", "--index", "2", "--output", "json"], ABANDON);
  t.equal(json.code, 0, json.stderr);
  const key = parseJson<KeyJson>(t, json.stdout);
  t.equal(key.hdPath, "m/44'/118'/1'/0/2");
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ABANDON, { prefix: "mira", hdPaths: [stringToPath(key.hdPath)] });
  t.equal(key.address, (await wallet.getAccounts())[0]!.address, "as CosmJS derives it");
  t.equal(key.mnemonic, undefined);
  t.ok(fs.existsSync(path.join(home, "keyring-file", "alice2.json")));

  const imported = run(["keys", "import", "carol", "-o", "json"], ABANDON + "\n");
  t.equal(parseJson<KeyJson>(t, imported.stdout).address, ABANDON_ADDRESS, "keys import reads the mnemonic from stdin");
});

t.test("keys add: a new mnemonic printed once, with a warning; json carries it", async (t) => {
  const { run } = fileHome(t);
  const text = run(["keys", "add", "fresh"]);
  t.equal(text.code, 0, text.stderr);
  t.match(text.stderr, /\*\*Important\*\* write this mnemonic phrase in a safe place/);
  const mnemonic = text.stderr.trim().split("\n").pop()!;
  t.equal(mnemonic.split(" ").length, 24);
  t.notMatch(text.stdout, mnemonic.split(" ")[0]! + " " + mnemonic.split(" ")[1]!, "the phrase stays off stdout");

  const recovered = mirad(["keys", "add", "again", "--recover", "--keyring-backend", "test", "--home", tempDir(t), "-o", "json"], { input: mnemonic });
  const address = text.stdout.match(/address: (mira1\w+)/)![1];
  t.equal(parseJson<KeyJson>(t, recovered.stdout).address, address, "the printed mnemonic recovers the key");

  const json = run(["keys", "add", "fresh2", "-o", "json"]);
  const key = parseJson<KeyJson>(t, json.stdout);
  t.equal(key.mnemonic!.split(" ").length, 24);
  t.equal(json.stderr, "", "json mode: everything in the one document");
  t.notMatch(run(["keys", "show", "fresh2", "-o", "json"]).stdout, /mnemonic/, "never shown again");
});

t.test("keys list, show, show --address and delete", async (t) => {
  const { run } = fileHome(t);
  t.equal(run(["keys", "list"]).stdout, "No keys in the keyring; create one with 'mirad keys add <name>'.\n");
  t.same(parseJson<KeyJson[]>(t, run(["keys", "list", "-o", "json"]).stdout), []);
  run(["keys", "add", "zed", "--recover", "--index", "1"], ABANDON);
  run(["keys", "add", "amy", "--recover"], ABANDON);

  const list = run(["keys", "list", "-o", "json"]);
  t.same(
    parseJson<KeyJson[]>(t, list.stdout).map((k) => k.name),
    ["amy", "zed"],
  );
  t.match(run(["keys", "list"]).stdout, /^- name: amy\n {2}address: mira1\w+\n {2}pubkey: \S+\n {2}hdPath: m\/44'\/118'\/0'\/0\/0\n- name: zed\n/);

  t.same(run(["keys", "show", "amy", "--address"]), { code: 0, stdout: ABANDON_ADDRESS + "\n", stderr: "" });
  t.equal(run(["keys", "show", "amy", "-a"]).stdout, ABANDON_ADDRESS + "\n");
  t.match(parseJson<KeyJson>(t, run(["keys", "show", "amy", "-o", "json"]).stdout), { name: "amy", address: ABANDON_ADDRESS });

  failsWithOneLine(t, run(["keys", "delete", "amy"]), /refusing to delete key "amy" without --yes/);
  t.same(run(["keys", "delete", "amy", "--yes"]), { code: 0, stdout: 'Key "amy" deleted.\n', stderr: "" });
  failsWithOneLine(t, run(["keys", "show", "amy"]), /key "amy" not found/);
  failsWithOneLine(t, run(["keys", "delete", "amy", "--yes"]), /key "amy" not found/);
  t.same(parseJson<{ name: string; deleted: boolean }>(t, run(["keys", "delete", "zed", "-y", "-o", "json"]).stdout), { name: "zed", deleted: true });
});

t.test("the password: from the environment, else stdin's first line; wrong or missing is one clear line", async (t) => {
  const home = tempDir(t);
  const viaStdin = mirad(["keys", "add", "alice", "--recover", "--home", home, "-o", "json"], { input: `${PASSWORD}\n${ABANDON}\n` });
  t.equal(viaStdin.code, 0, viaStdin.stderr);
  t.equal(parseJson<KeyJson>(t, viaStdin.stdout).address, ABANDON_ADDRESS, "password line, then mnemonic line");

  const wrongEnv = mirad(["keys", "add", "bob", "--home", home], { env: { MIRA_KEYRING_PASSWORD: "not the password" } });
  failsWithOneLine(t, wrongEnv, /wrong keyring password/);
  failsWithOneLine(t, mirad(["keys", "add", "bob", "--home", home], { input: "not the password\n" }), /wrong keyring password/);
  failsWithOneLine(t, mirad(["keys", "add", "bob", "--home", home]), /expected the keyring password \(or set MIRA_KEYRING_PASSWORD\) on stdin/);
  failsWithOneLine(t, mirad(["keys", "add", "bob", "--home", tempDir(t)], { input: "short\n" }), /at least 8 characters/);
  t.equal(mirad(["keys", "list", "--home", home]).code, 0, "list needs no password");
});

t.test("bad input: one line on stderr, exit 1, nothing written", async (t) => {
  const { home, run } = fileHome(t);
  run(["keys", "add", "taken", "--recover"], ABANDON);
  failsWithOneLine(t, run(["keys", "add", "taken"]), /key "taken" already exists/);
  failsWithOneLine(t, run(["keys", "add", "a/b"]), /invalid key name "a\/b"/);
  failsWithOneLine(t, run(["keys", "add", "bad", "--recover"], ABANDON.replace(/about$/, "abandon")), /invalid mnemonic: invalid checksum/);
  failsWithOneLine(t, run(["keys", "add", "bad", "--recover"], ""), /expected the mnemonic on stdin/);
  failsWithOneLine(t, run(["keys", "add", "bad", "--bogus"]), /unknown option '--bogus'.*mirad keys add --help/);
  failsWithOneLine(t, run(["keys", "add"]), /missing key name/);
  failsWithOneLine(t, run(["keys", "add", "one", "two"]), /expected one key name/);
  failsWithOneLine(t, run(["keys", "add", "bad", "--account", "x"]), /--account must be a non-negative integer/);
  failsWithOneLine(t, run(["keys", "add", "bad", "--index", "4294967296"]), /invalid HD index 4294967296/);
  failsWithOneLine(t, run(["keys", "list", "--output", "yaml"]), /unknown output format "yaml"/);
  failsWithOneLine(t, run(["keys", "list", "--keyring-backend", "os"]), /unknown keyring backend "os": use file or test/);
  failsWithOneLine(t, run(["keys", "list", "extra"]), /unexpected argument "extra"/);
  t.same(fs.readdirSync(path.join(home, "keyring-file")), ["taken.json"]);
});

t.test("MIRA_HOME is the default home; the test backend needs no password", async (t) => {
  const home = tempDir(t);
  const add = mirad(["keys", "add", "local", "--keyring-backend", "test", "--recover"], { input: ABANDON, env: { MIRA_HOME: home } });
  t.equal(add.code, 0, add.stderr);
  t.ok(fs.existsSync(path.join(home, "keyring-test", "local.json")));
  t.equal(mirad(["keys", "show", "local", "-a", "--keyring-backend", "test"], { env: { MIRA_HOME: home } }).stdout, ABANDON_ADDRESS + "\n");
});
