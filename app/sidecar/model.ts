// Runs a sidecar verification model (ONNX file + JSON model card) with onnxruntime-node.
// The card pins the feature extractor options and the file's sha256, so a validator refuses a model whose
// bytes differ from what its card (and therefore its vote) claims.
import crypto from "node:crypto";
import fs from "node:fs";
import * as ort from "onnxruntime-node";
import { LABELS, type Verdict } from "./dataset";
import { extractBatch, featureSize, FEATURES_VERSION, type FeatureOptions, type FeatureSet } from "./features";

export interface Verification {
  verdict: Verdict;
  /** Probability of the verdict in basis points, an integer in 0..10000. */
  confidenceBp: number;
  modelSha256: string;
  /**
   * The model looked and will not judge: the sidecar answers VERDICT_ABSTAIN (no verdict is backed, no fault
   * is counted) and `verdict` is only its leaning. Unlike a missing answer, which the node asks for again.
   */
  abstain?: boolean;
}

export interface LoadOptions {
  /** Defaults to the .onnx path with a .json extension. */
  cardPath?: string;
  /** onnxruntime execution providers in preference order; CPU keeps results identical across validators. */
  executionProviders?: readonly string[];
}

/** The card fields the runtime relies on; the full card is written by train.ts. */
export interface LoadedCard {
  variant: string;
  sha256: string;
  featuresVersion: string;
  featureOptions: FeatureOptions;
  inputName: string;
  outputName: string;
  featureSize: number;
  labels: Verdict[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field<T>(obj: Record<string, unknown>, key: string, check: (v: unknown) => v is T, what: string): T {
  const v = obj[key];
  if (!check(v)) throw new Error(`model card: ${key} must be ${what}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === "string";
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isFeatureSet = (v: unknown): v is FeatureSet => v === "dense" || v === "hashed" || v === "concept";
const isNamedArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/** Validates a parsed card against what this build of the runtime can execute faithfully. */
export function parseCard(json: unknown): LoadedCard {
  if (!isRecord(json)) throw new Error("model card: not an object");
  const opts = field(json, "featureOptions", isRecord, "an object");
  const featureOptions: FeatureOptions = {
    set: field(opts, "set", isFeatureSet, "dense|hashed|concept"),
    hashBuckets: field(opts, "hashBuckets", isInt, "a non-negative integer"),
    hashSeed: field(opts, "hashSeed", isInt, "a non-negative integer"),
  };
  const featuresVersion = field(json, "featuresVersion", isString, "a string");
  // Features computed by a different extractor version would silently feed the model garbage.
  if (featuresVersion !== FEATURES_VERSION) throw new Error(`model card: features ${featuresVersion}, runtime has ${FEATURES_VERSION}`);
  const input = field(json, "input", isRecord, "an object");
  const shape = field(input, "shape", isNamedArray, "a shape");
  const size = featureSize(featureOptions);
  if (shape[1] !== size) throw new Error(`model card: input width ${String(shape[1])} but feature options give ${size}`);
  const outputs = field(json, "outputs", isNamedArray, "a non-empty list");
  const first = outputs[0];
  if (!isRecord(first)) throw new Error("model card: outputs[0] must be an object");
  const labels = field(json, "labels", isNamedArray, "a list");
  if (labels.length !== LABELS.length || labels.some((l, i) => l !== LABELS[i])) {
    throw new Error(`model card: labels must be ${LABELS.join(",")} in that order`);
  }
  const sha256 = field(json, "sha256", isString, "a hex string");
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("model card: sha256 must be 64 lower-case hex digits");
  return {
    variant: field(json, "variant", isString, "a string"),
    sha256,
    featuresVersion,
    featureOptions,
    inputName: field(input, "name", isString, "a string"),
    outputName: field(first, "name", isString, "a string"),
    featureSize: size,
    labels: [...LABELS],
  };
}

export class VerificationModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly card: LoadedCard,
  ) {}

  get sha256(): string {
    return this.card.sha256;
  }

  /** Loads and checks a model: the file's sha256 must equal the card's. */
  static async load(onnxPath: string, options: LoadOptions = {}): Promise<VerificationModel> {
    const cardPath = options.cardPath ?? onnxPath.replace(/\.onnx$/, "") + ".json";
    const card = parseCard(JSON.parse(fs.readFileSync(cardPath, "utf8")));
    const bytes = fs.readFileSync(onnxPath);
    const actual = crypto.createHash("sha256").update(bytes).digest("hex");
    if (actual !== card.sha256) throw new Error(`model ${onnxPath}: sha256 ${actual} does not match card ${card.sha256}`);
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: options.executionProviders ?? ["cpu"],
      graphOptimizationLevel: "all",
    });
    if (!session.inputNames.includes(card.inputName) || !session.outputNames.includes(card.outputName)) {
      await session.release();
      throw new Error(`model ${onnxPath}: graph does not expose ${card.inputName} -> ${card.outputName}`);
    }
    return new VerificationModel(session, card);
  }

  /** Raw probabilities for a row-major [n, F] feature batch; row-major [n, 3] out. */
  async probabilities(features: Float32Array, n: number): Promise<Float32Array> {
    if (features.length !== n * this.card.featureSize) throw new Error(`expected ${n}x${this.card.featureSize} features, got ${features.length} values`);
    const input = new ort.Tensor("float32", features, [n, this.card.featureSize]);
    const result = await this.session.run({ [this.card.inputName]: input });
    const out = result[this.card.outputName];
    if (!out || !(out.data instanceof Float32Array)) throw new Error(`model output ${this.card.outputName} is missing or not float32`);
    return out.data;
  }

  /** Verifies a batch of claims against their sources. */
  async verify(pairs: readonly { claim: string; source: string }[]): Promise<Verification[]> {
    if (pairs.length === 0) return [];
    const probs = await this.probabilities(extractBatch(pairs, this.card.featureOptions), pairs.length);
    const classes = this.card.labels.length;
    return pairs.map((_, r) => {
      let best = 0;
      for (let k = 1; k < classes; k++) if (probs[r * classes + k]! > probs[r * classes + best]!) best = k;
      return {
        verdict: this.card.labels[best]!,
        confidenceBp: Math.min(10000, Math.max(0, Math.round(probs[r * classes + best]! * 10000))),
        modelSha256: this.card.sha256,
      };
    });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
