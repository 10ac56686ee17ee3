// Throughput benchmark: committed bank sends per second on the 4-validator localnet, the same
// harness against CometBFT's built-in kvstore app on the same CometBFT settings (the ceiling that
// consensus alone allows on this machine), their ratio, and the mean CheckTx latency of a signed
// bank tx measured in-process. Prints one JSON object per figure on stdout; progress on stderr.
//
//   npx tsc -p tsconfig.json && node dist/bench/tps.js [--quick] [--txs N] [--warmup N] [--senders N] [--cpu-prof DIR] [--keep]
//
//   --quick         500 txs instead of 4,000 (and 200 warm-up txs instead of 2,000)
//   --txs N         N txs, split over the senders
//   --warmup N      N txs sent and committed first, untimed, on both networks: mirad's JIT compiles its
//                   hot paths during its first thousand txs or so (a fresh node spent a quarter of its
//                   CPU in V8's optimizing compiler then), a one-off cost that is not throughput
//   --senders N     N sender accounts = N concurrent broadcast streams (default 5, the localnet's dev
//                   accounts; beyond 5, fresh accounts funded by one MsgMultiSend before the clock)
//   --cpu-prof DIR  one-off profile: every mirad is profiled (helpers/cpu-profile-preload.ts) into DIR; only the bank
//                   run (its figure is slowed by the profiler and says so in its params)
//   --to node0|all  where the streams broadcast: node0's RPC alone, or stream i to node i % 4 (default node0; see README)
//   --keep          keep the networks' folders (logs) instead of deleting them
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { toBech32 } from "@cosmjs/encoding";
import { accountFromAny } from "@cosmjs/stargate";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import { MiraApp, STORE_NAMES } from "../app/chain/app";
import type { AppGenesis } from "../app/chain/genesis";
import { MultiStore } from "../app/store";
import { REPO_ROOT } from "../app/cli/cometbft";
import { CHAIN_ID as LOCALNET_CHAIN_ID, DENOM } from "../localnet/localnet";
import { block, CHAIN_ID as TEST_CHAIN_ID, finalizeRequest, send, signTx } from "../test/helpers/app-driver";
import { freshWallets, prepareSenders, Sender } from "./helpers/senders";
import { runLoad, LoadResult } from "./helpers/load";
import { abciCliBinary, cpuSeconds, freeOffset, startKvstoreNetwork, startMiraLocalnet, Network, VALIDATORS } from "./helpers/network";

/** Port offsets tried in turn (the first whose ports are all free): the Mira localnet, then kvstore. */
const BANK_OFFSETS = [4_000, 5_000]; // ports below the kernel's ephemeral range (32768+), which outgoing connections use
const KVSTORE_OFFSETS = [-4_000, -8_000];
const FULL_TXS = 4_000;
const QUICK_TXS = 500;
const FULL_WARMUP = 2_000;
const QUICK_WARMUP = 200;
const CHECKTX_WARMUP = 200;
/** Funded accounts in the localnet's accounts.json: the default number of senders (streams). */
const DEV_ACCOUNTS = 5;
/** Fee and gas of every bank tx (0.025umira/gas, the localnet's minimum). */
const FEE = "5000";
const GAS = "200000";
const SEND_AMOUNT = "1";
/** Where the streams broadcast by default (see --to). */
const DEFAULT_TO = "node0";

interface Params {
  [name: string]: string | number | boolean;
}

function emit(metric: string, value: number, unit: string, params: Params): void {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  console.log(JSON.stringify({ bench: "tps", metric, value: rounded, unit, params }));
}

function progress(msg: string): void {
  process.stderr.write(`[bench:tps] ${msg}\n`);
}

interface Options {
  txs: number;
  warmup: number;
  senders: number;
  cpuProfDir: string | undefined;
  keep: boolean;
  to: "node0" | "all";
}

function parseOptions(argv: readonly string[]): Options {
  const valueOf = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  const txsText = valueOf("--txs");
  const txs = txsText !== undefined ? Number(txsText) : argv.includes("--quick") ? QUICK_TXS : FULL_TXS;
  if (!Number.isSafeInteger(txs) || txs < 1) throw new Error(`--txs must be a positive integer, not ${txsText}`);
  const warmupText = valueOf("--warmup");
  const warmup = warmupText !== undefined ? Number(warmupText) : argv.includes("--quick") ? QUICK_WARMUP : FULL_WARMUP;
  if (!Number.isSafeInteger(warmup) || warmup < 0) throw new Error(`--warmup must be a non-negative integer, not ${warmupText}`);
  const sendersText = valueOf("--senders");
  const senders = sendersText === undefined ? DEV_ACCOUNTS : Number(sendersText);
  if (!Number.isSafeInteger(senders) || senders < 1 || senders > txs)
    throw new Error(`--senders must be an integer from 1 to the number of txs, not ${sendersText}`);
  const prof = valueOf("--cpu-prof");
  const to = valueOf("--to") ?? DEFAULT_TO;
  if (to !== "node0" && to !== "all") throw new Error(`--to must be node0 or all, not ${to}`);
  return { txs, warmup, senders, cpuProfDir: prof === undefined ? undefined : path.resolve(prof), keep: argv.includes("--keep"), to };
}

