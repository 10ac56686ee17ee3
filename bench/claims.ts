// Claims benchmark, in two parts. Prints one JSON object per figure on stdout; progress on stderr.
//
// Sidecar (`sidecar_claims_per_s`): how many claims per second one validator's verification model checks on
// CPU (onnxruntime-node through VerificationModel.verify, feature extraction included), for each reference
// model variant at batch sizes 1, 16, 64 and 256, and the same batches through the ONNX session alone
// (features extracted beforehand) to show what the feature extractor costs. Each figure is the median of
// several timed runs after warm-up; every run checks the same ROUND claims (ROUND / batch calls).
//
// Chain (the 4-validator localnet, CometBFT + mirad + one verification sidecar per validator, in a temp
// folder on shifted ports): a sustained, paced load of MsgSubmitContent txs (each up to 64 pre-split claims
// with the source passages they are about, from the sidecar's labelled generator, so that the models give
// real verdicts; helpers/claims-chain.ts makeContents: about 40-60 claims a content) signed with CosmJS and
// sent with CosmJS's broadcastTxSync; every block is read back (block results and the injected extended
// commit) until each content has its certificate or its claims' deadline passed.
//   certified_claims_per_s     claims certified / (time of the last block that certified one - time of the
//                              first block that carried a submission), block header times
//   blocks_to_certificate      median over contents of certificate height - submission height (goal <= 3);
//   blocks_to_certificate_max  and its maximum
//   ve_bytes_per_claim         vote-extension bytes / verdicts they carry, over the injected extended commits
//                              (the first tx of each block) of the measured blocks; signatures not included
// with, as params, what explains them: claims per block, block interval, verdict lag (blocks from submission to
// the block that records each verdict; 2 at best), unresolved claims, CPU seconds of each process kind (mirad,
// CometBFT, sidecars, this client) per claim, node0's FinalizeBlock / Commit / consensus time per block (from its
// CometBFT log), sidecar calls past their deadline (mirad logs), verifiers punished, the claims params in force.
//
//   npx tsc -p tsconfig.json && node dist/bench/claims.js [--quick] [--chain-only | --sidecar-only]
//       [--duration S] [--rate CLAIMS_PER_S] [--claims-per-content N] [--senders N] [--cpu-prof DIR] [--keep]
//
//   --quick               sidecar: fewer runs, smaller training; chain: 40 s of load instead of 120 s
//   --chain-only          only the localnet figures;  --sidecar-only: only sidecar_claims_per_s
//   --duration S          seconds of load (the txs are spread evenly over them)
//   --rate N              offered claims per second (default 150: the goal is 100 certified claims/s, and about a fifth
//                         of the claims end unresolved because the four reference models disagree on them)
//   --claims-per-content  claims per MsgSubmitContent (default 64, the max_claims param)
//   --senders N           sender accounts (default 5, the localnet's dev accounts; beyond, fresh funded ones)
//   --cpu-prof DIR        profile every mirad (helpers/cpu-profile-preload.ts) into DIR; slows the figures down
//   --keep                keep the localnet's folder (logs) instead of deleting it
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { generateExamples } from "../app/sidecar/dataset";
import { extractBatch } from "../app/sidecar/features";
import { VerificationModel } from "../app/sidecar/model";
import { trainAll, VARIANTS } from "../app/sidecar/train";
import { REPO_ROOT } from "../app/cli/cometbft";
import { CHAIN_ID, DENOM } from "../localnet/localnet";
import type { Params as ClaimsParams } from "../proto/gen/mira/claims/v1/claims";
import { QueryParamsRequest, QueryParamsResponse, QueryVerifierStatsRequest, QueryVerifierStatsResponse } from "../proto/gen/mira/claims/v1/query";
import { registry, signTx } from "../test/helpers/app-driver";
import {
  BlockInfo,
  BlockPhases,
  blockPhases,
  BlockScanner,
  claimSenders,
  countLines,
  LoadContent,
  makeContents,
  pacedLoad,
  ScheduledTx,
  submitMsg,
  txHash,
} from "./helpers/claims-chain";
import { cpuSeconds, freeOffset, Network, startMiraLocalnet, VALIDATORS } from "./helpers/network";

const BATCH_SIZES = [1, 16, 64, 256];
const ROUND = 1024;
/**
 * Port offsets tried in turn for the localnet (the first whose ports are all free). Every port stays
 * below the kernel's ephemeral range (32768+): the highest is node3's ABCI port, offset + 26958.
 * Tests use 1000, 2000, 3000, -2000, -6000; the tps bench 4000, 5000, -4000, -8000.
 */
