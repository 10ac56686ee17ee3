// The measures bench:verify reports for verification models on labelled (source, claim, label) triples:
// per model and for the validator set's consensus (the chain's own tally). Pure functions, so that the
// test suite can check them on small hand-made inputs.
import fs from "node:fs";
import path from "node:path";
import { VERDICTS, type ClaimOutcome, type Verdict } from "../modules/claims/tally";
import { consensusOutcome as tallyOutcome } from "./sidecar/evaluate";

export interface LabelledTriple {
  id: string;
  domain: string;
  source: string;
  claim: string;
  label: Verdict;
  reason: string;
}

/** One model's answer on one triple: a verdict with its confidence, or none (it abstained). */
export type Answer = { verdict: Verdict; confidenceBp: number } | undefined;

/** Reads every bench/verify-data/*.jsonl file (one triple per line), checking each field. */
export function readTriples(dir: string): LabelledTriple[] {
  const out: LabelledTriple[] = [];
  for (const file of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()) {
    const lines = fs.readFileSync(path.join(dir, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (line.trim() === "") return;
      const where = `${file}:${i + 1}`;
      const x = JSON.parse(line) as Partial<LabelledTriple>;
      for (const k of ["id", "domain", "source", "claim", "reason"] as const) {
        if (typeof x[k] !== "string" || x[k]!.trim() === "") throw new Error(`${where}: "${k}" must be a non-empty string`);
      }
      if (!VERDICTS.includes(x.label as Verdict)) throw new Error(`${where}: label must be one of ${VERDICTS.join(", ")}`);
      out.push(x as LabelledTriple);
    });
  }
  return out;
}

/** A verdict below `minConfidenceBp` becomes an abstention (no vote), as a sidecar with that threshold would answer. */
export function withAbstention(answers: readonly Answer[], minConfidenceBp: number): Answer[] {
  return answers.map((a) => (a === undefined || a.confidenceBp < minConfidenceBp ? undefined : a));
}

const ratio = (n: number, d: number): number => (d === 0 ? 0 : Math.round((n / d) * 10000) / 10000);

export interface ModelMeasures {
  triples: number;
  answered: number;
  correct: number;
  /** Correct answers over all triples (an abstention counts as not correct). */
  accuracy: number;
  /** Correct answers over the answered ones. */
  precision: number;
  coverage: number;
  /** Per true label: correct answers over triples with that label. */
  accuracyByLabel: Record<Verdict, number>;
  /** Expected calibration error over 10 equal-width confidence bins of the answered triples. */
  calibrationError: number;
  meanConfidenceCorrect: number;
  meanConfidenceWrong: number;
}

export function modelMeasures(answers: readonly Answer[], triples: readonly LabelledTriple[]): ModelMeasures {
  if (answers.length !== triples.length) throw new Error("one answer per triple");
  let answered = 0;
  let correct = 0;
  const byLabel = Object.fromEntries(VERDICTS.map((v) => [v, { n: 0, ok: 0 }])) as Record<Verdict, { n: number; ok: number }>;
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, ok: 0 }));
  let confOk = 0;
  let confWrong = 0;
  answers.forEach((a, i) => {
    const label = triples[i]!.label;
    byLabel[label].n++;
    if (a === undefined) return;
    answered++;
    const ok = a.verdict === label;
    const p = a.confidenceBp / 10000;
    const bin = bins[Math.min(9, Math.floor(p * 10))]!;
    bin.n++;
    bin.conf += p;
    if (ok) {
      correct++;
      byLabel[label].ok++;
      bin.ok++;
      confOk += p;
    } else confWrong += p;
  });
  const ece = answered === 0 ? 0 : bins.reduce((s, b) => s + (b.n === 0 ? 0 : (b.n / answered) * Math.abs(b.conf / b.n - b.ok / b.n)), 0);
  return {
    triples: triples.length,
    answered,
    correct,
    accuracy: ratio(correct, triples.length),
    precision: ratio(correct, answered),
    coverage: ratio(answered, triples.length),
    accuracyByLabel: Object.fromEntries(VERDICTS.map((v) => [v, ratio(byLabel[v].ok, byLabel[v].n)])) as Record<Verdict, number>,
    calibrationError: Math.round(ece * 10000) / 10000,
    meanConfidenceCorrect: ratio(confOk, correct),
    meanConfidenceWrong: ratio(confWrong, answered - correct),
  };
}

/** The chain's outcome for one claim from each validator's vote (equal stakes unless given), through its own tally. */
export function consensusOutcome(votes: readonly Answer[], thresholdBp: number, stakes?: readonly bigint[]): ClaimOutcome {
  return tallyOutcome(
    votes.map((v) => v?.verdict),
    stakes,
    thresholdBp,
  );
}

export interface ConsensusMeasures {
  triples: number;
  certified: number;
  correctCertificates: number;
  wrongCertificates: number;
  /** Correct certificates over certificates. */
  certifiedPrecision: number;
  /** Certificates over all claims. */
  coverage: number;
  /** Wrong certificates over all claims. */
  wrongCertificateRate: number;
  /** Per true label: correct certificates over triples with that label. */
  accuracyByLabel: Record<Verdict, number>;
}

/** votes[m][i]: validator m's answer on triple i. */
export function consensusMeasures(votes: readonly (readonly Answer[])[], triples: readonly LabelledTriple[], thresholdBp: number): ConsensusMeasures {
  const outcomes = triples.map((_, i) =>
    consensusOutcome(
      votes.map((v) => v[i]),
      thresholdBp,
    ),
  );
  const certified = outcomes.filter((o) => o !== "UNRESOLVED").length;
  const correct = outcomes.filter((o, i) => o === triples[i]!.label).length;
  const byLabel = Object.fromEntries(
    VERDICTS.map((v) => {
      const idx = triples.map((t, i) => (t.label === v ? i : -1)).filter((i) => i >= 0);
      return [v, ratio(idx.filter((i) => outcomes[i] === v).length, idx.length)];
    }),
  ) as Record<Verdict, number>;
  return {
    triples: triples.length,
    certified,
    correctCertificates: correct,
    wrongCertificates: certified - correct,
    certifiedPrecision: ratio(correct, certified),
    coverage: ratio(certified, triples.length),
    wrongCertificateRate: ratio(certified - correct, triples.length),
    accuracyByLabel: byLabel,
  };
}

/** Pearson correlation (phi) of two models' error indicators: 1 when they are wrong on the same triples. */
export function errorCorrelation(a: readonly Answer[], b: readonly Answer[], triples: readonly LabelledTriple[]): number {
  const wrong = (x: Answer, t: LabelledTriple): number => (x !== undefined && x.verdict !== t.label ? 1 : 0);
  const xa = triples.map((t, i) => wrong(a[i], t));
  const xb = triples.map((t, i) => wrong(b[i], t));
  const n = triples.length;
  const ma = xa.reduce((s, x) => s + x, 0) / n;
  const mb = xb.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (xa[i]! - ma) * (xb[i]! - mb);
    va += (xa[i]! - ma) ** 2;
    vb += (xb[i]! - mb) ** 2;
  }
  return va === 0 || vb === 0 ? 0 : Math.round((cov / Math.sqrt(va * vb)) * 10000) / 10000;
}
