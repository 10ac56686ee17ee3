import { parseDecText, ONE_DEC } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import type { Params } from "../../proto/gen/mira/claims/v1/claims";

/** The claims params before genesis overrides them (validateClaimsParams checks each override). */
export const DEFAULT_CLAIMS_PARAMS: Params = {
  maxClaims: 64,
  maxClaimBytes: 512,
  maxContentBytes: 16_384,
  defaultVerifiersPerClaim: 7,
  maxVerifiersPerClaim: 21,
  defaultThresholdBp: 6667,
  minThresholdBp: 5001,
  deadlineBlocks: 10n,
  feePerClaim: { denom: "umira", amount: "1000" },
  faultWindow: 100n,
  maxFaultBp: 3000,
  slashFractionVerification: "0.001",
  jailDuration: { seconds: 600n, nanos: 0 },
  allowedModelHashes: [],
  maxExtensionBytes: 65_536,
  lateVoteBlocks: 3n,
  // Drift detection (drift.ts; the false-alarm rate of these values is in docs/drift.md).
  driftFastShift: 5,
  driftSlowShift: 9,
  driftMinSamples: 16n,
  driftAgreementMarginBp: 4500,
  driftConfidenceMarginBp: 2500,
  driftHistoryMarginBp: 2500,
};

function bad(why: string): never {
  throw chainError(SdkCode.InvalidRequest, `claims params: ${why}`);
}

function inRange(v: number | bigint, name: string, min: number, max: number): void {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) bad(`${name} ${String(v)} must be an integer in [${min}, ${max}]`);
}

/**
 * The one check of claims params, for genesis and MsgUpdateParams alike, so that nothing absurd
 * reaches end-of-block code: every count and window in its range, the default verifiers and
 * threshold within their bounds, the fee a coin, the slash fraction in [0, 1], the jail duration
 * whole seconds, each allowed model hash a sha256 (32 bytes), and the drift averages' slow shift
 * above their fast one. Throws InvalidRequest.
 */
export function validateClaimsParams(p: Params): void {
  inRange(p.maxClaims, "max_claims", 1, 4096);
  inRange(p.maxClaimBytes, "max_claim_bytes", 1, 65_536);
  inRange(p.maxContentBytes, "max_content_bytes", 1, 1 << 20);
  inRange(p.defaultVerifiersPerClaim, "default_verifiers_per_claim", 1, 1000);
  inRange(p.maxVerifiersPerClaim, "max_verifiers_per_claim", 1, 1000);
  inRange(p.defaultThresholdBp, "default_threshold_bp", 5001, 10_000);
  inRange(p.minThresholdBp, "min_threshold_bp", 5001, 10_000);
  inRange(p.deadlineBlocks, "deadline_blocks", 1, 1_000_000);
  inRange(p.faultWindow, "fault_window", 1, 1_000_000);
  inRange(p.maxFaultBp, "max_fault_bp", 0, 10_000);
  inRange(p.maxExtensionBytes, "max_extension_bytes", 1024, 1 << 20);
  inRange(p.lateVoteBlocks, "late_vote_blocks", 0, 100);
  inRange(p.driftFastShift, "drift_fast_shift", 1, 16);
  inRange(p.driftSlowShift, "drift_slow_shift", 2, 20);
  inRange(p.driftMinSamples, "drift_min_samples", 1, 1_000_000);
  inRange(p.driftAgreementMarginBp, "drift_agreement_margin_bp", 1, 10_000);
  inRange(p.driftConfidenceMarginBp, "drift_confidence_margin_bp", 1, 10_000);
  inRange(p.driftHistoryMarginBp, "drift_history_margin_bp", 1, 10_000);
  if (p.driftSlowShift <= p.driftFastShift) bad("drift_slow_shift must be above drift_fast_shift (the slow average is the longer history)");
  if (p.defaultVerifiersPerClaim > p.maxVerifiersPerClaim) bad("default_verifiers_per_claim is above max_verifiers_per_claim");
  if (p.defaultThresholdBp < p.minThresholdBp) bad("default_threshold_bp is below min_threshold_bp");
  const fee = p.feePerClaim;
  if (fee === undefined || !/^[a-z][a-z0-9/:._-]{2,127}$/.test(fee.denom) || !/^(0|[1-9][0-9]{0,29})$/.test(fee.amount))
    bad(`fee_per_claim ${JSON.stringify(fee)} is not a coin`);
  if (parseDecText(p.slashFractionVerification, "claims params: slash_fraction_verification") > ONE_DEC) bad("slash_fraction_verification is above 1");
  const j = p.jailDuration;
  if (j === undefined || j.seconds < 0n || j.seconds > 999_999_999_999n || j.nanos !== 0) bad("jail_duration must be a whole number of seconds");
  for (const h of p.allowedModelHashes) if (h.length !== 32) bad(`allowed model hash ${Buffer.from(h).toString("hex")} is not a sha256 (32 bytes)`);
}
