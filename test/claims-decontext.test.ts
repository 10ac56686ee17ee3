// Claims that stand alone (rule 5b of modules/claims/split.ts, the rules R1-R8 of
// modules/claims/decontext.ts): the fixture test/fixtures/claims-decontext.json of multi-sentence
// contents from encyclopedic, news, business, medical, legal and software prose with the claims
// expected, pronouns and elided subjects resolved where the referent is clear and left alone where
// it is not; the byte limit on resolved claims; client-split claims never rewritten; the same
// output twice and under other locales and time zones; linear time on adversarial content.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { claimsFromList, normaliseClaim, splitClaims, splitClauses, splitSentences, type ClaimLimits } from "../modules/claims/split";

interface Case {
  domain: string;
  content: string;
  claims: string[];
  unchanged: boolean;
  note?: string;
}
interface Fixture {
  limits: ClaimLimits;
  cases: Case[];
}

// Tests run compiled from dist/test/, the fixture stays in the source tree.
const FIXTURE = path.join(__dirname, "..", "..", "test", "fixtures", "claims-decontext.json");
const fixture = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as Fixture;
const LIMITS = fixture.limits;
const texts = (content: string, limits: ClaimLimits = LIMITS): string[] => splitClaims(content, limits).map((c) => c.text);

/** Sentence and clause splitting alone (rules 3-5 without 5b), for the fixture's "unchanged" flag. */
function plainSplit(content: string): string[] {
  const out: string[] = [];
  for (const sentence of splitSentences(content)) {
    for (const clause of splitClauses(sentence)) {
      const c = normaliseClaim(clause);
      if (c !== "" && !out.includes(c)) out.push(c);
    }
  }
  return out;
}

t.test("the fixture: every content gives the expected claims", async (t) => {
  t.ok(fixture.cases.length >= 40, `${fixture.cases.length} contents`);
  const domains = new Set(fixture.cases.map((c) => c.domain));
  for (const d of ["encyclopedic", "news", "business", "medical", "legal", "software"]) t.ok(domains.has(d), `${d} prose`);
  t.ok(fixture.cases.filter((c) => c.unchanged).length >= 10, "and cases that must stay as they are");
  for (const c of fixture.cases) {
    t.ok(splitSentences(c.content).length >= 2, `multi-sentence: ${c.content}`);
    t.same(texts(c.content), c.claims, `${c.domain}: ${c.content}${c.note === undefined ? "" : ` (${c.note})`}`);
    if (c.unchanged) t.same(c.claims, plainSplit(c.content), `left as sentence and clause splitting gives it: ${c.content}`);
    else t.notSame(c.claims, plainSplit(c.content), `a subject was put back: ${c.content}`);
  }
});

t.test("the rules the issue names", async (t) => {
  t.same(texts("The Eiffel Tower is in Berlin. It was completed in 1889."), ["The Eiffel Tower is in Berlin", "The Eiffel Tower was completed in 1889"]);
  t.same(
    texts("The Eiffel Tower is in Paris. Its height is 330 metres."),
    ["The Eiffel Tower is in Paris", "The Eiffel Tower's height is 330 metres"],
    "a possessive at the start",
  );
  t.same(
    texts("The Beatles were a band. Their first album came out in 1963."),
    ["The Beatles were a band", "The Beatles' first album came out in 1963"],
    "'s after s",
  );
  t.same(
    texts("Acme Corp was founded in 1901, and moved to Oslo in 1950."),
    ["Acme Corp was founded in 1901", "Acme Corp moved to Oslo in 1950"],
    "a clause cut at ', and' gets its sentence's subject back",
  );
  t.same(
    texts("Acme Corp was founded in 1901 and moved to Oslo in 1950."),
    ["Acme Corp was founded in 1901 and moved to Oslo in 1950"],
    "'and' without a comma is no clause separator: one claim, nothing to put back",
  );
  t.same(texts("The limit is 10; expected at most 5."), ["The limit is 10", "expected at most 5"], "nor is a clause cut at '; '");
  t.same(
    texts("The Eiffel Tower is in Paris. It was completed in 1889, and it is 330 metres tall."),
    ["The Eiffel Tower is in Paris", "The Eiffel Tower was completed in 1889", "the Eiffel Tower is 330 metres tall"],
    "a leading The takes the case of the pronoun it replaces",
  );
  t.same(
    texts("The company is based in Oslo. The company was founded in 1901."),
    ["The company is based in Oslo", "The company was founded in 1901"],
    "anaphora such as 'The company' stay",
  );
  t.same(texts("It was completed in 1889. It is in Paris."), ["It was completed in 1889", "It is in Paris"], "no earlier subject");
  t.same(texts("Apple is a company. They make phones."), ["Apple is a company", "They make phones"], "a plural pronoun after a singular subject");
  t.same(texts("The Beatles were a band. It sold well."), ["The Beatles were a band", "It sold well"], "a singular pronoun after a plural subject");
  t.same(
    texts("The patient was admitted. He recovered. She was discharged."),
    ["The patient was admitted", "The patient recovered", "She was discharged"],
    "gender once learnt",
  );
  t.same(
    texts("The drug is approved. Ice is cold. Snow is white. Rain is wet. It is cheap."),
    ["The drug is approved", "Ice is cold", "Snow is white", "Rain is wet", "It is cheap"],
    "subjects not known to be things, and the drug beyond the look-back window",
  );
});

