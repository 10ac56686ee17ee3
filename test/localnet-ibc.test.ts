// Two Mira localnets joined by the real Hermes relayer (`npm run localnet:ibc`, localnet/ibc.ts), driven with
// CosmJS: Hermes itself created both clients, the connection and the transfer channel; a sendIbcTokens from
// the localnet arrives on the peer chain as an ibc/... voucher with its denom trace, and its acknowledgement is
// recorded; sent back, the voucher unescrows the original; a packet whose timeout passes while the relayer is
// down is timed out once it is back, and the sender refunded; escrow on one side equals voucher supply on the other.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, setupBankExtension, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { connectComet, type CometClient } from "@cosmjs/tendermint-rpc";
import { QueryPacketAcknowledgementRequest, QueryPacketCommitmentsRequest, QueryPacketCommitmentsResponse } from "cosmjs-types/ibc/core/channel/v1/query";
import {
  QueryDenomRequest,
  QueryDenomResponse,
  QueryTotalEscrowForDenomRequest,
  QueryTotalEscrowForDenomResponse,
} from "cosmjs-types/ibc/applications/transfer/v1/query";
import t from "tap";
import { REPO_ROOT } from "../app/cli/cometbft";
import { ibcDenom } from "../modules/transfer/keeper";
import { tempDir } from "./helpers/tmp";

