// The claims module's pure logic: splitting content into claims (sentences, abbreviations, numbers,
// clauses, Unicode normalisation, limits and their errors), stake-weighted verifier assignment
// (deterministic, order-independent, distinct, capped, stake-tracking) and the verdict tally (exact
// bigint thresholds at the boundary, ties, missing and unassigned votes, deadline settlement and
// per-validator outcomes).
import { createHash } from "node:crypto";
import t, { type Test } from "tap";
import { ChainError } from "../app/core/errors";
import { assignVerifiers, type WeightedValidator } from "../modules/claims/assign";
import { ClaimsCode, CODESPACE } from "../modules/claims/errors";
import { claimsFromList, normaliseClaim, splitClaims, type ClaimLimits } from "../modules/claims/split";
import { settleAtDeadline, tally, validatorOutcomes, VERDICTS, type Verdict } from "../modules/claims/tally";

const LIMITS: ClaimLimits = { maxClaims: 64, maxClaimBytes: 512, maxContentBytes: 8192 };
const texts = (content: string, limits: ClaimLimits = LIMITS): string[] => splitClaims(content, limits).map((c) => c.text);
const sha256 = (b: Uint8Array | string): Buffer => createHash("sha256").update(b).digest();

/** Asserts that fn throws a ChainError in codespace "claims" with the given code. */
function throwsClaims(tt: Test, fn: () => unknown, code: number, msg: string, messageIncludes?: string): void {
  try {
    fn();
    tt.fail(`${msg}: did not throw`);
  } catch (e) {
    tt.ok(e instanceof ChainError, `${msg}: a ChainError`);
    const err = e as ChainError;
    tt.equal(err.codespace, CODESPACE, `${msg}: codespace claims`);
    tt.equal(err.code, code, `${msg}: code ${code} (${err.message})`);
    if (messageIncludes !== undefined) tt.match(err.message, messageIncludes, `${msg}: message says ${messageIncludes}`);
  }
}

function op(i: number): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32BE(i, 16);
  b[0] = (i * 37) & 0xff; // canonical order differs from numeric order
  return b;
}
const vals = (powers: bigint[]): WeightedValidator[] => powers.map((power, i) => ({ operator: op(i + 1), power }));
const hex = (b: Buffer): string => b.toString("hex");

// ------------------------------------------------------------------------------------------------
// Splitting
// ------------------------------------------------------------------------------------------------

t.test("sentences end at . ! ? followed by a space or the end", async (t) => {
  t.same(texts("The sky is blue. Grass is green! Is water wet? Yes."), ["The sky is blue", "Grass is green", "Is water wet", "Yes"]);
  t.same(texts("Really?! No way... It happened."), ["Really", "No way", "It happened"], "runs of terminators and ellipses");
  t.same(texts("It is one\u2026 Then two."), ["It is one", "Then two"], "the ellipsis character ends a sentence");
  t.same(texts("No final stop here"), ["No final stop here"], "text without a terminator is one claim");
  t.same(
    texts('He said "stop." Then he left. (It was late.) Done.'),
    ['He said "stop."', "Then he left", "(It was late.)", "Done"],
    "closing quotes and brackets stay with their sentence",
  );
});

t.test("abbreviations, initials, numbers and lowercase continuations do not end a sentence", async (t) => {
  t.same(texts("Dr. Smith met Mr. Jones and Prof. Lee at St. Mary's. They talked."), ["Dr. Smith met Mr. Jones and Prof. Lee at St. Mary's", "They talked"]);
  t.same(texts("Some fruits, e.g. apples, are red. Others, i.e. limes, are green."), ["Some fruits, e.g. apples, are red", "Others, i.e. limes, are green"]);
  t.same(texts("J. R. R. Tolkien wrote The Hobbit. It sold well."), ["J. R. R. Tolkien wrote The Hobbit", "It sold well"], "initials");
  t.same(
    texts("Pi is about 3.14. Version 2.0.1 shipped. See example.com for more."),
    ["Pi is about 3.14", "Version 2.0.1 shipped", "See example.com for more"],
    "decimals, versions, domains",
  );
  t.same(texts("The U.S. Senate met at 9 a.m. on Monday."), ["The U.S. Senate met at 9 a.m. on Monday"], "dotted abbreviations");
  t.same(texts("See Fig. 3 and Eq. 2 on pp. 4-5, vs. the Jan. 2020 report."), ["See Fig. 3 and Eq. 2 on pp. 4-5, vs. the Jan. 2020 report"]);
  t.same(
    texts("Apple Inc. announced a phone. He works at Apple Inc. The end."),
    ["Apple Inc. announced a phone", "He works at Apple Inc", "The end"],
    "a suffix abbreviation ends the sentence unless a lowercase word follows",
  );
  t.same(texts("I waited... and waited. Cats, dogs, etc. are pets."), ["I waited... and waited", "Cats, dogs, etc. are pets"], "lowercase continuation");
  t.same(texts("Dr. Who is a show. DR. WHO is too."), ["Dr. Who is a show", "DR. WHO is too"], "abbreviations compare case-insensitively");
  t.same(texts("The price rose 3. Then it fell."), ["The price rose 3", "Then it fell"], "a number before the full stop still ends the sentence");
});

