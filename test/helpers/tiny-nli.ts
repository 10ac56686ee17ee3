// A tiny BERT-style NLI "cross-encoder" in the layout a Hugging Face ONNX export writes: model.onnx,
// tokenizer.json (WordPiece, BertNormalizer, BertPreTokenizer, a pair post-processor) and config.json
// (id2label). The weights are random but seeded, plus three hand-set directions so that tests can steer it:
// the word "confirmed" pushes the logit of output 1, "denied" that of output 0, and a bias favours output 2.
// With the default id2label {0: contradiction, 1: entailment, 2: neutral} that is: "confirmed" entails,
// "denied" contradicts, anything else is neutral (with varied confidences from the random part).
//
// Graph: input_ids, attention_mask[, token_type_ids] [n, L] int64 -> Gather word (+ type) embeddings ->
// mask-weighted mean over L -> MatMul + bias -> logits [n, 3].
import fs from "node:fs";
import path from "node:path";
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64, type OnnxNode } from "../../app/sidecar/onnx-writer";
import { Rng } from "./rng";

export const TINY_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;
export const TINY_WORDS = [
  "the",
  "a",
  "an",
  "cat",
  "dog",
  "bird",
  "sat",
  "ran",
  "on",
  "mat",
  "is",
  "was",
  "are",
  "red",
  "blue",
  "green",
  "big",
  "small",
  "sky",
  "grass",
  "water",
  "wet",
  "fire",
  "hot",
  "cold",
  "city",
  "river",
  "paris",
  "france",
  "capital",
  "of",
  "in",
  "and",
  "not",
  "no",
  "yes",
  "moon",
  "sun",
  "tree",
  "house",
  "old",
  "new",
  "report",
  "says",
  "that",
  "it",
  "rain",
  "confirmed",
  "denied",
  "##s",
  "##ed",
  "##ing",
  "##ly",
  ".",
  ",",
  "!",
  "?",
  "'",
];
/** The default id2label: not the usual entailment-first order, so that a mapping by position would fail. */
export const TINY_ID2LABEL: Record<string, string> = { "0": "contradiction", "1": "entailment", "2": "neutral" };
export const TINY_HIDDEN = 16;

export interface TinyNliOptions {
  /** config.json id2label. Default TINY_ID2LABEL. The graph is the same whatever the labels say. */
  id2label?: Record<string, string>;
  /** Pair post-processor of tokenizer.json. Default "template" (TemplateProcessing). */
  postProcessor?: "template" | "bert";
  /** config.json max_position_embeddings: the longest input, so the window size. Default 32. */
  maxPositions?: number;
  /** Whether the graph declares token_type_ids (BERT does, RoBERTa exports do not). Default true. */
  tokenTypeIds?: boolean;
  seed?: number;
}

export const tinyVocab = (): string[] => [...TINY_SPECIALS, ...TINY_WORDS];