const OFFSET = -8_000; // its own ports: the localnet at 18657.., the peer chain at 19657.. (the other localnet tests use -6000..5000)
const gasPrice = GasPrice.fromString("0.025umira");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface IbcInfo {
  chains: { chain_id: string; rpc: string; grpc: string; rest: string; accounts: string; transfer_channel: string }[];
  simd_link: Record<string, string>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  for (const end = Date.now() + timeoutMs; ; await sleep(300)) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

t.test("two localnets joined by Hermes: there, back, a timeout refunded, escrow equal to vouchers", async (t) => {
  const dir = tempDir(t, "mira-ibc-");
  const env = { ...process.env, MIRA_LOCALNET_DIR: dir, MIRA_LOCALNET_PORT_OFFSET: String(OFFSET) };
  const run = (script: string, ...args: string[]) => {
    const res = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", script), ...args], { env, encoding: "utf8", timeout: 600_000 });
    if (res.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };
  t.teardown(() => {
    run("ibc.js", "stop");
    run("localnet.js", "stop");
  });
  const out = run("ibc.js", "start", "--simd");
  t.match(out, /Hermes creates the clients, a connection and a transfer channel/, "Hermes made the link itself");
  const info = JSON.parse(fs.readFileSync(path.join(dir, "ibc.json"), "utf8")) as IbcInfo;
  const [a, b] = info.chains as [IbcInfo["chains"][number], IbcInfo["chains"][number]];
  t.equal(a.chain_id, "mira-localnet-1");
  t.equal(b.chain_id, "mira-peer-1");
  t.match(a.transfer_channel, /^channel-\d+$/);

  const accA = JSON.parse(fs.readFileSync(a.accounts, "utf8")) as { address: string; mnemonic: string }[];
  const accB = JSON.parse(fs.readFileSync(b.accounts, "utf8")) as { address: string; mnemonic: string }[];
  const signer = async (mnemonic: string, rpc: string) =>
    SigningStargateClient.connectWithSigner(rpc, await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "mira" }), { gasPrice });
  const clientA = await signer(accA[0]!.mnemonic, a.rpc);
  t.teardown(() => clientA.disconnect());
  const readA = await StargateClient.connect(a.rpc);
  t.teardown(() => readA.disconnect());
  const readB = await StargateClient.connect(b.rpc);
  t.teardown(() => readB.disconnect());
  const cometA: CometClient = await connectComet(a.rpc);
  t.teardown(() => cometA.disconnect());
  const cometB: CometClient = await connectComet(b.rpc);
  t.teardown(() => cometB.disconnect());
  const query = async <T>(comet: CometClient, path: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T | undefined> => {
    const res = await comet.abciQuery({ path, data });
    return res.code === 0 ? decode(res.value) : undefined;
  };
  const voucher = ibcDenom(`transfer/${b.transfer_channel}/umira`);
  const amountOf = async (reader: StargateClient, address: string, denom: string) => BigInt((await reader.getBalance(address, denom)).amount);
  const commitmentsOn = async (comet: CometClient, channel: string) =>
    (await query(
      comet,
      "/ibc.core.channel.v1.Query/PacketCommitments",
      QueryPacketCommitmentsRequest.encode({ portId: "transfer", channelId: channel }).finish(),
      QueryPacketCommitmentsResponse.decode,
    ))!.commitments.length;
  const inSeconds = (s: number) => Math.floor(Date.now() / 1000) + s;

  // There: escrowed on A, a voucher on B, the acknowledgement recorded on B and the commitment gone on A.
  const sent = await clientA.sendIbcTokens(
    accA[0]!.address,
    accB[0]!.address,
    { denom: "umira", amount: "5000" },
    "transfer",
    a.transfer_channel,
    undefined,
    inSeconds(600),
    "auto",
  );
  t.equal(sent.code, 0, `sendIbcTokens: ${sent.rawLog ?? ""}`);
  const seq = BigInt(sent.events.find((e) => e.type === "send_packet")!.attributes.find((x) => x.key === "packet_sequence")!.value);
  await until("the voucher on B", async () => ((await amountOf(readB, accB[0]!.address, voucher)) === 5000n ? true : undefined));
  t.pass(`5000 ${voucher} arrived on B`);
  const trace = await query(
    cometB,
    "/ibc.applications.transfer.v1.Query/Denom",
    QueryDenomRequest.encode({ hash: voucher }).finish(),
    QueryDenomResponse.decode,
  );
  t.same(trace?.denom, { base: "umira", trace: [{ portId: "transfer", channelId: b.transfer_channel }] }, "its denom trace");
  const ack = await query(
    cometB,
    "/ibc.core.channel.v1.Query/PacketAcknowledgement",
    QueryPacketAcknowledgementRequest.encode({ portId: "transfer", channelId: b.transfer_channel, sequence: seq }).finish(),
    (x) => x,
  );
  t.ok(ack !== undefined, "B recorded the acknowledgement");
  await until("the acknowledgement back on A", async () => ((await commitmentsOn(cometA, a.transfer_channel)) === 0 ? true : undefined));
  t.pass("A's packet commitment is gone: the acknowledgement was relayed back");

  // Back: the voucher goes home, burned on B, the original unescrowed on A.
  const homeBefore = await amountOf(readA, accA[1]!.address, "umira");
  const fromB0 = await signer(accB[0]!.mnemonic, b.rpc);
  t.teardown(() => fromB0.disconnect());
  const back2 = await fromB0.sendIbcTokens(
    accB[0]!.address,
    accA[1]!.address,
    { denom: voucher, amount: "2000" },
    "transfer",
    b.transfer_channel,
    undefined,
    inSeconds(600),
    "auto",
  );
  t.equal(back2.code, 0, `send the voucher back: ${back2.rawLog ?? ""}`);
  await until("the umira back on A", async () => ((await amountOf(readA, accA[1]!.address, "umira")) === homeBefore + 2000n ? true : undefined));
  t.pass("2000 umira unescrowed on A");

  // A timeout: the relayer is down while the packet's time passes; back up, it times the packet out on A.
  const pid = Number(fs.readFileSync(path.join(dir, "hermes", "hermes.pid"), "utf8"));
  process.kill(pid, "SIGTERM");
  await until("Hermes to stop", async () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return true;
    }
  });
  const before = await amountOf(readA, accA[0]!.address, "umira");
  const late = await clientA.sendIbcTokens(
    accA[0]!.address,
    accB[0]!.address,
    { denom: "umira", amount: "777" },
    "transfer",
    a.transfer_channel,
    undefined,
    inSeconds(4),
    "auto",
  );
  t.equal(late.code, 0, `a packet that times out in 4 s: ${late.rawLog ?? ""}`);
  const fee = before - 777n - (await amountOf(readA, accA[0]!.address, "umira"));
  const timeoutNs = BigInt(late.events.find((e) => e.type === "send_packet")!.attributes.find((x) => x.key === "packet_timeout_timestamp")!.value);
  await until("B's clock to pass the timeout", async () => {
    const status = await cometB.status();
    return BigInt(status.syncInfo.latestBlockTime.getTime()) * 1_000_000n > timeoutNs + 2_000_000_000n ? true : undefined;
  });
  run("ibc.js", "start", "--simd"); // Hermes back, on the same channels
  await until("the refund on A", async () => ((await amountOf(readA, accA[0]!.address, "umira")) === before - fee ? true : undefined));
  t.pass("the timed-out packet was refunded on A (only the fee is gone)");
  t.equal(await amountOf(readB, accB[0]!.address, voucher), 3000n, "and B minted nothing for it");

  // The books: what A escrows is what B's vouchers stand for.
  const escrow = await query(
    cometA,
    "/ibc.applications.transfer.v1.Query/TotalEscrowForDenom",
    QueryTotalEscrowForDenomRequest.encode({ denom: "umira" }).finish(),
    QueryTotalEscrowForDenomResponse.decode,
  );
  const supply = await setupBankExtension(new QueryClient(cometB)).bank.supplyOf(voucher);
  t.equal(escrow?.amount.amount, "3000", "A escrows 3000 umira");
  t.equal(supply.amount, escrow?.amount.amount, "B's voucher supply equals A's escrow");

  // Against ibc-go: the localnet and ibc-go v8.8.0's simd, linked by Hermes, one transfer each way.
  const sim = info.chains.find((c) => c.chain_id === "simd-1")!;
  const simUser = (JSON.parse(fs.readFileSync(sim.accounts, "utf8")) as { name: string; address: string; mnemonic: string }[]).find((x) => x.name === "user")!;
  const miraEnd = info.simd_link["mira-localnet-1"]!;
  const simdEnd = info.simd_link["simd-1"]!;
  const toSimd = await clientA.sendIbcTokens(
    accA[0]!.address,
    simUser.address,
    { denom: "umira", amount: "4242" },
    "transfer",
    miraEnd,
    undefined,
    inSeconds(600),
    "auto",
  );
  t.equal(toSimd.code, 0, `Mira → simd: ${toSimd.rawLog ?? ""}`);
  const readSim = await StargateClient.connect(sim.rpc);
  t.teardown(() => readSim.disconnect());
  const miraOnSimd = ibcDenom(`transfer/${simdEnd}/umira`);
  await until("the umira voucher on simd", async () => ((await amountOf(readSim, simUser.address, miraOnSimd)) === 4242n ? true : undefined));
  t.pass(`ibc-go's simd minted 4242 ${miraOnSimd}: it verified Mira's proofs`);
  const simSigner = await SigningStargateClient.connectWithSigner(sim.rpc, await DirectSecp256k1HdWallet.fromMnemonic(simUser.mnemonic, { prefix: "cosmos" }), {
    gasPrice: GasPrice.fromString("0stake"),
  });
  t.teardown(() => simSigner.disconnect());
  const fromSimd = await simSigner.sendIbcTokens(
    simUser.address,
    accA[1]!.address,
    { denom: "stake", amount: "777" },
    "transfer",
    simdEnd,
    undefined,
    inSeconds(600),
    "auto",
  );
  t.equal(fromSimd.code, 0, `simd → Mira: ${fromSimd.rawLog ?? ""}`);
  const stakeOnMira = ibcDenom(`transfer/${miraEnd}/stake`);
  await until("the stake voucher on Mira", async () => ((await amountOf(readA, accA[1]!.address, stakeOnMira)) === 777n ? true : undefined));
  t.pass(`Mira minted 777 ${stakeOnMira}: it verified simd's proofs`);

  // REST as the Cosmos SDK's own gateway answers it: the same routes on simd (SDK 0.50, grpc-gateway) and on
  // Mira give JSON of the same shape: the same field names at every level, and values of the same JSON types.
  t.equal(a.rest, `http://127.0.0.1:${OFFSET + 1317 + 20_000}`, "ibc.json names each chain's REST API");
  const shapeDiffs = (x: unknown, y: unknown, where: string, out: string[]): void => {
    const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
    if (kind(x) !== kind(y)) {
      out.push(`${where}: ${kind(x)} on simd, ${kind(y)} on Mira`);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length > 0 && y.length > 0) shapeDiffs(x[0], y[0], `${where}[0]`, out);
      return;
    }
    if (kind(x) !== "object") return;
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(xo), ...Object.keys(yo)])].sort();
    for (const k of keys) {
      if (!(k in xo)) out.push(`${where}.${k}: only on Mira`);
      else if (!(k in yo)) out.push(`${where}.${k}: only on simd`);
      else shapeDiffs(xo[k], yo[k], `${where}.${k}`, out);
    }
  };
  const getJson = async (base: string, route: string): Promise<unknown> => {
    const res = await fetch(`${base}${route}`);
    t.equal(res.status, 200, `${base}${route}`);
    return res.json();
  };
  const transferTx = (hash: string) => `/cosmos/tx/v1beta1/txs/${hash}`;
  const pairs: [string, string, string][] = [
    ["/cosmos/auth/v1beta1/params", "", ""],
    [`/cosmos/auth/v1beta1/accounts/${simUser.address}`, `/cosmos/auth/v1beta1/accounts/${accA[0]!.address}`, "a BaseAccount with its key"],
    [`/cosmos/bank/v1beta1/balances/${simUser.address}`, `/cosmos/bank/v1beta1/balances/${accA[1]!.address}`, "balances with a voucher"],
    [`/cosmos/bank/v1beta1/balances/${simUser.address}/by_denom?denom=stake`, `/cosmos/bank/v1beta1/balances/${accA[1]!.address}/by_denom?denom=umira`, ""],
    ["/cosmos/bank/v1beta1/supply?pagination.limit=1", "", "a page with a next key"],
    ["/cosmos/staking/v1beta1/params", "", ""],
    ["/cosmos/staking/v1beta1/pool", "", ""],
    ["/cosmos/staking/v1beta1/validators", "", ""],
    ["/cosmos/slashing/v1beta1/params", "", ""],
    ["/cosmos/distribution/v1beta1/params", "", ""],
    ["/cosmos/mint/v1beta1/params", "", ""],
    ["/cosmos/gov/v1/params/tallying", "", ""],
    ["/cosmos/base/tendermint/v1beta1/node_info", "", ""],
    ["/cosmos/base/tendermint/v1beta1/blocks/latest", "", ""],
    ["/cosmos/base/tendermint/v1beta1/validatorsets/latest", "", ""],
    ["/cosmos/base/node/v1beta1/config", "", ""],
    [transferTx(fromSimd.transactionHash), transferTx(toSimd.transactionHash), "an IBC transfer tx"],
    ["/ibc/core/client/v1/client_states", "", "tendermint client states"],
    ["/ibc/core/connection/v1/connections", "", ""],
    ["/ibc/core/channel/v1/channels", "", ""],
    ["/ibc/apps/transfer/v1/denom_traces", "", ""],
    ["/ibc/apps/transfer/v1/params", "", ""],
  ];
  for (const [simdRoute, miraRoute, what] of pairs) {
    const diffs: string[] = [];
    shapeDiffs(await getJson(sim.rest, simdRoute), await getJson(a.rest, miraRoute || simdRoute), "", diffs);
    t.same(diffs, [], `${miraRoute || simdRoute}${what ? ` (${what})` : ""}: the JSON of the SDK's own gateway`);
  }
});