t.test("coordinated clauses are split, lists and short sides are not", async (t) => {
  t.same(texts("Water boils at 100 degrees, and ice melts at 0 degrees."), ["Water boils at 100 degrees", "ice melts at 0 degrees"]);
  t.same(texts("The sun is hot, but the moon is cold."), ["The sun is hot", "the moon is cold"]);
  t.same(texts("Paris is in France; Rome is in Italy; Berlin is in Germany."), ["Paris is in France", "Rome is in Italy", "Berlin is in Germany"]);
  t.same(
    texts("She bought apples, oranges, and bananas from the market."),
    ["She bought apples, oranges, and bananas from the market"],
    "a list (a comma before ', and') is not cut",
  );
  t.same(texts("Apples, pears, and plums are all fruit."), ["Apples, pears, and plums are all fruit"]);
  t.same(texts("I ran, and she hid."), ["I ran, and she hid"], "fewer than three words on a side: not cut");
  t.same(texts("Bread and butter is a classic snack."), ["Bread and butter is a classic snack"], "'and' without a comma is never a separator");
  t.same(texts("We visited Paris, France; Rome, Italy."), ["We visited Paris, France; Rome, Italy"], "a ';' with a short side is not cut");
  t.same(
    texts("Gold is a metal; it conducts heat, and copper is a metal too."),
    ["Gold is a metal", "Gold conducts heat", "copper is a metal too"],
    "the clause's pronoun is resolved (rule 5b)",
  );
  t.same(texts("Gold is dense, AND lead is dense too."), ["Gold is dense, AND lead is dense too"], "separators are exact and lowercase");
});

t.test("normalisation: NFC, whitespace, trailing punctuation, duplicates, hashes", async (t) => {
  const composed = splitClaims("Caf\u00e9 au lait is French.", LIMITS);
  const decomposed = splitClaims("Cafe\u0301   au\u00a0lait\u3000is\tFrench!!", LIMITS);
  t.equal(decomposed[0]!.text, "Caf\u00e9 au lait is French", "NFC composes, every whitespace run is one space, trailing punctuation goes");
  t.same(decomposed[0]!.hash, composed[0]!.hash, "so the two forms hash alike");
  t.same(composed[0]!.hash, sha256(Buffer.from("Caf\u00e9 au lait is French", "utf8")), "hash is sha256 of the UTF-8 text");
  t.equal(normaliseClaim("  Water is wet ?!  "), "Water is wet", "trailing spaces and punctuation");
  t.equal(normaliseClaim("Is it 3.14...;:"), "Is it 3.14");
  t.equal(
    normaliseClaim("\u65e5\u672c\u306f\u5cf6\u56fd\u3067\u3059\u3002"),
    "\u65e5\u672c\u306f\u5cf6\u56fd\u3067\u3059\u3002",
    "the ideographic full stop is not one of the stripped characters",
  );
  t.same(texts("\u00c9milie   \u00e9crit.\n\n  \u0394\u03b5\u03bb\u03c6\u03bf\u03af are in Greece. \ud83d\ude00 Emoji stay."), [
    "\u00c9milie \u00e9crit",
    "\u0394\u03b5\u03bb\u03c6\u03bf\u03af are in Greece",
    "\ud83d\ude00 Emoji stay",
  ]);
  const c = splitClaims("Water is wet. Fire is hot. Water is wet! Ice is cold.", LIMITS);
  t.same(
    c.map((x) => [x.id, x.text]),
    [
      [0, "Water is wet"],
      [1, "Fire is hot"],
      [2, "Ice is cold"],
    ],
    "duplicates dropped, the first kept, ids contiguous from 0",
  );
  t.same(texts("... !!! First. . Second."), ["First", "Second"], "empty pieces are dropped");
  t.same(splitClaims("A b c. D e f.", LIMITS), splitClaims("A b c. D e f.", LIMITS), "deterministic");
});

