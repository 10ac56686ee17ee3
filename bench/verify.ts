// bench:verify: the localnet's verification models judged on the project's own labelled prose
// (bench/verify-data/*.jsonl: (source, claim, label, reason) triples written by hand across domains,
// never used for training or calibration). Each model answers every triple exactly as a sidecar
// answers the chain (SidecarModel.verify on {claim, source}); the four validators' consensus is the
// chain's own tally (modules/claims/tally.ts) at the default threshold. Abstention is simulated at a
// sweep of confidence thresholds: a verdict below the threshold is no vote. Prints one JSON object per
// figure on stdout (CONVENTIONS.md) and a readable table on stderr.
//
// Other backends are judged the same way: --nli DIR (a Hugging Face NLI cross-encoder folder, repeatable;
// --providers cuda,cpu runs it on a GPU) and --llm-endpoint URL --llm-model NAME (an LLM judge). Given any,
// they replace the reference models; the validators (--validators, default 4) run the models round-robin.
//
// Calibration: each model's confidences are also mapped through an isotonic calibration fitted on the
// development set (bench/verify-dev, --dev DIR; held out from the evaluation set), and every measure is
// printed both raw and calibrated ("calibrated" in the params), with the expected calibration error on the
// evaluation set before and after. --write-calibration DIR writes each model's map as the file that
// `mirad sidecar --calibration FILE` reads; --no-calibration skips it all.
//
//   npm run bench:verify [-- --data DIR] [--models DIR] [--nli DIR]... [--llm-endpoint URL --llm-model NAME]
//                        [--providers cpu|cuda,cpu] [--validators N] [--threshold-bp N] [--abstain-below 0,5000,...]
//                        [--dev DIR] [--write-calibration DIR] [--no-calibration] [--no-throughput]
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../app/cli/cometbft";
import { calibrate, calibrationMap, type CalibrationMap } from "../app/sidecar/calibration";
import { LlmJudge } from "../app/sidecar/llm-judge";
import { VerificationModel } from "../app/sidecar/model";
import { NliModel } from "../app/sidecar/nli";
import type { SidecarModel } from "../app/sidecar/service";
import { cachedVariant, referenceModelCache, VARIANTS } from "../app/sidecar/train";
import { VERDICTS, type Verdict } from "../modules/claims/tally";
import { type Answer, consensusMeasures, errorCorrelation, type LabelledTriple, modelMeasures, readTriples, withAbstention } from "./verify-metrics";

interface Options {
  dataDir: string;
  devDir: string;
  calibration: boolean;
  writeCalibration?: string;
  modelsDir: string;
  thresholdBp: number;
  abstainBelow: number[];
  throughput: boolean;
  nli: string[];
  llm: { endpoint?: string; model?: string };
  providers: string[];
  validators: number;
}

/** A model under test: its name, its backend, and how to release it. */
interface Backend {
  name: string;
  backend: string;
  providers: readonly string[];
  model: SidecarModel;
  release(): Promise<void>;
}

/** The claims module's default certification threshold: more than two thirds of the assigned stake. */
const DEFAULT_THRESHOLD_BP = 6667;
const THROUGHPUT_BATCH = 256;

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    dataDir: path.join(REPO_ROOT, "bench", "verify-data"),
    devDir: path.join(REPO_ROOT, "bench", "verify-dev"),
    calibration: true,
    modelsDir: referenceModelCache(REPO_ROOT),
    thresholdBp: DEFAULT_THRESHOLD_BP,
    abstainBelow: [0, 5000, 6000, 7000, 8000, 9000],
    throughput: true,
    nli: [],
    llm: {},
    providers: ["cpu"],
    validators: 4,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === "--data") opts.dataDir = path.resolve(value());
    else if (arg === "--models") opts.modelsDir = path.resolve(value());
    else if (arg === "--dev") opts.devDir = path.resolve(value());
    else if (arg === "--write-calibration") opts.writeCalibration = path.resolve(value());
    else if (arg === "--no-calibration") opts.calibration = false;
    else if (arg === "--threshold-bp") opts.thresholdBp = Number(value());
    else if (arg === "--abstain-below") opts.abstainBelow = value().split(",").map(Number);
    else if (arg === "--no-throughput") opts.throughput = false;
    else if (arg === "--nli") opts.nli.push(path.resolve(value()));
    else if (arg === "--llm-endpoint") opts.llm.endpoint = value();
    else if (arg === "--llm-model") opts.llm.model = value();
    else if (arg === "--providers")
      opts.providers = value()
        .split(",")
        .filter((p) => p !== "");
    else if (arg === "--validators") opts.validators = Number(value());
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.thresholdBp) || opts.thresholdBp <= 5000 || opts.thresholdBp > 10000)
    throw new Error("--threshold-bp must be an integer in (5000, 10000]");
  if (opts.abstainBelow.some((x) => !Number.isInteger(x) || x < 0 || x > 10000)) throw new Error("--abstain-below takes integers in 0..10000");
  if (!opts.calibration && opts.writeCalibration !== undefined) throw new Error("--write-calibration needs the calibration (drop --no-calibration)");
  if ((opts.llm.endpoint === undefined) !== (opts.llm.model === undefined)) throw new Error("--llm-endpoint and --llm-model go together");
  if (!Number.isInteger(opts.validators) || opts.validators < 1) throw new Error("--validators must be a positive integer");
  return opts;
}

