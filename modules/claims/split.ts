/**
 * Deterministic splitting of submitted content into atomic claims. Consensus code: every node must
 * get the same claims, byte for byte, from the same content, so nothing here depends on the locale,
 * on floats, or on Unicode tables that grow between engine versions (no `\s`, no `\p{..}`, no
 * toLowerCase on non-ASCII text). The one Unicode-table dependency is NFC normalisation
 * (String.prototype.normalize): Unicode's stability policy fixes the NFC form of every assigned code
 * point, but text holding code points unassigned in one node's ICU and assigned in another's could
 * normalise differently, so all validators must run the same Node major (same ICU), built with
 * full or small ICU (a `--without-intl` build makes normalize() a no-op).
 *
 * THE RULES (each one is tested in test/claims-logic.test.ts):
 *
 * 1. Checks on the raw content: it must be a string, at most `maxContentBytes` UTF-8 bytes, with no
 *    lone UTF-16 surrogate and no control character (U+0000-U+001F, U+007F-U+009F) other than the
 *    whitespace ones (tab, LF, VT, FF, CR, NEL).
 * 2. Normalisation: Unicode NFC; then every run of whitespace (the fixed set WHITESPACE below:
 *    ASCII whitespace, NEL, NBSP, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000,
 *    U+FEFF) becomes one ASCII space; then trim.
 * 3. Sentences: a sentence ends after a run of terminators (`.` `!` `?` `…`), plus any closing
 *    quotes/brackets right after it (`"` `'` `)` `]` `}` `”` `’` `»`), when what follows is a space or
 *    the end of the text. So "3.14", "v2.0.1", "example.com" and "e.g.," never end a sentence. A run
 *    that contains `!` or `?` always ends the sentence. A run of only `.`/`…` does NOT end it when:
 *    a. the word before a single `.` is a known prefix abbreviation (ABBREVIATIONS: titles such as
 *       Dr, Mr, Prof, St; Fig, Eq, Vol, pp; vs, cf, approx; month names), compared ASCII-case-
 *       insensitively; or
 *    b. the word before a single `.` is one capital letter (an initial: "J. R. R. Tolkien"), or
 *       letters joined by dots ("e.g", "i.e", "U.S", "a.m"); or
 *    c. the next word starts with an ASCII lowercase letter ("etc. and so on", "Inc. announced",
 *       "I waited... and waited").
 *    Known limits, accepted because under-splitting is harmless (a claim stays compound) while the
 *    rule stays simple: "in the U.S. The" and "plan B. The" are not split; "Yahoo! is" is.
 * 4. Clauses, inside each sentence: the separators are "; ", ", and ", ", but " (exact, lowercase).
 *    The sentence is cut at a separator when the text since the previous cut (left) and the text up
 *    to the next separator or the sentence's end (right) both hold at least MIN_CLAUSE_WORDS (3)
 *    space-separated words, a cheap stand-in for "has a subject and a verb"; for ", and " / ", but "
 *    the left part must also hold no comma, so that lists ("apples, pears, and plums are fruit")
 *    are never cut. The separator itself is dropped ("; " and the conjunction); the right clause
 *    keeps its case ("ice melts").
 * 5. Each piece: trim, then strip the trailing run of `.` `!` `?` `…` `,` `;` `:` and spaces (a closing
 *    quote or bracket stops the stripping: 'He said "stop."' stays as it is). Empty pieces are
 *    dropped.
 * 5b. Standing alone: each piece's leading pronoun (It, He, She, They, Its..., This is a...) or
 *    elided subject (a clause cut at ", and "/", but " that starts with its verb) is replaced by
 *    the subject it refers to, found in the earlier pieces by the rules R1-R8 of decontext.ts
 *    ("The Eiffel Tower is in Berlin. It was completed in 1889." gives "The Eiffel Tower was
 *    completed in 1889"); where the referent is unknown or ambiguous the piece stays as it is. A
 *    resolved piece over maxClaimBytes keeps its written form. Then a piece equal to an earlier
 *    one is dropped (the first is kept).
 * 6. Limits after splitting: at most `maxClaims` claims, each at most `maxClaimBytes` UTF-8 bytes;
 *    no claim at all is EmptyContent. Ids are 0, 1, 2... in order of appearance; `hash` is the
 *    SHA-256 of the claim's UTF-8 text.
 *
 * claimsFromList, for clients that split themselves, applies rules 1, 2 and 5 to each entry (no
 * sentence or clause splitting, and no rule 5b: a client's claims are never rewritten) and the
 * same limits, but refuses instead of dropping: an entry that is empty once normalised is
 * EmptyClaim, a repeated one DuplicateClaim (dropping would renumber the ids the client expects).
 * maxContentBytes bounds the sum of the entries' raw UTF-8 bytes.
 */