t.test("splitting limits and errors", async (t) => {
  throwsClaims(t, () => splitClaims("", LIMITS), ClaimsCode.EmptyContent, "empty content", "no claim");
  throwsClaims(t, () => splitClaims(" \n\t\u3000 ", LIMITS), ClaimsCode.EmptyContent, "whitespace only");
  throwsClaims(t, () => splitClaims("... ?! .", LIMITS), ClaimsCode.EmptyContent, "punctuation only");
  const small = { maxClaims: 2, maxClaimBytes: 10, maxContentBytes: 20 };
  t.same(texts("Aa bb. Cc dd.", small), ["Aa bb", "Cc dd"], "within every limit");
  throwsClaims(t, () => splitClaims("x".repeat(21), small), ClaimsCode.ContentTooLong, "21 bytes over a 20-byte limit", "21 bytes");
  t.same(texts("\u00e9".repeat(5), small), ["\u00e9".repeat(5)], "5 two-byte characters: exactly 10 bytes, allowed");
  throwsClaims(t, () => splitClaims("\u00e9".repeat(11), small), ClaimsCode.ContentTooLong, "limits count UTF-8 bytes, not characters");
  throwsClaims(t, () => splitClaims("\u00e9".repeat(6), small), ClaimsCode.ClaimTooLong, "a claim of 12 bytes over a 10-byte limit", "claim 0 is 12 bytes");
  throwsClaims(t, () => splitClaims("Aa. Bb. Cc.", small), ClaimsCode.TooManyClaims, "three claims over a limit of two", "3 claims");
  t.same(texts("Aa. Bb. Aa.", small), ["Aa", "Bb"], "duplicates do not count against maxClaims");
  throwsClaims(t, () => splitClaims("Fine.\u0000 Not fine.", LIMITS), ClaimsCode.InvalidContent, "a NUL", "U+0000");
  throwsClaims(t, () => splitClaims("Bell\u0007.", LIMITS), ClaimsCode.InvalidContent, "a control character");
  throwsClaims(t, () => splitClaims("Lone \ud800 surrogate.", LIMITS), ClaimsCode.InvalidContent, "a lone high surrogate", "surrogate");
  throwsClaims(t, () => splitClaims("Lone \udc00 surrogate.", LIMITS), ClaimsCode.InvalidContent, "a lone low surrogate");
  throwsClaims(t, () => splitClaims(42 as unknown as string, LIMITS), ClaimsCode.InvalidContent, "not a string");
  throwsClaims(t, () => splitClaims("A.", { ...LIMITS, maxClaims: 0 }), ClaimsCode.InvalidLimits, "maxClaims 0", "maxClaims");
  throwsClaims(t, () => splitClaims("A.", { ...LIMITS, maxClaimBytes: 1.5 }), ClaimsCode.InvalidLimits, "fractional maxClaimBytes");
  throwsClaims(t, () => splitClaims("A.", { ...LIMITS, maxContentBytes: NaN }), ClaimsCode.InvalidLimits, "NaN maxContentBytes");
});

t.test("splitting stays fast on adversarial content", async (t) => {
  const limits = { maxClaims: 100000, maxClaimBytes: 1 << 20, maxContentBytes: 1 << 20 };
  const cases: [string, string][] = [
    ["many short ';' sides", "x; ".repeat(100000)],
    ["many short ', and' sides", "x, and ".repeat(60000)],
    ["many abbreviations", "Dr. ".repeat(100000)],
    ["one huge word then separators", "y".repeat(500000) + "; a b c".repeat(1000)],
  ];
  for (const [name, content] of cases) {
    const start = process.hrtime.bigint();
    const claims = splitClaims(content, limits);
    const ms = Number((process.hrtime.bigint() - start) / 1000000n);
    t.ok(ms < 3000, `${name}: ${content.length} characters into ${claims.length} claims in ${ms} ms`);
  }
});