const CHAIN_OFFSETS = [5_500, -7_000];
const GAS_PRICE = 0.025;
/** Umira for each extra sender: its claim fees (1,000 per claim) and tx fees many times over. */
const SENDER_FUNDING = 10_000_000_000n;

type Params = Record<string, string | number | boolean>;

function emit(metric: string, value: number, unit: string, params: Params): void {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  console.log(JSON.stringify({ bench: "claims", metric, value: rounded, unit, params }));
}

function progress(msg: string): void {
  process.stderr.write(`[bench:claims] ${msg}\n`);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(x: number, digits = 3): number {
  return Number(x.toFixed(digits));
}

/** Median seconds of `timed` runs of fn after `warmup` untimed ones. */
async function measure(fn: () => Promise<void>, warmup: number, timed: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

interface Options {
  quick: boolean;
  sidecar: boolean;
  chain: boolean;
  durationS: number;
  rate: number;
  perContent: number;
  senders: number;
  cpuProfDir: string | undefined;
  keep: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const textOf = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  const valueOf = (flag: string): number | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = Number(argv[i + 1]);
    if (argv[i + 1] === undefined || !Number.isFinite(v) || v <= 0) throw new Error(`${flag} needs a positive number`);
    return v;
  };
  const quick = argv.includes("--quick");
  const chainOnly = argv.includes("--chain-only");
  const sidecarOnly = argv.includes("--sidecar-only");
  if (chainOnly && sidecarOnly) throw new Error("--chain-only and --sidecar-only exclude each other");
  const perContent = valueOf("--claims-per-content") ?? 64;
  const senders = valueOf("--senders") ?? 5;
  if (!Number.isSafeInteger(perContent) || !Number.isSafeInteger(senders)) throw new Error("--claims-per-content and --senders take integers");
  return {
    quick,
    sidecar: !chainOnly,
    chain: !sidecarOnly,
    durationS: valueOf("--duration") ?? (quick ? 40 : 120),
    rate: valueOf("--rate") ?? 150,
    perContent,
    senders,
    cpuProfDir: textOf("--cpu-prof") === undefined ? undefined : path.resolve(textOf("--cpu-prof")!),
    keep: argv.includes("--keep"),
  };
}

async function benchSidecar(quick: boolean): Promise<void> {
  const warmup = quick ? 2 : 5;
  const timed = quick ? 5 : 15;
  // Throughput depends on the architecture, not on how well the weights were trained: a small budget will do.
  const budget = quick ? { trainSize: 300, epochs: 2, evalSize: 30, batchSize: 32 } : { trainSize: 2000, epochs: 8, evalSize: 300, batchSize: 32 };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-claims-"));
  try {
    progress(`training ${Object.keys(VARIANTS).length} variants into ${dir}`);
    trainAll(dir, budget);
    const pairs = generateExamples("eval", ROUND).map((e) => ({ claim: e.claim, source: e.source }));
    const common = { claims_per_run: ROUND, runs: timed, warmup, cpus: os.cpus().length, node: process.version, quick };
    for (const variant of Object.keys(VARIANTS)) {
      const model = await VerificationModel.load(path.join(dir, `${variant}.onnx`), { executionProviders: ["cpu"] });
      try {
        const features = model.card.featureSize;
        for (const batch of BATCH_SIZES) {
          const chunks: (typeof pairs)[] = [];
          for (let i = 0; i < ROUND; i += batch) chunks.push(pairs.slice(i, i + batch));
          const endToEnd = await measure(
            async () => {
              for (const c of chunks) await model.verify(c);
            },
            warmup,
            timed,
          );
          const pre = chunks.map((c) => ({ x: extractBatch(c, model.card.featureOptions), n: c.length }));
          const inferenceOnly = await measure(
            async () => {
              for (const c of pre) await model.probabilities(c.x, c.n);
            },
            warmup,
            timed,
          );
          const params = { variant, batch, features, ...common };
          emit("sidecar_claims_per_s", ROUND / endToEnd, "claims/s", { ...params, stage: "features+inference" });
          emit("sidecar_claims_per_s", ROUND / inferenceOnly, "claims/s", { ...params, stage: "inference_only" });
          progress(`${variant} batch ${batch}: ${(ROUND / endToEnd).toFixed(0)} claims/s with features, ${(ROUND / inferenceOnly).toFixed(0)} inference only`);
        }
      } finally {
        await model.release();
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Processes and folders to remove on the way out, whatever happens (errors and Ctrl-C included). */
class Cleanup {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;
  interrupted = false;

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Runs every step once, last added first; a second caller waits for the same run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        try {
          await this.steps.pop()!();
        } catch (err) {
          progress(`cleanup: ${(err as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/** The checked-out commit (with "+dirty" when tracked files differ from it): figures depend on it. */
function sourceCommit(): string {
  try {
    const git = (args: string[]): string => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const head = git(["rev-parse", "--short", "HEAD"]);
    const dirty = git(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

async function claimsParams(comet: Comet38Client): Promise<ClaimsParams> {
  const res = await comet.abciQuery({ path: "/mira.claims.v1.Query/Params", data: QueryParamsRequest.encode({}).finish() });
  if (res.code !== 0) throw new Error(`claims Params query failed (code ${res.code}): ${res.log ?? ""}`);
  const p = QueryParamsResponse.decode(res.value).params;
  if (p === undefined) throw new Error("claims Params query answered no params");
  return p;
}

/** Gas for the biggest of the first few contents, through CosmJS's simulate (the Simulate service), with a margin. */
async function estimateGas(rpcUrl: string, mnemonic: string, contents: readonly LoadContent[]): Promise<number> {
  const signer = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "mira" });
  const [acct] = await signer.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(rpcUrl, signer, { registry: registry(), gasPrice: GasPrice.fromString(`${GAS_PRICE}${DENOM}`) });
  try {
    let most = 0;
    for (const c of contents.slice(0, 3)) most = Math.max(most, await client.simulate(acct!.address, [submitMsg(acct!.address, c)], ""));
    return Math.ceil(most * 1.5);
  } finally {
    client.disconnect();
  }
}

function quantiles(xs: readonly number[]): { median: number; p90: number; max: number; min: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
  return { median: s[Math.floor(s.length / 2)]!, p90: at(0.9), max: s[s.length - 1]!, min: s[0]! };
}

/** "k:count,..." of a histogram, keys ascending. */
function histogram(xs: readonly number[]): string {
  const h = new Map<number, number>();
  for (const x of xs) h.set(x, (h.get(x) ?? 0) + 1);
  return [...h.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, n]) => `${k}:${n}`)
    .join(",");
}

async function benchChain(opts: Options, cleanup: Cleanup): Promise<void> {
  const offset = await freeOffset(CHAIN_OFFSETS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-claims-chain-"));
  cleanup.add(() => {
    if (opts.keep) progress(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });
  progress(`starting the Mira localnet (4 × sidecar + mirad + CometBFT) in ${dir} (ports +${offset})`);
  const env: NodeJS.ProcessEnv = {};
  if (opts.cpuProfDir !== undefined) {
    fs.mkdirSync(opts.cpuProfDir, { recursive: true });
    env["NODE_OPTIONS"] = `${process.env["NODE_OPTIONS"] ?? ""} --require ${path.join(__dirname, "helpers", "cpu-profile-preload.js")}`.trim();
    env["MIRA_CPU_PROF_DIR"] = opts.cpuProfDir;
  }
  const starting = startMiraLocalnet(dir, offset, env);
  let stopping: Promise<void> | undefined;
  const stopNet = (): Promise<void> =>
    (stopping ??= starting.then(
      (n) => n.stop(),
      () => undefined,
    ));
  cleanup.add(stopNet);
  const net: Network = await starting;

  const comet = await Comet38Client.connect(net.rpcUrl);
  cleanup.add(() => comet.disconnect());
  const params = await claimsParams(comet);
  const perContent = Math.min(opts.perContent, params.maxClaims);
  if (perContent < opts.perContent) progress(`max_claims is ${params.maxClaims}: ${perContent} claims per content`);
  const contents = makeContents(Math.ceil(opts.durationS * opts.rate), perContent, {
    maxContentBytes: params.maxContentBytes,
    maxClaimBytes: params.maxClaimBytes,
  });
  const nContents = contents.length;
  const devAccounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8")) as { address: string; mnemonic: string }[];
  const gas = await estimateGas(net.rpcUrl, devAccounts[0]!.mnemonic, contents);
  const fee = String(Math.ceil(gas * GAS_PRICE));
  if (opts.senders > devAccounts.length) progress(`funding ${opts.senders - devAccounts.length} extra senders with one MsgMultiSend`);
  const senders = await claimSenders(
    net.rpcUrl,
    CHAIN_ID,
    DENOM,
    devAccounts.map((a) => a.mnemonic),
    opts.senders,
    SENDER_FUNDING,
  );

  // Content j goes to sender j % S (each sender's txs in sequence order), due when the claims before it
  // have had their share of the offered rate.
  const claimsTotal = contents.reduce((n, c) => n + c.claims.length, 0);
  progress(
    `signing ${nContents} MsgSubmitContent txs of up to ${perContent} claims (${claimsTotal} in all; gas ${gas}, fee ${fee}${DENOM}) from ${senders.length} senders`,
  );
  const streams: ScheduledTx[][] = senders.map(() => []);
  const contentOfTx = new Map<string, number>();
  let claimsBefore = 0;
  for (let j = 0; j < nContents; j++) {
    const s = j % senders.length;
    const sender = senders[s]!;
    const tx = await signTx(sender.wallet, [submitMsg(sender.wallet.address, contents[j]!)], {
      accountNumber: sender.accountNumber,
      sequence: sender.sequence + streams[s]!.length,
      fee,
      gas: String(gas),
      chainId: CHAIN_ID,
    });
    streams[s]!.push({ tx, dueMs: (claimsBefore / opts.rate) * 1000 });
    claimsBefore += contents[j]!.claims.length;
    contentOfTx.set(txHash(tx), j);
  }
  const txBytes = Math.round(mean(streams.flat().map((t) => t.tx.length)));
  const sourceBytes = Math.round(mean(contents.map((c) => Buffer.byteLength(c.source))));

  // The load and the block scanner run together; the scanner stops once every content has its
  // certificate, or once the deadline of the last submission's claims is 2 blocks behind.
  const broadcaster = await StargateClient.connect(net.rpcUrl);
  cleanup.add(() => broadcaster.disconnect());
  const fromHeight = (await comet.status()).syncInfo.latestBlockHeight + 1;
  const scanner = new BlockScanner(comet, fromHeight);
  const submittedAt = new Map<bigint, number>(); // content id -> height
  const certifiedAt = new Map<bigint, number>();
  let included = 0;
  let lastSubmissionHeight = 0;
  let loadDone = false;
  const deadlineBlocks = Number(params.deadlineBlocks);
  const onBlock = (b: BlockInfo): void => {
    for (const s of b.submissions) submittedAt.set(s.contentId, b.height);
    for (const c of b.certificates) certifiedAt.set(c, b.height);
    included += b.userTxs;
    if (b.submissions.length > 0) lastSubmissionHeight = b.height;
    const verdicts = b.votes.reduce((n, v) => n + v.claimIds.length, 0);
    const settled = b.settled.length;
    if (b.userTxs + verdicts + settled > 0) {
      progress(
        `  height ${b.height}: ${b.userTxs} txs (${b.submissions.reduce((n, s) => n + s.claims, 0)} claims), ${verdicts} verdicts in the extensions, ${settled} claims settled, ${b.certificates.length} certificates`,
      );
    }
  };
  const done = (): boolean =>
    loadDone &&
    included >= nContents &&
    ([...submittedAt.keys()].every((id) => certifiedAt.has(id)) || scanner.nextHeight > lastSubmissionHeight + deadlineBlocks + 2);

  const loadavg = os.loadavg()[0]!;
  const cpu0 = { app: cpuSeconds(net.appPids), comet: cpuSeconds(net.cometbftPids), sidecar: cpuSeconds(net.sidecarPids), client: process.cpuUsage() };
  const claimsPerContent = claimsTotal / nContents;
  progress(
    `offering ${opts.rate} claims/s for ${opts.durationS} s: a tx of ${claimsPerContent.toFixed(1)} claims every ${((claimsPerContent / opts.rate) * 1000).toFixed(0)} ms on average (${txBytes} bytes each, sources of ${sourceBytes} bytes)`,
  );
  const t0 = performance.now();
  const abort: { reason?: Error } = {};
  const load = pacedLoad(broadcaster, streams, abort).finally(() => {
    loadDone = true;
  });
  // A chain that stops making blocks (or falls hopelessly behind) still gets its figures, over the
  // blocks it made, with the reason in their params; the run then fails.
  let stalled: string | undefined;
  const scanning = scanner.scan(done, t0 + (opts.durationS + 180) * 1000, onBlock).catch((err: Error) => {
    abort.reason = err;
    const failure = [0, 1, 2, 3]
      .map((i) => path.join(dir, `node${i}`, "logs", "cometbft.log"))
      .filter((f) => fs.existsSync(f))
      .flatMap((f) =>
        fs
          .readFileSync(f, "utf8")
          .split("\n")
          .filter((l) => l.includes("CONSENSUS FAILURE")),
      )
      .map((l) => /err="([^"]*)"/.exec(l)?.[1] ?? l.slice(0, 300))[0];
    stalled = `${err.message}${failure !== undefined ? `; CometBFT: CONSENSUS FAILURE: ${failure}` : ""}`;
    progress(`the chain stalled: ${stalled}`);
  });
  const [loadRes] = await Promise.all([load, scanning]);
  const clientUs = process.cpuUsage(cpu0.client);
  const cpu = {
    app: cpuSeconds(net.appPids) - cpu0.app,
    comet: cpuSeconds(net.cometbftPids) - cpu0.comet,
    sidecar: cpuSeconds(net.sidecarPids) - cpu0.sidecar,
    client: (clientUs.user + clientUs.system) / 1e6,
  };
  const wallS = (performance.now() - t0) / 1000;
  // Each validator's verification record (agreed/disagreed/missed), before the network goes.
  const variants = Object.keys(VARIANTS);
  const validatorsFile = JSON.parse(fs.readFileSync(path.join(dir, "validators.json"), "utf8")) as { valoper: string }[];
  let verifierStats = "";
  if (stalled === undefined) {
    const parts: string[] = [];
    for (const [i, v] of validatorsFile.entries()) {
      const res = await comet.abciQuery({
        path: "/mira.claims.v1.Query/VerifierStats",
        data: QueryVerifierStatsRequest.encode({ validator: v.valoper }).finish(),
      });
      const st = res.code === 0 ? QueryVerifierStatsResponse.decode(res.value).stats : undefined;
      if (st !== undefined) parts.push(`node${i}(${variants[i % variants.length]}) ${st.agreed}/${st.disagreed}/${st.missed}`);
    }
    verifierStats = parts.join("; ");
  }
  await stopNet();

  // ---- figures ----
  const blocks = scanner.blocks;
  const failed = blocks.flatMap((b) => b.failedTxs);
  if (failed.length > 0) throw new Error(`${failed.length} submission txs failed; first: code ${failed[0]!.code}: ${failed[0]!.log}`);
  const firstSub = blocks.find((b) => b.submissions.length > 0);
  const why = stalled !== undefined ? ` (${stalled})` : "";
  if (firstSub === undefined) throw new Error(`no submission was committed${why}`);
  const byHeight = new Map(blocks.map((b) => [b.height, b]));
  const loaded = blocks.filter((b) => b.height >= firstSub.height && b.height <= lastSubmissionHeight);
  const claimsOfContent = new Map<bigint, number>();
  for (const b of blocks) for (const s of b.submissions) claimsOfContent.set(s.contentId, s.claims);
  const submittedClaims = [...claimsOfContent.values()].reduce((a, b) => a + b, 0);

  // Claims: where they came from (content, position, label), when they were assigned and settled.
  const contentIndex = new Map<bigint, number>(); // content id -> index in `contents`
  for (const b of blocks) for (const s of b.submissions) contentIndex.set(s.contentId, contentOfTx.get(s.txHash) ?? -1);
  const claimInfo = new Map<bigint, { contentId: bigint; height: number; validators: number }>();
  const firstClaimOf = new Map<bigint, bigint>();
  for (const b of blocks) {
    for (const a of b.assigned) {
      claimInfo.set(a.claimId, { contentId: a.contentId, height: b.height, validators: a.validators });
      const f = firstClaimOf.get(a.contentId);
      if (f === undefined || a.claimId < f) firstClaimOf.set(a.contentId, a.claimId);
    }
  }
  const labelOf = (claimId: bigint): string | undefined => {
    const c = claimInfo.get(claimId);
    if (c === undefined) return undefined;
    const idx = contentIndex.get(c.contentId);
    return idx === undefined || idx < 0 ? undefined : contents[idx]!.labels[Number(claimId - firstClaimOf.get(c.contentId)!)];
  };
  const certified: { claimId: bigint; height: number; verdict: string }[] = [];
  let unresolved = 0;
  for (const b of blocks) {
    for (const s of b.settled) {
      if (!claimInfo.has(s.claimId)) continue;
      if (s.status === "CLAIM_STATUS_CERTIFIED") certified.push({ claimId: s.claimId, height: b.height, verdict: s.verdict });
      else unresolved++;
    }
  }
  if (certified.length === 0) throw new Error(`none of the ${submittedClaims} submitted claims was certified (${unresolved} unresolved)${why}`);
  const lastCertBlock = byHeight.get(Math.max(...certified.map((c) => c.height)))!;
  const spanS = (lastCertBlock.timeMs - firstSub.timeMs) / 1000;
  const certifiedPerS = certified.length / spanS;
  const correct = certified.filter((c) => labelOf(c.claimId) === c.verdict).length;
  const claimLatency = certified.map((c) => c.height - claimInfo.get(c.claimId)!.height);

  // Blocks and their timing while submissions came in.
  const intervals: number[] = [];
  for (const b of loaded) {
    const prev = byHeight.get(b.height - 1);
    if (prev !== undefined) intervals.push((b.timeMs - prev.timeMs) / 1000);
  }
  const claimsPerBlock = loaded.map((b) => b.submissions.reduce((n, s) => n + s.claims, 0));
  const txsPerBlock = loaded.map((b) => b.userTxs);
  const submittedSpanS = loaded.length > 1 ? (loaded[loaded.length - 1]!.timeMs - firstSub.timeMs) / 1000 : 0;

  // Vote extensions: every verdict for one of our claims, in the injected commits after the first submission.
  const measured = blocks.filter((b) => b.height > firstSub.height);
  let extBytes = 0;
  let sigBytes = 0;
  let verdicts = 0;
  let votesWithVerdicts = 0;
  let maxExtBytes = 0;
  let badExtensions = 0;
  const lags: number[] = [];
  const seen = new Set<string>();
  for (const b of measured) {
    for (const v of b.votes) {
      extBytes += v.extBytes;
      sigBytes += v.sigBytes;
      verdicts += v.claimIds.length;
      maxExtBytes = Math.max(maxExtBytes, v.extBytes);
      if (v.bad) badExtensions++;
      if (v.claimIds.length > 0) votesWithVerdicts++;
      for (const id of v.claimIds) {
        const info = claimInfo.get(id);
        const key = `${v.validator}/${id}`;
        if (info === undefined || seen.has(key)) continue;
        seen.add(key);
        lags.push(b.height - info.height); // 2 at best: voted on at submission + 1, recorded at + 2
      }
    }
  }
  const assignedVerdicts = [...claimInfo.values()].reduce((n, c) => n + c.validators, 0);
  const injected = measured.map((b) => b.injectedBytes);

  // Where node0's time went, per height, from its CometBFT log (the folder is still there).
  const phaseHeights = new Set(blocks.filter((b) => b.height >= firstSub.height && b.height <= lastCertBlock.height).map((b) => b.height));
  const phases = blockPhases(path.join(dir, "node0", "logs", "cometbft.log"), phaseHeights);
  const sidecarTimeouts = [0, 1, 2, 3].reduce((n, i) => n + countLines(path.join(dir, `node${i}`, "logs", "mirad.log"), /sidecar: DEADLINE_EXCEEDED/), 0);
  const sidecarErrors = [0, 1, 2, 3].reduce((n, i) => n + countLines(path.join(dir, `node${i}`, "logs", "mirad.log"), /mirad: sidecar: /), 0);
  // Who was punished: node i runs the model variant i % 4 (localnet.ts modelFor).
  const punishedList = blocks.flatMap((b) =>
    b.punished.map((p) => {
      const i = validatorsFile.findIndex((v) => v.valoper === p.validator);
      return `node${i}(${variants[i % variants.length]}) at height ${b.height}: ${p.faults}/${p.window} faults`;
    }),
  );
  const punished = punishedList.length;
  const phaseStats = (pick: (p: BlockPhases) => number): { median: number; max: number; total: number } =>
    phases.length === 0
      ? { median: 0, max: 0, total: 0 }
      : { median: median(phases.map(pick)), max: Math.max(...phases.map(pick)), total: phases.map(pick).reduce((a, b) => a + b, 0) };
  const fin = phaseStats((p) => p.finalizeMs);
  const com = phaseStats((p) => p.commitMs);
  const cons = phaseStats((p) => p.consensusMs);
  const phaseTotal = fin.total + com.total + cons.total;
  // Throughput once certificates flow: claims certified after the first block that certified any, over the time since.
  const certHeights = [...new Set(certified.map((c) => c.height))].sort((a, b) => a - b);
  const firstCertBlock = byHeight.get(certHeights[0]!)!;
  const steadySpanS = (lastCertBlock.timeMs - firstCertBlock.timeMs) / 1000;
  const steady = steadySpanS > 0 ? certified.filter((c) => c.height > firstCertBlock.height).length / steadySpanS : 0;

  // Certificates per content.
  const contentLatency: number[] = [];
  for (const [id, h] of submittedAt) {
    const c = certifiedAt.get(id);
    if (c !== undefined) contentLatency.push(c - h);
  }
  const noCertificate = submittedAt.size - contentLatency.length;
  const withUnresolved = new Set<bigint>();
  for (const b of blocks) for (const s of b.settled) if (s.status !== "CLAIM_STATUS_CERTIFIED") withUnresolved.add(s.contentId);
  const cleanLatency: number[] = [];
  for (const [id, h] of submittedAt) {
    const c = certifiedAt.get(id);
    if (c !== undefined && !withUnresolved.has(id)) cleanLatency.push(c - h);
  }

  const common: Params = {
    validators: VALIDATORS,
    offered_claims_per_s: opts.rate,
    duration_s: opts.durationS,
    claims_per_content_max: perContent,
    claims_per_content_mean: round(claimsPerContent, 1),
    contents: nContents,
    claims_submitted: submittedClaims,
    claims_certified: certified.length,
    claims_unresolved: unresolved,
    senders: senders.length,
    tx_bytes: txBytes,
    source_bytes: sourceBytes,
    gas_per_tx: gas,
    deadline_blocks: deadlineBlocks,
    max_claims: params.maxClaims,
    verifiers_per_claim: Math.min(params.defaultVerifiersPerClaim, VALIDATORS),
    threshold_bp: params.defaultThresholdBp,
    port_offset: net.offset,
    commit: sourceCommit(),
    cores: os.cpus().length,
    loadavg_1m_before: round(loadavg, 2),
    quick: opts.quick,
  };
  const explain: Params = {
    claims_per_block_mean: round(mean(claimsPerBlock), 1),
    claims_per_block_max: Math.max(...claimsPerBlock),
    txs_per_block_max: Math.max(...txsPerBlock),
    loaded_blocks: loaded.length,
    block_interval_s_mean: intervals.length > 0 ? round(mean(intervals)) : 0,
    block_interval_s_median: intervals.length > 0 ? round(median(intervals)) : 0,
    block_interval_s_max: intervals.length > 0 ? round(Math.max(...intervals)) : 0,
    submitted_claims_per_s: submittedSpanS > 0 ? round(submittedClaims / submittedSpanS, 1) : 0,
    broadcast_s: loadRes.sent > 0 ? round((loadRes.lastAt - loadRes.firstAt) / 1000) : 0,
    client_max_lag_ms: Math.round(loadRes.maxLagMs),
    mempool_full_retries: loadRes.mempoolFullRetries,
    cpu_s_mirad: round(cpu.app, 2),
    cpu_s_cometbft: round(cpu.comet, 2),
    cpu_s_sidecars: round(cpu.sidecar, 2),
    cpu_s_client: round(cpu.client, 2),
    wall_s: round(wallS, 1),
    cpu_ms_per_claim_mirad: round((cpu.app * 1000) / submittedClaims),
    cpu_ms_per_claim_cometbft: round((cpu.comet * 1000) / submittedClaims),
    cpu_ms_per_claim_sidecars: round((cpu.sidecar * 1000) / submittedClaims),
    node0_finalize_block_ms_median: fin.median,
    node0_finalize_block_ms_max: fin.max,
    node0_commit_ms_median: com.median,
    node0_commit_ms_max: com.max,
    node0_consensus_ms_median: cons.median,
    node0_share_finalize_commit_consensus:
      phaseTotal > 0 ? `${round(fin.total / phaseTotal, 2)}/${round(com.total / phaseTotal, 2)}/${round(cons.total / phaseTotal, 2)}` : "",
    sidecar_calls_failed: sidecarErrors,
    sidecar_calls_deadline_exceeded: sidecarTimeouts,
    verifiers_punished: punished,
    ...(punished > 0 ? { verifiers_punished_detail: punishedList.join("; ") } : {}),
    verifier_stats_agreed_disagreed_missed: verifierStats,
    ...(stalled !== undefined ? { chain_stalled: stalled } : {}),
    ...(opts.cpuProfDir !== undefined ? { profiled: true, cpu_prof_dir: opts.cpuProfDir, mirad_pids: net.appPids.join(",") } : {}),
  };
  progress(
    `${certified.length} of ${submittedClaims} claims certified (${unresolved} unresolved) from height ${firstSub.height} to ${lastCertBlock.height} in ${spanS.toFixed(1)} s: ${certifiedPerS.toFixed(1)} claims/s`,
  );
  emit("certified_claims_per_s", certifiedPerS, "claims/s", {
    ...common,
    ...explain,
    goal: 100,
    span_s: round(spanS, 2),
    certified_claims_per_s_after_first_certificate: round(steady, 1),
    first_submission_height: firstSub.height,
    last_certified_height: lastCertBlock.height,
    certified_frac: round(certified.length / submittedClaims),
    certified_correct_frac: round(correct / certified.length),
    claim_blocks_to_certified_median: median(claimLatency),
    claim_blocks_to_certified_max: Math.max(...claimLatency),
    data: "eval split of app/sidecar/dataset.ts generateExamples; a content's source context = its claims' passages",
    via: "MsgSubmitContent (pre-split claims) signed by CosmJS SigningStargateClient with a Registry, broadcastTxSync to node0, paced",
  });
  const lat = contentLatency.length > 0 ? quantiles(contentLatency) : { median: NaN, p90: NaN, max: NaN, min: NaN };
  const latParams: Params = {
    ...common,
    contents_certified: contentLatency.length,
    contents_without_certificate: noCertificate,
    contents_with_unresolved_claims: withUnresolved.size,
    p90: lat.p90,
    min: lat.min,
    max: lat.max,
    median_all_claims_certified: cleanLatency.length > 0 ? median(cleanLatency) : -1,
    max_all_claims_certified: cleanLatency.length > 0 ? Math.max(...cleanLatency) : -1,
    histogram: histogram(contentLatency),
    claim_blocks_to_certified_histogram: histogram(claimLatency),
    verdict_lag_blocks_histogram: histogram(lags),
    goal: 3,
  };
  emit("blocks_to_certificate", lat.median, "blocks", { ...latParams, stat: "median" });
  emit("blocks_to_certificate_max", lat.max, "blocks", { ...latParams, stat: "max" });
  emit("ve_bytes_per_claim", verdicts > 0 ? extBytes / verdicts : 0, "bytes", {
    ...common,
    measured_blocks: measured.length,
    ext_bytes_total: extBytes,
    verdicts_total: verdicts,
    verdicts_expected: assignedVerdicts,
    verdicts_distinct: seen.size,
    verdicts_delivered_frac: round(seen.size / Math.max(1, assignedVerdicts)),
    times_each_verdict_is_carried: seen.size > 0 ? round(verdicts / seen.size, 2) : 0,
    ext_bytes_per_distinct_verdict: seen.size > 0 ? round(extBytes / seen.size, 2) : 0,
    extensions_with_verdicts: votesWithVerdicts,
    verdicts_per_extension_mean: votesWithVerdicts > 0 ? round(verdicts / votesWithVerdicts, 1) : 0,
    ext_bytes_max: maxExtBytes,
    undecodable_extensions: badExtensions,
    extension_signature_bytes_per_verdict: verdicts > 0 ? round(sigBytes / verdicts) : 0,
    injected_commit_bytes_mean: Math.round(mean(injected)),
    injected_commit_bytes_max: Math.max(...injected),
    claims_per_block_mean: explain["claims_per_block_mean"]!,
    block_interval_s_median: explain["block_interval_s_median"]!,
    via: "sum of vote_extension bytes / verdicts decoded from them, in the injected extended commit (first tx) of each block after the first submission",
  });
  if (stalled !== undefined) throw new Error(`the figures above cover the blocks up to height ${blocks[blocks.length - 1]?.height ?? 0} only: ${stalled}`);
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
    if (opts.sidecar) await benchSidecar(opts.quick);
    if (opts.chain) await benchChain(opts, cleanup);
  } finally {
    await cleanup.run();
    if (cleanup.interrupted) process.exit(130);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench:claims] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