import { createHash } from "node:crypto";
import { resolveReferences, type Piece } from "./decontext";
import { ClaimsCode, claimsError } from "./errors";

export interface ClaimLimits {
  maxClaims: number;
  maxClaimBytes: number;
  maxContentBytes: number;
}

export interface Claim {
  /** 0-based position among the content's claims. */
  id: number;
  /** The normalised claim text. */
  text: string;
  /** SHA-256 of `text` as UTF-8. */
  hash: Buffer;
}

/** Words a clause needs on each side of a separator before the sentence is cut there. */
export const MIN_CLAUSE_WORDS = 3;

/**
 * Prefix abbreviations after which a single "." never ends a sentence (compared ASCII-lowercase,
 * without the dot). Suffix abbreviations that often end sentences (Inc, Ltd, Jr, etc) are left out on
 * purpose: rule 3c keeps them inside a sentence when a lowercase word follows.
 */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "prof",
  "st",
  "mt",
  "rev",
  "fr",
  "gen",
  "col",
  "lt",
  "sgt",
  "capt",
  "gov",
  "sen",
  "rep",
  "hon",
  "pres",
  "vs",
  "cf",
  "approx",
  "fig",
  "figs",
  "eq",
  "eqs",
  "ref",
  "refs",
  "vol",
  "vols",
  "pp",
  "ch",
  "sec",
  "jan",
  "feb",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

/** The whitespace set of rule 2, fixed here rather than taken from the engine's `\s`. */
// eslint-disable-next-line no-control-regex -- U+000B (vertical tab) is whitespace in rule 2, on purpose
const WHITESPACE_RUN = /[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
const TERMINATORS = ".!?\u2026";
const CLOSERS = "\"')]}\u201d\u2019\u00bb";
const OPENERS = "\"'([{\u201c\u2018\u00ab";
const TRAILING_STRIP = ".!?\u2026,;: ";
const CLAUSE_SEPARATOR = /; |, and |, but /g;
const DOTTED_ABBREVIATION = /^[A-Za-z](?:\.[A-Za-z])+$/;
const INITIAL = /^[A-Z]$/;

function checkLimits(limits: ClaimLimits): void {
  for (const key of ["maxClaims", "maxClaimBytes", "maxContentBytes"] as const) {
    const v = limits?.[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) {
      throw claimsError(ClaimsCode.InvalidLimits, `claims limit ${key} must be a positive integer, got ${String(v)}`);
    }
  }
}

/** Rule 1's character checks: no lone surrogate, no control character other than whitespace. */
function checkCharacters(s: string, what: string): void {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next < 0xdc00 || next > 0xdfff) throw claimsError(ClaimsCode.InvalidContent, `${what} holds a lone UTF-16 surrogate at index ${i}`);
      i++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw claimsError(ClaimsCode.InvalidContent, `${what} holds a lone UTF-16 surrogate at index ${i}`);
    const control = c <= 0x1f || (c >= 0x7f && c <= 0x9f);
    const whitespace = (c >= 0x09 && c <= 0x0d) || c === 0x85;
    if (control && !whitespace) {
      throw claimsError(ClaimsCode.InvalidContent, `${what} holds control character U+${c.toString(16).padStart(4, "0").toUpperCase()} at index ${i}`);
    }
  }
}

/** Rule 2: NFC, whitespace runs to one space, trim. */
function normaliseSpace(s: string): string {
  return s.normalize("NFC").replace(WHITESPACE_RUN, " ").trim();
}

