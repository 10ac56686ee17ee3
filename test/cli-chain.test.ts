// The mirad client as a user runs it (child processes, a temp keyring) against a real 4-node
// localnet: tx bank send, query bank balances / auth account, status; and `mirad init` in a temp home.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import t, { Test } from "tap";
import { cometbftBinary, freePort, REPO_ROOT } from "../localnet/cometbft";
import { tempDir } from "./helpers/tmp";

const MAIN = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
const OFFSET = 2_000; // beside a developer's localnet and the other localnet tests, below the ephemeral ports
const NODE = `http://127.0.0.1:${26657 + OFFSET}`;
const FEE = 5000n;
const PASSWORD = "correct horse battery";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface DevAccount {
  name: string;
  address: string;
  mnemonic: string;
}

interface TxJson {
  txhash: string;
  height: string;
  code: number;
  codespace: string;
  raw_log: string;
  gas_wanted: string;
  gas_used: string;
}

interface AccountJson {
  account: { "@type": string; address: string; account_number: string; sequence: string; pub_key: { "@type": string; key: string } | null };
}

/** Runs mirad with a clean environment: only what the test passes, plus PATH and HOME. */
function mirad(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Run {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...options.env };
  const result = spawnSync(process.execPath, [MAIN, ...args], { input: options.input ?? "", env, encoding: "utf8", timeout: 90_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function localnet(cmd: string, dir: string): void {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", "localnet.js"), cmd], {
    env: { ...process.env, MIRA_LOCALNET_DIR: dir, MIRA_LOCALNET_PORT_OFFSET: String(OFFSET) },
    encoding: "utf8",
    timeout: 180_000,
  });
  if (res.status !== 0) throw new Error(`localnet ${cmd} failed (${res.status}): ${res.stdout}\n${res.stderr}`);
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

function succeeds(t: Test, run: Run, what: string): string {
  t.equal(run.code, 0, `${what}: ${run.stderr}`);
  return run.stdout;
}

function parseJson<T>(t: Test, text: string): T {
  t.equal(text.trim().split("\n").length, 1, "one JSON line");
  return JSON.parse(text) as T;
}

async function freshAddress(): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: "mira" });
  return (await wallet.getAccounts())[0]!.address;
}

/** The smallest whole fee for `gasLimit` at 0.025umira per gas, as the chain computes it. */
function feeAtGasPrice(gasLimit: bigint): bigint {
  return (gasLimit * 25n + 999n) / 1000n;
}

