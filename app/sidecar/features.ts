// Deterministic (claim, source) -> Float32Array feature extraction for the sidecar's verification models.
// Every validator must compute identical features for identical text, so this uses only string operations,
// a fixed lexicon and a seeded FNV-1a hash (no locale-dependent calls, no randomness, no floating-point
// order dependence beyond plain sums in a fixed order).
//
// Layout of one row (F = featureSize(options)):
//   [0, DENSE_SIZE)                      dense agreement features (always present), listed in DENSE_NAMES
//   [DENSE_SIZE, +CONCEPT_SIZE)          relation-concept features (set "concept" only)
//   [.., +2 * hashBuckets)               hashed claim tokens, first half "token also in source",
//                                        second half "token absent from source" (sets "hashed" and "concept")

export type FeatureSet = "dense" | "hashed" | "concept";

export interface FeatureOptions {
  set: FeatureSet;
  /** Buckets per half of the hashed block; ignored for "dense". */
  hashBuckets: number;
  /** Seed mixed into the token hash, so variants with the same buckets still collide differently. */
  hashSeed: number;
}

/** Bumped whenever the extraction below changes, and recorded in each model card. */
export const FEATURES_VERSION = "mira-sidecar-features/2";

export const DENSE_NAMES = [
  "claim_tokens_in_source_frac",
  "claim_tokens_missing_count",
  "claim_has_number",
  "claim_numbers_in_source_frac",
  "claim_number_missing",
  "claim_negated",
  "source_negated",
  "negation_mismatch",
  "claim_entities_in_source_frac",
  "claim_entities_missing_count",
  "best_sentence_token_frac",
  "best_sentence_entity_frac",
  "all_entities_one_sentence",
  "claim_length",
  "best_sentence_covered_by_claim_frac",
  "token_jaccard",
] as const;
export const DENSE_SIZE = DENSE_NAMES.length;

/**
 * A small hand-written synonym lexicon mapping words to the relation they express. Every word here must occur
 * in the TRAINING split's text (dataset.ts templateVocabulary("train")); none may come from the evaluation
 * split's wording, or held-out accuracy would measure the lexicon's author rather than the model.
 * test/sidecar-models.test.ts enforces this for this list, NEGATIONS and STOPWORDS.
 */
export const CONCEPTS: Readonly<Record<string, readonly string[]>> = {
  found: ["found", "founded", "established", "establish", "started", "created", "set"],
  base: ["based", "headquarters", "headquartered", "office", "seat", "operates"],
  staff: ["employs", "employ", "employees", "staff", "people", "working", "workers", "team"],
  born: ["born", "native", "grew", "raised", "hometown"],
  make: ["makes", "make", "made", "produces", "known", "builds", "maker"],
};
const CONCEPT_NAMES = Object.keys(CONCEPTS);
const WORD_CONCEPT = new Map<string, number>();
CONCEPT_NAMES.forEach((c, i) => CONCEPTS[c]!.forEach((w) => WORD_CONCEPT.set(w, i)));
/** Per concept: (in claim and source, in claim only), then two aggregate features. */
export const CONCEPT_SIZE = CONCEPT_NAMES.length * 2 + 2;

export const NEGATIONS: ReadonlySet<string> = new Set(["not", "no", "never", "none", "nor", "without", "didn't", "doesn't", "isn't", "wasn't"]);
export const STOPWORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "the",
  "of",
  "in",
  "on",
  "at",
  "by",
  "for",
  "and",
  "or",
  "is",
  "was",
  "are",
  "were",
  "be",
  "has",
  "have",
  "had",
  "its",
  "there",
  "that",
  "this",
  "with",
  "as",
  "does",
  "did",
  "do",
  "which",
  "who",
]);

export function featureSize(opts: FeatureOptions): number {
  if (opts.set === "dense") return DENSE_SIZE;
  const hashed = 2 * opts.hashBuckets;
  return opts.set === "hashed" ? DENSE_SIZE + hashed : DENSE_SIZE + CONCEPT_SIZE + hashed;
}