t.test("claimsFromList: the same normalisation and limits, no further splitting, refusals instead of drops", async (t) => {
  const list = claimsFromList(["Cafe\u0301  is  open.", "Water boils at 100 degrees, and ice melts at 0 degrees.", "Dr. Who. Is. Here"], LIMITS);
  t.same(
    list.map((c) => [c.id, c.text]),
    [
      [0, "Caf\u00e9 is open"],
      [1, "Water boils at 100 degrees, and ice melts at 0 degrees"],
      [2, "Dr. Who. Is. Here"],
    ],
  );
  t.same(list[0]!.hash, splitClaims("Caf\u00e9 is open!", LIMITS)[0]!.hash, "hashes agree with splitClaims' for the same claim");
  throwsClaims(t, () => claimsFromList([], LIMITS), ClaimsCode.EmptyContent, "an empty list");
  throwsClaims(t, () => claimsFromList(["A b.", " ... "], LIMITS), ClaimsCode.EmptyClaim, "an entry empty once normalised", "claim 1");
  throwsClaims(t, () => claimsFromList(["A b.", "C d", "A  b!"], LIMITS), ClaimsCode.DuplicateClaim, "a repeated entry", "claim 2 repeats claim 0");
  const small = { maxClaims: 2, maxClaimBytes: 4, maxContentBytes: 10 };
  throwsClaims(t, () => claimsFromList(["a", "b", "c"], small), ClaimsCode.TooManyClaims, "too many entries");
  throwsClaims(t, () => claimsFromList(["abcd.", "efghij"], small), ClaimsCode.ContentTooLong, "11 raw bytes in all");
  throwsClaims(t, () => claimsFromList(["abcde"], small), ClaimsCode.ClaimTooLong, "an entry over maxClaimBytes");
  t.same(
    claimsFromList(["abcd.", "ef"], small).map((c) => c.text),
    ["abcd", "ef"],
    "the trailing '.' does not count against maxClaimBytes",
  );
  throwsClaims(t, () => claimsFromList(["ok", 7 as unknown as string], LIMITS), ClaimsCode.InvalidContent, "a non-string entry");
  throwsClaims(t, () => claimsFromList(["ok\u0001"], LIMITS), ClaimsCode.InvalidContent, "a control character");
});

// ------------------------------------------------------------------------------------------------
// Assignment
// ------------------------------------------------------------------------------------------------

const SEED = sha256("block hash at height 42");
const CLAIM = sha256("claim 0");

t.test("assignment is deterministic, order-independent, distinct and capped", async (t) => {
  const set = vals([5n, 10n, 1n, 7n, 3n, 20n, 2n, 9n]);
  const a = assignVerifiers(SEED, CLAIM, set, 4);
  t.equal(a.length, 4);
  t.same(assignVerifiers(SEED, CLAIM, set, 4), a, "same inputs, same picks");
  t.same(assignVerifiers(SEED, CLAIM, [...set].reverse(), 4), a, "reversed input order");
  t.same(assignVerifiers(SEED, CLAIM, [set[3]!, set[0]!, set[6]!, set[1]!, set[7]!, set[2]!, set[5]!, set[4]!], 4), a, "shuffled input order");
  t.equal(new Set(a.map(hex)).size, 4, "distinct");
  t.same(assignVerifiers(SEED, CLAIM, set, 2), a.slice(0, 2), "a smaller count is a prefix of the draw order");
  const all = assignVerifiers(SEED, CLAIM, set, 100);
  t.equal(all.length, 8, "count capped at the number of validators");
  t.same([...all.map(hex)].sort(), set.map((v) => hex(v.operator)).sort(), "all of them, once each");
  t.same(assignVerifiers(SEED, CLAIM, set, 0), [], "count 0");
  t.same(assignVerifiers(SEED, CLAIM, [], 3), [], "no validators");
  t.notSame(assignVerifiers(sha256("another block"), CLAIM, set, 8), all, "another seed, another order");
  a[0]![0] ^= 0xff;
  t.not(hex(assignVerifiers(SEED, CLAIM, set, 1)[0]!), hex(a[0]!), "the result holds copies, not the caller's buffers");
});

