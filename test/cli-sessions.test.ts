// The sessions CLI as a user runs it (child processes, a temp keyring) against a real one-validator chain
// (CometBFT + mirad): a funded granter creates a fee-granting session for a fresh zero-balance key, which
// sends coins for the granter and pays nothing; the spend limit (fees included) holds; revoke ends it;
// query sessions ... show it; bad input fails before anything is signed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import t, { Test } from "tap";
import { REPO_ROOT, rpc } from "../app/cli/cometbft";
import { startSingleNode } from "./helpers/single-node";
import { tempDir } from "./helpers/tmp";

const MAIN = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
const OFFSET = 3_500; // its own ports (cli-claims uses 3000, cli-chain 2000, the localnet tests 1000, -2000, -6000), below the ephemeral ones
const MSG_SEND = "/cosmos.bank.v1beta1.MsgSend";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface TxJson {
  txhash: string;
  height: string;
  code: number;
  codespace: string;
  raw_log: string;
  gas_wanted: string;
}

interface Coin {
  denom: string;
  amount: string;
}

interface SessionJson {
  granter: string;
  grantee: string;
  allowed_msgs: string[];
  spend_limit: Coin[];
  spent: Coin[];
  expiration: string;
  max_uses: string;
  uses: string;
  fee_grant: boolean;
}

interface PageJson {
  sessions: SessionJson[];
  pagination: { next_key: string | null };
}