interface Token {
  /** Lower-cased word, or the digits of a number. */
  norm: string;
  isNumber: boolean;
  /** Capitalised in the text and not a stopword: a stand-in for a named entity. */
  isEntity: boolean;
}

/** Splits on anything that is not a letter, digit or apostrophe; ASCII-only lower-casing keeps it locale-free. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const raw of text.split(/[^A-Za-z0-9']+/)) {
    if (raw.length === 0) continue;
    const norm = raw.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
    const isNumber = /^[0-9]+$/.test(raw);
    out.push({ norm, isNumber, isEntity: !isNumber && /^[A-Z]/.test(raw) && !STOPWORDS.has(norm) });
  }
  return out;
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+/).filter((s) => s.trim().length > 0);
}

function content(tokens: Token[]): Token[] {
  return tokens.filter((t) => !STOPWORDS.has(t.norm) && !NEGATIONS.has(t.norm));
}

function frac(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** FNV-1a over UTF-16 code units with the seed folded into the offset basis. */
function hashToken(token: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** What the features need of a source, computed once per distinct source in a batch. */
interface SourceInfo {
  sourceSet: Set<string>;
  sentenceSets: Set<string>[];
  sentenceWords: Set<string>;
  sourceNeg: number;
  sentenceConcepts: Set<number>[];
  sourceConcepts: Set<number>;
}

function analyseSource(source: string): SourceInfo {
  const sourceTokens = tokenize(source);
  const sentenceTexts = sentences(source);
  const sentenceSets = sentenceTexts.map((s) => new Set(content(tokenize(s)).map((t) => t.norm)));
  const sentenceConcepts = sentenceTexts.map((s) => {
    const cs = new Set<number>();
    for (const t of tokenize(s)) {
      const c = WORD_CONCEPT.get(t.norm);
      if (c !== undefined) cs.add(c);
    }
    return cs;
  });
  return {
    sourceSet: new Set(sourceTokens.map((t) => t.norm)),
    sentenceSets,
    sentenceWords: new Set(sentenceSets.flatMap((s) => [...s])),
    sourceNeg: sourceTokens.some((t) => NEGATIONS.has(t.norm)) ? 1 : 0,
    sentenceConcepts,
    sourceConcepts: new Set(sentenceConcepts.flatMap((cs) => [...cs])),
  };
}

/** Writes one feature row for (claim, source) into out[offset .. offset+F). */
export function extractInto(
  claim: string,
  source: string,
  opts: FeatureOptions,
  out: Float32Array,
  offset: number,
  info: SourceInfo = analyseSource(source),
): void {
  const claimTokens = tokenize(claim);
  const claimContent = content(claimTokens);
  const { sourceSet, sentenceSets } = info;

  const inSource = claimContent.filter((t) => sourceSet.has(t.norm)).length;
  const numbers = claimContent.filter((t) => t.isNumber);
  const numbersIn = numbers.filter((t) => sourceSet.has(t.norm)).length;
  const entities = claimContent.filter((t) => t.isEntity);
  const entitiesIn = entities.filter((t) => sourceSet.has(t.norm)).length;
  const claimNeg = claimTokens.some((t) => NEGATIONS.has(t.norm)) ? 1 : 0;
  const sourceNeg = info.sourceNeg;

  let bestTok = 0;
  let bestEnt = 0;
  let bestCovered = 0;
  let allEntitiesOne = entities.length === 0 ? 1 : 0;
  const claimNorms = new Set(claimContent.map((t) => t.norm));
  for (const s of sentenceSets) {
    const tokFrac = frac(claimContent.filter((t) => s.has(t.norm)).length, claimContent.length);
    const entIn = entities.filter((t) => s.has(t.norm)).length;
    if (tokFrac > bestTok) bestTok = tokFrac;
    bestEnt = Math.max(bestEnt, frac(entIn, entities.length));
    if (entities.length > 0 && entIn === entities.length) allEntitiesOne = 1;
    bestCovered = Math.max(bestCovered, frac([...s].filter((w) => claimNorms.has(w)).length, s.size));
  }
  let unionSize = info.sentenceWords.size;
  for (const w of claimNorms) if (!info.sentenceWords.has(w)) unionSize++;
  const inter = [...claimNorms].filter((w) => sourceSet.has(w)).length;

  const dense = [
    frac(inSource, claimContent.length),
    Math.min(claimContent.length - inSource, 5) / 5,
    numbers.length > 0 ? 1 : 0,
    frac(numbersIn, numbers.length),
    numbersIn < numbers.length ? 1 : 0,
    claimNeg,
    sourceNeg,
    claimNeg !== sourceNeg ? 1 : 0,
    frac(entitiesIn, entities.length),
    Math.min(entities.length - entitiesIn, 3) / 3,
    bestTok,
    bestEnt,
    allEntitiesOne,
    Math.min(claimTokens.length, 20) / 20,
    bestCovered,
    frac(inter, unionSize),
  ];
  let i = offset;
  for (const v of dense) out[i++] = v;
  if (opts.set === "dense") return;

  if (opts.set === "concept") {
    const claimConcepts = new Set<number>();
    for (const t of claimTokens) {
      const c = WORD_CONCEPT.get(t.norm);
      if (c !== undefined) claimConcepts.add(c);
    }
    const { sentenceConcepts, sourceConcepts } = info;
    for (let c = 0; c < CONCEPT_NAMES.length; c++) {
      out[i++] = claimConcepts.has(c) && sourceConcepts.has(c) ? 1 : 0;
      out[i++] = claimConcepts.has(c) && !sourceConcepts.has(c) ? 1 : 0;
    }
    // In the sentences stating the claim's relation, how many of the claim's entities and numbers appear:
    // low means the relation is stated about other participants, i.e. a contradiction rather than a gap.
    const details = claimContent.filter((t) => t.isEntity || t.isNumber);
    let relationAgree = 0;
    let relationFound = 0;
    sentenceConcepts.forEach((cs, si) => {
      if (![...claimConcepts].some((c) => cs.has(c))) return;
      relationFound = 1;
      const set = sentenceSets[si]!;
      relationAgree = Math.max(relationAgree, frac(details.filter((t) => set.has(t.norm)).length, details.length));
    });
    out[i++] = relationFound;
    out[i++] = relationAgree;
  }

  const b = opts.hashBuckets;
  for (let k = 0; k < 2 * b; k++) out[i + k] = 0;
  for (const t of claimContent) {
    // Numbers and names are hashed by kind, not spelling, so the hash block learns words rather than entities.
    const key = t.isNumber ? "<num>" : t.isEntity ? "<ent>" : t.norm;
    const bucket = hashToken(key, opts.hashSeed) % b;
    out[i + (sourceSet.has(t.norm) ? bucket : b + bucket)] = 1;
  }
  for (const t of claimTokens) {
    if (NEGATIONS.has(t.norm)) out[i + b + (hashToken("<neg>", opts.hashSeed) % b)] = 1;
  }
}

/** Features for one pair. */
export function extractFeatures(claim: string, source: string, opts: FeatureOptions): Float32Array {
  const out = new Float32Array(featureSize(opts));
  extractInto(claim, source, opts, out, 0);
  return out;
}

/** A row-major [pairs.length, F] batch, the layout of the ONNX `features` input. */
export function extractBatch(pairs: readonly { claim: string; source: string }[], opts: FeatureOptions): Float32Array {
  const f = featureSize(opts);
  const out = new Float32Array(pairs.length * f);
  const infos = new Map<string, SourceInfo>();
  pairs.forEach((p, n) => {
    let info = infos.get(p.source);
    if (info === undefined) infos.set(p.source, (info = analyseSource(p.source)));
    extractInto(p.claim, p.source, opts, out, n * f, info);
  });
  return out;
}
