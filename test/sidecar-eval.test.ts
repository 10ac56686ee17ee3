// The sidecar evaluation: the 4-validator consensus rule on hand-made vote tables (the chain's tally: a verdict
// with at least two thirds of the stake is certified, else UNRESOLVED), the report arithmetic, and a small
// end-to-end run of evaluate() whose numbers must be well-formed and deterministic.
import t, { type Test } from "tap";
import { LABELS, type Example, type Verdict } from "../app/sidecar/dataset";
import {
  consensusOutcome,
  consensusReport,
  evaluate,
  modelReport,
  OUTCOMES,
  parseArgs,
  type ConsensusReport,
  type ModelReport,
} from "../bench/sidecar/evaluate";
import { VARIANTS } from "../app/sidecar/train";

const S: Verdict = "SUPPORTED";
const R: Verdict = "REFUTED";
const U: Verdict = "UNVERIFIABLE";

t.test("consensus rule on hand-made vote tables (four equal validators)", async (t) => {
  t.equal(consensusOutcome([S, S, S, S]), S, "4 of 4 agree: certified");
  t.equal(consensusOutcome([S, S, S, R]), S, "3 of 4 agree: certified");
  t.equal(consensusOutcome([R, U, R, R]), R, "3 of 4 agree in any positions");
  t.equal(consensusOutcome([U, U, U, S]), U);
  t.equal(consensusOutcome([S, S, R, R]), "UNRESOLVED", "2-2: UNRESOLVED");
  t.equal(consensusOutcome([S, R, S, R]), "UNRESOLVED", "2-2 interleaved: UNRESOLVED");
  t.equal(consensusOutcome([S, S, R, U]), "UNRESOLVED", "2-1-1: UNRESOLVED");
  t.equal(consensusOutcome([S, S, S, undefined]), S, "a missing vote counts against, 3 of 4 still certify");
  t.equal(consensusOutcome([S, S, undefined, undefined]), "UNRESOLVED", "2 of 4 voting: UNRESOLVED");
  // Unequal stake: the threshold is on stake, not on heads.
  t.equal(consensusOutcome([S, S, R, R], [5n, 2n, 1n, 1n]), S, "7 of 9 stake: certified");
  t.equal(consensusOutcome([S, R, R, R], [7n, 1n, 1n, 1n]), S, "one validator with 70% of the stake certifies alone");
  t.equal(consensusOutcome([S, S, S, R], [1n, 1n, 1n, 3n]), "UNRESOLVED", "3 of 6 stake: UNRESOLVED");
  // Exactly two thirds certifies at the default threshold (three validators, two agree).
  t.equal(consensusOutcome([S, S, R]), S, "2 of 3 equal: exactly two thirds certifies");
});

t.test("report arithmetic on a hand-made vote table", async (t) => {
  const ex = (label: Verdict): Example => ({ source: "", claim: "", label, labelId: LABELS.indexOf(label) });
  const examples = [ex(S), ex(R), ex(U), ex(S), ex(R)];
  const votes: Verdict[][] = [
    [S, R, U, S, S],
    [S, R, U, R, R],
    [S, U, U, R, S],
    [R, R, S, S, R],
  ];
  // Per claim: S,S,S,R -> S (right); R,R,U,R -> R (right); U,U,U,S -> U (right); S,R,R,S -> UNRESOLVED; S,R,S,R -> UNRESOLVED.
  const c = consensusReport(["a", "b", "c", "d"], votes, examples);
  t.equal(c.certified, 3);
  t.equal(c.certifiedCorrect, 3);
  t.equal(c.certifiedAccuracy, 1);
  t.equal(c.coverage, 0.6);
  t.equal(c.overallAccuracy, 0.6);
  t.same(c.confusion.matrix, [
    [1, 0, 0, 1],
    [0, 1, 0, 1],
    [0, 0, 1, 0],
  ]);
  const m = modelReport("a", "00", votes[0]!, examples);
  t.equal(m.correct, 4);
  t.equal(m.accuracy, 0.8);
  t.same(m.confusion.matrix, [
    [2, 0, 0],
    [1, 1, 0],
    [0, 0, 1],
  ]);
});

