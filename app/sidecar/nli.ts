// A Hugging Face NLI cross-encoder (a sequence-classification model exported to ONNX by optimum or
// transformers, e.g. cross-encoder/nli-deberta-v3-xsmall or roberta-large-mnli) as a sidecar model.
// The model folder holds model.onnx, tokenizer.json and config.json, nothing else is read and nothing is
// fetched. Text is tokenized by tokenizers.js (@huggingface/tokenizers) from tokenizer.json alone, as the
// Rust "fast" tokenizer does: the source is the premise (sequence A), the claim the hypothesis (sequence B),
// and the tokenizer's own post-processor adds the special tokens and the token type ids.
//
// Long sources are read in windows: the claim with each stretch of at most `window` source tokens, stretches
// overlapping by a quarter of a window. The strongest evidence wins: among the windows whose most likely label
// is entailment or contradiction, the one with the highest such probability gives the verdict (SUPPORTED or
// REFUTED) and its probability the confidence; only when every window is most likely neutral is the claim
// UNVERIFIABLE, with the lowest of the windows' neutral probabilities as the confidence.
//
// Each input is padded to a length that depends on its own length only (a power of two from 16, at most the
// model's limit), so the numbers a claim is judged on do not depend on which other claims share its batch.
//
// The model hash is sha256 over model.onnx, tokenizer.json and config.json, in that order, each preceded by
// its length in bytes as an 8-byte big-endian integer: any change to the weights, the tokenization or the
// label mapping is a different model.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Tokenizer } from "@huggingface/tokenizers" with { "resolution-mode": "import" };
import * as ort from "onnxruntime-node";
import type { Verdict } from "./dataset";
import type { Verification } from "./model";

/** The files of a model folder, in the order the model hash reads them. */
export const NLI_FILES = ["model.onnx", "tokenizer.json", "config.json"] as const;
/** No input is longer than this many tokens, whatever the model allows. */
export const NLI_MAX_LENGTH_CAP = 512;
/** The most tokens (rows x padded length) in one onnxruntime run. */
export const DEFAULT_MAX_TOKENS_PER_RUN = 16_384;
/** The inputs this runtime can feed; a graph that takes anything else is refused. */
export const NLI_INPUTS = ["input_ids", "attention_mask", "token_type_ids"] as const;

