// Scores the sidecar's reference models on the held-out evaluation split, one by one and as the chain's
// validator set would: every model votes its verdict on every claim, and the chain's tally
// (modules/claims/tally.ts, settleAtDeadline) certifies a verdict when the stake agreeing with it reaches
// the threshold (default 6666 bp: at least two thirds; with four equal validators, 3 of 4), else the claim
// is UNRESOLVED. Prints one JSON object per line on stdout; progress on stderr. Deterministic: the
// evaluation split is seeded and the models are either read from DIR or trained with fixed seeds.
//
//   node dist/bench/sidecar/evaluate.js [--models DIR] [--eval-size N] [--seed N] [--threshold-bp N]
//                                     [--train-size N] [--epochs N]   (the last two only without --models)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { settleAtDeadline, type ClaimOutcome } from "../../modules/claims/tally";
import { generateExamples, LABELS, SPLIT_SEEDS, type Example, type Verdict } from "../../app/sidecar/dataset";
import { VerificationModel } from "../../app/sidecar/model";
import { DEFAULT_BUDGET, trainAll, VARIANTS, type TrainBudget } from "../../app/sidecar/train";

/** At least two thirds of the stake, in the chain's basis points (2 of 3 equal validators certify at 6666). */
export const DEFAULT_THRESHOLD_BP = 6666;
/** Rows of a model's confusion matrix: true labels; columns: predicted labels (plus UNRESOLVED for consensus). */
export const OUTCOMES: readonly ClaimOutcome[] = [...LABELS, "UNRESOLVED"];

export interface ModelReport {
  kind: "model";
  variant: string;
  sha256: string;
  examples: number;
  correct: number;
  accuracy: number;
  confusion: { rows: "true"; cols: "predicted"; labels: string[]; matrix: number[][] };
}

export interface ConsensusReport {
  kind: "consensus";
  validators: number;
  variants: string[];
  thresholdBp: number;
  examples: number;
  certified: number;
  certifiedCorrect: number;
  /** Accuracy among certified claims (0 when none is certified). */
  certifiedAccuracy: number;
  /** Fraction of claims certified with a verdict. */
  coverage: number;
  /** Correct certified verdicts over all claims: UNRESOLVED counts as wrong. */
  overallAccuracy: number;
  confusion: { rows: "true"; cols: "outcome"; labels: string[]; outcomes: string[]; matrix: number[][] };
}

export interface EvaluateOptions {
  /** A folder of <variant>.onnx + <variant>.json; when absent, every VARIANTS entry is trained into a temp dir. */
  modelsDir?: string;
  evalSize?: number;
  evalSeed?: number;
  thresholdBp?: number;
  /** Training budget when modelsDir is absent. */
  budget?: TrainBudget;
  /** Stake per model, in the order of the loaded models (sorted by file name); equal stake by default. */
  stakes?: bigint[];
}

/** Synthetic operator addresses for the validators that run the models: only their order matters to the tally. */
function operators(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => Buffer.from([0x4d, 0x49, 0x52, 0x41, i + 1]));
}

/**
 * The chain's outcome for one claim given each validator's vote (undefined: no vote) and stake.
 * Calls the chain's own tally so the evaluation cannot drift from consensus.
 */
