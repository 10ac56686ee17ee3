// The gRPC server's CometBFT-backed services against a real CometBFT v0.38 node running its built-in
// kvstore app: BroadcastTx (SYNC, ASYNC, mempool refusals), GetTx for kvstore and Cosmos txs,
// GetNodeInfo, GetLatestBlock and GetBlockByHeight.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { ServiceClientImpl as TendermintService } from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { BroadcastMode, GetTxResponse, ServiceClientImpl as TxService } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import t from "tap";
import { queryServices, startGrpcServer } from "../app/grpc";
import { COMETBFT_VERSION, freePort, initHome, rpc, setConfig, startNode, waitForHeight } from "../app/cli/cometbft";
import { grpcClient, grpcFailure, rpcOver } from "./helpers/grpc-client";
import { FakeBackend, KNOWN_ADDRESS } from "./helpers/grpc-fake-backend";
import { tempDir } from "./helpers/tmp";

const txHash = (tx: Uint8Array) => createHash("sha256").update(tx).digest("hex").toUpperCase();

/** Polls GetTx until the tx is in a committed block. */
async function committedTx(tx: TxService, hash: string, timeoutMs = 30_000): Promise<GetTxResponse> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await tx.GetTx({ hash });
    } catch (err) {
      if ((err as grpc.ServiceError).code !== grpc.status.NOT_FOUND || Date.now() > end) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A well-formed Cosmos TxRaw that kvstore also accepts (exactly one "=", no ":", not at either end):
 * the memo carries the "=", and the padding moves any length byte that happens to be "=" or ":".
 */
function cosmosTxForKvstore(): Uint8Array {
  const send = MsgSend.encode({ fromAddress: KNOWN_ADDRESS, toAddress: KNOWN_ADDRESS, amount: [{ denom: "umira", amount: "5" }] }).finish();
  for (let pad = 0; pad < 64; pad++) {
    const body = TxBody.fromPartial({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send }], memo: `grpc=test${"x".repeat(pad)}` });
    const authInfo = AuthInfo.fromPartial({
      signerInfos: [{ modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence: 0n }],
      fee: { amount: [{ denom: "umira", amount: "5000" }], gasLimit: 200_000n },
    });
    const bytes = TxRaw.encode({
      bodyBytes: TxBody.encode(body).finish(),
      authInfoBytes: AuthInfo.encode(authInfo).finish(),
      signatures: [new Uint8Array(64).fill(7)],
    }).finish();
    const count = (c: string) => bytes.filter((b) => b === c.charCodeAt(0)).length;
    if (count("=") === 1 && count(":") === 0) return bytes;
  }
  throw new Error("no padding makes this tx acceptable to kvstore");
}