const LABEL_OF: Record<string, Verdict> = { entailment: "SUPPORTED", contradiction: "REFUTED", neutral: "UNVERIFIABLE" };
/** Model types whose position ids start after the padding index, leaving max_position_embeddings - 2 positions. */
const OFFSET_POSITIONS = new Set(["roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "longformer", "mpnet", "roberta-prelayernorm", "data2vec-text"]);
const MIN_BUCKET = 16;

export interface NliLoadOptions {
  /** onnxruntime execution providers in preference order. Default ["cpu"]. One that cannot start is dropped. */
  executionProviders?: readonly string[];
  /** Longest input in tokens, special tokens included. Default: the tokenizer's and the model's limit, at most 512. */
  maxLength?: number;
  /** Source tokens shared by consecutive windows. Default a quarter of the window. */
  overlap?: number;
  /** Most tokens (rows x padded length) in one onnxruntime run. Default 16384. */
  maxTokensPerRun?: number;
  /** Notices (a provider dropped). */
  log?: (line: string) => void;
  /** Called with the tensors of every onnxruntime run, before it runs (for tests). */
  onRun?: (feeds: Readonly<Record<string, ort.Tensor>>) => void;
}

/** One model input: token ids and token type ids, without padding. */
export interface NliInput {
  ids: number[];
  typeIds: number[];
}

export interface NliConfig {
  /** The verdict of each output, by output index (from id2label). */
  labels: Verdict[];
  modelType?: string;
  maxPositions?: number;
  padTokenId?: number;
  /** type_vocab_size: with 0 or 1 (RoBERTa, DeBERTa-v3) every token type id fed is 0. */
  typeVocabSize?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const oneLine = (message: string): string => message.replace(/\s+/g, " ").trim();
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v > 0;

/** Reads the label mapping and the limits the runtime needs from a parsed config.json. */
export function parseNliConfig(json: unknown): NliConfig {
  if (!isRecord(json)) throw new Error("config.json: not a JSON object");
  const id2label = json.id2label;
  const expected = "id2label must name entailment, contradiction and neutral, one output each (any order, any case)";
  if (!isRecord(id2label)) throw new Error(`config.json: no id2label; ${expected}`);
  const entries = Object.entries(id2label);
  const labels: Verdict[] = [];
  for (const [key, name] of entries) {
    const index = Number(key);
    const verdict = typeof name === "string" ? LABEL_OF[name.trim().toLowerCase()] : undefined;
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || verdict === undefined || labels.includes(verdict) || labels[index] !== undefined) {
      throw new Error(`config.json: ${expected}; got ${JSON.stringify(id2label)}`);
    }
    labels[index] = verdict;
  }
  if (labels.length !== 3 || labels.some((l) => l === undefined)) throw new Error(`config.json: ${expected}; got ${JSON.stringify(id2label)}`);
  return {
    labels,
    modelType: typeof json.model_type === "string" ? json.model_type : undefined,
    maxPositions: isCount(json.max_position_embeddings) ? json.max_position_embeddings : undefined,
    padTokenId: typeof json.pad_token_id === "number" && Number.isSafeInteger(json.pad_token_id) && json.pad_token_id >= 0 ? json.pad_token_id : undefined,
    typeVocabSize: typeof json.type_vocab_size === "number" && Number.isSafeInteger(json.type_vocab_size) ? json.type_vocab_size : undefined,
  };
}

/** sha256 over model.onnx, tokenizer.json and config.json, in that order, each after its u64 big-endian length. */
export function nliModelSha256(model: Uint8Array, tokenizer: Uint8Array, config: Uint8Array): string {
  const hash = crypto.createHash("sha256");
  for (const bytes of [model, tokenizer, config]) {
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.length));
    hash.update(length);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

/** The longest input: the tokenizer's truncation length and the model's positions, at most 512. */
export function nliMaxLength(tokenizerJson: unknown, config: NliConfig): number {
  let limit = NLI_MAX_LENGTH_CAP;
  const truncation = isRecord(tokenizerJson) ? tokenizerJson.truncation : undefined;
  if (isRecord(truncation) && isCount(truncation.max_length)) limit = Math.min(limit, truncation.max_length);
  if (config.maxPositions !== undefined) {
    limit = Math.min(limit, config.maxPositions - (OFFSET_POSITIONS.has(config.modelType ?? "") ? 2 : 0));
  }
  return limit;
}

/** A tokenizers.js Tokenizer from a parsed tokenizer.json (tokenizers.js is an ES module, loaded on first use). */
export async function loadTokenizer(tokenizerJson: unknown): Promise<Tokenizer> {
  const lib = await import("@huggingface/tokenizers");
  // The second argument is tokenizer_config.json, which only transformers.js reads; tokenizer.json alone
  // describes the tokenization, as for the Rust tokenizers.
  return new lib.Tokenizer(tokenizerJson as object, {});
}

/** Turns (source, claim) into model inputs: the tokenizer's tokens, windows over the source, its post-processor. */
export class NliEncoder {
  private readonly addedIds = new Map<string, number>();
  private readonly unkId: number | undefined;
  /** Special tokens the post-processor adds around a pair. */
  readonly specials: number;

  constructor(
    readonly tokenizer: Tokenizer,
    /** Longest input, special tokens included. */
    readonly maxLength: number,
    private readonly overlapTokens?: number,
  ) {
    // Token to id as tokenizers.js's own encode() does it: added tokens (also in normalized form), the vocabulary, unk.
    for (const token of tokenizer.get_added_tokens_decoder().values()) {
      this.addedIds.set(token.content, token.id);
      if (token.normalized && tokenizer.normalizer) this.addedIds.set(tokenizer.normalizer(token.content), token.id);
    }
    this.unkId = tokenizer.model?.unk_token_id;
    this.specials = this.assemble([], []).ids.length;
    if (maxLength - this.specials < 2) throw new Error(`inputs of ${maxLength} tokens leave no room for a claim and a source`);
    if (overlapTokens !== undefined && (!Number.isSafeInteger(overlapTokens) || overlapTokens < 0)) {
      throw new Error(`overlap must be a non-negative integer, got ${overlapTokens}`);
    }
  }

  /** The tokenizer's tokens of one text, without special tokens. */
  tokens(text: string): string[] {
    return this.tokenizer.tokenize(text);
  }

  private idOf(token: string): number {
    const id = this.addedIds.get(token) ?? this.tokenizer.token_to_id(token) ?? this.unkId;
    if (id === undefined) throw new Error(`token ${JSON.stringify(token)} has no id and the tokenizer has no unknown token`);
    return id;
  }

  /** One input: the post-processor's template around source tokens (sequence A) and claim tokens (sequence B). */
  assemble(sourceTokens: string[], claimTokens: string[]): NliInput {
    const processor = this.tokenizer.post_processor;
    let tokens: string[];
    let typeIds: number[] | undefined;
    if (processor) {
      const out = processor.post_process(sourceTokens, claimTokens, true);
      tokens = out.tokens_pair ? [...out.tokens, ...out.tokens_pair] : out.tokens;
      typeIds = out.tokens_pair ? undefined : out.token_type_ids;
    } else tokens = [...sourceTokens, ...claimTokens];
    return { ids: tokens.map((t) => this.idOf(t)), typeIds: typeIds?.length === tokens.length ? [...typeIds] : tokens.map(() => 0) };
  }

  /**
   * The inputs for one pair: the claim (cut to half of the room if longer) with each window of the source.
   * Windows start every `window - overlap` tokens; the last one ends at the source's end.
   */
  windows(source: string, claim: string): NliInput[] {
    const room = this.maxLength - this.specials;
    let claimTokens = this.tokens(claim);
    if (claimTokens.length > Math.floor(room / 2)) claimTokens = claimTokens.slice(0, Math.floor(room / 2));
    const window = room - claimTokens.length;
    const sourceTokens = this.tokens(source);
    const overlap = Math.min(this.overlapTokens ?? Math.floor(window / 4), window - 1);
    const step = window - overlap;
    const starts: number[] = [];
    for (let start = 0; ; start += step) {
      if (start + window >= sourceTokens.length) {
        starts.push(Math.max(0, sourceTokens.length - window));
        break;
      }
      starts.push(start);
    }
    return starts.map((start) => this.assemble(sourceTokens.slice(start, start + window), claimTokens));
  }
}

/** The verdict of one pair from the label probabilities of its windows (see the rule at the top of this file). */
export function decide(windows: readonly (readonly number[])[], labels: readonly Verdict[]): { verdict: Verdict; probability: number; window: number } {
  if (windows.length === 0) throw new Error("no windows to decide from");
  let lean: { verdict: Verdict; probability: number; window: number } | undefined;
  let neutral: { probability: number; window: number } | undefined;
  windows.forEach((probs, w) => {
    let best = 0;
    for (let k = 1; k < labels.length; k++) if (probs[k]! > probs[best]!) best = k;
    const verdict = labels[best]!;
    const probability = probs[best]!;
    if (verdict !== "UNVERIFIABLE") {
      if (lean === undefined || probability > lean.probability) lean = { verdict, probability, window: w };
    } else if (neutral === undefined || probability < neutral.probability) neutral = { probability, window: w };
  });
  return lean ?? { verdict: "UNVERIFIABLE", probability: neutral!.probability, window: neutral!.window };
}

function softmax(logits: ArrayLike<number>, offset: number, n: number): number[] | undefined {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[offset + k]!);
  const exp = Array.from({ length: n }, (_, k) => Math.exp(logits[offset + k]! - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  const probs = exp.map((e) => e / sum);
  return probs.every(Number.isFinite) ? probs : undefined;
}

/** The padded length of an input: the next power of two from 16, at most maxLength. */
function bucketOf(length: number, maxLength: number): number {
  let bucket = MIN_BUCKET;
  while (bucket < length) bucket *= 2;
  return Math.min(bucket, maxLength);
}

function readModelFiles(dir: string): Record<(typeof NLI_FILES)[number], Buffer> {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new Error("does not exist");
  if (!stat.isDirectory()) throw new Error("is not a folder");
  const missing = NLI_FILES.filter((f) => !fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.isFile());
  if (missing.length > 0) {
    throw new Error(`no ${missing.join(", ")}; a model folder holds ${NLI_FILES.join(", ")} (see docs/sidecar-models.md)`);
  }
  const [model, tokenizer, config] = NLI_FILES.map((f) => fs.readFileSync(path.join(dir, f)));
  return { "model.onnx": model!, "tokenizer.json": tokenizer!, "config.json": config! };
}

function parseJson(bytes: Buffer, name: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    throw new Error(`${name} is not JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Starts a session on the first providers that work: a provider that fails to start is dropped, with a notice. */
async function createSession(
  bytes: Uint8Array,
  requested: readonly string[],
  log?: (line: string) => void,
): Promise<{ session: ort.InferenceSession; providers: string[] }> {
  if (requested.length === 0) throw new Error("no execution providers given");
  const known = ort.listSupportedBackends().map((b) => b.name);
  const unknown = requested.filter((p) => !known.includes(p));
  if (unknown.length > 0) throw new Error(`unknown execution provider ${unknown.join(", ")}: this onnxruntime-node has ${known.join(", ")}`);
  const providers = [...requested];
  for (;;) {
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: providers, graphOptimizationLevel: "all" });
      return { session, providers };
    } catch (err) {
      const message = oneLine((err as Error).message);
      if (providers.length === 1) throw new Error(`onnxruntime cannot run model.onnx on ${providers[0]}: ${message}`, { cause: err });
      log?.(`execution provider ${providers[0]} is not available (${message}); using ${providers.slice(1).join(",")}`);
      providers.shift();
    }
  }
}

/** A Hugging Face NLI cross-encoder exported to ONNX: a sidecar model. */
export class NliModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly encoder: NliEncoder,
    readonly config: NliConfig,
    readonly sha256: string,
    /** The execution providers the session runs on. */
    readonly executionProviders: readonly string[],
    private readonly inputs: readonly string[],
    private readonly output: string,
    private readonly padId: number,
    private readonly maxTokensPerRun: number,
    private readonly onRun?: (feeds: Readonly<Record<string, ort.Tensor>>) => void,
  ) {}

  /** Loads a model folder (model.onnx, tokenizer.json, config.json); every error is one line saying what is wrong. */
  static async load(dir: string, options: NliLoadOptions = {}): Promise<NliModel> {
    try {
      return await NliModel.loadOrThrow(dir, options);
    } catch (err) {
      throw new Error(oneLine(`model folder ${dir}: ${(err as Error).message}`), { cause: err });
    }
  }

  private static async loadOrThrow(dir: string, options: NliLoadOptions): Promise<NliModel> {
    const files = readModelFiles(dir);
    const config = parseNliConfig(parseJson(files["config.json"], "config.json"));
    const tokenizerJson = parseJson(files["tokenizer.json"], "tokenizer.json");
    let tokenizer: Tokenizer;
    try {
      tokenizer = await loadTokenizer(tokenizerJson);
    } catch (err) {
      throw new Error(`tokenizer.json: ${(err as Error).message}`, { cause: err });
    }
    const maxLength = options.maxLength ?? nliMaxLength(tokenizerJson, config);
    if (!Number.isSafeInteger(maxLength) || maxLength <= 0) throw new Error(`maxLength must be a positive integer, got ${maxLength}`);
    const encoder = new NliEncoder(tokenizer, maxLength, options.overlap);
    const maxTokensPerRun = options.maxTokensPerRun ?? DEFAULT_MAX_TOKENS_PER_RUN;
    if (!Number.isSafeInteger(maxTokensPerRun) || maxTokensPerRun <= 0) throw new Error(`maxTokensPerRun must be a positive integer, got ${maxTokensPerRun}`);
    const sha256 = nliModelSha256(files["model.onnx"], files["tokenizer.json"], files["config.json"]);
    const { session, providers } = await createSession(files["model.onnx"], options.executionProviders ?? ["cpu"], options.log);
    try {
      const inputs = NliModel.checkGraph(session, config);
      const output = session.outputNames.includes("logits") ? "logits" : session.outputNames[0]!;
      const padId = config.padTokenId ?? padIdOf(tokenizerJson, tokenizer) ?? 0;
      return new NliModel(session, encoder, config, sha256, providers, inputs, output, padId, maxTokensPerRun, options.onRun);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** The inputs to feed (as the graph declares them); refuses a graph this runtime cannot drive. */
  private static checkGraph(session: ort.InferenceSession, config: NliConfig): string[] {
    const inputs = session.inputMetadata;
    const names = inputs.map((i) => i.name);
    const odd = names.filter((n) => !(NLI_INPUTS as readonly string[]).includes(n));
    if (odd.length > 0) throw new Error(`model.onnx takes ${odd.join(", ")}; this runtime feeds only ${NLI_INPUTS.join(", ")}`);
    if (!names.includes("input_ids")) throw new Error("model.onnx takes no input_ids");
    for (const input of inputs) {
      if (input.isTensor && input.type !== "int64") throw new Error(`model.onnx input ${input.name} is ${input.type}; int64 expected`);
    }
    const outputs = session.outputMetadata;
    const output = outputs.find((o) => o.name === "logits") ?? (outputs.length === 1 ? outputs[0] : undefined);
    if (!output) throw new Error(`model.onnx has no "logits" output (it has ${session.outputNames.join(", ")})`);
    if (output.isTensor) {
      if (output.type !== "float32") throw new Error(`model.onnx output ${output.name} is ${output.type}; float32 logits expected`);
      const width = output.shape[output.shape.length - 1];
      if (typeof width === "number" && width !== config.labels.length) {
        throw new Error(`model.onnx gives ${width} logits per input but config.json id2label names ${config.labels.length}`);
      }
    }
    return names;
  }

  /** Label probabilities (by output index) for each input; undefined where the logits are not finite. */
  async probabilities(rows: readonly NliInput[]): Promise<(number[] | undefined)[]> {
    const out: (number[] | undefined)[] = new Array<number[] | undefined>(rows.length);
    const maxLength = this.encoder.maxLength;
    const buckets = new Map<number, number[]>();
    rows.forEach((row, i) => {
      if (row.ids.length > maxLength) throw new Error(`input ${i} has ${row.ids.length} tokens; the most is ${maxLength}`);
      const b = bucketOf(row.ids.length, maxLength);
      const members = buckets.get(b);
      if (members) members.push(i);
      else buckets.set(b, [i]);
    });
    const classes = this.config.labels.length;
    const singleType = this.config.typeVocabSize !== undefined && this.config.typeVocabSize <= 1;
    for (const length of [...buckets.keys()].sort((a, b) => a - b)) {
      const members = buckets.get(length)!;
      const perRun = Math.max(1, Math.floor(this.maxTokensPerRun / length));
      for (let at = 0; at < members.length; at += perRun) {
        const chunk = members.slice(at, at + perRun);
        const n = chunk.length;
        const ids = new BigInt64Array(n * length).fill(BigInt(this.padId));
        const mask = new BigInt64Array(n * length);
        const types = new BigInt64Array(n * length);
        chunk.forEach((r, j) => {
          const row = rows[r]!;
          row.ids.forEach((id, k) => {
            ids[j * length + k] = BigInt(id);
            mask[j * length + k] = 1n;
            types[j * length + k] = singleType ? 0n : BigInt(row.typeIds[k] ?? 0);
          });
        });
        const all: Record<string, BigInt64Array> = { input_ids: ids, attention_mask: mask, token_type_ids: types };
        const feeds: Record<string, ort.Tensor> = {};
        for (const name of this.inputs) feeds[name] = new ort.Tensor("int64", all[name]!, [n, length]);
        this.onRun?.(feeds);
        const result = await this.session.run(feeds);
        const logits = result[this.output];
        if (!logits || !(logits.data instanceof Float32Array)) throw new Error(`model output ${this.output} is missing or not float32`);
        if (logits.data.length !== n * classes)
          throw new Error(`model output ${this.output} has ${logits.data.length} values for ${n} inputs of ${classes} labels`);
        chunk.forEach((r, j) => (out[r] = softmax(logits.data as Float32Array, j * classes, classes)));
      }
    }
    return out;
  }

  /** Verdicts for (claim, source) pairs; undefined (no verdict) only where the model's numbers are not finite. */
  async verify(pairs: readonly { claim: string; source: string }[]): Promise<(Verification | undefined)[]> {
    if (pairs.length === 0) return [];
    const rows: NliInput[] = [];
    const ranges = pairs.map(({ claim, source }) => {
      const windows = this.encoder.windows(source, claim);
      rows.push(...windows);
      return [rows.length - windows.length, rows.length] as const;
    });
    const probs = await this.probabilities(rows);
    return ranges.map(([from, to]) => {
      const windows = probs.slice(from, to);
      if (windows.some((p) => p === undefined)) return undefined;
      const { verdict, probability } = decide(windows as number[][], this.config.labels);
      return { verdict, confidenceBp: Math.min(10000, Math.max(0, Math.round(probability * 10000))), modelSha256: this.sha256 };
    });
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The padding id from tokenizer.json's padding settings, or its [PAD] / <pad> token. */
function padIdOf(tokenizerJson: unknown, tokenizer: Tokenizer): number | undefined {
  const padding = isRecord(tokenizerJson) ? tokenizerJson.padding : undefined;
  if (isRecord(padding) && typeof padding.pad_id === "number") return padding.pad_id;
  return tokenizer.token_to_id("[PAD]") ?? tokenizer.token_to_id("<pad>");
}
