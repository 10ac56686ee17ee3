// Trains the sidecar's reference verification models (plain TypeScript, seeded) and writes each as an ONNX
// file plus a JSON model card.  Usage: node dist/app/sidecar/train.js --out models/ [--train-size N]
// [--epochs N] [--variants a,b]
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { generateExamples, LABELS, Rng, type Example } from "./dataset";
import { extractBatch, featureSize, FEATURES_VERSION, type FeatureOptions } from "./features";
import { encodeOnnxModel, ONNX_FLOAT, ONNX_IR_VERSION, ONNX_OPSET, type OnnxInitializer, type OnnxNode } from "./onnx-writer";

export const INPUT_NAME = "features";
export const OUTPUT_NAME = "probabilities";
export const CARD_FORMAT = "mira-sidecar-model-card/1";
const CLASSES = LABELS.length;

export interface VariantSpec {
  features: FeatureOptions;
  /** 0 means multinomial logistic regression; otherwise one ReLU hidden layer of this width. */
  hidden: number;
  /** Seed for weight initialisation and minibatch order. */
  seed: number;
  learningRate: number;
  l2: number;
}

/**
 * Four deliberately different models, one per validator of the 4-validator localnet: different feature sets,
 * hash seeds, widths, architectures and initialisation seeds.
 */
export const VARIANTS: Record<string, VariantSpec> = {
  "logreg-dense": { features: { set: "dense", hashBuckets: 0, hashSeed: 0 }, hidden: 0, seed: 11, learningRate: 0.05, l2: 1e-4 },
  "mlp-hashed": { features: { set: "hashed", hashBuckets: 64, hashSeed: 17 }, hidden: 32, seed: 23, learningRate: 0.01, l2: 1e-4 },
  "mlp-concept": { features: { set: "concept", hashBuckets: 32, hashSeed: 101 }, hidden: 16, seed: 37, learningRate: 0.01, l2: 1e-4 },
  "mlp-dense": { features: { set: "dense", hashBuckets: 0, hashSeed: 0 }, hidden: 24, seed: 59, learningRate: 0.01, l2: 1e-4 },
};

export interface TrainBudget {
  trainSize: number;
  epochs: number;
  evalSize: number;
  batchSize: number;
}
export const DEFAULT_BUDGET: TrainBudget = { trainSize: 6000, epochs: 40, evalSize: 1500, batchSize: 32 };

/** Trained parameters as float32, exactly what goes into the ONNX initializers. */
export interface DenseModel {
  inputSize: number;
  hidden: number;
  /** [inputSize, hidden], empty for logistic regression. */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden || inputSize, CLASSES]. */
  w2: Float32Array;
  b2: Float32Array;
}

export interface ModelCard {
  format: string;
  variant: string;
  file: string;
  sha256: string;
  featuresVersion: string;
  featureOptions: FeatureOptions;
  architecture: { kind: "logreg" | "mlp"; hidden: number };
  onnx: { irVersion: number; opset: number; producer: string };
  input: { name: string; dtype: "float32"; shape: [string, number] };
  outputs: { name: string; dtype: "float32"; shape: [string, number] }[];
  labels: string[];
  training: { seed: number; trainSize: number; epochs: number; batchSize: number; learningRate: number; l2: number };
  evaluation: { split: "eval"; size: number; accuracyBp: number };
}

export interface TrainedVariant {
  variant: string;
  model: DenseModel;
  onnx: Uint8Array;
  card: ModelCard;
}

/**
 * Forward pass in float64 over float32 weights: the reference the ONNX runtime output is checked against.
 * Returns row-major [n, CLASSES] probabilities.
 */
export function forward(model: DenseModel, x: Float32Array, n: number): Float64Array {
  const f = model.inputSize;
  const h = model.hidden;
  const out = new Float64Array(n * CLASSES);
  const hid = new Float64Array(h);
  const logits = new Float64Array(CLASSES);
  for (let r = 0; r < n; r++) {
    const xo = r * f;
    if (h > 0) {
      for (let j = 0; j < h; j++) {
        let s = 0;
        for (let i = 0; i < f; i++) s += x[xo + i]! * model.w1[i * h + j]!;
        hid[j] = Math.max(0, s + model.b1[j]!);
      }
    }
    for (let k = 0; k < CLASSES; k++) {
      let s = 0;
      if (h > 0) for (let j = 0; j < h; j++) s += hid[j]! * model.w2[j * CLASSES + k]!;
      else for (let i = 0; i < f; i++) s += x[xo + i]! * model.w2[i * CLASSES + k]!;
      logits[k] = s + model.b2[k]!;
    }
    softmaxInto(logits, out, r * CLASSES);
  }
  return out;
}