t.test("the first pick follows the documented derivation exactly", async (t) => {
  const set = vals([5n, 10n, 1n, 7n, 3n, 20n, 2n, 9n]);
  const sorted = [...set].sort((x, y) => Buffer.compare(x.operator, y.operator));
  const total = sorted.reduce((s, v) => s + v.power, 0n);
  for (let i = 0; i < 20; i++) {
    const claim = sha256(`claim ${i}`);
    let ctr = 0n;
    let x: bigint;
    const limit = ((1n << 256n) / total) * total;
    do {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(ctr++);
      x = BigInt("0x" + sha256(Buffer.concat([SEED, claim, c])).toString("hex"));
    } while (x >= limit);
    const r = x % total;
    let cum = 0n;
    const expected = sorted.find((v) => (cum += v.power) > r)!;
    t.equal(hex(assignVerifiers(SEED, claim, set, 1)[0]!), hex(expected.operator), `claim ${i}`);
  }
});

t.test("validators with no power are never picked; malformed inputs are refused", async (t) => {
  const set = vals([0n, 4n, 0n, 1n, 0n]);
  const zero = new Set([hex(set[0]!.operator), hex(set[2]!.operator), hex(set[4]!.operator)]);
  for (let i = 0; i < 300; i++) {
    const picks = assignVerifiers(SEED, sha256(`z${i}`), set, 5);
    t.equal(picks.length, 2);
    if (picks.some((p) => zero.has(hex(p)))) t.fail(`claim ${i} picked a zero-power validator`);
  }
  t.same(assignVerifiers(SEED, CLAIM, vals([0n, 0n]), 3), [], "all zero power: nobody");
  throwsClaims(t, () => assignVerifiers(SEED, CLAIM, vals([1n, -1n]), 1), ClaimsCode.InvalidValidatorSet, "negative power");
  throwsClaims(
    t,
    () =>
      assignVerifiers(
        SEED,
        CLAIM,
        [
          { operator: op(1), power: 1n },
          { operator: op(1), power: 2n },
        ],
        1,
      ),
    ClaimsCode.InvalidValidatorSet,
    "duplicate operator",
    "twice",
  );
  throwsClaims(
    t,
    () => assignVerifiers(SEED, CLAIM, [{ operator: op(1), power: 1 as unknown as bigint }], 1),
    ClaimsCode.InvalidValidatorSet,
    "a number power",
  );
  throwsClaims(t, () => assignVerifiers(SEED, CLAIM.subarray(0, 31), vals([1n]), 1), ClaimsCode.InvalidValidatorSet, "a 31-byte claim hash");
  throwsClaims(t, () => assignVerifiers(new Uint8Array(0), CLAIM, vals([1n]), 1), ClaimsCode.InvalidValidatorSet, "an empty seed");
  throwsClaims(t, () => assignVerifiers(SEED, CLAIM, vals([1n]), -1), ClaimsCode.InvalidValidatorSet, "a negative count");
  throwsClaims(t, () => assignVerifiers(SEED, CLAIM, vals([1n]), 1.5), ClaimsCode.InvalidValidatorSet, "a fractional count");
});

