// Claims benchmark, sidecar part: how many claims per second one validator's verification model checks on
// CPU (onnxruntime-node through VerificationModel.verify, feature extraction included), for each reference
// model variant at batch sizes 1, 16, 64 and 256, and the same batches through the ONNX session alone
// (features extracted beforehand) to show what the feature extractor costs. Each figure is the median of
// several timed runs after warm-up; every run checks the same ROUND claims (ROUND / batch calls).
// The chain-level claims figures (submission, assignment, vote extensions, tally per block) come later and
// will be added to this file; the figures here are the sidecar's share only.
// Prints one JSON object per figure on stdout; progress on stderr.
//
//   npx tsc -p tsconfig.json && node dist/bench/claims.js [--quick]   (--quick: fewer runs, smaller training)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { generateExamples } from "../app/sidecar/dataset";
import { extractBatch } from "../app/sidecar/features";
import { VerificationModel } from "../app/sidecar/model";
import { trainAll, VARIANTS } from "../app/sidecar/train";

const BATCH_SIZES = [1, 16, 64, 256];
const ROUND = 1024;

function emit(metric: string, value: number, unit: string, params: Record<string, string | number | boolean>): void {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  console.log(JSON.stringify({ bench: "claims", metric, value: rounded, unit, params }));
}

function progress(msg: string): void {
  process.stderr.write(`[bench:claims] ${msg}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
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

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
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
          const endToEnd = await measure(async () => {
            for (const c of chunks) await model.verify(c);
          }, warmup, timed);
          const pre = chunks.map((c) => ({ x: extractBatch(c, model.card.featureOptions), n: c.length }));
          const inferenceOnly = await measure(async () => {
            for (const c of pre) await model.probabilities(c.x, c.n);
          }, warmup, timed);
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

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