export function consensusOutcome(votes: readonly (Verdict | undefined)[], stakes?: readonly bigint[], thresholdBp = DEFAULT_THRESHOLD_BP): ClaimOutcome {
  const ops = operators(votes.length);
  const power = stakes ?? votes.map(() => 1n);
  if (power.length !== votes.length) throw new Error(`${votes.length} votes but ${power.length} stakes`);
  const assigned = ops.map((operator, i) => ({ operator, power: power[i]! }));
  const map = new Map<string, Verdict>();
  votes.forEach((v, i) => {
    if (v !== undefined) map.set(ops[i]!.toString("hex"), v);
  });
  return settleAtDeadline(assigned, map, thresholdBp).outcome;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

export function confusionMatrix(predicted: readonly ClaimOutcome[], examples: readonly Example[], outcomes: readonly ClaimOutcome[]): number[][] {
  const m = LABELS.map(() => outcomes.map(() => 0));
  predicted.forEach((p, i) => {
    const col = outcomes.indexOf(p);
    if (col < 0) throw new Error(`unexpected outcome ${p}`);
    m[examples[i]!.labelId]![col]!++;
  });
  return m;
}

export function modelReport(variant: string, sha256: string, predicted: readonly Verdict[], examples: readonly Example[]): ModelReport {
  if (predicted.length !== examples.length) throw new Error("one prediction per example");
  const correct = predicted.filter((p, i) => p === examples[i]!.label).length;
  return {
    kind: "model",
    variant,
    sha256,
    examples: examples.length,
    correct,
    accuracy: round4(examples.length === 0 ? 0 : correct / examples.length),
    confusion: { rows: "true", cols: "predicted", labels: [...LABELS], matrix: confusionMatrix(predicted, examples, LABELS) },
  };
}

/** votes[m][i]: model m's verdict on example i. */
export function consensusReport(
  variants: readonly string[],
  votes: readonly (readonly Verdict[])[],
  examples: readonly Example[],
  thresholdBp = DEFAULT_THRESHOLD_BP,
  stakes?: readonly bigint[],
): ConsensusReport {
  if (votes.length !== variants.length || votes.some((v) => v.length !== examples.length)) throw new Error("votes must be [models][examples]");
  const outcomes = examples.map((_, i) =>
    consensusOutcome(
      votes.map((v) => v[i]!),
      stakes,
      thresholdBp,
    ),
  );
  const certified = outcomes.filter((o) => o !== "UNRESOLVED").length;
  const certifiedCorrect = outcomes.filter((o, i) => o === examples[i]!.label).length;
  const n = examples.length;
  return {
    kind: "consensus",
    validators: variants.length,
    variants: [...variants],
    thresholdBp,
    examples: n,
    certified,
    certifiedCorrect,
    certifiedAccuracy: round4(certified === 0 ? 0 : certifiedCorrect / certified),
    coverage: round4(n === 0 ? 0 : certified / n),
    overallAccuracy: round4(n === 0 ? 0 : certifiedCorrect / n),
    confusion: { rows: "true", cols: "outcome", labels: [...LABELS], outcomes: [...OUTCOMES], matrix: confusionMatrix(outcomes, examples, OUTCOMES) },
  };
}

/** The <name>.onnx files in dir that have a <name>.json card, sorted by name. */
export function listModels(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".onnx") && fs.existsSync(path.join(dir, f.replace(/\.onnx$/, ".json"))))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs every model through the runtime (VerificationModel.verify, as a validator would) and tallies. */
export async function evaluate(opts: EvaluateOptions = {}): Promise<(ModelReport | ConsensusReport)[]> {
  let dir = opts.modelsDir;
  let tmp: string | undefined;
  if (dir === undefined) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mira-eval-models-"));
    trainAll(tmp, opts.budget ?? DEFAULT_BUDGET, Object.keys(VARIANTS));
    dir = tmp;
  }
  try {
    const files = listModels(dir);
    if (files.length === 0) throw new Error(`no <variant>.onnx + <variant>.json models in ${dir}`);
    const examples = generateExamples("eval", opts.evalSize ?? DEFAULT_BUDGET.evalSize, opts.evalSeed ?? SPLIT_SEEDS.eval);
    const reports: (ModelReport | ConsensusReport)[] = [];
    const variants: string[] = [];
    const votes: Verdict[][] = [];
    for (const file of files) {
      const model = await VerificationModel.load(file, { executionProviders: ["cpu"] });
      try {
        const verdicts = (await model.verify(examples)).map((v) => v.verdict);
        variants.push(model.card.variant);
        votes.push(verdicts);
        reports.push(modelReport(model.card.variant, model.sha256, verdicts, examples));
      } finally {
        await model.release();
      }
    }
    reports.push(consensusReport(variants, votes, examples, opts.thresholdBp ?? DEFAULT_THRESHOLD_BP, opts.stakes));
    return reports;
  } finally {
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function parseArgs(argv: string[]): EvaluateOptions {
  const opts: EvaluateOptions = {};
  const budget = { ...DEFAULT_BUDGET };
  let budgetSet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const need = (): string => {
      const value = argv[i + 1];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      i++;
      return value;
    };
    const positive = (): number => {
      const n = Number(need());
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${arg} must be a positive integer`);
      return n;
    };
    if (arg === "--models") opts.modelsDir = need();
    else if (arg === "--eval-size") opts.evalSize = positive();
    else if (arg === "--seed") opts.evalSeed = positive();
    else if (arg === "--threshold-bp") opts.thresholdBp = positive();
    else if (arg === "--train-size") {
      budget.trainSize = positive();
      budgetSet = true;
    } else if (arg === "--epochs") {
      budget.epochs = positive();
      budgetSet = true;
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (budgetSet) opts.budget = budget;
  return opts;
}

if (require.main === module) {
  (async () => {
    const opts = parseArgs(process.argv.slice(2));
    process.stderr.write(`[evaluate] ${opts.modelsDir ? `models from ${opts.modelsDir}` : "training every variant into a temp dir"}\n`);
    for (const r of await evaluate(opts)) console.log(JSON.stringify(r));
  })().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
