// Verifier drift: integer-only, deterministic moving averages of each validator's agreement with
// certified verdicts and of its verdicts' confidence, and the band check that says when it drifts.
// The keeper keeps the averages in VerifierStats; bench/drift.ts runs the same functions on a
// simulation to measure false alarms and detection delays (docs/drift.md).

/** The scale of the averages: 1,000,000 = always agreed, or a confidence of 10,000 bp. */
export const PPM = 1_000_000;
/** Below this many validators with enough samples, the active set has no median to compare with. */
export const MIN_SET = 3;

export interface DriftParams {
  /** Fast average weight per sample: 1 / 2^fastShift. */
  fastShift: number;
  /** Slow average (the validator's own history) weight per sample: 1 / 2^slowShift. */
  slowShift: number;
  /** Samples a track needs before it is judged, or counts in the set's median. */
  minSamples: bigint;
  /** The set's bands: wide enough for honest models that differ (drift_agreement_margin_bp, drift_confidence_margin_bp). */
  agreementMarginBp: number;
  confidenceMarginBp: number;
  /** Its own history's band, for both quantities: narrower, for a validator that changed (drift_history_margin_bp). */
  historyMarginBp: number;
}

/** A moving-average pair over one quantity, in ppm. */
export interface Track {
  samples: bigint;
  fast: number;
  slow: number;
}

/** A validator's two tracks: agreement with certified verdicts, and confidence. */
export interface Tracks {
  agreement: Track;
  confidence: Track;
}

export type DriftReason = "agreement_below_set" | "agreement_below_own_history" | "confidence_outside_set" | "confidence_outside_own_history";

export interface DriftFinding {
  reason: DriftReason;
  /** The fast average and the band it left, in basis points. */
  valueBp: number;
  lowBp: number;
  highBp: number;
}

/** The active set's current behaviour: the median fast and slow averages of its judged validators. */
export interface SetView {
  agreement?: { fast: number; slow: number };
  confidence?: { fast: number; slow: number };
}

/**
 * One sample x (an integer in [0, PPM]) into a track. Each average is the plain running mean of the
 * samples while there are fewer than 2^shift of them (so that the first samples do not weigh more
 * than the later ones), then an exponential moving average: it moves by (x - average) / 2^shift.
 * Divisions round down (an arithmetic shift, or Math.floor of an exact integer quotient), so every
 * value is an integer in [0, PPM] and replays bit for bit.
 */
export function observe(t: Track, x: number, p: DriftParams): Track {
  if (!Number.isInteger(x) || x < 0 || x > PPM) throw new RangeError(`drift sample ${x} is not an integer in [0, ${PPM}]`);
  const n = t.samples + 1n;
  return { samples: n, fast: step(t.fast, x, n, p.fastShift), slow: step(t.slow, x, n, p.slowShift) };
}

function step(average: number, x: number, n: bigint, shift: number): number {
  if (n < 1n << BigInt(shift)) return average + Math.floor((x - average) / Number(n));
  return average + ((x - average) >> shift);
}

/** The upper median (the element at n/2 of the sorted values; n ≥ 1). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

/** The set's medians over the tracks with at least minSamples samples; a quantity with fewer than MIN_SET such tracks has none. */
export function setView(all: readonly Tracks[], p: DriftParams): SetView {
  const out: SetView = {};
  for (const k of ["agreement", "confidence"] as const) {
    const judged = all.map((t) => t[k]).filter((t) => t.samples >= p.minSamples);
    if (judged.length >= MIN_SET) out[k] = { fast: median(judged.map((t) => t.fast)), slow: median(judged.map((t) => t.slow)) };
  }
  return out;
}

const bp = (ppm: number): number => Math.floor(Math.max(0, Math.min(PPM, ppm)) / 100);

/**
 * Whether a validator's tracks are outside their band, and which band first:
 * - agreement below the set: fast < set median fast - agreement margin;
 * - agreement below its own history: fast < slow + (set median fast - set median slow) - history
 *   margin, that is it fell by more than the margin beyond what the whole set fell (once it has
 *   2^slowShift samples, so that its slow average is a history);
 * - confidence outside the set: |fast - set median fast| > confidence margin (both sides: a verifier
 *   that turned certain of everything drifts as much as one that turned unsure);
 * - confidence outside its own history: |fast - slow - (set median fast - set median slow)| > history margin.
 * Only tracks with minSamples samples are judged. A validator already drifting stays so until it
 * is back within three quarters of the margin (hysteresis: one band edge does not flap events).
 */
export function findDrift(own: Tracks, set: SetView, p: DriftParams, drifting: boolean): DriftFinding | undefined {
  const scale = (marginBp: number): number => (drifting ? (marginBp * 3) >> 2 : marginBp) * 100;
  const history = 1n << BigInt(p.slowShift);
  const a = own.agreement;
  if (set.agreement !== undefined && a.samples >= p.minSamples) {
    const low = set.agreement.fast - scale(p.agreementMarginBp);
    if (a.fast < low) return { reason: "agreement_below_set", valueBp: bp(a.fast), lowBp: bp(low), highBp: bp(PPM) };
    if (a.samples >= history) {
      const m = scale(p.historyMarginBp);
      const expected = a.slow + (set.agreement.fast - set.agreement.slow);
      if (a.fast < expected - m) return { reason: "agreement_below_own_history", valueBp: bp(a.fast), lowBp: bp(expected - m), highBp: bp(PPM) };
    }
  }
  const c = own.confidence;
  if (set.confidence !== undefined && c.samples >= p.minSamples) {
    let m = scale(p.confidenceMarginBp);
    const centre = set.confidence.fast;
    if (Math.abs(c.fast - centre) > m) return { reason: "confidence_outside_set", valueBp: bp(c.fast), lowBp: bp(centre - m), highBp: bp(centre + m) };
    if (c.samples >= history) {
      m = scale(p.historyMarginBp);
      const expected = c.slow + (set.confidence.fast - set.confidence.slow);
      if (Math.abs(c.fast - expected) > m)
        return { reason: "confidence_outside_own_history", valueBp: bp(c.fast), lowBp: bp(expected - m), highBp: bp(expected + m) };
    }
  }
  return undefined;
}
