// The mirad client as a user runs it (child processes, a temp keyring) against a real 4-node
// localnet: tx bank send, query bank balances / auth account, status, the staking, slashing and
// distribution txs and queries; and `mirad init` in a temp home.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { bech32Address } from "../app/core/address";
import { escrowAddress } from "../modules/transfer/keys";
import t, { Test } from "tap";
import { cometbftBinary, freePort, REPO_ROOT, rpc } from "../app/cli/cometbft";
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

interface ValidatorAccount extends DevAccount {
  valoper: string;
  consensus_pubkey: string;
}

interface DelegationJson {
  delegation_response: { delegation: { delegator_address: string; validator_address: string; shares: string }; balance: { denom: string; amount: string } };
}

interface UnbondingJson {
  unbonding_responses: {
    validator_address: string;
    entries: { creation_height: string; completion_time: string; initial_balance: string; balance: string }[];
  }[];
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

/** mirad as above, without waiting: for many independent runs at once. */
function miradAsync(args: string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env, encoding: "utf8", timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : null, stdout, stderr });
    });
  });
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
    t.match(text, /^- chain_id: mira-localnet-1\n {2}latest_block_height: [1-9]\d*\n/);
    t.match(text, /latest_app_hash: [0-9A-F]{64}\n/);
    t.match(text, /catching_up: false\n/);
    t.match(text, /node_id: [0-9a-f]{40}\n/);
    t.match(text, /moniker: node0\n/);
    const nodeId = execFileSync(cometbftBinary(), ["show-node-id", "--home", path.join(dir, "node0", "cometbft")])
      .toString()
      .trim();
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
    t.match(
      succeeds(t, mirad(["query", "auth", "account", dev0.address, ...node]), "account text"),
      /^- type: \/cosmos\.auth\.v1beta1\.BaseAccount\n {2}address: mira1\w+\n {2}account_number: \d+\n {2}sequence: 0\n/,
    );
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
    const run = mirad([
      "tx",
      "bank",
      "send",
      dev0.address,
      to,
      "100umira",
      "--gas",
      "auto",
      "--gas-adjustment",
      "1.5",
      "--gas-prices",
      "0.025umira",
      ...keyring,
      ...node,
      "--yes",
    ]);
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
      mirad(["tx", "bank", "send", "dev1", to, "7umira", "--fees", `${FEE}umira`, "--home", fileHome, ...node, "--yes"], {
        env: { MIRA_KEYRING_PASSWORD: "wrong password" },
      }),
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
    failsWithOneLine(
      t,
      send(["dev0", to, "1umira", "--fees", "1umira"]),
      /the node refused the tx: code 13 \(codespace sdk\): insufficient fees; got: 1umira required: 5000umira/,
    );
    failsWithOneLine(t, send(["dev0", to, "1umira", ...fees, "--chain-id", "other-chain"]), /the node is on chain "mira-localnet-1", not "other-chain"/);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    failsWithOneLine(
      t,
      mirad(["tx", "bank", "send", "dev0", to, "1umira", ...fees, ...keyring, "--node", unreachable, "--yes"]),
      new RegExp(`cannot reach a node at ${unreachable}: .*ECONNREFUSED`),
    );
    failsWithOneLine(t, mirad(["status", "--node", unreachable]), /cannot reach a node at/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", to, "--node", unreachable]), /cannot reach a node at/);
    failsWithOneLine(t, mirad(["tx", "bank", "send", "dev0", to, "1umira", ...fees, ...keyring, ...node]), /refusing to broadcast without --yes/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", "mira1bad", ...node]), /invalid address "mira1bad"/);
    failsWithOneLine(t, mirad(["query", "bank", "balances", to, "--height", "latest", ...node]), /--height must be a non-negative integer, got "latest"/);
    failsWithOneLine(
      t,
      mirad(["query", "bank", "balances", to, "--height", "99999999", ...node]),
      /query failed with code \d+: version 99999999 was never committed/,
    );
    failsWithOneLine(t, mirad(["query", "bank", "frobnicate"]), /unknown query command "bank frobnicate"/);
    failsWithOneLine(t, mirad(["tx", "frobnicate", "send"]), /unknown tx module "frobnicate"/);
    t.equal(balance(dev0.address), before, "nothing was sent or charged");
  });

  const validators = JSON.parse(fs.readFileSync(path.join(dir, "validators.json"), "utf8")) as ValidatorAccount[];
  const target = validators[0]!;
  const fees = ["--fees", `${FEE}umira`];
  const tx = (args: string[]) => mirad(["tx", ...args, ...keyring, ...node, "--yes", "-o", "json"]);
  const query = <T>(args: string[]): T => parseJson<T>(t, succeeds(t, mirad(["query", ...args, ...node, "-o", "json"]), `query ${args.join(" ")}`));
  const delegated = () => query<DelegationJson>(["staking", "delegation", dev0.address, target.valoper]).delegation_response;
  /**
   * The last height the app has committed (abci_info): its state is final and can be queried with
   * --height. CometBFT's status counts a block a moment before the app has committed it.
   */
  const appHeight = async (): Promise<number> => Number((await rpc<{ response: { last_block_height: string } }>(NODE, "abci_info")).response.last_block_height);
  /**
   * What dev0's unbondings that completed after height `from` and by height `to` paid it: the
   * entries at `from` that are gone at `to` (an entry leaves the store when it completes and pays
   * its balance). From "tx staking unbond" on, dev0 has 2 MIRA unbonding for 60 s, which a slow
   * run sees land in the middle of a test that compares dev0's balance.
   */
  const unbondingPaid = (from: number, to: number): bigint => {
    const entries = (height: number) =>
      query<UnbondingJson>(["staking", "unbonding-delegations", dev0.address, "--height", String(height)]).unbonding_responses.flatMap((u) =>
        u.entries.map((e) => ({ id: `${u.validator_address} ${e.creation_height} ${e.completion_time} ${e.initial_balance}`, balance: BigInt(e.balance) })),
      );
    const left = entries(to).map((e) => e.id);
    let paid = 0n;
    for (const e of entries(from)) {
      const i = left.indexOf(e.id);
      if (i >= 0) left.splice(i, 1);
      else paid += e.balance;
    }
    return paid;
  };

  await t.test("tx staking delegate: query staking delegation shows it; query staking validators lists the 4 bonded", async (t) => {
    const before = balance(dev0.address);
    const run = tx(["staking", "delegate", "dev0", target.valoper, "5000000umira", ...fees]);
    t.equal(parseJson<TxJson>(t, succeeds(t, run, "delegate")).code, 0);
    t.equal(balance(dev0.address), before - 5_000_000n - FEE, "the account paid the delegation and the fee");
    t.same(delegated(), {
      delegation: { delegator_address: dev0.address, validator_address: target.valoper, shares: "5000000.000000000000000000" },
      balance: { denom: "umira", amount: "5000000" },
    });
    const text = succeeds(t, mirad(["query", "staking", "delegation", dev0.address, target.valoper, ...node]), "delegation text");
    t.match(text, `  validator_address: ${target.valoper}\n  shares: 5000000.000000000000000000\n  balance: 5000000umira\n`);
    const mine = query<{ delegation_responses: unknown[] }>(["staking", "delegations", dev0.address]);
    t.equal(mine.delegation_responses.length, 1);

    const bonded = query<{
      validators: { operator_address: string; status: string; tokens: string; delegator_shares: string; commission: { commission_rates: { rate: string } } }[];
    }>(["staking", "validators", "--status", "bonded"]).validators;
    t.equal(bonded.length, 4, "4 bonded validators");
    t.same(bonded.map((v) => v.operator_address).sort(), validators.map((v) => v.valoper).sort());
    t.ok(
      bonded.every((v) => v.status === "BOND_STATUS_BONDED" && v.commission.commission_rates.rate === "0.100000000000000000"),
      "bonded, 10% commission as a decimal",
    );
    t.match(
      bonded.find((v) => v.operator_address === target.valoper),
      { tokens: "105000000", delegator_shares: "105000000.000000000000000000" },
    );
    t.same(query<{ validators: unknown[] }>(["staking", "validators", "--status", "unbonded"]), { validators: [] });
    t.match(
      succeeds(t, mirad(["query", "staking", "validators", ...node]), "validators text"),
      /^- operator_address: miravaloper1\w+\n {2}moniker: node\d\n {2}status: BOND_STATUS_BONDED\n/,
    );
    t.same(query(["staking", "pool"]), { pool: { bonded_tokens: "405000000", not_bonded_tokens: "0" } });
    t.match(query(["staking", "params"]), { params: { unbonding_time: "60s", bond_denom: "umira" } });
  });

  await t.test("tx staking unbond: query staking unbonding-delegations shows the entry", async (t) => {
    const run = tx(["staking", "unbond", "dev0", target.valoper, "2000000umira", ...fees]);
    const result = parseJson<TxJson>(t, succeeds(t, run, "unbond"));
    t.equal(result.code, 0);
    // Read at the tx's height: the state right after it, before the 60 s unbonding can complete.
    const at = ["--height", result.height];
    t.equal(query<DelegationJson>(["staking", "delegation", dev0.address, target.valoper, ...at]).delegation_response.balance.amount, "3000000");
    const unbonding = query<UnbondingJson>(["staking", "unbonding-delegations", dev0.address, ...at]).unbonding_responses;
    t.equal(unbonding.length, 1);
    t.match(unbonding[0], { validator_address: target.valoper, entries: [{ creation_height: result.height, balance: "2000000" }] });
    const block = await rpc<{ block: { header: { time: string } } }>(NODE, "block", { height: result.height });
    t.equal(
      Date.parse(unbonding[0]!.entries[0]!.completion_time),
      Date.parse(block.block.header.time) + 60_000,
      "it completes the unbonding time (60 s) after the tx's block",
    );
    t.same(query(["staking", "pool", ...at]), { pool: { bonded_tokens: "403000000", not_bonded_tokens: "2000000" } });
  });

  await t.test("query distribution rewards grow; tx distribution withdraw-rewards pays them", async (t) => {
    type DecCoins = { denom: string; amount: string }[];
    const rewardsNow = (): number => Number(query<{ rewards: DecCoins }>(["distribution", "rewards", dev0.address, target.valoper]).rewards[0]?.amount ?? "0");
    let reward = rewardsNow();
    for (const until = Date.now() + 60_000; reward < 1 && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      reward = rewardsNow();
    }
    t.ok(reward >= 1, `rewards accrue after a few blocks: ${reward}umira`);
    const total = query<{ rewards: { validator_address: string; reward: DecCoins }[]; total: DecCoins }>(["distribution", "rewards", dev0.address]);
    t.equal(total.rewards.length, 1);
    t.equal(total.rewards[0]!.validator_address, target.valoper);
    t.match(total.total, [{ denom: "umira", amount: /^\d+\.\d{18}$/ }], "a decimal with 18 digits");
    t.match(
      succeeds(t, mirad(["query", "distribution", "rewards", dev0.address, ...node]), "rewards text"),
      new RegExp(`^- validator_address: ${target.valoper}\n  reward: [\\d.]+umira\n- total: [\\d.]+umira\n$`),
    );

    const run = tx(["distribution", "withdraw-rewards", "dev0", target.valoper, ...fees]);
    const withdrawal = parseJson<TxJson>(t, succeeds(t, run, "withdraw-rewards"));
    t.equal(withdrawal.code, 0);
    // dev0's balance just before and right after the tx's block; the 2 MIRA unbonding may complete in that very block.
    const height = Number(withdrawal.height);
    const before = balance(dev0.address, "--height", String(height - 1));
    const received = balance(dev0.address, "--height", String(height)) - (before - FEE) - unbondingPaid(height - 1, height);
    t.ok(received >= BigInt(Math.floor(reward)), `received ${received}umira: at least the ${reward} the query said earlier`);
    failsWithOneLine(
      t,
      tx(["distribution", "withdraw-rewards", "dev0", target.valoper, "--commission", ...fees]),
      /--commission: key "dev0" .* does not operate miravaloper1\w+/,
    );
    t.match(query(["distribution", "commission", target.valoper]), { commission: { commission: [{ denom: "umira", amount: /^\d+\.\d{18}$/ }] } });
    t.match(query(["distribution", "community-pool"]), { pool: [{ denom: "umira" }] });
    t.match(query(["distribution", "params"]), { params: { community_tax: "0.020000000000000000", withdraw_addr_enabled: true } });
  });

  await t.test("query slashing signing-info of a validator, by consensus key or address; slashing params", async (t) => {
    const consensusAddress = toBech32("miravalcons", createHash("sha256").update(fromBase64(target.consensus_pubkey)).digest().subarray(0, 20));
    const byKey = query<{
      val_signing_info: { address: string; start_height: string; tombstoned: boolean; missed_blocks_counter: string; jailed_until: string };
    }>(["slashing", "signing-info", target.consensus_pubkey]);
    t.match(byKey, {
      val_signing_info: { address: consensusAddress, tombstoned: false, jailed_until: "1970-01-01T00:00:00Z", missed_blocks_counter: /^\d+$/ },
    });
    t.same(
      query<{ validator: { consensus_address: string } }>(["staking", "validator", target.valoper]).validator.consensus_address,
      consensusAddress,
      "query staking validator shows it",
    );
    const keyFile = path.join(dir, "node0", "cometbft", "config", "priv_validator_key.json");
    t.match(succeeds(t, mirad(["query", "slashing", "signing-info", keyFile, ...node]), "signing-info text"), `- address: ${consensusAddress}\n`);
    t.same(query(["slashing", "params"]), {
      params: {
        signed_blocks_window: "20",
        min_signed_per_window: "0.500000000000000000",
        downtime_jail_duration: "20s",
        slash_fraction_double_sign: "0.050000000000000000",
        slash_fraction_downtime: "0.010000000000000000",
      },
    });
  });

  await t.test("bad validator addresses and missing records: one clear line, exit 1", async (t) => {
    const startHeight = await appHeight();
    const before = balance(dev0.address, "--height", String(startHeight));
    const unknownValidator = toBech32("miravaloper", fromBech32(to, 90).data);
    failsWithOneLine(
      t,
      tx(["staking", "delegate", "dev0", dev0.address, "1umira", ...fees]),
      /invalid validator address "mira1\w+": that is an account address; a validator's starts with miravaloper1/,
    );
    failsWithOneLine(t, tx(["staking", "delegate", "dev0", "miravaloper1bad", "1umira", ...fees]), /invalid validator address "miravaloper1bad"/);
    failsWithOneLine(
      t,
      tx(["staking", "redelegate", "dev0", target.valoper, target.valoper.replace(/^mira/, "cosmos"), "1umira", ...fees]),
      /invalid validator address "cosmosvaloper1\w+"/,
    );
    failsWithOneLine(t, tx(["staking", "delegate", "dev0", target.valoper, "1umira,1uother", ...fees]), /expected one coin such as 1000000umira/);
    failsWithOneLine(t, mirad(["query", "staking", "validator", "miravaloper1bad", ...node]), /invalid validator address "miravaloper1bad"/);
    failsWithOneLine(t, mirad(["query", "staking", "validator", unknownValidator, ...node]), new RegExp(`validator ${unknownValidator} not found`));
    failsWithOneLine(
      t,
      mirad(["query", "staking", "delegation", dev0.address, validators[1]!.valoper, ...node]),
      /no delegation from mira1\w+ to miravaloper1\w+ found/,
    );
    failsWithOneLine(t, mirad(["query", "slashing", "signing-info", target.valoper, ...node]), /is not a consensus address \(miravalcons1\.\.\.\) or key/);
    failsWithOneLine(t, mirad(["query", "staking", "validators", "--status", "active", ...node]), /--status must be bonded, unbonding or unbonded/);
    // dev0's 2 MIRA unbonding may complete meanwhile: it is the only thing that may have moved the balance.
    const endHeight = await appHeight();
    t.equal(balance(dev0.address, "--height", String(endHeight)), before + unbondingPaid(startHeight, endHeight), "nothing was sent or charged");
  });

  await t.test("IBC on a chain with no channel yet: empty lists, a zero escrow, the escrow address, a transfer refused with its code", async (t) => {
    t.same(parseJson(t, succeeds(t, mirad(["query", "ibc", "client-states", ...node]), "client-states")), { client_states: [] });
    t.match(parseJson(t, succeeds(t, mirad(["query", "ibc", "channels", ...node]), "channels")), {
      channels: [],
      height: { revision_number: "1", revision_height: /^\d+$/ },
    });
    t.same(parseJson(t, succeeds(t, mirad(["query", "ibc-transfer", "escrow", "umira", ...node]), "escrow")), { amount: { denom: "umira", amount: "0" } });
    t.same(parseJson(t, succeeds(t, mirad(["query", "ibc-transfer", "escrow-address", "channel-0", ...node]), "escrow-address")), {
      escrow_address: bech32Address(escrowAddress("transfer", "channel-0")),
    });
    failsWithOneLine(t, mirad(["query", "ibc", "client-state", "07-tendermint-0", ...node]), /client 07-tendermint-0: key not found/);
    failsWithOneLine(t, mirad(["query", "ibc", "client-state", "bad id!", ...node]), /query failed with code 2/);
    const transfer = (...extra: string[]) =>
      mirad([
        "tx",
        "ibc-transfer",
        "transfer",
        "dev0",
        "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu",
        "10umira",
        ...extra,
        "--fees",
        `${FEE}umira`,
        ...keyring,
        ...node,
        "--yes",
        "-o",
        "json",
      ]);
    failsWithOneLine(t, transfer(), /--channel channel-N is required/);
    const refused = transfer("--channel", "channel-7");
    t.equal(refused.code, 1, "a transfer over a channel that does not exist fails");
    t.match(refused.stdout + refused.stderr, /channel-7: channel not found/);
  });

  await t.test("help for every command", async (t) => {
    const staking = ["delegate", "unbond", "redelegate", "cancel-unbond", "create-validator", "edit-validator"].map((c) => ["tx", "staking", c, "--help"]);
    const distribution = ["withdraw-rewards", "set-withdraw-addr", "fund-community-pool"].map((c) => ["tx", "distribution", c, "--help"]);
    const queries = [
      ...["validators", "validator", "delegation", "delegations", "unbonding-delegations", "pool", "params"].map((c) => ["query", "staking", c, "--help"]),
      ...["signing-info", "params"].map((c) => ["query", "slashing", c, "--help"]),
      ...["rewards", "commission", "community-pool", "params"].map((c) => ["query", "distribution", c, "--help"]),
    ];
    const added = [...staking, ["tx", "slashing", "unjail", "--help"], ...distribution, ...queries];
    const all = [
      ["tx"],
      ["tx", "bank", "send", "--help"],
      ["query"],
      ["query", "bank", "balances", "--help"],
      ["query", "auth", "account", "--help"],
      ["status", "--help"],
      ...added,
    ];
    const runs = await Promise.all(all.map((args) => miradAsync(args)));
    runs.forEach((run, i) => {
      t.equal(run.code, 0, all[i]!.join(" "));
      t.match(run.stdout, /Usage: mirad/);
    });
  });
});
