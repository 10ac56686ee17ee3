// A simulation of the drift rule (modules/claims/drift.ts) on a stream of claims: validators of a few
// kinds vote, the chain's own tally certifies, every settled assignment feeds the same integer averages
// the keeper keeps, and after each block the same band check runs for the validators it touched. It
// counts drift events on honest validators (false alarms) and how long a bad one takes to be caught.
// Used by bench/drift.ts (the figures in docs/drift.md) and test/claims-drift.test.ts.
import { DEFAULT_CLAIMS_PARAMS } from "../modules/claims/params";
import { findDrift, observe, PPM, setView, type DriftParams, type Tracks } from "../modules/claims/drift";
import { tally, validatorOutcomes, type Verdict, type Vote } from "../modules/claims/tally";
import { Rng } from "../app/sidecar/rng";

/**
 * honest: right with probability `accuracy` on ordinary claims and 0.55 on hard ones (where wrong
 * models mostly share one wrong answer), confidence higher when right, shifted by `calibrationBp`,
 * abstaining below 5,000 bp; random: the sidecar's random mode (uniform verdict, confidence uniform in
 * [3334, 10000]); invert: honest with SUPPORTED and REFUTED swapped. From block `changeAt` on, a
 * validator takes the kind `changeTo` (and `changeCalibrationBp`), e.g. a model that broke. table:
 * a real model's recorded answer to the claim drawn from the pool (its verdicts and confidences as they are).
 */
export interface SimValidator {
  kind: "honest" | "random" | "invert" | "table";
  /** kind "table": a real model's answer to each claim of the config's pool (bench/drift-models.ts). */
  answers?: readonly { vote: Vote; confidenceBp: number }[];
  accuracy: number;
  calibrationBp: number;
  changeAt?: number;
  changeTo?: Partial<Omit<SimValidator, "changeAt" | "changeTo">>;
}

export interface SimConfig {
  validators: SimValidator[];
  blocks: number;
  claimsPerBlock: number;
  verifiersPerClaim: number;
  thresholdBp: number;
  /** Probability that a validator's verdict does not arrive (a miss: no sample). */
  missRate: number;
  /** Share of hard claims. */
  hardShare: number;
  /** With table validators: how many claims their answers cover; each claim is drawn from them at random. */
  pool?: number;
  seed: number;
  params?: DriftParams;
}

export interface SimResult {
  /** Drift events (entries) per validator; those before its change; the block of its first one (from its change on). */
  events: number[];
  eventsBeforeChange: number[];
  firstDriftBlock: (number | undefined)[];
  /** Agreement samples each validator had when it first drifted. */
  firstDriftSamples: (bigint | undefined)[];
  /** Blocks in which each validator was drifting. */
  driftingBlocks: number[];
  samples: bigint[];
  reasons: Record<string, number>;
}

export const DEFAULT_DRIFT_PARAMS: DriftParams = {
  fastShift: DEFAULT_CLAIMS_PARAMS.driftFastShift,
  slowShift: DEFAULT_CLAIMS_PARAMS.driftSlowShift,
  minSamples: DEFAULT_CLAIMS_PARAMS.driftMinSamples,
  agreementMarginBp: DEFAULT_CLAIMS_PARAMS.driftAgreementMarginBp,
  confidenceMarginBp: DEFAULT_CLAIMS_PARAMS.driftConfidenceMarginBp,
  historyMarginBp: DEFAULT_CLAIMS_PARAMS.driftHistoryMarginBp,
};

const VERDICTS: Verdict[] = ["SUPPORTED", "REFUTED", "UNVERIFIABLE"];
const clampBp = (x: number): number => Math.max(0, Math.min(10_000, Math.round(x)));

function truth(rng: Rng): Verdict {
  const u = rng.int(100);
  return u < 45 ? "SUPPORTED" : u < 85 ? "REFUTED" : "UNVERIFIABLE";
}

function other(v: Verdict, rng: Rng): Verdict {
  const rest = VERDICTS.filter((x) => x !== v);
  return rest[rng.int(rest.length)]!;
}

function vote(v: SimValidator, claim: { truth: Verdict; hard: boolean; confusable: Verdict; index: number }, rng: Rng): { vote: Vote; confidenceBp: number } {
  if (v.kind === "random") return { vote: VERDICTS[rng.int(3)]!, confidenceBp: rng.between(3334, 10_001) };
  if (v.kind === "table") return v.answers![claim.index]!;
  const right = rng.next() < (claim.hard ? 0.55 : v.accuracy);
  let verdict = right ? claim.truth : rng.next() < 0.7 ? claim.confusable : other(claim.truth, rng);
  const confidenceBp = clampBp((right ? 8200 + 1000 * rng.normal() : 6200 + 1200 * rng.normal()) + v.calibrationBp);
  if (confidenceBp < 5000) return { vote: "ABSTAIN", confidenceBp };
  if (v.kind === "invert") verdict = verdict === "SUPPORTED" ? "REFUTED" : verdict === "REFUTED" ? "SUPPORTED" : verdict;
  return { vote: verdict, confidenceBp };
}