/** Processes and folders to remove on the way out, whatever happens (errors and Ctrl-C included). */
class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;
  /** Set on SIGINT/SIGTERM: the errors that follow are the interruption's, not failures. */
  interrupted = false;

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Runs every step once, last added first; a second caller waits for the same run. */
  run(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step();
      } catch (err) {
        progress(`cleanup: ${(err as Error).message}`);
      }
    }
  }
}

function tempFolder(cleanup: Cleanup, name: string, keep: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  cleanup.add(() => {
    if (keep) progress(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** A network being started, stopped on the way out even if that comes before it is up. */
async function started(cleanup: Cleanup, network: Promise<Network>): Promise<Network> {
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= network.then(
      (net) => net.stop(),
      () => undefined, // a failed start has stopped what it started
    ));
  cleanup.add(stop);
  return { ...(await network), stop };
}

/** The `n` txs split over the senders: stream s holds sender s's txs in sequence order. */
function split(n: number, senders: number): number[] {
  return Array.from({ length: senders }, (_, s) => Math.floor(n / senders) + (s < n % senders ? 1 : 0));
}

function randomAddress(): string {
  return toBech32("mira", randomBytes(20));
}

/** Signs every sender's share of the txs offline, with explicit account numbers and sequences. */
async function signStreams(senders: readonly Sender[], counts: readonly number[], chainId: string): Promise<Uint8Array[][]> {
  const streams: Uint8Array[][] = [];
  let done = 0;
  const total = counts.reduce((a, b) => a + b, 0);
  for (let s = 0; s < senders.length; s++) {
    const { wallet: w, accountNumber, sequence } = senders[s]!;
    const to = randomAddress();
    const txs: Uint8Array[] = [];
    for (let j = 0; j < counts[s]!; j++) {
      txs.push(
        await signTx(w, [send(w.address, to, SEND_AMOUNT)], {
          accountNumber,
          sequence: sequence + j,
          fee: FEE,
          gas: GAS,
          chainId,
        }),
      );
      if (++done % 1000 === 0) progress(`  signed ${done}/${total}`);
    }
    streams.push(txs);
  }
  return streams;
}

/** The checked-out commit (with "+dirty" when files differ from it): figures depend on it. */
function sourceCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: REPO_ROOT, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * CheckTx and FinalizeBlock of signed bank sends on a MiraApp driven in-process (no socket, no
 * CometBFT), set up as test/helpers/app-driver.ts does.
 */
async function benchInProcess(n: number, cleanup: Cleanup): Promise<void> {
  const dir = tempFolder(cleanup, "mira-bench-tps-app-", false);
  const ms = MultiStore.open(path.join(dir, "state.db"), { stores: STORE_NAMES });
  cleanup.add(() => ms.close());
  const app = new MiraApp(ms);
  const senders = DEV_ACCOUNTS;
  const wallets = await freshWallets(senders);
  const genesis: AppGenesis = {
    auth: { min_gas_price: `0.025${DENOM}`, accounts: [] },
    bank: { balances: wallets.map((w) => ({ address: w.address, coins: [{ denom: DENOM, amount: "1000000000000" }] })) },
  };
  await app.initChain({
    time: { seconds: 1_700_000_000n, nanos: 0 },
    chainId: TEST_CHAIN_ID,
    validators: [],
    appStateBytes: Buffer.from(JSON.stringify(genesis)),
    initialHeight: 1n,
  });
  await block(app, []);
  const accounts: Sender[] = wallets.map((w) => {
    const res = QueryAccountResponse.decode(
      app.runQuery("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address: w.address }).finish(), BigInt(ms.version)),
    );
    const a = accountFromAny(res.account!);
    return { wallet: w, accountNumber: a.accountNumber, sequence: a.sequence };
  });
  const total = CHECKTX_WARMUP + n;
  progress(`in-process: signing ${total} bank sends (${CHECKTX_WARMUP} warm-up)`);
  const streams = await signStreams(accounts, split(total, senders), TEST_CHAIN_ID);
  // Round-robin over the senders, each sender's txs in sequence order.
  const txs: Uint8Array[] = [];
  for (let j = 0; txs.length < total; j++) for (const s of streams) if (j < s.length) txs.push(s[j]!);

  const latenciesUs: number[] = [];
  for (let i = 0; i < txs.length; i++) {
    const t0 = performance.now();
    const res = app.checkTx({ tx: txs[i]!, type: CheckTxType.NEW });
    const us = (performance.now() - t0) * 1000;
    if ((res.code ?? 0) !== 0) throw new Error(`in-process CheckTx refused tx ${i} (code ${res.code}): ${res.log}`);
    if (i >= CHECKTX_WARMUP) latenciesUs.push(us);
  }
  const sorted = [...latenciesUs].sort((a, b) => a - b);
  const meanUs = mean(latenciesUs);
  progress(`in-process: CheckTx mean ${meanUs.toFixed(0)} µs over ${n} txs`);
  emit("checktx_us", meanUs, "us", {
    txs: n,
    warmup_txs: CHECKTX_WARMUP,
    senders,
    stat: "mean",
    p50_us: Number(quantile(sorted, 0.5).toFixed(1)),
    p99_us: Number(quantile(sorted, 0.99).toFixed(1)),
    tx_bytes: Math.round(mean(txs.map((t) => t.length))),
    via: "MiraApp.checkTx in-process (no socket), signed MsgSend",
  });

  // The same txs executed in one block: what each validator pays per tx in FinalizeBlock + Commit.
  const request = finalizeRequest(app, txs);
  const t0 = performance.now();
  const res = await app.finalizeBlock(request);
  const t1 = performance.now();
  await app.commit();
  const t2 = performance.now();
  const bad = (res.txResults ?? []).filter((r) => (r?.code ?? 0) !== 0).length;
  if (bad > 0) throw new Error(`in-process FinalizeBlock: ${bad} of ${txs.length} txs failed`);
  emit("finalize_block_us_per_tx", ((t1 - t0) * 1000) / txs.length, "us", {
    txs: txs.length,
    commit_ms: Number((t2 - t1).toFixed(1)),
    via: "MiraApp.finalizeBlock in-process, one block of the same MsgSends after their CheckTx (Commit excluded)",
  });
}

/** The load on `net`, broadcast as `to` says. */
function loadOn(net: Network, streams: readonly (readonly Uint8Array[])[], to: Options["to"]): Promise<LoadResult> {
  return runLoad(net.rpcUrl, streams, net.overheadTxs, to === "all" ? net.rpcUrls : [net.rpcUrl]);
}

function broadcastText(to: Options["to"]): string {
  return to === "all"
    ? "broadcast_tx_sync over HTTP, one in-order stream per sender, stream i to node i % 4 (clients spread over the validators' RPC)"
    : "broadcast_tx_sync over HTTP to node0, one in-order stream per sender";
}

function loadParams(r: LoadResult, streams: number, txBytes: number, to: Options["to"], extra: Params = {}): Params {
  return {
    txs: r.txs,
    validators: VALIDATORS,
    streams,
    tx_bytes: txBytes,
    elapsed_s: Number(r.seconds.toFixed(3)),
    broadcast_s: Number(r.broadcastSeconds.toFixed(3)),
    blocks: r.blocks,
    max_txs_per_block: r.maxTxsPerBlock,
    mempool_full_retries: r.mempoolFullRetries,
    timeout_commit: "1s",
    broadcast: broadcastText(to),
    ...extra,
  };
}

/**
 * runLoad, plus the CPU seconds that the app processes, the CometBFT processes and this client
 * used meanwhile (all nodes together): where the time goes, less noisy than wall time on a shared
 * machine. The load average says how busy the machine was already.
 */
async function loadWithCpu(net: Network, streams: readonly (readonly Uint8Array[])[], to: Options["to"]): Promise<{ result: LoadResult; cpu: Params }> {
  const loadavg = os.loadavg()[0]!;
  const app0 = cpuSeconds(net.appPids);
  const comet0 = cpuSeconds(net.cometbftPids);
  const client0 = process.cpuUsage();
  const result = await loadOn(net, streams, to);
  const clientUs = process.cpuUsage(client0);
  const app = cpuSeconds(net.appPids) - app0;
  const comet = cpuSeconds(net.cometbftPids) - comet0;
  const client = (clientUs.user + clientUs.system) / 1e6;
  const perTx = (s: number): number => Number(((s * 1000) / result.txs).toFixed(3));
  return {
    result,
    cpu: {
      cpu_s_app: Number(app.toFixed(2)),
      cpu_s_cometbft: Number(comet.toFixed(2)),
      cpu_s_client: Number(client.toFixed(2)),
      cpu_ms_per_tx_app: perTx(app),
      cpu_ms_per_tx_cometbft: perTx(comet),
      cores: os.cpus().length,
      loadavg_1m_before: Number(loadavg.toFixed(2)),
    },
  };
}

/** Sends the warm-up txs the same way, untimed, and waits for them to commit. */
async function warmUp(net: Network, name: string, streams: readonly (readonly Uint8Array[])[], to: Options["to"]): Promise<void> {
  const n = streams.reduce((a, s) => a + s.length, 0);
  if (n === 0) return;
  progress(`warming up: ${n} ${name} (untimed)`);
  const r = await loadOn(net, streams, to);
  checkAllSucceeded(`${name} warm-up`, r);
}

function checkAllSucceeded(name: string, r: LoadResult): void {
  if (r.failed > 0) throw new Error(`${name}: ${r.failed} of ${r.txs} committed txs failed; first: ${r.firstFailure}`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const cleanup = new Cleanup();
  const onSignal = (sig: NodeJS.Signals): void => {
    cleanup.interrupted = true;
    progress(`${sig}: stopping every process this benchmark started`);
    void cleanup.run().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await benchInProcess(opts.txs, cleanup);

    // 1. Bank sends on the Mira localnet.
    const bankDir = tempFolder(cleanup, "mira-bench-tps-bank-", opts.keep);
    const env: NodeJS.ProcessEnv = {};
    if (opts.cpuProfDir !== undefined) {
      fs.mkdirSync(opts.cpuProfDir, { recursive: true });
      const preload = path.join(__dirname, "helpers", "cpu-profile-preload.js");
      env["NODE_OPTIONS"] = `${process.env["NODE_OPTIONS"] ?? ""} --require ${preload}`.trim();
      env["MIRA_CPU_PROF_DIR"] = opts.cpuProfDir;
    }
    const bankOffset = await freeOffset(BANK_OFFSETS);
    progress(`starting the Mira localnet in ${bankDir} (ports +${bankOffset})`);
    const mira = await started(cleanup, startMiraLocalnet(bankDir, bankOffset, env));
    const devAccounts = JSON.parse(fs.readFileSync(path.join(bankDir, "accounts.json"), "utf8")) as { address: string; mnemonic: string }[];
    if (opts.senders > devAccounts.length) progress(`funding ${opts.senders - devAccounts.length} extra senders with one MsgMultiSend`);
    const senders = await prepareSenders(
      mira.rpcUrl,
      LOCALNET_CHAIN_ID,
      DENOM,
      devAccounts.map((a) => a.mnemonic),
      opts.senders,
    );
    progress(`signing ${opts.warmup} warm-up and ${opts.txs} timed bank sends from ${senders.length} accounts (before the clock starts)`);
    const warmCounts = split(opts.warmup, senders.length);
    const signed = await signStreams(
      senders,
      split(opts.txs, senders.length).map((n, s) => n + warmCounts[s]!),
      LOCALNET_CHAIN_ID,
    );
    // Each sender's first txs warm up (their sequences come first), the rest are timed.
    const bankWarm = signed.map((s, i) => s.slice(0, warmCounts[i]));
    const bankStreams = signed.map((s, i) => s.slice(warmCounts[i]));
    await warmUp(mira, "bank sends", bankWarm, opts.to);
    const txBytes = Math.round(mean(bankStreams.flat().map((t) => t.length)));
    progress(`broadcasting ${opts.txs} txs (${txBytes} bytes each on average) in ${bankStreams.length} streams`);
    const { result: bank, cpu: bankCpu } = await loadWithCpu(mira, bankStreams, opts.to);
    checkAllSucceeded("bank sends", bank);
    await mira.stop();
    const bankTps = bank.txs / bank.seconds;
    progress(`bank sends: ${bankTps.toFixed(1)} tx/s (${bank.txs} txs in ${bank.seconds.toFixed(2)} s, ${bank.blocks} blocks)`);
    const profiled: Params = opts.cpuProfDir !== undefined ? { profiled: true, cpu_prof_dir: opts.cpuProfDir, mirad_pids: mira.appPids.join(",") } : {};
    emit(
      "bank_send_tps",
      bankTps,
      "tx/s",
      loadParams(bank, bankStreams.length, txBytes, opts.to, {
        warmup_txs: opts.warmup,
        app: "mira (MsgSend, SIGN_MODE_DIRECT)",
        port_offset: mira.offset,
        commit: sourceCommit(),
        ...bankCpu,
        ...profiled,
      }),
    );

    if (opts.cpuProfDir !== undefined) {
      progress(`profiles of mirad (pids ${mira.appPids.join(", ")}) are in ${opts.cpuProfDir}; no kvstore run or ratio for a profiled run`);
      return;
    }

    // 2. The same load (count, streams, byte sizes) on CometBFT's kvstore with the same settings.
    const kvDir = tempFolder(cleanup, "mira-bench-tps-kvstore-", opts.keep);
    const kvOffset = await freeOffset(KVSTORE_OFFSETS);
    progress(`building the kvstore network in ${kvDir} (ports +${kvOffset})`);
    const kv = await started(cleanup, startKvstoreNetwork(kvDir, kvOffset));
    let i = 0;
    const kvTx = (bankTx: Uint8Array): Buffer => {
      const head = `k${i++}=`;
      return Buffer.from(head + "v".repeat(Math.max(1, bankTx.length - head.length)));
    };
    await warmUp(
      kv,
      "kvstore",
      bankWarm.map((s) => s.map(kvTx)),
      opts.to,
    );
    const kvStreams = bankStreams.map((s) => s.map(kvTx));
    progress(`broadcasting ${opts.txs} kvstore txs`);
    const { result: kvs, cpu: kvCpu } = await loadWithCpu(kv, kvStreams, opts.to);
    checkAllSucceeded("kvstore", kvs);
    await kv.stop();
    const kvTps = kvs.txs / kvs.seconds;
    progress(`kvstore: ${kvTps.toFixed(1)} tx/s (${kvs.txs} txs in ${kvs.seconds.toFixed(2)} s, ${kvs.blocks} blocks)`);
    const kvBytes = Math.round(mean(kvStreams.flat().map((t) => t.length)));
    emit(
      "kvstore_tps",
      kvTps,
      "tx/s",
      loadParams(kvs, kvStreams.length, kvBytes, opts.to, {
        warmup_txs: opts.warmup,
        app: "CometBFT built-in kvstore (proxy_app = kvstore)",
        port_offset: kv.offset,
        ...kvCpu,
      }),
    );

    emit("tps_ratio", bankTps / kvTps, "x", {
      numerator: "bank_send_tps",
      denominator: "kvstore_tps",
      txs: opts.txs,
      warmup_txs: opts.warmup,
      goal: 0.5,
      ...profiled,
    });

    // 3. The same kvstore, but out of process behind the ABCI socket as mirad is (CometBFT's
    // abci-cli): what CometBFT's socket client costs any such app, apart from the app's own work.
    const cli = abciCliBinary();
    if (cli.bin === undefined) {
      progress(`no socket kvstore run: ${cli.why}`);
      return;
    }
    const skDir = tempFolder(cleanup, "mira-bench-tps-kvsocket-", opts.keep);
    const skOffset = await freeOffset(KVSTORE_OFFSETS);
    progress(`building the socket kvstore network (abci-cli kvstore per node) in ${skDir} (ports +${skOffset})`);
    const sk = await started(cleanup, startKvstoreNetwork(skDir, skOffset, cli.bin));
    await warmUp(
      sk,
      "socket kvstore",
      bankWarm.map((s) => s.map(kvTx)),
      opts.to,
    );
    const skStreams = bankStreams.map((s) => s.map(kvTx));
    progress(`broadcasting ${opts.txs} socket kvstore txs`);
    const { result: sks, cpu: skCpu } = await loadWithCpu(sk, skStreams, opts.to);
    checkAllSucceeded("socket kvstore", sks);
    await sk.stop();
    const skTps = sks.txs / sks.seconds;
    progress(`socket kvstore: ${skTps.toFixed(1)} tx/s (${sks.txs} txs in ${sks.seconds.toFixed(2)} s, ${sks.blocks} blocks)`);
    emit(
      "kvstore_socket_tps",
      skTps,
      "tx/s",
      loadParams(sks, skStreams.length, kvBytes, opts.to, {
        warmup_txs: opts.warmup,
        app: "CometBFT's kvstore example as its own process per node (abci-cli kvstore), over the ABCI socket",
        port_offset: sk.offset,
        ...skCpu,
      }),
    );
    emit("socket_tps_ratio", bankTps / skTps, "x", { numerator: "bank_send_tps", denominator: "kvstore_socket_tps", txs: opts.txs, warmup_txs: opts.warmup });
  } finally {
    await cleanup.run();
    if (cleanup.interrupted) process.exit(130); // whatever failed meanwhile failed because of it
  }
}

main().catch((err: Error) => {
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : "";
  process.stderr.write(`[bench:tps] ${err.stack ?? err.message}${cause}\n`);
  process.exit(1);
});
