// The evaluation set of bench:verify (bench/verify-data/*.jsonl) and its measures: at least 300
// hand-written triples across the domains the chain serves, balanced over the three labels, each with
// a reason, none drawn from the training generator; and the measures computed right on small inputs.
import path from "node:path";
import t from "tap";
import { generateExamples } from "../app/sidecar/dataset";
import { DEFAULT_BUDGET } from "../app/sidecar/train";
import {
  type Answer,
  consensusMeasures,
  consensusOutcome,
  errorCorrelation,
  type LabelledTriple,
  modelMeasures,
  readTriples,
  withAbstention,
} from "../bench/verify-metrics";

const DATA = path.resolve(__dirname, "..", "..", "bench", "verify-data");

t.test("the evaluation set: 300+ labelled triples of real prose, balanced, kept apart from training", async (t) => {
  const triples = readTriples(DATA);
  t.ok(triples.length >= 300, `${triples.length} triples`);
  t.equal(new Set(triples.map((x) => x.id)).size, triples.length, "ids are unique");
  const domains = new Set(triples.map((x) => x.domain));
  for (const d of ["encyclopedic", "news", "finance", "medicine", "law", "software"]) t.ok(domains.has(d), `domain ${d}`);
  for (const label of ["SUPPORTED", "REFUTED", "UNVERIFIABLE"] as const) {
    const n = triples.filter((x) => x.label === label).length;
    t.ok(n >= triples.length * 0.28 && n <= triples.length * 0.39, `${label}: ${n} of ${triples.length}`);
  }
  t.ok(
    triples.every((x) => x.reason.length >= 10),
    "every triple has a one-line reason",
  );
  t.equal(new Set(triples.map((x) => `${x.source}\u0000${x.claim}`)).size, triples.length, "no triple repeats another");
  const train = generateExamples("train", DEFAULT_BUDGET.trainSize);
  const trainTexts = new Set(train.flatMap((e) => [e.claim.toLowerCase(), e.source.toLowerCase()]));
  t.same(
    triples.filter((x) => trainTexts.has(x.claim.toLowerCase()) || trainTexts.has(x.source.toLowerCase())).map((x) => x.id),
    [],
    "no claim or source of the set is in the training data",
  );
});

const triple = (label: LabelledTriple["label"], i: number): LabelledTriple => ({
  id: `t${i}`,
  domain: "test",
  source: "s",
  claim: `c${i}`,
  label,
  reason: "a test triple",
});
const say = (verdict: LabelledTriple["label"], confidenceBp: number): Answer => ({ verdict, confidenceBp });

t.test("a model's measures: accuracy, precision, coverage, per label, calibration", async (t) => {
  const triples = [triple("SUPPORTED", 1), triple("REFUTED", 2), triple("UNVERIFIABLE", 3), triple("SUPPORTED", 4)];
  const answers: Answer[] = [say("SUPPORTED", 9000), say("SUPPORTED", 9000), undefined, say("SUPPORTED", 7000)];
  const m = modelMeasures(answers, triples);
  t.match(m, { triples: 4, answered: 3, correct: 2, accuracy: 0.5, precision: 0.6667, coverage: 0.75 });
  t.same(m.accuracyByLabel, { SUPPORTED: 1, REFUTED: 0, UNVERIFIABLE: 0 });
  // Bins: 0.9 holds one right and one wrong (|0.9 - 0.5| = 0.4, weight 2/3); 0.7 holds one right (|0.7 - 1| = 0.3, weight 1/3).
  t.equal(m.calibrationError, Math.round((2 / 3) * 0.4 * 10000 + (1 / 3) * 0.3 * 10000) / 10000);
  t.same(withAbstention(answers, 8000), [say("SUPPORTED", 9000), say("SUPPORTED", 9000), undefined, undefined], "below the threshold: no vote");
});

t.test("consensus through the chain's tally: 3 of 4 equal validators certify, 2 of 4 do not", async (t) => {
  const s = say("SUPPORTED", 9000);
  const r = say("REFUTED", 9000);
  t.equal(consensusOutcome([s, s, s, r], 6667), "SUPPORTED");
  t.equal(consensusOutcome([s, s, r, r], 6667), "UNRESOLVED");
  t.equal(consensusOutcome([s, s, undefined, undefined], 6667), "UNRESOLVED", "an abstention counts against certification, as a missing vote");
  const triples = [triple("SUPPORTED", 1), triple("REFUTED", 2), triple("REFUTED", 3)];
  const votes: Answer[][] = [
    [s, s, s],
    [s, s, r],
    [s, s, r],
    [r, r, r],
  ];
  t.match(consensusMeasures(votes, triples, 6667), {
    certified: 3,
    correctCertificates: 2,
    wrongCertificates: 1,
    certifiedPrecision: 0.6667,
    coverage: 1,
    wrongCertificateRate: 0.3333,
  });
});

t.test("error correlation: 1 when two models fail together, 0 when one never fails", async (t) => {
  const triples = [triple("SUPPORTED", 1), triple("REFUTED", 2), triple("UNVERIFIABLE", 3), triple("SUPPORTED", 4)];
  const a: Answer[] = [say("REFUTED", 9000), say("REFUTED", 9000), say("SUPPORTED", 9000), say("SUPPORTED", 9000)];
  t.equal(errorCorrelation(a, a, triples), 1);
  const perfect: Answer[] = triples.map((x) => say(x.label, 9000));
  t.equal(errorCorrelation(a, perfect, triples), 0);
  const opposite: Answer[] = [say("SUPPORTED", 9000), say("SUPPORTED", 9000), say("UNVERIFIABLE", 9000), say("REFUTED", 9000)];
  t.equal(errorCorrelation(a, opposite, triples), -1);
});