function softmaxInto(logits: Float64Array, out: Float64Array, at: number): void {
  let max = -Infinity;
  for (let k = 0; k < CLASSES; k++) max = Math.max(max, logits[k]!);
  let sum = 0;
  for (let k = 0; k < CLASSES; k++) sum += Math.exp(logits[k]! - max);
  for (let k = 0; k < CLASSES; k++) out[at + k] = Math.exp(logits[k]! - max) / sum;
}

export function argmaxRows(probs: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let k = 1; k < CLASSES; k++) if (probs[r * CLASSES + k]! > probs[r * CLASSES + best]!) best = k;
    out.push(best);
  }
  return out;
}

/** Accuracy in basis points, integer, so cards and logs never carry float noise. */
export function accuracyBp(predicted: number[], examples: Example[]): number {
  const right = predicted.filter((p, i) => p === examples[i]!.labelId).length;
  return Math.round((right * 10000) / examples.length);
}

/** Minibatch Adam on softmax cross-entropy with L2; all state in float64, deterministic given the seed. */
function fit(spec: VariantSpec, x: Float32Array, labels: number[], budget: TrainBudget): DenseModel {
  const f = featureSize(spec.features);
  const h = spec.hidden;
  const n = labels.length;
  const rng = new Rng(spec.seed);
  const inner = h > 0 ? h : f;
  // He initialisation for the ReLU layer, small Glorot-like scale for the output layer.
  const w1 = Float64Array.from({ length: f * h }, () => rng.normal() * Math.sqrt(2 / f));
  const b1 = new Float64Array(h);
  const w2 = Float64Array.from({ length: inner * CLASSES }, () => rng.normal() * Math.sqrt(1 / inner));
  const b2 = new Float64Array(CLASSES);
  const params = [w1, b1, w2, b2];
  const grads = params.map((p) => new Float64Array(p.length));
  const m = params.map((p) => new Float64Array(p.length));
  const v = params.map((p) => new Float64Array(p.length));
  const [g1, gb1, g2, gb2] = grads as [Float64Array, Float64Array, Float64Array, Float64Array];
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  const order = Array.from({ length: n }, (_, i) => i);
  const hid = new Float64Array(h);
  const dh = new Float64Array(h);
  const logits = new Float64Array(CLASSES);
  const probs = new Float64Array(CLASSES);

  for (let epoch = 0; epoch < budget.epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < n; start += budget.batchSize) {
      const batch = order.slice(start, start + budget.batchSize);
      for (const g of grads) g.fill(0);
      for (const r of batch) {
        const xo = r * f;
        for (let j = 0; j < h; j++) {
          let s = b1[j]!;
          for (let i = 0; i < f; i++) s += x[xo + i]! * w1[i * h + j]!;
          hid[j] = Math.max(0, s);
        }
        for (let k = 0; k < CLASSES; k++) {
          let s = b2[k]!;
          if (h > 0) for (let j = 0; j < h; j++) s += hid[j]! * w2[j * CLASSES + k]!;
          else for (let i = 0; i < f; i++) s += x[xo + i]! * w2[i * CLASSES + k]!;
          logits[k] = s;
        }
        softmaxInto(logits, probs, 0);
        probs[labels[r]!]! -= 1; // d(loss)/d(logits) = p - onehot
        for (let k = 0; k < CLASSES; k++) gb2[k]! += probs[k]!;
        if (h > 0) {
          dh.fill(0);
          for (let j = 0; j < h; j++) {
            for (let k = 0; k < CLASSES; k++) {
              g2[j * CLASSES + k]! += hid[j]! * probs[k]!;
              dh[j]! += w2[j * CLASSES + k]! * probs[k]!;
            }
            if (hid[j]! <= 0) dh[j] = 0;
          }
          for (let j = 0; j < h; j++) {
            if (dh[j] === 0) continue;
            gb1[j]! += dh[j]!;
            for (let i = 0; i < f; i++) {
              const xi = x[xo + i]!;
              if (xi !== 0) g1[i * h + j]! += xi * dh[j]!;
            }
          }
        } else {
          for (let i = 0; i < f; i++) {
            const xi = x[xo + i]!;
            if (xi !== 0) for (let k = 0; k < CLASSES; k++) g2[i * CLASSES + k]! += xi * probs[k]!;
          }
        }
      }
      step++;
      const scale = 1 / batch.length;
      const c1 = 1 - Math.pow(beta1, step);
      const c2 = 1 - Math.pow(beta2, step);
      params.forEach((p, pi) => {
        const g = grads[pi]!;
        const mp = m[pi]!;
        const vp = v[pi]!;
        const decay = pi === 0 || pi === 2 ? spec.l2 : 0; // weights only; biases are not regularised
        for (let q = 0; q < p.length; q++) {
          const gq = g[q]! * scale + decay * p[q]!;
          mp[q] = beta1 * mp[q]! + (1 - beta1) * gq;
          vp[q] = beta2 * vp[q]! + (1 - beta2) * gq * gq;
          p[q]! -= (spec.learningRate * (mp[q]! / c1)) / (Math.sqrt(vp[q]! / c2) + 1e-8);
        }
      });
    }
  }
  return { inputSize: f, hidden: h, w1: Float32Array.from(w1), b1: Float32Array.from(b1), w2: Float32Array.from(w2), b2: Float32Array.from(b2) };
}