/** Runs mirad with a clean environment: only PATH and HOME. */
function mirad(args: string[], input = ""): Run {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const result = spawnSync(process.execPath, [MAIN, ...args], { input, env, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function succeeds(t: Test, run: Run, what: string): string {
  t.equal(run.code, 0, `${what}: ${run.stderr}`);
  return run.stdout;
}

function failsWithOneLine(t: Test, run: Run, message: RegExp): void {
  t.equal(run.code, 1, "exit code 1");
  t.equal(run.stdout, "", "nothing on stdout");
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  t.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(run.stderr)}`);
  t.match(lines[0], /^Error: /);
  t.match(lines[0], message);
}

/** The fee the chain charged a tx at --gas-prices 0.025umira: gas limit × price, rounded up. */
const feeOf = (tx: TxJson): bigint => (BigInt(tx.gas_wanted) * 25n + 999n) / 1000n;

t.test("the sessions CLI against a one-validator chain", async (t) => {
  const chain = await startSingleNode(t, OFFSET);
  const node = ["--node", chain.rpc];
  const keyHome = tempDir(t);
  const keyFlags = ["--keyring-backend", "test", "--home", keyHome];
  succeeds(t, mirad(["keys", "import", "granter", ...keyFlags], chain.user.mnemonic + "\n"), "keys import");
  const newKey = (name: string): string =>
    (JSON.parse(succeeds(t, mirad(["keys", "add", name, ...keyFlags, "-o", "json"]), `keys add ${name}`)) as { address: string }).address;
  const granter = chain.user.address;
  const sessionKey = newKey("session");
  const recipient = newKey("recipient");
  const txFlags = [...keyFlags, "--gas-prices", "0.025umira", "--yes", ...node];

  const query = <T>(...args: string[]): T => JSON.parse(succeeds(t, mirad(["query", ...args, ...node, "-o", "json"]), args.slice(0, 2).join(" "))) as T;
  const balance = (address: string): bigint =>
    BigInt(query<{ balances: Coin[] }>("bank", "balances", address).balances.find((c) => c.denom === "umira")?.amount ?? "0");
  const sequence = (address: string): string => query<{ account: { sequence: string } }>("auth", "account", address).account.sequence;
  const tx = (args: string[]): Run => mirad(["tx", "sessions", ...args, ...txFlags, "-o", "json"]);
  const succeededTx = (t: Test, args: string[], what: string): TxJson => {
    const out = JSON.parse(succeeds(t, tx(args), what)) as TxJson;
    t.equal(out.code, 0, `${what}: code 0`);
    return out;
  };
  const sendMsg = (amount: string): string =>
    JSON.stringify({ typeUrl: MSG_SEND, value: { fromAddress: granter, toAddress: recipient, amount: [{ denom: "umira", amount }] } });
  const create = (...args: string[]) => tx(["create", "granter", sessionKey, ...args]);

  await t.test("bad input fails before anything is signed or broadcast", async (t) => {
    failsWithOneLine(
      t,
      create("--allow", "/cosmos.bank.v1beta1.MsgSnd", "--spend-limit", "100000umira", "--expires", "1h"),
      /--allow: unknown message type "\/cosmos\.bank\.v1beta1\.MsgSnd"/,
    );
    failsWithOneLine(
      t,
      create("--allow", `${MSG_SEND},/mira.sessions.v1.MsgExecSession`, "--spend-limit", "1umira", "--expires", "1h"),
      /a session can never make, end or run sessions/,
    );
    failsWithOneLine(
      t,
      create("--allow", MSG_SEND, "--spend-limit", "100000umira", "--expires", "tomorrow"),
      /--expires must be an RFC 3339 time .* or a duration .*, got "tomorrow"/,
    );
    failsWithOneLine(
      t,
      create("--allow", MSG_SEND, "--spend-limit", "100000umira", "--expires", "2001-01-01T00:00:00Z"),
      /--expires 2001-01-01T00:00:00\.000Z is not after the node's latest block time/,
    );
    failsWithOneLine(
      t,
      create("--allow", MSG_SEND, "--spend-limit=-5umira", "--expires", "1h"),
      /--spend-limit invalid coin "-5umira"; expected e\.g\. 1000umira/,
    );
    failsWithOneLine(t, create("--allow", MSG_SEND, "--spend-limit", "-5umira", "--expires", "1h"), /option '--spend-limit' argument is ambiguous/);
    failsWithOneLine(t, create("--allow", MSG_SEND, "--expires", "1h"), /no spend limit: give --spend-limit/);
    const exec = (...args: string[]) => tx(["exec", "session", granter, ...args]);
    failsWithOneLine(t, exec(), /no message: give --msg/);
    failsWithOneLine(t, exec("--msg", JSON.stringify({ typeUrl: MSG_SEND })), /--msg must be \{"typeUrl"/);
    failsWithOneLine(
      t,
      exec("--msg", JSON.stringify({ typeUrl: MSG_SEND, value: { from_address: granter } })),
      /has no field from_address; its fields are fromAddress, toAddress, amount/,
    );
    failsWithOneLine(
      t,
      exec("--msg", sendMsg("1"), "--msg", JSON.stringify({ typeUrl: "/x.y.MsgZ", value: {} })),
      /--msg number 2: unknown message type "\/x\.y\.MsgZ"/,
    );
    t.equal(sequence(granter), "0", "the granter never signed a tx");
    t.match(succeeds(t, mirad(["tx", "sessions", "create", "--help"]), "help"), /--expires TIME\|DURATION/);
    t.match(succeeds(t, mirad(["query", "sessions", "--help"]), "help"), /sessions by-grantee <session-key>/);
  });

  const status = await rpc<{ sync_info: { latest_block_time: string } }>(chain.rpc, "status");
  const createdTx = succeededTx(
    t,
    ["create", "granter", sessionKey, "--allow", MSG_SEND, "--spend-limit", "100000umira", "--expires", "1h", "--fee-grant", "--gas", "auto"],
    "create",
  );
  // The CLI adds 1h to the node's latest block time when it runs: no earlier than `status`'s, no later than the tx's own block's.
  const createdBlock = await rpc<{ block: { header: { time: string } } }>(chain.rpc, "block", { height: createdTx.height });
  const granterBefore = balance(granter);

  await t.test("query sessions session: the terms, nothing spent yet", async (t) => {
    const { session } = query<{ session: SessionJson }>("sessions", "session", granter, sessionKey);
    t.match(session, {
      granter,
      grantee: sessionKey,
      allowed_msgs: [MSG_SEND],
      spend_limit: [{ denom: "umira", amount: "100000" }],
      spent: [],
      max_uses: "0",
      uses: "0",
      fee_grant: true,
    });
    const lasts = Date.parse(session.expiration) - Date.parse(status.sync_info.latest_block_time);
    const upTo = Date.parse(createdBlock.block.header.time) - Date.parse(status.sync_info.latest_block_time);
    t.ok(
      lasts >= 3_600_000 && lasts <= 3_600_000 + upTo,
      `expires 1h after the node's block time before the tx (${lasts} ms; the tx's block came ${upTo} ms after that)`,
    );
    t.equal(balance(sessionKey), 0n, "the session key has no coins");
    t.equal(sequence(sessionKey), "0", "but an account, so that it can sign");
  });

  const sent = succeededTx(t, ["exec", "session", granter, "--msg", sendMsg("10000"), "--fee-granted", "--gas", "auto"], "exec");
  const spent = 10_000n + feeOf(sent);

  await t.test("exec --fee-granted: the recipient gets the coins, the granter pays the fee, the session key pays nothing", async (t) => {
    t.equal(balance(recipient), 10_000n);
    t.equal(balance(sessionKey), 0n, "still no coins");
    t.equal(sequence(sessionKey), "1", "the session key signed");
    t.equal(balance(granter), granterBefore - spent, "the send and the fee left the granter's account");
    const { session } = query<{ session: SessionJson }>("sessions", "session", granter, sessionKey);
    t.same(session.spent, [{ denom: "umira", amount: spent.toString() }], "spent counts the send and the fee");
    t.equal(session.uses, "1");
    const text = succeeds(t, mirad(["query", "sessions", "session", granter, sessionKey, ...node]), "session, text");
    t.match(
      text,
      new RegExp(
        `^- granter: ${granter}\\n {2}grantee: ${sessionKey}\\n {2}allowed_msgs: /cosmos.bank.v1beta1.MsgSend\\n {2}spend_limit: 100000umira\\n {2}spent: ${spent}umira\\n`,
      ),
    );
  });

  await t.test("an exec over the spend limit fails in its block with sessions code 5; nothing is sent", async (t) => {
    const run = tx(["exec", "session", granter, "--msg", sendMsg("90000"), "--fee-granted", "--gas", "200000"]);
    t.equal(run.code, 1, "exit code 1");
    const failed = JSON.parse(run.stdout) as TxJson;
    t.match(failed, { code: 5, codespace: "sessions" });
    t.match(failed.raw_log, /would exceed the session's spend limit/);
    t.match(run.stderr, /failed at height \d+ with code 5 \(codespace sessions\)/);
    t.equal(balance(recipient), 10_000n, "the recipient's balance is unchanged");
    t.equal(balance(sessionKey), 0n);
    const { session } = query<{ session: SessionJson }>("sessions", "session", granter, sessionKey);
    t.same(session.spent, [{ denom: "umira", amount: (spent + 5_000n).toString() }], "only the fee (200000 gas × 0.025) counts");
  });

  // A second session, to page through: an RFC 3339 expiration, a use limit, no fee grant.
  const secondKey = newKey("second");
  const expires = new Date(Date.parse(status.sync_info.latest_block_time) + 7_200_000).toISOString();
  succeededTx(
    t,
    [
      "create",
      "granter",
      secondKey,
      "--allow",
      `${MSG_SEND},/cosmos.staking.v1beta1.MsgDelegate`,
      "--spend-limit",
      "5umira",
      "--expires",
      expires,
      "--max-uses",
      "3",
      "--gas",
      "auto",
    ],
    "create second",
  );

  await t.test("query sessions by-granter, by-grantee (paginated) and params", async (t) => {
    const all = query<PageJson>("sessions", "by-granter", granter);
    t.same(all.sessions.map((s) => s.grantee).sort(), [sessionKey, secondKey].sort());
    t.equal(all.pagination.next_key, null);
    const first = query<PageJson>("sessions", "by-granter", granter, "--limit", "1");
    t.equal(first.sessions.length, 1, "--limit 1: one session");
    t.type(first.pagination.next_key, "string");
    const next = query<PageJson>("sessions", "by-granter", granter, "--limit", "1", "--page-key", first.pagination.next_key!);
    t.same([first.sessions[0]!.grantee, next.sessions[0]!.grantee].sort(), [sessionKey, secondKey].sort(), "--page-key: the other one");
    const second = all.sessions.find((s) => s.grantee === secondKey)!;
    t.match(second, {
      allowed_msgs: [MSG_SEND, "/cosmos.staking.v1beta1.MsgDelegate"],
      spend_limit: [{ denom: "umira", amount: "5" }],
      max_uses: "3",
      fee_grant: false,
    });
    t.equal(Date.parse(second.expiration), Date.parse(expires), "--expires as an RFC 3339 time is taken as it is");
    t.same(
      query<PageJson>("sessions", "by-grantee", sessionKey).sessions.map((s) => s.granter),
      [granter],
    );
    t.match(query<{ params: Record<string, unknown> }>("sessions", "params"), { params: { max_duration: "2592000s", max_scope_size: 16 } });
    failsWithOneLine(t, mirad(["query", "sessions", "by-granter", granter, "--limit", "0", ...node]), /--limit must be 1 or more/);
  });

  succeededTx(t, ["revoke", "granter", sessionKey, "--gas", "auto"], "revoke");

  await t.test("after revoke: exec fails with sessions code 2, the queries no longer list the session", async (t) => {
    const run = tx(["exec", "session", granter, "--msg", sendMsg("1"), "--fee-granted", "--gas", "200000"]);
    failsWithOneLine(t, run, /the node refused the tx: code 2 \(codespace sessions\): no session of/);
    t.equal(balance(recipient), 10_000n);
    failsWithOneLine(t, mirad(["query", "sessions", "session", granter, sessionKey, ...node]), /no session of .* with .*: never created, or revoked/);
    t.same(
      query<PageJson>("sessions", "by-granter", granter).sessions.map((s) => s.grantee),
      [secondKey],
      "only the second session is left",
    );
    t.same(query<PageJson>("sessions", "by-grantee", sessionKey).sessions, []);
    t.equal(succeeds(t, mirad(["query", "sessions", "by-grantee", sessionKey, ...node]), "by-grantee, text"), `No live sessions held by ${sessionKey}.\n`);
  });
});