function pick(n: number, k: number, rng: Rng): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < Math.min(k, n); i++) {
    const j = i + rng.int(n - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, Math.min(k, n)).sort((a, b) => a - b);
}

/** Runs the simulation; deterministic for a seed. */
export function simulate(cfg: SimConfig): SimResult {
  const p = cfg.params ?? DEFAULT_DRIFT_PARAMS;
  const rng = new Rng(cfg.seed);
  const n = cfg.validators.length;
  const empty = (): Tracks => ({ agreement: { samples: 0n, fast: 0, slow: 0 }, confidence: { samples: 0n, fast: 0, slow: 0 } });
  const tracks = cfg.validators.map(empty);
  const drifting = new Array<boolean>(n).fill(false);
  const out: SimResult = {
    events: new Array<number>(n).fill(0),
    eventsBeforeChange: new Array<number>(n).fill(0),
    firstDriftBlock: new Array<number | undefined>(n).fill(undefined),
    firstDriftSamples: new Array<bigint | undefined>(n).fill(undefined),
    driftingBlocks: new Array<number>(n).fill(0),
    samples: new Array<bigint>(n).fill(0n),
    reasons: {},
  };
  const ops = cfg.validators.map((_, i) => Buffer.from([i + 1]));
  for (let block = 0; block < cfg.blocks; block++) {
    const now = cfg.validators.map((v) => (v.changeAt !== undefined && block >= v.changeAt ? { ...v, ...v.changeTo } : v));
    const touched = new Set<number>();
    for (let c = 0; c < cfg.claimsPerBlock; c++) {
      const t = truth(rng);
      const claim = { truth: t, hard: rng.next() < cfg.hardShare, confusable: other(t, rng), index: cfg.pool === undefined ? 0 : rng.int(cfg.pool) };
      const assigned = pick(n, cfg.verifiersPerClaim, rng);
      const votes = new Map<string, Vote>();
      const confidence = new Map<number, number>();
      for (const i of assigned) {
        if (rng.next() < cfg.missRate) continue;
        const v = vote(now[i]!, claim, rng);
        votes.set(ops[i]!.toString("hex"), v.vote);
        confidence.set(i, v.confidenceBp);
      }
      const weighted = assigned.map((i) => ({ operator: ops[i]!, power: 1n }));
      const result = tally(weighted, votes, cfg.thresholdBp);
      for (const o of validatorOutcomes(weighted, votes, result.verdict ?? "UNRESOLVED")) {
        const i = Buffer.from(o.operator, "hex")[0]! - 1;
        const tr = tracks[i]!;
        if (o.outcome === "agreed" || o.outcome === "disagreed") tr.agreement = observe(tr.agreement, o.outcome === "agreed" ? PPM : 0, p);
        const conf = confidence.get(i);
        if (conf !== undefined) tr.confidence = observe(tr.confidence, conf * 100, p);
        if (o.outcome !== "missed") touched.add(i);
      }
    }
    const set = setView(tracks, p);
    for (const i of touched) {
      const f = findDrift(tracks[i]!, set, p, drifting[i]!);
      if (f !== undefined && !drifting[i]) {
        drifting[i] = true;
        out.events[i]! += 1;
        out.reasons[f.reason] = (out.reasons[f.reason] ?? 0) + 1;
        if (block < (cfg.validators[i]!.changeAt ?? 0)) out.eventsBeforeChange[i]! += 1;
        else if (out.firstDriftBlock[i] === undefined) {
          out.firstDriftBlock[i] = block;
          out.firstDriftSamples[i] = tracks[i]!.agreement.samples;
        }
      } else if (f === undefined && drifting[i]) drifting[i] = false;
    }
    for (let i = 0; i < n; i++) if (drifting[i]) out.driftingBlocks[i]! += 1;
  }
  tracks.forEach((t, i) => (out.samples[i] = t.agreement.samples));
  return out;
}

/** n honest validators with accuracies spread evenly over [lo, hi] and calibrations over [-cal, +cal]. */
export function honestSet(n: number, lo: number, hi: number, calBp: number): SimValidator[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: "honest" as const,
    accuracy: n === 1 ? hi : lo + ((hi - lo) * i) / (n - 1),
    calibrationBp: n === 1 ? 0 : Math.round(-calBp + (2 * calBp * i) / (n - 1)),
  }));
}