/** The ONNX graph: [MatMul, Add, Relu,] MatMul, Add, Softmax(axis=1). */
export function toOnnx(variant: string, model: DenseModel): Uint8Array {
  const nodes: OnnxNode[] = [];
  const inits: OnnxInitializer[] = [];
  let last = INPUT_NAME;
  if (model.hidden > 0) {
    inits.push({ name: "W1", dims: [model.inputSize, model.hidden], data: model.w1 }, { name: "B1", dims: [model.hidden], data: model.b1 });
    nodes.push(
      { opType: "MatMul", name: "hidden_matmul", inputs: [last, "W1"], outputs: ["hidden_mm"] },
      { opType: "Add", name: "hidden_bias", inputs: ["hidden_mm", "B1"], outputs: ["hidden_pre"] },
      { opType: "Relu", name: "hidden_relu", inputs: ["hidden_pre"], outputs: ["hidden"] },
    );
    last = "hidden";
  }
  inits.push(
    { name: "W2", dims: [model.hidden > 0 ? model.hidden : model.inputSize, CLASSES], data: model.w2 },
    { name: "B2", dims: [CLASSES], data: model.b2 },
  );
  nodes.push(
    { opType: "MatMul", name: "out_matmul", inputs: [last, "W2"], outputs: ["out_mm"] },
    { opType: "Add", name: "out_bias", inputs: ["out_mm", "B2"], outputs: ["logits"] },
    { opType: "Softmax", name: "softmax", inputs: ["logits"], outputs: [OUTPUT_NAME], attributes: [{ name: "axis", kind: "int", value: 1 }] },
  );
  return encodeOnnxModel({
    producerName: "mira-sidecar-train",
    producerVersion: "1",
    docString: `Mira sidecar claim verifier ${variant}; labels ${LABELS.join(",")}`,
    graph: {
      name: `mira_sidecar_${variant.replace(/-/g, "_")}`,
      nodes,
      initializers: inits,
      inputs: [{ name: INPUT_NAME, elemType: ONNX_FLOAT, shape: ["N", model.inputSize] }],
      outputs: [{ name: OUTPUT_NAME, elemType: ONNX_FLOAT, shape: ["N", CLASSES] }],
    },
  });
}