/** The models to judge: the NLI folders and the LLM judge when given, else the localnet's reference models. */
async function loadBackends(opts: Options): Promise<Backend[]> {
  const out: Backend[] = [];
  for (const dir of opts.nli) {
    const m = await NliModel.load(dir, { executionProviders: opts.providers, log: (line) => process.stderr.write(`${line}\n`) });
    out.push({ name: `nli:${path.basename(dir)}`, backend: "onnx-nli", providers: m.executionProviders, model: m, release: () => m.release() });
  }
  if (opts.llm.endpoint !== undefined && opts.llm.model !== undefined) {
    const m = new LlmJudge({ endpoint: opts.llm.endpoint, model: opts.llm.model, apiKey: process.env["MIRA_LLM_API_KEY"] });
    out.push({ name: `llm:${opts.llm.model}`, backend: "llm-judge", providers: ["openai-chat"], model: m, release: async () => undefined });
  }
  if (out.length > 0) return out;
  for (const file of localnetModels(opts.modelsDir)) {
    const m = await VerificationModel.load(file, { executionProviders: ["cpu"] });
    out.push({ name: m.card.variant, backend: "onnx-reference", providers: ["cpu"], model: m, release: () => m.release() });
  }
  return out;
}

/** The localnet's model files: one per variant, trained once into the cache the localnet uses. */
function localnetModels(dir: string): string[] {
  return Object.keys(VARIANTS).map((variant) =>
    cachedVariant(dir, variant, () => process.stderr.write(`bench:verify: training the ${variant} model (once, cached in ${dir})...\n`)),
  );
}

/** An isotonic calibration of one model's confidences, fitted on its answers to the development set. */
function fitOnDev(modelSha256: string, answers: readonly Answer[], dev: readonly LabelledTriple[], devDir: string): CalibrationMap {
  const points = answers.flatMap((a, i) => (a === undefined ? [] : [{ confidenceBp: a.confidenceBp, correct: a.verdict === dev[i]!.label }]));
  return calibrationMap(modelSha256, `${path.relative(REPO_ROOT, devDir) || devDir}: ${points.length} answered of ${dev.length} triples`, points);
}

function emit(metric: string, value: number, unit: string, params: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: "verify", metric, value, unit, params }) + "\n");
}