export function tinyTokenizerJson(options: TinyNliOptions = {}): object {
  const vocab = tinyVocab();
  const id = (t: string): number => vocab.indexOf(t);
  const special = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  const sequence = (s: "A" | "B", typeId: number) => ({ Sequence: { id: s, type_id: typeId } });
  const postProcessor =
    options.postProcessor === "bert"
      ? { type: "BertProcessing", sep: ["[SEP]", id("[SEP]")], cls: ["[CLS]", id("[CLS]")] }
      : {
          type: "TemplateProcessing",
          single: [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)],
          pair: [special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0), sequence("B", 1), special("[SEP]", 1)],
          special_tokens: Object.fromEntries(["[CLS]", "[SEP]"].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
        };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: TINY_SPECIALS.map((t, i) => ({ id: i, content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: postProcessor,
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: "[UNK]",
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

export function tinyConfigJson(options: TinyNliOptions = {}): object {
  const id2label = options.id2label ?? TINY_ID2LABEL;
  return {
    architectures: ["BertForSequenceClassification"],
    model_type: "bert",
    hidden_size: TINY_HIDDEN,
    max_position_embeddings: options.maxPositions ?? 32,
    type_vocab_size: 2,
    vocab_size: tinyVocab().length,
    pad_token_id: 0,
    id2label,
    label2id: Object.fromEntries(Object.entries(id2label).map(([k, v]) => [v, Number(k)])),
  };
}

export function tinyOnnx(options: TinyNliOptions = {}): Uint8Array {
  const rng = new Rng(options.seed ?? 7);
  const vocab = tinyVocab();
  const V = vocab.length;
  const H = TINY_HIDDEN;
  const small = (scale: number) => rng.normal() * scale;
  // Dims 0..2 carry the three logits (through 3 x identity rows of the classifier); the rest is random.
  const word = Float32Array.from({ length: V * H }, (_, i) => (i % H < 3 ? small(0.1) : small(0.5)));
  word[vocab.indexOf("confirmed") * H + 1] = 8;
  word[vocab.indexOf("denied") * H + 0] = 8;
  const type = Float32Array.from({ length: 2 * H }, () => small(0.1));
  const classifier = Float32Array.from({ length: H * 3 }, (_, i) => (Math.floor(i / 3) < 3 ? (Math.floor(i / 3) === i % 3 ? 3 : 0) : small(0.2)));
  const bias = Float32Array.from([0, 0, 1.5]);
  const withTypes = options.tokenTypeIds ?? true;

  const nodes: OnnxNode[] = [
    { opType: "Gather", name: "word_embeddings", inputs: ["word_emb", "input_ids"], outputs: withTypes ? ["tok"] : ["emb"] },
    ...(withTypes
      ? [
          { opType: "Gather", name: "type_embeddings", inputs: ["type_emb", "token_type_ids"], outputs: ["typ"] },
          { opType: "Add", name: "embeddings", inputs: ["tok", "typ"], outputs: ["emb"] },
        ]
      : []),
    { opType: "Cast", name: "mask_float", inputs: ["attention_mask"], outputs: ["mask_f"], attributes: [{ name: "to", kind: "int", value: ONNX_FLOAT }] },
    { opType: "Unsqueeze", name: "mask_3d", inputs: ["mask_f", "axis_2"], outputs: ["mask3"] },
    { opType: "Mul", name: "masked", inputs: ["emb", "mask3"], outputs: ["masked"] },
    { opType: "ReduceSum", name: "sum", inputs: ["masked", "axis_1"], outputs: ["summed"], attributes: [{ name: "keepdims", kind: "int", value: 0 }] },
    { opType: "ReduceSum", name: "count", inputs: ["mask3", "axis_1"], outputs: ["count"], attributes: [{ name: "keepdims", kind: "int", value: 0 }] },
    { opType: "Div", name: "mean", inputs: ["summed", "count"], outputs: ["pooled"] },
    { opType: "MatMul", name: "classifier", inputs: ["pooled", "cls_w"], outputs: ["scores"] },
    { opType: "Add", name: "classifier_bias", inputs: ["scores", "cls_b"], outputs: ["logits"] },
  ];
  const inputs = ["input_ids", "attention_mask", ...(withTypes ? ["token_type_ids"] : [])].map((name) => ({
    name,
    elemType: ONNX_INT64,
    shape: ["batch_size", "sequence_length"],
  }));
  return encodeOnnxModel({
    producerName: "mira-test-tiny-nli",
    producerVersion: "1",
    graph: {
      name: "tiny_nli",
      nodes,
      initializers: [
        { name: "word_emb", dims: [V, H], data: word },
        ...(withTypes ? [{ name: "type_emb", dims: [2, H], data: type }] : []),
        { name: "cls_w", dims: [H, 3], data: classifier },
        { name: "cls_b", dims: [3], data: bias },
      ],
      int64Initializers: [
        { name: "axis_1", dims: [1], data: [1] },
        { name: "axis_2", dims: [1], data: [2] },
      ],
      inputs,
      outputs: [{ name: "logits", elemType: ONNX_FLOAT, shape: ["batch_size", 3] }],
    },
  });
}

/** Writes model.onnx, tokenizer.json and config.json into `dir` (created if missing) and returns `dir`. */
export function writeTinyNli(dir: string, options: TinyNliOptions = {}): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "model.onnx"), tinyOnnx(options));
  fs.writeFileSync(path.join(dir, "tokenizer.json"), JSON.stringify(tinyTokenizerJson(options), null, 2));
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(tinyConfigJson(options), null, 2));
  return dir;
}