t.test("parseArgs", async (t) => {
  t.same(parseArgs(["--models", "m", "--eval-size", "10"]), { modelsDir: "m", evalSize: 10 });
  t.throws(() => parseArgs(["--bogus"]), /unknown argument/);
  t.throws(() => parseArgs(["--eval-size", "0"]), /positive integer/);
});

function wellFormedMatrix(t: Test, matrix: number[][], cols: number, total: number, rowTotal: number): void {
  t.equal(matrix.length, LABELS.length, "one row per true label");
  for (const row of matrix) {
    t.equal(row.length, cols);
    t.ok(
      row.every((v) => Number.isInteger(v) && v >= 0),
      "non-negative integer counts",
    );
    t.equal(
      row.reduce((a, b) => a + b, 0),
      rowTotal,
      "balanced split: each label a third",
    );
  }
  t.equal(
    matrix.flat().reduce((a, b) => a + b, 0),
    total,
  );
}

t.test("evaluate() on a small budget: well-formed, consistent, deterministic", async (t) => {
  const evalSize = 300;
  const opts = { evalSize, budget: { trainSize: 900, epochs: 6, evalSize: 30, batchSize: 32 } };
  const started = Date.now();
  const reports = await evaluate(opts);
  const models = reports.filter((r): r is ModelReport => r.kind === "model");
  const consensus = reports.filter((r): r is ConsensusReport => r.kind === "consensus");
  t.equal(models.length, Object.keys(VARIANTS).length, "one line per model");
  t.equal(consensus.length, 1, "one consensus line");
  const c = consensus[0]!;
  t.equal(c.validators, 4);
  t.same([...c.variants].sort(), Object.keys(VARIANTS).sort());
  for (const m of models) {
    t.equal(m.examples, evalSize);
    t.match(m.sha256, /^[0-9a-f]{64}$/);
    t.ok(m.accuracy >= 0 && m.accuracy <= 1 && m.accuracy === Math.round((m.correct / evalSize) * 10000) / 10000, `${m.variant}: accuracy`);
    t.ok(m.accuracy > 0.5, `${m.variant}: well above chance even on a small budget (${m.accuracy})`);
    wellFormedMatrix(t, m.confusion.matrix, LABELS.length, evalSize, evalSize / 3);
    t.equal(
      m.confusion.matrix.reduce((a, row, i) => a + row[i]!, 0),
      m.correct,
      "diagonal = correct",
    );
  }
  wellFormedMatrix(t, c.confusion.matrix, OUTCOMES.length, evalSize, evalSize / 3);
  const unresolved = c.confusion.matrix.reduce((a, row) => a + row[3]!, 0);
  t.equal(c.certified, evalSize - unresolved, "certified + UNRESOLVED = all");
  t.equal(
    c.confusion.matrix.reduce((a, row, i) => a + row[i]!, 0),
    c.certifiedCorrect,
  );
  for (const k of ["certifiedAccuracy", "coverage", "overallAccuracy"] as const) t.ok(c[k] >= 0 && c[k] <= 1, `${k} in [0,1]`);
  t.equal(c.coverage, Math.round((c.certified / evalSize) * 10000) / 10000);
  t.ok(c.overallAccuracy <= c.certifiedAccuracy, "overall counts UNRESOLVED as wrong");
  t.ok(Math.abs(c.overallAccuracy - c.certifiedAccuracy * c.coverage) < 1e-3, "overall = certified accuracy x coverage");

  const again = await evaluate(opts);
  t.same(again, reports, "deterministic: a second run prints the same numbers");
  t.comment(`evaluate took ${Date.now() - started} ms for two runs`);
});