/** Rule 5: strip the trailing run of punctuation and spaces (and any leading space). */
function stripTrailing(s: string): string {
  let end = s.length;
  while (end > 0 && TRAILING_STRIP.includes(s[end - 1]!)) end--;
  return s.slice(0, end).trim();
}

/** Lowercases A-Z only: locale- and Unicode-version-independent. */
function asciiLower(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s[i];
  }
  return out;
}

function isAsciiLowercase(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "a" && ch <= "z";
}

/**
 * Rule 3 for a run of only "." / "…" at text[runStart..runEnd] (inclusive) that is followed by a
 * space or the end: whether it ends the sentence. `from` is where the current sentence starts.
 */
function periodEndsSentence(text: string, from: number, runStart: number, runEnd: number, next: number): boolean {
  if (isAsciiLowercase(text[next + 1])) return false; // 3c
  if (runEnd !== runStart || text[runStart] !== ".") return true; // an ellipsis ends the sentence
  let tokStart = runStart;
  while (tokStart > from && text[tokStart - 1] !== " ") tokStart--;
  while (tokStart < runStart && OPENERS.includes(text[tokStart]!)) tokStart++;
  const token = text.slice(tokStart, runStart);
  if (token === "") return true;
  if (ABBREVIATIONS.has(asciiLower(token))) return false; // 3a
  if (INITIAL.test(token) || DOTTED_ABBREVIATION.test(token)) return false; // 3b
  return true;
}

/** Rule 3: the normalised text cut into sentences (with their terminators still on). */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!TERMINATORS.includes(text[i]!)) continue;
    let runEnd = i;
    while (runEnd + 1 < text.length && TERMINATORS.includes(text[runEnd + 1]!)) runEnd++;
    let end = runEnd;
    while (end + 1 < text.length && CLOSERS.includes(text[end + 1]!)) end++;
    const next = end + 1;
    const run = text.slice(i, runEnd + 1);
    let boundary = next >= text.length || text[next] === " ";
    if (boundary && !run.includes("!") && !run.includes("?")) boundary = periodEndsSentence(text, start, i, runEnd, next);
    if (boundary) {
      out.push(text.slice(start, end + 1));
      start = next + 1;
    }
    i = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * Whether text[from, to) holds at least `n` space-separated words, scanning from the end and stopping
 * at the n-th word, so that a sentence with many separators stays linear-time to split.
 */
function hasWords(text: string, from: number, to: number, n: number): boolean {
  let words = 0;
  let inWord = false;
  for (let i = to - 1; i >= from; i--) {
    if (text[i] === " ") {
      inWord = false;
    } else if (!inWord) {
      inWord = true;
      if (++words >= n) return true;
    }
  }
  return false;
}

/** Rule 4: one sentence cut at its coordinating separators. */
export function splitClauses(sentence: string): string[] {
  return cutClauses(sentence).map((c) => c.text);
}

/** Rule 4, with the separator each clause was cut at ("" for the first). */
function cutClauses(sentence: string): { text: string; separator: string }[] {
  const seps: { index: number; end: number; semicolon: boolean }[] = [];
  CLAUSE_SEPARATOR.lastIndex = 0;
  for (let m = CLAUSE_SEPARATOR.exec(sentence); m !== null; m = CLAUSE_SEPARATOR.exec(sentence)) {
    seps.push({ index: m.index, end: m.index + m[0].length, semicolon: m[0] === "; " });
  }
  CLAUSE_SEPARATOR.lastIndex = 0;
  const out: { text: string; separator: string }[] = [];
  let cut = 0;
  let separator = "";
  let lastComma = -1; // the last comma before the current separator
  let scanned = 0;
  for (let k = 0; k < seps.length; k++) {
    const sep = seps[k]!;
    for (; scanned < sep.index; scanned++) if (sentence[scanned] === ",") lastComma = scanned;
    const rightEnd = k + 1 < seps.length ? seps[k + 1]!.index : sentence.length;
    if (!hasWords(sentence, cut, sep.index, MIN_CLAUSE_WORDS) || !hasWords(sentence, sep.end, rightEnd, MIN_CLAUSE_WORDS)) continue;
    if (!sep.semicolon && lastComma >= cut) continue;
    out.push({ text: sentence.slice(cut, sep.index), separator });
    cut = sep.end;
    separator = sentence.slice(sep.index, sep.end);
  }
  out.push({ text: sentence.slice(cut), separator });
  return out;
}