t.test("over many claims the pick frequency tracks stake", async (t) => {
  // One verifier per claim: each draw is exactly stake-proportional, so a chi-square goodness-of-fit
  // test applies. 4 degrees of freedom; 18.47 is the 99.9% quantile. The seed is fixed, so the
  // statistic is one fixed number: this guards against a biased or broken draw, not flakiness.
  const powers = [10n, 20n, 30n, 40n, 100n];
  const set = vals(powers);
  const total = powers.reduce((a, b) => a + b, 0n);
  const N = 20000;
  const counts = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const [p] = assignVerifiers(SEED, sha256(`freq ${i}`), set, 1);
    counts.set(hex(p!), (counts.get(hex(p!)) ?? 0) + 1);
  }
  let chi2 = 0;
  for (const v of set) {
    const expected = (N * Number(v.power)) / Number(total);
    const observed = counts.get(hex(v.operator)) ?? 0;
    chi2 += (observed - expected) ** 2 / expected;
  }
  t.ok(chi2 < 18.47, `chi-square ${chi2.toFixed(2)} < 18.47 (counts ${powers.map((_, i) => counts.get(hex(set[i]!.operator)) ?? 0).join(", ")})`);

  // Several verifiers per claim on a larger set: a validator's inclusion rate grows with its stake,
  // nobody sees every claim, and each claim gets exactly `count` verifiers.
  const big = vals(Array.from({ length: 40 }, (_, i) => BigInt(1 + (i % 8) * 5)));
  const seen = new Map<string, number>();
  const M = 2000;
  for (let i = 0; i < M; i++) {
    const picks = assignVerifiers(SEED, sha256(`many ${i}`), big, 5);
    if (new Set(picks.map(hex)).size !== 5) t.fail(`claim ${i} got ${picks.length} picks, not five distinct`);
    for (const p of picks) seen.set(hex(p), (seen.get(hex(p)) ?? 0) + 1);
  }
  let sum = 0;
  for (const n of seen.values()) sum += n;
  t.equal(sum, M * 5, "every claim got five verifiers");
  t.ok(
    [...seen.values()].every((n) => n < M),
    "no validator verified every claim",
  );
  const byPower = new Map<bigint, number[]>();
  for (const v of big) byPower.set(v.power, [...(byPower.get(v.power) ?? []), seen.get(hex(v.operator)) ?? 0]);
  const avg = [...byPower.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, ns]) => ns.reduce((a, b) => a + b, 0) / ns.length);
  t.ok(
    avg.every((x, i) => i === 0 || x > avg[i - 1]!),
    `mean inclusions rise with stake: ${avg.map((x) => x.toFixed(0)).join(" < ")}`,
  );
});

// ------------------------------------------------------------------------------------------------
// Tally
// ------------------------------------------------------------------------------------------------

const votesOf = (entries: [WeightedValidator, Verdict][]): Map<string, Verdict> => new Map(entries.map(([v, d]) => [hex(v.operator), d]));

t.test("thresholds at the boundary: 2 of 3 equal validators", async (t) => {
  const three = vals([1n, 1n, 1n]);
  const votes = votesOf([
    [three[0]!, "SUPPORTED"],
    [three[2]!, "SUPPORTED"],
  ]);
  const at6667 = tally(three, votes, 6667);
  t.equal(at6667.verdict, undefined, "2/3 is 6666.67 bp: below 6667");
  t.equal(at6667.stakeFor, 2n);
  t.equal(at6667.stakeAgainst, 0n);
  t.equal(at6667.totalAssigned, 3n);
  t.equal(tally(three, votes, 6666).verdict, "SUPPORTED", "and at or above 6666");
  const big = vals([1000000n, 1000000n, 1000000n]);
  t.equal(
    tally(
      big,
      votesOf([
        [big[0]!, "REFUTED"],
        [big[1]!, "REFUTED"],
      ]),
      6667,
    ).verdict,
    undefined,
    "the same with large equal powers",
  );
  // Exactly at the threshold: stake * 10000 == threshold * total certifies.
  const exact = vals([6667n, 3333n]);
  t.equal(tally(exact, votesOf([[exact[0]!, "REFUTED"]]), 6667).verdict, "REFUTED", "6667 of 10000 at 6667 bp: certified");
  t.equal(tally(exact, votesOf([[exact[0]!, "REFUTED"]]), 6668).verdict, undefined, "6667 of 10000 at 6668 bp: not");
  const huge = vals([2n ** 200n, 2n ** 199n]); // total 3 * 2^199; 2^200 of it is exactly 2/3
  t.equal(tally(huge, votesOf([[huge[0]!, "SUPPORTED"]]), 6666).verdict, "SUPPORTED", "bigint powers far beyond 2^53");
  t.equal(tally(huge, votesOf([[huge[0]!, "SUPPORTED"]]), 6667).verdict, undefined);
  t.equal(
    tally(
      three,
      votesOf([
        [three[0]!, "SUPPORTED"],
        [three[1]!, "SUPPORTED"],
      ]),
      10000,
    ).verdict,
    undefined,
    "10000 bp needs everyone",
  );
  t.equal(tally(three, votesOf(three.map((v) => [v, "SUPPORTED"] as [WeightedValidator, Verdict])), 10000).verdict, "SUPPORTED");
});