export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/** Trains one variant on the train split and scores it on the held-out evaluation split. */
export function trainVariant(variant: string, budget: TrainBudget = DEFAULT_BUDGET): TrainedVariant {
  const spec = VARIANTS[variant];
  if (!spec) throw new Error(`unknown variant ${variant}; known: ${Object.keys(VARIANTS).join(", ")}`);
  const train = generateExamples("train", budget.trainSize);
  const model = fit(
    spec,
    extractBatch(train, spec.features),
    train.map((e) => e.labelId),
    budget,
  );
  const evalSet = generateExamples("eval", budget.evalSize);
  const evalProbs = forward(model, extractBatch(evalSet, spec.features), evalSet.length);
  const onnx = toOnnx(variant, model);
  const f = featureSize(spec.features);
  const card: ModelCard = {
    format: CARD_FORMAT,
    variant,
    file: `${variant}.onnx`,
    sha256: sha256Hex(onnx),
    featuresVersion: FEATURES_VERSION,
    featureOptions: { ...spec.features },
    architecture: { kind: spec.hidden > 0 ? "mlp" : "logreg", hidden: spec.hidden },
    onnx: { irVersion: ONNX_IR_VERSION, opset: ONNX_OPSET, producer: "mira-sidecar-train/1" },
    input: { name: INPUT_NAME, dtype: "float32", shape: ["N", f] },
    outputs: [{ name: OUTPUT_NAME, dtype: "float32", shape: ["N", CLASSES] }],
    labels: [...LABELS],
    training: {
      seed: spec.seed,
      trainSize: budget.trainSize,
      epochs: budget.epochs,
      batchSize: budget.batchSize,
      learningRate: spec.learningRate,
      l2: spec.l2,
    },
    evaluation: { split: "eval", size: evalSet.length, accuracyBp: accuracyBp(argmaxRows(evalProbs, evalSet.length), evalSet) },
  };
  return { variant, model, onnx, card };
}

/** Writes <variant>.onnx and <variant>.json into outDir. */
export function writeVariant(outDir: string, trained: TrainedVariant): { onnxPath: string; cardPath: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const onnxPath = path.join(outDir, trained.card.file);
  const cardPath = path.join(outDir, `${trained.variant}.json`);
  fs.writeFileSync(onnxPath, trained.onnx);
  fs.writeFileSync(cardPath, JSON.stringify(trained.card, null, 2) + "\n");
  return { onnxPath, cardPath };
}

export function trainAll(outDir: string, budget: TrainBudget = DEFAULT_BUDGET, variants: string[] = Object.keys(VARIANTS)): TrainedVariant[] {
  return variants.map((v) => {
    const trained = trainVariant(v, budget);
    writeVariant(outDir, trained);
    return trained;
  });
}

function parseArgs(argv: string[]): { out: string; budget: TrainBudget; variants: string[] } {
  const budget = { ...DEFAULT_BUDGET };
  let out = "models";
  let variants = Object.keys(VARIANTS);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined) throw new Error(`${arg} needs a value`);
      i++;
      return value;
    };
    const positive = (): number => {
      const n = Number(need());
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${arg} must be a positive integer`);
      return n;
    };
    if (arg === "--out") out = need();
    else if (arg === "--train-size") budget.trainSize = positive();
    else if (arg === "--epochs") budget.epochs = positive();
    else if (arg === "--eval-size") budget.evalSize = positive();
    else if (arg === "--variants")
      variants = need()
        .split(",")
        .filter((s) => s.length > 0);
    else throw new Error(`unknown argument ${arg}`);
  }
  return { out, budget, variants };
}

if (require.main === module) {
  try {
    const { out, budget, variants } = parseArgs(process.argv.slice(2));
    for (const t of trainAll(out, budget, variants)) {
      console.log(`${t.variant}: features=${t.card.input.shape[1]} eval accuracy ${(t.card.evaluation.accuracyBp / 100).toFixed(2)}% sha256=${t.card.sha256}`);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

/** Where the localnet and bench:verify keep the trained reference models (training is deterministic). */
export function referenceModelCache(repoRoot: string): string {
  return path.join(repoRoot, ".tools", "models", FEATURES_VERSION.replace(/[^a-z0-9.-]/gi, "_"));
}

/** The variant's .onnx file in `dir`, trained and written there first if it (or its card) is missing. */
export function cachedVariant(dir: string, variant: string, onTrain?: () => void): string {
  const file = path.join(dir, `${variant}.onnx`);
  if (!fs.existsSync(file) || !fs.existsSync(path.join(dir, `${variant}.json`))) {
    onTrain?.();
    writeVariant(dir, trainVariant(variant));
  }
  return file;
}
