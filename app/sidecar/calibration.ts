// Confidence calibration: a map from a model's raw confidence to the share of its verdicts that were right
// at that confidence, fitted on held-out labelled data (bench/verify-dev, never the evaluation set) by
// isotonic regression (pool-adjacent-violators), so that it never reorders the model's own ranking of its
// verdicts. Each pooled block's rate is Laplace-smoothed, (right + 1) / (n + 2), so that a block with few
// points never claims certainty. `mirad sidecar --calibration FILE` applies the map to every verdict before
// --abstain-below, so the abstention threshold is a probability of being right rather than a raw score.
//
// The file (written by `npm run bench:verify -- --write-calibration DIR`):
//   {"format":"mira-calibration/1","method":"isotonic","model_sha256":"<hex>","fitted_on":"...","points":N,
//    "steps":[{"max_bp":B,"bp":P},...]}
// Steps are sorted by max_bp; a raw confidence c maps to the bp of the first step with max_bp >= c (past the
// last step, to the last step's). The map belongs to one model: the sidecar refuses a file fitted for another.
// The calibrated model's hash is sha256("mira-calibrated/1\n" + model hash + "\n" + sha256 of the file), since
// the file changes the answers (their confidence, and so which ones abstain).
import crypto from "node:crypto";
import fs from "node:fs";
import type { Verification } from "./model";

export const CALIBRATION_FORMAT = "mira-calibration/1";

export interface CalibrationStep {
  /** The highest raw confidence (basis points) this step covers. */
  max_bp: number;
  /** The calibrated confidence (basis points) for raw confidences in this step. */
  bp: number;
}

export interface CalibrationMap {
  format: typeof CALIBRATION_FORMAT;
  method: "isotonic";
  model_sha256: string;
  fitted_on: string;
  points: number;
  steps: CalibrationStep[];
}

/** One verdict of the fitting data: its raw confidence and whether it was right. */
export interface CalibrationPoint {
  confidenceBp: number;
  correct: boolean;
}

/** Isotonic (non-decreasing) steps from raw confidence to the smoothed share of right verdicts. */
export function fitIsotonic(points: readonly CalibrationPoint[]): CalibrationStep[] {
  if (points.length === 0) throw new Error("calibration needs at least one answered, labelled verdict");
  for (const p of points) checkBp(p.confidenceBp, "a point's confidence");
  // Equal confidences form one block from the start: the map is a function of the confidence alone.
  const sorted = [...points].sort((a, b) => a.confidenceBp - b.confidenceBp);
  const blocks: { max: number; n: number; ok: number }[] = [];
  for (const p of sorted) {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.max === p.confidenceBp) {
      last.n++;
      last.ok += p.correct ? 1 : 0;
    } else blocks.push({ max: p.confidenceBp, n: 1, ok: p.correct ? 1 : 0 });
    // Pool adjacent violators: merge while a block's rate is below its predecessor's.
    while (blocks.length >= 2) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.ok * b.n <= b.ok * a.n) break;
      blocks.splice(blocks.length - 2, 2, { max: b.max, n: a.n + b.n, ok: a.ok + b.ok });
    }
  }
  return blocks.map((b) => ({ max_bp: b.max, bp: Math.round(((b.ok + 1) / (b.n + 2)) * 10000) }));
}

/** The calibrated confidence of a raw one. */
export function calibrate(steps: readonly CalibrationStep[], confidenceBp: number): number {
  for (const s of steps) if (confidenceBp <= s.max_bp) return s.bp;
  return steps[steps.length - 1]!.bp;
}

export function calibrationMap(modelSha256: string, fittedOn: string, points: readonly CalibrationPoint[]): CalibrationMap {
  return { format: CALIBRATION_FORMAT, method: "isotonic", model_sha256: modelSha256, fitted_on: fittedOn, points: points.length, steps: fitIsotonic(points) };
}

function checkBp(x: unknown, what: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 10000)
    throw new Error(`${what} must be an integer in 0..10000 basis points, got ${String(x)}`);
  return x;
}