t.test("stake weights, missing votes, unassigned votes", async (t) => {
  const set = vals([70n, 15n, 15n]);
  const r = tally(
    set,
    votesOf([
      [set[0]!, "REFUTED"],
      [set[1]!, "SUPPORTED"],
      [set[2]!, "SUPPORTED"],
    ]),
    6667,
  );
  t.equal(r.verdict, "REFUTED", "one validator with 70% outweighs two with 15%");
  t.equal(r.stakeFor, 70n);
  t.equal(r.stakeAgainst, 30n);
  t.same(r.stakeByVerdict, { SUPPORTED: 30n, REFUTED: 70n, UNVERIFIABLE: 0n });
  const missing = tally(
    set,
    votesOf([
      [set[1]!, "UNVERIFIABLE"],
      [set[2]!, "UNVERIFIABLE"],
    ]),
    6667,
  );
  t.equal(missing.verdict, undefined, "a missing vote counts against certification");
  t.equal(missing.stakeFor, 30n);
  t.equal(missing.totalAssigned, 100n);
  t.equal(tally(set, votesOf([[set[0]!, "UNVERIFIABLE"]]), 6667).verdict, "UNVERIFIABLE", "UNVERIFIABLE can be certified too");

  const outsider = { operator: op(99), power: 1000n };
  const withOutsiders = votesOf([
    [set[1]!, "SUPPORTED"],
    [outsider, "SUPPORTED"],
  ]);
  withOutsiders.set("ab".repeat(20), "SUPPORTED");
  withOutsiders.set(hex(op(77)), "NONSENSE" as Verdict);
  t.not(hex(set[2]!.operator).toUpperCase(), hex(set[2]!.operator), "an operator whose hex has letters");
  withOutsiders.set(hex(set[2]!.operator).toUpperCase(), "SUPPORTED");
  const ign = tally(set, withOutsiders, 6667);
  t.equal(ign.verdict, undefined, "unassigned (and wrongly cased) votes are ignored");
  t.equal(ign.stakeFor, 15n);
  t.same(ign.voters, [hex(set[1]!.operator)]);
  throwsClaims(
    t,
    () => tally(set, new Map([[hex(set[0]!.operator), "MAYBE" as Verdict]]), 6667),
    ClaimsCode.InvalidVerdict,
    "an assigned validator's malformed vote",
  );
  throwsClaims(t, () => tally([set[0]!, set[0]!], new Map(), 6667), ClaimsCode.InvalidValidatorSet, "a validator assigned twice");

  const order = votesOf([
    [set[2]!, "SUPPORTED"],
    [set[0]!, "SUPPORTED"],
    [set[1]!, "REFUTED"],
  ]);
  const reversed = new Map([...order.entries()].reverse());
  const expectedVoters = set
    .map((v) => v.operator)
    .sort(Buffer.compare)
    .map(hex);
  t.same(tally(set, order, 6667).voters, expectedVoters, "voters in canonical byte order");
  t.same(tally([...set].reverse(), reversed, 6667), tally(set, order, 6667), "independent of assignment and Map insertion order");

  const none = tally(set, new Map(), 6667);
  t.same([none.verdict, none.stakeFor, none.stakeAgainst, none.totalAssigned, none.voters], [undefined, 0n, 0n, 100n, []], "no votes");
  const empty = tally([], new Map(), 6667);
  t.same([empty.verdict, empty.totalAssigned], [undefined, 0n], "no assignment certifies nothing");
  const zero = vals([0n, 0n]);
  t.equal(
    tally(
      zero,
      votesOf([
        [zero[0]!, "SUPPORTED"],
        [zero[1]!, "SUPPORTED"],
      ]),
      6667,
    ).verdict,
    undefined,
    "an assignment with no power certifies nothing",
  );
});