t.test("BroadcastTx, GetTx, GetNodeInfo and blocks against a real CometBFT node (kvstore)", async (t) => {
  const dir = tempDir(t);
  const home = path.join(dir, "cmt");
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  initHome(home);
  setConfig(home, {
    "": { proxy_app: `"kvstore"`, log_level: `"error"` },
    rpc: { laddr: `"tcp://127.0.0.1:${rpcPort}"` },
    p2p: { laddr: `"tcp://127.0.0.1:${p2pPort}"` },
    consensus: { timeout_commit: `"150ms"`, timeout_propose: `"1s"` },
    mempool: { max_tx_bytes: "4096" },
  });
  const chainId = (JSON.parse(fs.readFileSync(path.join(home, "config", "genesis.json"), "utf8")) as { chain_id: string }).chain_id;
  const node = startNode(home, path.join(dir, "cometbft.log"));
  const exited = new Promise((r) => node.once("exit", r));
  t.teardown(async () => {
    node.kill("SIGKILL");
    await exited;
  });
  await waitForHeight(rpcUrl, 1);

  const server = await startGrpcServer(queryServices(new FakeBackend(rpcUrl)), "127.0.0.1:0");
  t.teardown(() => server.close());
  const client = grpcClient(t, server.port);
  const tx = new TxService(rpcOver(client));
  const tendermint = new TendermintService(rpcOver(client));

  t.test("GetNodeInfo reports the node's chain id and CometBFT version", async (t) => {
    const info = await tendermint.GetNodeInfo();
    t.equal(info.defaultNodeInfo?.network, chainId);
    t.equal(info.defaultNodeInfo?.version, COMETBFT_VERSION);
    t.match(info.defaultNodeInfo?.defaultNodeId, /^[0-9a-f]{40}$/);
    t.equal(info.defaultNodeInfo?.listenAddr, `tcp://127.0.0.1:${p2pPort}`);
    t.equal(info.defaultNodeInfo?.other.rpcAddress, `tcp://127.0.0.1:${rpcPort}`);
    t.equal(info.defaultNodeInfo?.protocolVersion.block, 11n);
    t.ok((info.defaultNodeInfo?.channels.length ?? 0) > 0, "channels are decoded from hex");
    t.equal(info.applicationVersion?.name, "mira");
    t.equal(info.applicationVersion?.appName, "mirad");
  });

  const kvTx = Buffer.from("mira=grpc");
  let kvHeight = 0n;

  t.test("a kvstore tx: BroadcastTx SYNC, then GetTx without a decoded tx", async (t) => {
    const sent = await tx.BroadcastTx({ txBytes: kvTx, mode: BroadcastMode.BROADCAST_MODE_SYNC });
    t.equal(sent.txResponse?.code, 0, "CheckTx accepts it");
    t.equal(sent.txResponse?.txhash, txHash(kvTx), "txhash is the upper-case hex SHA-256 of the bytes");

    const got = await committedTx(tx, txHash(kvTx).toLowerCase());
    const res = got.txResponse!;
    kvHeight = res.height;
    t.ok(res.height > 0n, `committed at height ${res.height}`);
    t.equal(res.txhash, txHash(kvTx));
    t.equal(res.code, 0);
    t.equal(got.tx, undefined, "bytes that are not a Cosmos tx are not decoded");
    t.equal(res.tx, undefined, "and carry no Any");
    const keyAttr = res.events.flatMap((e) => e.attributes).find((a) => a.key === "key");
    t.equal(keyAttr?.value, "mira", "the app's events come back");
    const header = await rpc<{ header: { time: string } }>(rpcUrl, "header", { height: res.height.toString() });
    t.match(res.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, "timestamp in whole seconds, as the SDK writes it");
    t.equal(res.timestamp, header.header.time.replace(/\.\d+Z$/, "Z"), "timestamp is the block's time");

    const again = await tx.BroadcastTx({ txBytes: kvTx, mode: BroadcastMode.BROADCAST_MODE_SYNC });
    t.equal(again.txResponse?.code, 19, "a tx already in the mempool cache is the SDK's code 19, not a gRPC error");
    t.equal(again.txResponse?.codespace, "sdk");
    t.equal(again.txResponse?.txhash, txHash(kvTx));

    const bad = await tx.BroadcastTx({ txBytes: Buffer.from("no-separator"), mode: BroadcastMode.BROADCAST_MODE_SYNC });
    t.not(bad.txResponse?.code, 0, "CheckTx's refusal comes back as the TxResponse code");

    const large = await tx.BroadcastTx({ txBytes: Buffer.from(`big=${"v".repeat(5000)}`), mode: BroadcastMode.BROADCAST_MODE_SYNC });
    t.equal(large.txResponse?.code, 21, "a tx over the mempool's max_tx_bytes is the SDK's code 21 (tx too large)");
  });

  t.test("BroadcastTx ASYNC returns the hash at once", async (t) => {
    const asyncTx = Buffer.from("async=yes");
    const sent = await tx.BroadcastTx({ txBytes: asyncTx, mode: BroadcastMode.BROADCAST_MODE_ASYNC });
    t.equal(sent.txResponse?.txhash, txHash(asyncTx));
    t.equal(sent.txResponse?.code, 0);
    const got = await committedTx(tx, txHash(asyncTx));
    t.equal(got.txResponse?.code, 0);
  });

  t.test("a Cosmos tx: GetTx decodes it and returns it as an Any", async (t) => {
    const cosmosTx = cosmosTxForKvstore();
    const sent = await tx.BroadcastTx({ txBytes: cosmosTx, mode: BroadcastMode.BROADCAST_MODE_SYNC });
    t.equal(sent.txResponse?.code, 0);
    const got = await committedTx(tx, txHash(cosmosTx));
    t.match(got.tx?.body?.memo, /^grpc=test/);
    t.equal(got.tx?.body?.messages[0]?.typeUrl, "/cosmos.bank.v1beta1.MsgSend");
    t.equal(got.tx?.authInfo?.fee?.gasLimit, 200_000n);
    t.equal(got.tx?.signatures.length, 1);
    t.equal(got.txResponse?.tx?.typeUrl, "/cosmos.tx.v1beta1.Tx");
    t.same(got.txResponse?.tx?.value, cosmosTx, "the Any holds the exact bytes that were broadcast");
  });

  t.test("GetTx: unknown hash is NOT_FOUND, a malformed one INVALID_ARGUMENT", async (t) => {
    const unknown = await grpcFailure(t, tx.GetTx({ hash: "AB".repeat(32) }));
    t.equal(unknown.code, grpc.status.NOT_FOUND);
    t.match(unknown.details, "key not found");
    const malformed = await grpcFailure(t, tx.GetTx({ hash: "xyz" }));
    t.equal(malformed.code, grpc.status.INVALID_ARGUMENT);
  });

  t.test("GetLatestBlock and GetBlockByHeight convert CometBFT's blocks", async (t) => {
    const byHeight = await tendermint.GetBlockByHeight({ height: kvHeight });
    t.equal(byHeight.block?.header.height, kvHeight);
    t.equal(byHeight.block?.header.chainId, chainId);
    t.ok(
      byHeight.block?.data.txs.some((b) => Buffer.from(b).equals(kvTx)),
      "the block holds the kvstore tx",
    );
    const raw = await rpc<{ block_id: { hash: string }; block: { header: { time: string } } }>(rpcUrl, "block", { height: kvHeight.toString() });
    t.equal(Buffer.from(byHeight.blockId!.hash).toString("hex").toUpperCase(), raw.block_id.hash);
    const nanos = raw.block.header.time.match(/\.(\d+)Z$/)?.[1] ?? "";
    t.equal(byHeight.block?.header.time.nanos, Number(nanos.padEnd(9, "0")), "block time keeps its nanoseconds");
    t.equal(byHeight.block?.lastCommit?.height, kvHeight - 1n);
    t.equal(byHeight.block?.lastCommit?.signatures.length, 1);
    t.equal(byHeight.block?.lastCommit?.signatures[0]?.signature.length, 64);

    const latest = await tendermint.GetLatestBlock();
    t.ok((latest.block?.header.height ?? 0n) >= kvHeight);
    const future = await grpcFailure(t, tendermint.GetBlockByHeight({ height: 1_000_000n }));
    t.equal(future.code, grpc.status.INVALID_ARGUMENT);
  });
});