t.test("a resolved claim over maxClaimBytes keeps its written form", async (t) => {
  const content = "The Eiffel Tower is in Berlin. It was completed in 1889. Its height is 330 m.";
  const resolved = "The Eiffel Tower was completed in 1889";
  const bytes = Buffer.byteLength(resolved, "utf8");
  t.same(
    texts(content, { ...LIMITS, maxClaimBytes: bytes }),
    ["The Eiffel Tower is in Berlin", resolved, "The Eiffel Tower's height is 330 m"],
    "exactly at the limit: resolved",
  );
  t.same(
    texts(content, { ...LIMITS, maxClaimBytes: bytes - 1 }),
    ["The Eiffel Tower is in Berlin", "It was completed in 1889", "The Eiffel Tower's height is 330 m"],
    "one byte over: kept as written, and its referent still counts for the claims after it",
  );
  t.same(
    texts("\u00c9mile Zola is a writer. He wrote Germinal.", { ...LIMITS, maxClaimBytes: 25 }),
    ["\u00c9mile Zola is a writer", "He wrote Germinal"],
    "the limit counts UTF-8 bytes ('\u00c9mile Zola wrote Germinal' is 25 characters, 26 bytes)",
  );
});

t.test("claims a client split itself are never rewritten", async (t) => {
  t.same(
    claimsFromList(["The Eiffel Tower is in Paris.", "It was completed in 1889."], LIMITS).map((c) => c.text),
    ["The Eiffel Tower is in Paris", "It was completed in 1889"],
  );
});

t.test("deterministic: the same claims twice, and under any locale or time zone", async (t) => {
  const run = () => fixture.cases.map((c) => splitClaims(c.content, LIMITS).map((x) => [x.id, x.text, x.hash.toString("hex")]));
  const here = run();
  t.same(run(), here, "twice in one process");
  const splitModule = path.join(__dirname, "..", "modules", "claims", "split.js");
  const script = [
    `const { splitClaims } = require(${JSON.stringify(splitModule)});`,
    `const f = JSON.parse(require("node:fs").readFileSync(${JSON.stringify(FIXTURE)}, "utf8"));`,
    `process.stdout.write(JSON.stringify(f.cases.map((c) => splitClaims(c.content, f.limits).map((x) => [x.id, x.text, x.hash.toString("hex")]))));`,
  ].join("\n");
  const envs: Record<string, string>[] = [
    { LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8", TZ: "Europe/Istanbul" },
    { LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8", TZ: "Asia/Kathmandu" },
    { LANG: "C", LC_ALL: "C", TZ: "UTC" },
    { LANG: "ja_JP.UTF-8", LC_ALL: "ja_JP.UTF-8", TZ: "Pacific/Chatham" },
  ];
  for (const env of envs) {
    const out = execFileSync(process.execPath, ["-e", script], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
    t.same(JSON.parse(out), here, `LC_ALL=${env.LC_ALL} TZ=${env.TZ}`);
  }
});

t.test("resolution stays linear-time on adversarial content", async (t) => {
  const limits = { maxClaims: 100000, maxClaimBytes: 1 << 20, maxContentBytes: 1 << 20 };
  const cases: [string, string][] = [
    ["many pronouns after one subject", "The tower is tall. " + "It is tall x. ".repeat(50000)],
    ["many mentions, then many pronouns", "The drug treats " + "the pain ".repeat(40000) + ". " + "It works y. ".repeat(20000)],
    ["many elided clauses", "The firm grew, and " + "moved to a new town, and ".repeat(30000) + "moved again."],
    ["long names", "The " + "Big ".repeat(100000) + "Tower is tall. It is old."],
  ];
  for (const [name, content] of cases) {
    const start = process.hrtime.bigint();
    const claims = splitClaims(content, limits);
    const ms = Number((process.hrtime.bigint() - start) / 1000000n);
    t.ok(ms < 3000, `${name}: ${content.length} characters into ${claims.length} claims in ${ms} ms`);
  }
});
