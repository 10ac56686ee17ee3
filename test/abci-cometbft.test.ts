// The ABCI server under a real CometBFT v0.38 node: blocks commit, the header carries our app hash,
// abci_query proofs verify against it, and after both processes are killed the chain resumes
// from exactly the last committed height.
import { ChildProcess } from "node:child_process";
import path from "node:path";
import t from "tap";
import { AbciServer } from "../abci";
import { MultiStore } from "../app/store";
import { verifyChainedProof } from "../app/store/ics23";
import { freePort, initHome, rpc, setConfig, startNode, waitForHeight } from "../app/cli/cometbft";
import { KV_STORES, kvApp } from "./helpers/kv-app";
import { tempDir } from "./helpers/tmp";

interface TxCommit {
  height: string;
  tx_result: { code: number };
}
interface QueryResult {
  response: { code: number; value: string; height: string; proofOps?: { ops: { type: string; key: string; data: string }[] } };
}
interface BlockResult {
  block: { header: { app_hash: string } };
}

t.test("a single CometBFT node runs blocks through the ABCI server", async (t) => {
  const dir = tempDir(t);
  const home = path.join(dir, "cmt");
  const dbFile = path.join(dir, "state.db");
  const [abciPort, rpcPort, p2pPort] = [await freePort(), await freePort(), await freePort()];
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  initHome(home);
  setConfig(home, {
    "": { proxy_app: `"tcp://127.0.0.1:${abciPort}"`, log_level: `"error"` },
    rpc: { laddr: `"tcp://127.0.0.1:${rpcPort}"` },
    p2p: { laddr: `"tcp://127.0.0.1:${p2pPort}"` },
    consensus: { timeout_commit: `"150ms"`, timeout_propose: `"1s"` },
  });

  let ms = MultiStore.open(dbFile, { stores: KV_STORES });
  let server = new AbciServer(kvApp(ms), { log: () => {} });
  await server.listen(`tcp://127.0.0.1:${abciPort}`);
  let node: ChildProcess = startNode(home, path.join(dir, "cometbft.log"));
  t.teardown(async () => {
    node.kill("SIGKILL");
    await server.close();
    ms.close();
  });

  await waitForHeight(rpcUrl, 2);
  const res = await rpc<TxCommit>(rpcUrl, "broadcast_tx_commit", { tx: `"name=mira"` });
  t.equal(res.tx_result.code, 0, "the tx is delivered with code 0");
  const h = Number(res.height);
  const bad = await rpc<{ code: number }>(rpcUrl, "broadcast_tx_sync", { tx: `"no-equals-sign"` });
  t.equal(bad.code, 1, "CheckTx rejects a malformed tx");

  await waitForHeight(rpcUrl, h + 1);
  const next = await rpc<BlockResult>(rpcUrl, "block", { height: String(h + 1) });
  const headerHash = Buffer.from(next.block.header.app_hash, "hex");
  t.same(headerHash, ms.commitInfoAt(h).appHash, `block ${h + 1}'s header carries our app hash after block ${h}`);

  const q = await rpc<QueryResult>(rpcUrl, "abci_query", {
    path: `"/store/kv/key"`,
    data: "0x" + Buffer.from("name").toString("hex"),
    height: String(h),
    prove: "true",
  });
  t.equal(Buffer.from(q.response.value, "base64").toString(), "mira");
  t.equal(q.response.height, String(h));
  const ops = q.response.proofOps!.ops.map((o) => ({ type: o.type, key: Buffer.from(o.key, "base64"), data: Buffer.from(o.data, "base64") }));
  t.same(
    ops.map((o) => o.type),
    ["ics23:iavl", "ics23:simple"],
  );
  t.doesNotThrow(() => verifyChainedProof(ops, headerHash, "kv", Buffer.from("name"), Buffer.from("mira")), "the proof verifies against the header");

  // Kill both processes hard, reopen: Info reports exactly the last commit and the chain goes on.
  node.kill("SIGKILL");
  await new Promise((r) => node.once("exit", r));
  await server.close();
  const before = { version: ms.version, appHash: ms.appHash };
  ms.close();
  ms = MultiStore.open(dbFile, { stores: KV_STORES });
  t.equal(ms.version, before.version, "the store reopens at its last commit");
  server = new AbciServer(kvApp(ms), { log: () => {} });
  await server.listen(`tcp://127.0.0.1:${abciPort}`);
  node = startNode(home, path.join(dir, "cometbft.log"));
  await waitForHeight(rpcUrl, before.version + 3);
  const again = await rpc<TxCommit>(rpcUrl, "broadcast_tx_commit", { tx: `"name=mira2"` });
  t.equal(again.tx_result.code, 0);
  t.equal(ms.viewAt("kv", Number(again.height)).get(Buffer.from("name"))?.toString(), "mira2", "the chain goes on after the restart");
});