/** Parses and checks a calibration file's text. */
export function parseCalibration(text: string, where = "calibration"): CalibrationMap {
  let x: Partial<CalibrationMap>;
  try {
    x = JSON.parse(text) as Partial<CalibrationMap>;
  } catch (err) {
    throw new Error(`${where}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (x.format !== CALIBRATION_FORMAT) throw new Error(`${where}: format must be "${CALIBRATION_FORMAT}", got ${JSON.stringify(x.format)}`);
  if (x.method !== "isotonic") throw new Error(`${where}: method must be "isotonic", got ${JSON.stringify(x.method)}`);
  if (typeof x.model_sha256 !== "string" || !/^[0-9a-f]{64}$/.test(x.model_sha256)) throw new Error(`${where}: model_sha256 must be 64 lowercase hex digits`);
  if (!Array.isArray(x.steps) || x.steps.length === 0) throw new Error(`${where}: steps must be a non-empty list`);
  let prevMax = -1;
  let prevBp = -1;
  x.steps.forEach((s, i) => {
    const max = checkBp(s?.max_bp, `${where}: steps[${i}].max_bp`);
    const bp = checkBp(s?.bp, `${where}: steps[${i}].bp`);
    if (max <= prevMax) throw new Error(`${where}: steps must be sorted by max_bp, strictly increasing (steps[${i}])`);
    if (bp < prevBp) throw new Error(`${where}: calibrated confidences must not decrease (steps[${i}])`);
    prevMax = max;
    prevBp = bp;
  });
  return {
    format: CALIBRATION_FORMAT,
    method: "isotonic",
    model_sha256: x.model_sha256,
    fitted_on: typeof x.fitted_on === "string" ? x.fitted_on : "",
    points: typeof x.points === "number" ? x.points : 0,
    steps: x.steps.map((s) => ({ max_bp: s.max_bp, bp: s.bp })),
  };
}

export function calibratedSha256(modelSha256: string, fileBytes: Uint8Array): string {
  const fileSha = crypto.createHash("sha256").update(fileBytes).digest("hex");
  return crypto.createHash("sha256").update(`mira-calibrated/1\n${modelSha256}\n${fileSha}`).digest("hex");
}

/** What the wrapper needs of a model: service.ts's SidecarModel (not imported, so the two files stay acyclic). */
interface Inner {
  readonly sha256: string;
  readonly executionProviders?: readonly string[];
  verify(pairs: readonly { claim: string; source: string }[]): Promise<(Verification | undefined)[]>;
  release?(): Promise<void>;
}

/** A model whose confidences go through a calibration map fitted for it. */
export class CalibratedModel implements Inner {
  readonly sha256: string;
  readonly executionProviders?: readonly string[];

  private constructor(
    readonly inner: Inner,
    readonly map: CalibrationMap,
    fileBytes: Uint8Array,
  ) {
    this.sha256 = calibratedSha256(inner.sha256, fileBytes);
    this.executionProviders = inner.executionProviders;
  }

  /** Wraps `inner` with the map in `text` (a file's bytes); refuses a map fitted for another model. */
  static fromBytes(inner: Inner, bytes: Uint8Array, where = "calibration"): CalibratedModel {
    const map = parseCalibration(Buffer.from(bytes).toString("utf8"), where);
    if (map.model_sha256 !== inner.sha256) {
      throw new Error(`${where} was fitted for model ${map.model_sha256.slice(0, 16)}…, but this sidecar runs model ${inner.sha256.slice(0, 16)}…`);
    }
    return new CalibratedModel(inner, map, bytes);
  }

  static fromFile(inner: Inner, file: string): CalibratedModel {
    return CalibratedModel.fromBytes(inner, fs.readFileSync(file), file);
  }

  async verify(pairs: readonly { claim: string; source: string }[]): Promise<(Verification | undefined)[]> {
    const out = await this.inner.verify(pairs);
    return out.map((v) => (v === undefined ? undefined : { ...v, confidenceBp: calibrate(this.map.steps, v.confidenceBp), modelSha256: this.sha256 }));
  }

  async release(): Promise<void> {
    await this.inner.release?.();
  }
}