t.test("init: a node home with CometBFT's config and keys, the node id, the next steps; never over an existing home", async (t) => {
  const home = path.join(tempDir(t), "node-home");
  const text = mirad(["init", "my node", "--home", home, "--chain-id", "mira-test-7"]);
  t.equal(text.code, 0, text.stderr);
  const cometHome = path.join(home, "cometbft");
  const nodeId = execFileSync(cometbftBinary(), ["show-node-id", "--home", cometHome]).toString().trim();
  t.match(nodeId, /^[0-9a-f]{40}$/);
  t.match(text.stdout, `node id:  ${nodeId}`);
  t.match(text.stdout, path.join(cometHome, "config", "genesis.json"));
  t.match(text.stdout, path.join(cometHome, "config", "config.toml"));
  t.match(text.stdout, /network's genesis\.json/);
  t.match(text.stdout, /persistent_peers/);
  t.match(text.stdout, `mirad start --home ${path.join(home, "app")}`);
  t.match(text.stdout, `start --home ${cometHome}`);
  for (const file of ["config.toml", "genesis.json", "node_key.json", "priv_validator_key.json"]) {
    t.ok(fs.existsSync(path.join(cometHome, "config", file)), file);
  }
  t.ok(fs.statSync(path.join(home, "app")).isDirectory(), "the app folder");
  t.match(fs.readFileSync(path.join(cometHome, "config", "config.toml"), "utf8"), /^moniker = "my node"$/m);
  t.equal((JSON.parse(fs.readFileSync(path.join(cometHome, "config", "genesis.json"), "utf8")) as { chain_id: string }).chain_id, "mira-test-7");

  const nodeKey = fs.readFileSync(path.join(cometHome, "config", "node_key.json"), "utf8");
  failsWithOneLine(t, mirad(["init", "again", "--home", home]), /already exists: refusing to overwrite/);
  t.equal(fs.readFileSync(path.join(cometHome, "config", "node_key.json"), "utf8"), nodeKey, "the node key is untouched");

  // A home that holds only a keyring (mirad keys ran first) is fine; $MIRA_HOME is the default.
  const withKeys = tempDir(t);
  fs.mkdirSync(path.join(withKeys, "keyring-test"));
  const json = mirad(["init", "joiner", "-o", "json"], { env: { MIRA_HOME: withKeys } });
  const created = parseJson<{ node_id: string; moniker: string; app_home: string; genesis: string }>(t, succeeds(t, json, "init -o json"));
  t.match(created, { moniker: "joiner", app_home: path.join(withKeys, "app"), genesis: path.join(withKeys, "cometbft", "config", "genesis.json") });
  t.match(created.node_id, /^[0-9a-f]{40}$/);

  failsWithOneLine(t, mirad(["init", "--home", tempDir(t)]), /missing moniker/);
  failsWithOneLine(t, mirad(["init", "two\nlines", "--home", tempDir(t)]), /invalid moniker/);
  t.equal(mirad(["init", "--help"]).code, 0);
});

t.test("tx, query and status against the 4-node localnet", async (t) => {
  const dir = tempDir(t, "mira-localnet-cli-");
  localnet("start", dir);
  t.teardown(() => localnet("stop", dir));
  const accounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8")) as DevAccount[];
  const dev0 = accounts[0]!;
  const keyHome = tempDir(t);
  const imported = mirad(["keys", "import", "dev0", "--keyring-backend", "test", "--home", keyHome, "-o", "json"], { input: dev0.mnemonic + "\n" });
  t.equal(parseJson<{ address: string }>(t, succeeds(t, imported, "keys import")).address, dev0.address);

  const node = ["--node", NODE];
  const keyring = ["--keyring-backend", "test", "--home", keyHome];
  const send = (args: string[]) => mirad(["tx", "bank", "send", ...args, ...keyring, ...node, "--yes", "-o", "json"]);
  const balance = (address: string, ...extra: string[]): bigint => {
    const run = mirad(["query", "bank", "balances", address, "--denom", "umira", ...node, "-o", "json", ...extra]);
    return BigInt(parseJson<{ balances: { denom: string; amount: string }[] }>(t, succeeds(t, run, "query bank balances")).balances[0]!.amount);
  };
  const sequence = (address: string): string => {
    const run = mirad(["query", "auth", "account", address, ...node, "-o", "json"]);
    return parseJson<AccountJson>(t, succeeds(t, run, "query auth account")).account.sequence;
  };
  const to = await freshAddress();

  await t.test("status: chain id, height, app hash, catching_up, node id, moniker", async (t) => {
    const text = succeeds(t, mirad(["status", ...node]), "status");
    t.match(text, /^- chain_id: mira-localnet-1\n  latest_block_height: [1-9]\d*\n/);
    t.match(text, /latest_app_hash: [0-9A-F]{64}\n/);
    t.match(text, /catching_up: false\n/);
    t.match(text, /node_id: [0-9a-f]{40}\n/);
    t.match(text, /moniker: node0\n/);
    const nodeId = execFileSync(cometbftBinary(), ["show-node-id", "--home", path.join(dir, "node0", "cometbft")]).toString().trim();
    const json = parseJson<{ node_info: { id: string; network: string; moniker: string }; sync_info: { latest_block_height: string; catching_up: boolean } }>(
      t,
      succeeds(t, mirad(["status", ...node, "-o", "json"]), "status -o json"),
    );
    t.match(json, { node_info: { id: nodeId, network: "mira-localnet-1", moniker: "node0" }, sync_info: { catching_up: false } });
    t.ok(Number(json.sync_info.latest_block_height) >= 2);
  });

  await t.test("query: all balances, one denom, an account; an unknown account is not found", async (t) => {
    t.same(parseJson(t, succeeds(t, mirad(["query", "bank", "balances", dev0.address, ...node, "-o", "json"]), "balances")), {
      balances: [{ denom: "umira", amount: "1000000000000" }],
    });
    t.equal(succeeds(t, mirad(["query", "bank", "balances", dev0.address, ...node]), "balances text"), "- denom: umira\n  amount: 1000000000000\n");
    t.equal(balance(to), 0n, "--denom: 0 for an address that holds none");
    t.equal(succeeds(t, mirad(["query", "bank", "balances", to, ...node]), "balances of nobody"), `No balances for ${to}.\n`);
    const account = parseJson<AccountJson>(t, succeeds(t, mirad(["query", "auth", "account", dev0.address, ...node, "-o", "json"]), "account"));
    t.match(account, { account: { "@type": "/cosmos.auth.v1beta1.BaseAccount", address: dev0.address, sequence: "0", pub_key: null } });
    t.match(succeeds(t, mirad(["query", "auth", "account", dev0.address, ...node]), "account text"), /^- type: \/cosmos\.auth\.v1beta1\.BaseAccount\n  address: mira1\w+\n  account_number: \d+\n  sequence: 0\n/);
    failsWithOneLine(t, mirad(["query", "auth", "account", to, ...node]), new RegExp(`account ${to} not found`));
  });

  let firstTx: TxJson | undefined;
  await t.test("tx bank send --fees: the exact amounts move, the sequence moves, the key's pubkey is set", async (t) => {
    const [senderBefore, recipientBefore] = [balance(dev0.address), balance(to)];
    const run = send(["dev0", to, "1234umira", "--fees", `${FEE}umira`, "--memo", "first"]);
    const tx = parseJson<TxJson>(t, succeeds(t, run, "send"));
    t.match(tx, { txhash: /^[0-9A-F]{64}$/, code: 0, gas_wanted: "200000" });
    t.ok(Number(tx.height) > 0 && BigInt(tx.gas_used) > 0n && BigInt(tx.gas_used) <= 200_000n, "height and gas used");
    t.match(run.stderr, `tx ${tx.txhash} broadcast; waiting for a block to include it`);
    t.equal(balance(dev0.address), senderBefore - 1234n - FEE, "sender: amount + fee");
    t.equal(balance(to), recipientBefore + 1234n, "recipient: amount");
    t.equal(balance(dev0.address, "--height", String(Number(tx.height) - 1)), senderBefore, "--height: the balance before the tx's block");
    t.equal(balance(dev0.address, "--height", tx.height), senderBefore - 1234n - FEE, "--height: the balance after it");
    const account = parseJson<AccountJson>(t, succeeds(t, mirad(["query", "auth", "account", dev0.address, ...node, "-o", "json"]), "account"));
    t.match(account, { account: { sequence: "1", pub_key: { "@type": "/cosmos.crypto.secp256k1.PubKey" } } });
    t.equal(sequence(to), "0", "the recipient is an account now");
    firstTx = tx;
  });

  await t.test("tx bank send --gas auto --gas-prices, from the key's address, text output", async (t) => {
    const [senderBefore, recipientBefore] = [balance(dev0.address), balance(to)];
    const run = mirad(["tx", "bank", "send", dev0.address, to, "100umira", "--gas", "auto", "--gas-adjustment", "1.5", "--gas-prices", "0.025umira", ...keyring, ...node, "--yes"]);
    const text = succeeds(t, run, "send --gas auto");
    const fields = Object.fromEntries([...text.matchAll(/^[- ] (\w+): (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    t.same(Object.keys(fields), ["txhash", "height", "code", "gas_used", "gas_wanted"]);
    t.equal(fields["code"], "0");
    t.not(fields["txhash"], firstTx?.txhash);
    const gasWanted = BigInt(fields["gas_wanted"]!);
    t.ok(gasWanted < 200_000n, `simulated gas limit ${gasWanted}`);
    const gasUsed = BigInt(fields["gas_used"]!);
    t.ok(gasWanted * 10n >= gasUsed * 14n && gasWanted * 10n <= gasUsed * 16n, `gas limit ${gasWanted} ≈ 1.5 × the ${gasUsed} the tx used`);
    t.equal(balance(dev0.address), senderBefore - 100n - feeAtGasPrice(gasWanted), "sender: amount + gas limit × price, rounded up");
    t.equal(balance(to), recipientBefore + 100n);
    t.equal(sequence(dev0.address), "2");
  });

  await t.test("the file keyring: its password from MIRA_KEYRING_PASSWORD", async (t) => {
    const dev1 = accounts[1]!;
    const fileHome = tempDir(t);
    const env = { MIRA_KEYRING_PASSWORD: PASSWORD };
    succeeds(t, mirad(["keys", "import", "dev1", "--home", fileHome], { input: dev1.mnemonic + "\n", env }), "keys import (file)");
    const before = balance(to);
    const run = mirad(["tx", "bank", "send", "dev1", to, "7umira", "--fees", `${FEE}umira`, "--home", fileHome, ...node, "--yes", "-o", "json"], { env });
    t.equal(parseJson<TxJson>(t, succeeds(t, run, "send (file keyring)")).code, 0);
    t.equal(balance(to), before + 7n);
    failsWithOneLine(
      t,
      mirad(["tx", "bank", "send", "dev1", to, "7umira", "--fees", `${FEE}umira`, "--home", fileHome, ...node, "--yes"], { env: { MIRA_KEYRING_PASSWORD: "wrong password" } }),
      /wrong keyring password/,
    );
  });

  await t.test("insufficient funds: on chain, code 5 and its log, exit 1; the fee is still paid", async (t) => {
    const before = balance(dev0.address);
    const run = send(["dev0", to, `${before}umira`, "--fees", `${FEE}umira`]);
    t.equal(run.code, 1);
    const tx = parseJson<TxJson>(t, run.stdout);
    t.match(tx, { code: 5, codespace: "sdk", raw_log: /insufficient funds/ });
    const errors = run.stderr.split("\n").filter((l) => l.startsWith("Error: "));
    t.equal(errors.length, 1);
    t.match(errors[0], new RegExp(`^Error: tx ${tx.txhash} failed at height ${tx.height} with code 5 \\(codespace sdk\\): .*insufficient funds`));
    t.equal(balance(dev0.address), before - FEE, "only the fee left the account");
    t.equal(sequence(dev0.address), "3", "and the sequence moved");

    const simulated = send(["dev0", to, `${before}umira`, "--gas", "auto", "--gas-prices", "0.025umira"]);
    failsWithOneLine(t, simulated, /gas estimation failed: .*insufficient funds \(code 5\)/);
    t.equal(sequence(dev0.address), "3", "nothing was broadcast");
  });

  await t.test("bad input and refusals: one clear line, exit 1, nothing sent", async (t) => {
    const before = balance(dev0.address);
    const fees = ["--fees", `${FEE}umira`];
    failsWithOneLine(t, send(["nobody", to, "1umira", ...fees]), /key "nobody" not found in the keyring/);
    failsWithOneLine(t, send([await freshAddress(), to, "1umira", ...fees]), /no key in the keyring has address mira1\w+/);
    failsWithOneLine(t, send(["dev0", "mira1bad", "1umira", ...fees]), /invalid address "mira1bad"/);
    failsWithOneLine(t, send(["dev0", to.replace(/^mira/, "cosmos"), "1umira", ...fees]), /invalid address "cosmos1\w+"/);
    failsWithOneLine(t, send(["dev0", to, "1.5umira", ...fees]), /invalid coin "1\.5umira"; expected e\.g\. 1000umira/);
    failsWithOneLine(t, send(["dev0", to, "umira", ...fees]), /invalid coin "umira"/);
    failsWithOneLine(t, send(["dev0", to, "0umira", ...fees]), /zero amount of umira/);
    failsWithOneLine(t, send(["dev0", to]), /missing amount/);
    failsWithOneLine(t, send(["dev0", to, "1umira"]), /no fee: give --fees .* or --gas-prices/);
    failsWithOneLine(t, send(["dev0", to, "1umira", ...fees, "--gas-prices", "0.025umira"]), /--fees or --gas-prices, not both/);
    failsWithOneLine(t, send(["dev0", to, "1umira", ...fees, "--gas", "lots"]), /--gas must be "auto" or a positive integer/);
    failsWithOneLine(t, send(["dev0", to, "1umira", "--fees", "1umira"]), /the node refused the tx: code 13 \(codespace sdk\): insufficient fees; got: 1umira required: 5000umira/);
    failsWithOneLine(t, send(["dev0", to, "1umira", ...fees, "--chain-id", "other-chain"]), /the node is on chain "mira-localnet-1", not "other-chain"/);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    failsWithOneLine(t, mirad(["tx", "bank", "send", "dev0", to, "1umira", ...fees, ...keyring, "--node", unreachable, "--yes"]), new RegExp(`cannot reach a node at ${unreachable}: .*ECONNREFUSED`));
    failsWithOneLine(t, mirad(["status", "--node", unreachable]), /cannot reach a node at/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", to, "--node", unreachable]), /cannot reach a node at/);
    failsWithOneLine(t, mirad(["tx", "bank", "send", "dev0", to, "1umira", ...fees, ...keyring, ...node]), /refusing to broadcast without --yes/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", "mira1bad", ...node]), /invalid address "mira1bad"/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", to, "--height", "latest", ...node]), /--height must be a non-negative integer, got "latest"/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", to, "--height", "99999999", ...node]), /query failed with code \d+: version 99999999 was never committed/);
    failsWithOneLine(t, mirad(["query", "bank", "frobnicate"]), /unknown query command "bank frobnicate"/);
    failsWithOneLine(t, mirad(["tx", "staking", "delegate"]), /unknown tx module "staking"/);
    t.equal(balance(dev0.address), before, "nothing was sent or charged");
  });

  await t.test("help for every command", async (t) => {
    for (const args of [["tx"], ["tx", "bank", "send", "--help"], ["query"], ["query", "bank", "balances", "--help"], ["query", "auth", "account", "--help"], ["status", "--help"]]) {
      const run = mirad(args);
      t.equal(run.code, 0, args.join(" "));
      t.match(run.stdout, /Usage: mirad/);
    }
  });
});