/** Claims per second of one model, in batches of 256 (the sidecar's default max batch), for at least one second. */
async function claimsPerSecond(model: SidecarModel, triples: readonly LabelledTriple[]): Promise<number> {
  const batch = Array.from({ length: THROUGHPUT_BATCH }, (_, i) => triples[i % triples.length]!);
  await model.verify(batch); // warm-up
  let claims = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  while (elapsedNs < 1_000_000_000n) {
    await model.verify(batch);
    claims += batch.length;
    elapsedNs = process.hrtime.bigint() - start;
  }
  return Math.round((claims * 1e9) / Number(elapsedNs));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const triples = readTriples(opts.dataDir);
  const domains = [...new Set(triples.map((t) => t.domain))].sort();
  process.stderr.write(`bench:verify: ${triples.length} triples in ${domains.length} domains (${domains.join(", ")}) from ${opts.dataDir}\n`);
  const dev = opts.calibration ? readTriples(opts.devDir) : [];
  if (opts.calibration) process.stderr.write(`bench:verify: calibration fitted on ${dev.length} development triples from ${opts.devDir}\n`);
  const backends = await loadBackends(opts);
  const models: string[] = [];
  const modelAnswers: Answer[][] = [];
  const calibratedAnswers: Answer[][] = [];
  const toAnswers = (verdicts: readonly ({ verdict: Verdict; confidenceBp: number } | undefined)[]): Answer[] =>
    verdicts.map((v) => (v === undefined ? undefined : { verdict: v.verdict, confidenceBp: v.confidenceBp }));
  for (const b of backends) {
    try {
      const answers = toAnswers(await b.model.verify(triples));
      models.push(b.name);
      modelAnswers.push(answers);
      if (opts.calibration) {
        const map = fitOnDev(b.model.sha256, toAnswers(await b.model.verify(dev)), dev, opts.devDir);
        calibratedAnswers.push(answers.map((a) => (a === undefined ? undefined : { ...a, confidenceBp: calibrate(map.steps, a.confidenceBp) })));
        if (opts.writeCalibration !== undefined) {
          fs.mkdirSync(opts.writeCalibration, { recursive: true });
          const file = path.join(opts.writeCalibration, `${b.name.replace(/[^A-Za-z0-9._-]/g, "_")}.calibration.json`);
          fs.writeFileSync(file, JSON.stringify(map, null, 1) + "\n");
          process.stderr.write(`bench:verify: wrote ${file} (mirad sidecar --calibration ${file})\n`);
        }
      }
      if (opts.throughput) {
        emit("sidecar_claims_per_s", await claimsPerSecond(b.model, triples), "claims/s", {
          model: b.name,
          backend: b.backend,
          provider: b.providers.join(","),
          batch: THROUGHPUT_BATCH,
        });
      }
    } finally {
      await b.release();
    }
  }
  // The validator set: the models round-robin (the localnet runs one reference variant per node).
  const names = Array.from({ length: opts.validators }, (_, i) => models[i % models.length]!);
  const answers = names.map((_, i) => modelAnswers[i % models.length]!);
  const base = { triples: triples.length, threshold_bp: opts.thresholdBp };
  const rows: string[] = [];
  const variants = [{ calibrated: false, perModel: modelAnswers }, ...(opts.calibration ? [{ calibrated: true, perModel: calibratedAnswers }] : [])];
  for (const { calibrated, perModel } of variants) {
    rows.push(calibrated ? "  calibrated confidences (isotonic, fitted on the development set):" : "  raw confidences:");
    sweep(calibrated, perModel);
  }
  function sweep(calibrated: boolean, perModel: readonly Answer[][]): void {
    const answers = names.map((_, i) => perModel[i % models.length]!);
    for (const minBp of opts.abstainBelow) {
      const votes = answers.map((a) => withAbstention(a, minBp));
      const modelVotes = perModel.map((a) => withAbstention(a, minBp));
      const params = { ...base, calibrated, abstain_below_bp: minBp };
      let bestModelErrors = Infinity;
      models.forEach((name, m) => {
        const r = modelMeasures(modelVotes[m]!, triples);
        const p = { ...params, model: name };
        emit("model_accuracy", r.accuracy, "ratio", p);
        emit("model_precision", r.precision, "ratio", p);
        emit("model_coverage", r.coverage, "ratio", p);
        for (const v of VERDICTS) emit("model_accuracy_by_label", r.accuracyByLabel[v], "ratio", { ...p, label: v });
        emit("model_calibration_error", r.calibrationError, "ratio", p);
        bestModelErrors = Math.min(bestModelErrors, r.answered - r.correct);
        rows.push(
          `  ${String(minBp).padStart(5)}  ${name.padEnd(12)} acc ${r.accuracy.toFixed(3)}  prec ${r.precision.toFixed(3)}  cov ${r.coverage.toFixed(3)}  ` +
            `S/R/U ${VERDICTS.map((v) => r.accuracyByLabel[v].toFixed(2)).join("/")}  ECE ${r.calibrationError.toFixed(3)}  conf ok/wrong ${r.meanConfidenceCorrect.toFixed(2)}/${r.meanConfidenceWrong.toFixed(2)}`,
        );
      });
      const c = consensusMeasures(votes, triples, opts.thresholdBp);
      const p = { ...params, validators: names.length, models: names };
      emit("consensus_certified_precision", c.certifiedPrecision, "ratio", p);
      emit("consensus_coverage", c.coverage, "ratio", p);
      emit("consensus_wrong_certificate_rate", c.wrongCertificateRate, "ratio", p);
      for (const v of VERDICTS) emit("consensus_accuracy_by_label", c.accuracyByLabel[v], "ratio", { ...p, label: v });
      emit(
        "consensus_errors_over_best_model_errors",
        bestModelErrors === 0 ? 0 : Math.round((c.wrongCertificates / bestModelErrors) * 10000) / 10000,
        "ratio",
        p,
      );
      rows.push(
        `  ${String(minBp).padStart(5)}  ${"CONSENSUS".padEnd(12)} certified ${c.certified}/${c.triples} (cov ${c.coverage.toFixed(3)})  precision ${c.certifiedPrecision.toFixed(3)}  ` +
          `wrong ${c.wrongCertificates} (${c.wrongCertificateRate.toFixed(3)} of all)  S/R/U ${VERDICTS.map((v) => c.accuracyByLabel[v].toFixed(2)).join("/")}  best model's wrong answers ${bestModelErrors}`,
      );
    }
  }
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++)
      emit("error_correlation", errorCorrelation(answers[a]!, answers[b]!, triples), "phi", { ...base, models: [names[a], names[b]] });
  }
  process.stderr.write(`abstain<bp  model        measures\n${rows.join("\n")}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:verify: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