t.test("thresholds must be above one half, so no two verdicts can both qualify", async (t) => {
  for (const bad of [5000, 0, -1, 10001, 6666.5, NaN, Infinity]) {
    throwsClaims(t, () => tally(vals([1n]), new Map(), bad), ClaimsCode.InvalidThreshold, `threshold ${bad}`);
  }
  const four = vals([1n, 1n, 1n, 1n]);
  const split = votesOf([
    [four[0]!, "REFUTED"],
    [four[1]!, "REFUTED"],
    [four[2]!, "SUPPORTED"],
    [four[3]!, "SUPPORTED"],
  ]);
  const r = tally(four, split, 5001);
  t.equal(r.verdict, undefined, "a 50/50 split certifies nothing even at 5001 bp");
  t.equal(r.stakeFor, 2n, "the leading stake is reported");
  t.equal(r.stakeAgainst, 2n);

  // Exhaustively: 4 validators of powers 1..4, every vote pattern (3 verdicts or none), several
  // thresholds: at most one verdict ever qualifies, and tally names exactly that one.
  const set = vals([1n, 2n, 3n, 4n]);
  const choices: (Verdict | undefined)[] = [undefined, ...VERDICTS];
  let checked = 0;
  let bad = 0;
  for (const th of [5001, 6000, 6667, 7500, 10000]) {
    for (let code = 0; code < 4 ** 4; code++) {
      const votes = new Map<string, Verdict>();
      for (let i = 0; i < 4; i++) {
        const v = choices[Math.floor(code / 4 ** i) % 4];
        if (v !== undefined) votes.set(hex(set[i]!.operator), v);
      }
      const qualifying = VERDICTS.filter((v) => {
        let s = 0n;
        for (let i = 0; i < 4; i++) if (votes.get(hex(set[i]!.operator)) === v) s += set[i]!.power;
        return s * 10000n >= BigInt(th) * 10n;
      });
      const got = tally(set, votes, th).verdict;
      if (qualifying.length > 1 || got !== qualifying[0]) bad++;
      checked++;
    }
  }
  t.equal(bad, 0, `${checked} vote patterns: never two qualifying verdicts, and tally agrees with brute force`);
});

t.test("deadline settlement and per-validator outcomes", async (t) => {
  const set = vals([40n, 30n, 20n, 10n]);
  const [a, b, c, d] = set as [WeightedValidator, WeightedValidator, WeightedValidator, WeightedValidator];
  const certified = votesOf([
    [a, "SUPPORTED"],
    [b, "SUPPORTED"],
    [c, "REFUTED"],
  ]);
  const s1 = settleAtDeadline(set, certified, 6667);
  t.equal(s1.outcome, "SUPPORTED", "70 of 100 at 6667 bp");
  t.equal(s1.result.stakeFor, 70n);
  const s2 = settleAtDeadline(
    set,
    votesOf([
      [a, "SUPPORTED"],
      [b, "REFUTED"],
    ]),
    6667,
  );
  t.equal(s2.outcome, "UNRESOLVED", "no verdict reached the threshold by the deadline");
  t.equal(s2.result.verdict, undefined);
  t.equal(settleAtDeadline(set, new Map(), 6667).outcome, "UNRESOLVED", "nobody voted");

  const outsider = { operator: op(50), power: 5n };
  const withOutsider = new Map(certified);
  withOutsider.set(hex(outsider.operator), "SUPPORTED");
  const outcomes = validatorOutcomes(set, withOutsider, s1.outcome);
  const byOp = new Map(outcomes.map((o) => [o.operator, o.outcome]));
  t.equal(outcomes.length, 4, "assigned validators only");
  t.same(
    [byOp.get(hex(a.operator)), byOp.get(hex(b.operator)), byOp.get(hex(c.operator)), byOp.get(hex(d.operator))],
    ["agreed", "agreed", "disagreed", "missed"],
  );
  t.same(
    outcomes.map((o) => o.operator),
    set
      .map((v) => v.operator)
      .sort(Buffer.compare)
      .map(hex),
    "in canonical order",
  );
  t.equal(outcomes.find((o) => o.operator === hex(c.operator))!.vote, "REFUTED");
  t.equal(outcomes.find((o) => o.operator === hex(c.operator))!.power, 20n);
  const unresolved = validatorOutcomes(
    set,
    votesOf([
      [a, "SUPPORTED"],
      [b, "REFUTED"],
    ]),
    "UNRESOLVED",
  );
  t.same(
    set.map((v) => unresolved.find((o) => o.operator === hex(v.operator))!.outcome),
    ["inconclusive", "inconclusive", "missed", "missed"],
    "on an UNRESOLVED claim voters are inconclusive, the others missed",
  );
  throwsClaims(t, () => validatorOutcomes(set, certified, "MAYBE" as Verdict), ClaimsCode.InvalidVerdict, "an unknown outcome");
});
