// IBC benchmark on `localnet:ibc` (two Mira chains and the Hermes relayer, in a temp folder on shifted ports).
// Five senders on mira-localnet-1 send MsgTransfer txs (--per-tx transfers each, signed with CosmJS, sent with
// broadcastTxSync) paced over --duration seconds at --rate transfers per second; Hermes relays them to
// mira-peer-1 and their acknowledgements back. Every block of mira-localnet-1 is then read back: a transfer
// completes in the block whose acknowledge_packet event names its sequence. Prints one JSON object per figure:
//   ibc_transfers_per_s   completed transfers / (time of the last acknowledging block - time of the first
//                         sending block), block header times (goal: at least 50)
//   ibc_roundtrip_s       median, over transfers, of acknowledging block time - sending block time (goal: within
//                         3 blocks of each chain plus the relayer's poll)
//
//   npx tsc -p tsconfig.json && node dist/bench/ibc.js [--duration S] [--rate N] [--per-tx N] [--keep]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { REPO_ROOT } from "../app/cli/cometbft";

const OFFSET = -7_000; // the localnet at 19657.., the peer at 20657..
const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const DURATION_S = flag("--duration", 60);
const RATE = flag("--rate", 60);
const PER_TX = flag("--per-tx", 10);
const KEEP = args.includes("--keep");
const say = (line: string) => void process.stderr.write(`bench:ibc: ${line}\n`);
const emit = (metric: string, value: number, unit: string, params: Record<string, unknown>) =>
  process.stdout.write(JSON.stringify({ bench: "ibc", metric, value, unit, params }) + "\n");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-ibc-"));
  const env = { ...process.env, MIRA_LOCALNET_DIR: dir, MIRA_LOCALNET_PORT_OFFSET: String(OFFSET) };
  const run = (script: string, cmd: string) => {
    const res = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", script), cmd], { env, encoding: "utf8", timeout: 900_000 });
    if (res.status !== 0) throw new Error(`${script} ${cmd} failed:\n${res.stdout}\n${res.stderr}`);
  };
  try {
    say(`starting localnet:ibc in ${dir}...`);
    run("ibc.js", "start");
    const info = JSON.parse(fs.readFileSync(path.join(dir, "ibc.json"), "utf8")) as { chains: { rpc: string; accounts: string; transfer_channel: string }[] };
    const [a, b] = info.chains as [(typeof info.chains)[number], (typeof info.chains)[number]];
    const accounts = (JSON.parse(fs.readFileSync(a.accounts, "utf8")) as { address: string; mnemonic: string }[]).slice(0, 4); // the 5th relays
    const receiver = (JSON.parse(fs.readFileSync(b.accounts, "utf8")) as { address: string }[])[0]!.address;
    const comet = await connectComet(a.rpc);
    const senders = await Promise.all(
      accounts.map(async (acc) => {
        const wallet = await DirectSecp256k1HdWallet.fromMnemonic(acc.mnemonic, { prefix: "mira" });
        const client = await SigningStargateClient.connectWithSigner(a.rpc, wallet);
        const account = await client.getAccount(acc.address);
        return { acc, client, accountNumber: account!.accountNumber, sequence: account!.sequence };
      }),
    );
    const chainId = await senders[0]!.client.getChainId();
    const txs = Math.max(1, Math.round((RATE * DURATION_S) / PER_TX));
    const timeout = BigInt(Math.floor(Date.now() / 1000) + 3600) * 1_000_000_000n;
    const msg = (sender: string) => ({
      typeUrl: "/ibc.applications.transfer.v1.MsgTransfer",
      value: {
        sourcePort: "transfer",
        sourceChannel: a.transfer_channel,
        token: { denom: "umira", amount: "1" },
        sender,
        receiver,
        timeoutHeight: { revisionNumber: 0n, revisionHeight: 0n },
        timeoutTimestamp: timeout,
        memo: "",
      },
    });
    // Sign everything first, so that signing does not pace the load.
    const signed: Uint8Array[] = [];
    for (let i = 0; i < txs; i++) {
      const s = senders[i % senders.length]!;
      const gas = 120_000 * PER_TX + 100_000;
      const tx = await s.client.sign(
        s.acc.address,
        Array.from({ length: PER_TX }, () => msg(s.acc.address)),
        { amount: [{ denom: "umira", amount: String(Math.ceil(gas * 0.025)) }], gas: String(gas) },
        "",
        {
          accountNumber: s.accountNumber,
          sequence: s.sequence++,
          chainId,
        },
      );
      signed.push(TxRaw.encode(tx).finish());
    }
    const startHeight = (await comet.status()).syncInfo.latestBlockHeight;
    say(`sending ${txs} txs of ${PER_TX} transfers over ${DURATION_S} s (${RATE} transfers/s offered)...`);
    const t0 = Date.now();
    for (let i = 0; i < signed.length; i++) {
      const due = t0 + (i * DURATION_S * 1000) / signed.length;
      if (due > Date.now()) await sleep(due - Date.now());
      const res = await comet.broadcastTxSync({ tx: signed[i]! });
      if (res.code !== 0) say(`tx ${i} refused: ${res.log ?? res.code}`);
    }
    // Read A's blocks until every sent packet is acknowledged (or a quiet minute passes).
    const sentAt = new Map<string, number>();
    const ackedAt = new Map<string, number>();
    let height = startHeight + 1;
    let lastProgress = Date.now();
    while (Date.now() - lastProgress < 60_000 && (sentAt.size === 0 || ackedAt.size < sentAt.size)) {
      const latest = (await comet.status()).syncInfo.latestBlockHeight;
      if (height >= latest) {
        await sleep(300);
        continue;
      }
      const [blk, results] = await Promise.all([comet.block(height), comet.blockResults(height)]);
      const time = blk.block.header.time.getTime() / 1000;
      for (const r of results.results) {
        for (const e of r.events) {
          const seq = e.attributes.find((x) => x.key === "packet_sequence")?.value;
          if (seq === undefined) continue;
          if (e.type === "send_packet") sentAt.set(seq, time);
          if (e.type === "acknowledge_packet" && !ackedAt.has(seq)) {
            ackedAt.set(seq, time);
            lastProgress = Date.now();
          }
        }
      }
      height++;
    }
    comet.disconnect();
    for (const s of senders) s.client.disconnect();
    const trips = [...ackedAt].filter(([seq]) => sentAt.has(seq)).map(([seq, t]) => t - sentAt.get(seq)!);
    trips.sort((x, y) => x - y);
    const first = Math.min(...sentAt.values());
    const last = Math.max(...ackedAt.values());
    const params = {
      transfers_sent: sentAt.size,
      transfers_acknowledged: trips.length,
      per_tx: PER_TX,
      offered_per_s: RATE,
      duration_s: DURATION_S,
      blocks: height - startHeight - 1,
    };
    emit("ibc_transfers_per_s", trips.length === 0 ? 0 : Math.round((trips.length / Math.max(1, last - first)) * 10) / 10, "transfers/s", params);
    emit("ibc_roundtrip_s", trips.length === 0 ? 0 : Math.round(trips[Math.floor(trips.length / 2)]! * 100) / 100, "s", {
      ...params,
      p90_s: trips[Math.floor(trips.length * 0.9)] ?? 0,
    });
  } finally {
    spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", "ibc.js"), "stop"], { env });
    spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", "localnet.js"), KEEP ? "stop" : "reset"], { env });
    if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ibc: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