/** The normalised form of one claim as the chain stores and hashes it (rules 2 and 5). */
export function normaliseClaim(text: string): string {
  return stripTrailing(normaliseSpace(text));
}

function claimHash(text: string): Buffer {
  return createHash("sha256").update(Buffer.from(text, "utf8")).digest();
}

function finish(texts: string[], limits: ClaimLimits): Claim[] {
  if (texts.length === 0) throw claimsError(ClaimsCode.EmptyContent, "content holds no claim");
  if (texts.length > limits.maxClaims) {
    throw claimsError(ClaimsCode.TooManyClaims, `content holds ${texts.length} claims, more than the limit of ${limits.maxClaims}`);
  }
  return texts.map((text, id) => {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > limits.maxClaimBytes) {
      throw claimsError(ClaimsCode.ClaimTooLong, `claim ${id} is ${bytes} bytes, more than the limit of ${limits.maxClaimBytes}`);
    }
    return { id, text, hash: claimHash(text) };
  });
}

/** Splits content into claims by the rules above; throws a ChainError in codespace "claims". */
export function splitClaims(content: string, limits: ClaimLimits): Claim[] {
  checkLimits(limits);
  if (typeof content !== "string") throw claimsError(ClaimsCode.InvalidContent, "content must be a string");
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > limits.maxContentBytes) {
    throw claimsError(ClaimsCode.ContentTooLong, `content is ${bytes} bytes, more than the limit of ${limits.maxContentBytes}`);
  }
  checkCharacters(content, "content");
  const text = normaliseSpace(content);
  const pieces: Piece[] = [];
  splitSentences(text).forEach((sentence, s) => {
    cutClauses(sentence).forEach((clause, c) => {
      const claim = stripTrailing(clause.text);
      if (claim !== "") pieces.push({ text: claim, sentence: s, clause: c, conjoined: clause.separator !== "" && clause.separator !== "; " });
    });
  });
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const claim of resolveReferences(pieces, limits.maxClaimBytes)) {
    if (seen.has(claim)) continue;
    seen.add(claim);
    texts.push(claim);
  }
  return finish(texts, limits);
}

/** Claims a client split itself: same checks, normalisation and limits, no further splitting. */
export function claimsFromList(claims: string[], limits: ClaimLimits): Claim[] {
  checkLimits(limits);
  if (!Array.isArray(claims)) throw claimsError(ClaimsCode.InvalidContent, "claims must be a list of strings");
  if (claims.length === 0) throw claimsError(ClaimsCode.EmptyContent, "the claim list is empty");
  if (claims.length > limits.maxClaims) {
    throw claimsError(ClaimsCode.TooManyClaims, `the list holds ${claims.length} claims, more than the limit of ${limits.maxClaims}`);
  }
  let total = 0;
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i];
    if (typeof c !== "string") throw claimsError(ClaimsCode.InvalidContent, `claim ${i} must be a string`);
    total += Buffer.byteLength(c, "utf8");
    if (total > limits.maxContentBytes) {
      throw claimsError(ClaimsCode.ContentTooLong, `the claims together are more than the limit of ${limits.maxContentBytes} bytes`);
    }
  }
  const seen = new Map<string, number>();
  const texts = claims.map((c, i) => {
    checkCharacters(c, `claim ${i}`);
    const text = normaliseClaim(c);
    if (text === "") throw claimsError(ClaimsCode.EmptyClaim, `claim ${i} is empty once normalised`);
    const earlier = seen.get(text);
    if (earlier !== undefined) throw claimsError(ClaimsCode.DuplicateClaim, `claim ${i} repeats claim ${earlier}`);
    seen.set(text, i);
    return text;
  });
  return finish(texts, limits);
}
