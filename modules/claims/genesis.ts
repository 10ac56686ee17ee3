import type { Context } from "../../app/core/context";
import { chainError, SdkCode } from "../../app/core/errors";
import type { Params } from "../../proto/gen/mira/claims/v1/claims";
import type { ClaimsKeeper } from "./keeper";
import { DEFAULT_CLAIMS_PARAMS, validateClaimsParams } from "./params";

type Uint = string | number;

/** `app_state.claims` in the SDK's JSON shape (snake_case; 64-bit integers as strings); every field optional. */
export interface ClaimsGenesis {
  params?: {
    max_claims?: Uint;
    max_claim_bytes?: Uint;
    max_content_bytes?: Uint;
    default_verifiers_per_claim?: Uint;
    max_verifiers_per_claim?: Uint;
    default_threshold_bp?: Uint;
    min_threshold_bp?: Uint;
    deadline_blocks?: Uint;
    fee_per_claim?: { denom: string; amount: string };
    fault_window?: Uint;
    max_fault_bp?: Uint;
    /** A decimal such as "0.001". */
    slash_fraction_verification?: string;
    /** Seconds, such as "600s". */
    jail_duration?: string;
    /** Hex sha256 of each model file a validator may vote with (empty: any). */
    allowed_model_hashes?: string[];
    max_extension_bytes?: Uint;
    late_vote_blocks?: Uint;
    drift_fast_shift?: Uint;
    drift_slow_shift?: Uint;
    drift_min_samples?: Uint;
    drift_agreement_margin_bp?: Uint;
    drift_confidence_margin_bp?: Uint;
    drift_history_margin_bp?: Uint;
  };
}

function bad(why: string): never {
  throw chainError(SdkCode.InvalidRequest, `claims params: ${why}`);
}

/** A JSON integer (number or decimal string), range-checked later by validateClaimsParams. */
function uint(v: Uint | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^[0-9]{1,15}$/.test(String(v))) bad(`${name} ${String(v)} is not an unsigned integer`);
  return Number(v);
}

/** The params in genesis over the defaults, checked by validateClaimsParams (the same check MsgUpdateParams runs). */
export function claimsParamsFromGenesis(g: ClaimsGenesis | undefined): Params {
  const p = g?.params ?? {};
  const d = DEFAULT_CLAIMS_PARAMS;
  const out: Params = {
    maxClaims: uint(p.max_claims, "max_claims", d.maxClaims),
    maxClaimBytes: uint(p.max_claim_bytes, "max_claim_bytes", d.maxClaimBytes),
    maxContentBytes: uint(p.max_content_bytes, "max_content_bytes", d.maxContentBytes),
    defaultVerifiersPerClaim: uint(p.default_verifiers_per_claim, "default_verifiers_per_claim", d.defaultVerifiersPerClaim),
    maxVerifiersPerClaim: uint(p.max_verifiers_per_claim, "max_verifiers_per_claim", d.maxVerifiersPerClaim),
    defaultThresholdBp: uint(p.default_threshold_bp, "default_threshold_bp", d.defaultThresholdBp),
    minThresholdBp: uint(p.min_threshold_bp, "min_threshold_bp", d.minThresholdBp),
    deadlineBlocks: BigInt(uint(p.deadline_blocks, "deadline_blocks", Number(d.deadlineBlocks))),
    feePerClaim: d.feePerClaim,
    faultWindow: BigInt(uint(p.fault_window, "fault_window", Number(d.faultWindow))),
    maxFaultBp: uint(p.max_fault_bp, "max_fault_bp", d.maxFaultBp),
    slashFractionVerification: p.slash_fraction_verification ?? d.slashFractionVerification,
    jailDuration: d.jailDuration,
    allowedModelHashes: d.allowedModelHashes,
    maxExtensionBytes: uint(p.max_extension_bytes, "max_extension_bytes", d.maxExtensionBytes),
    lateVoteBlocks: BigInt(uint(p.late_vote_blocks, "late_vote_blocks", Number(d.lateVoteBlocks))),
    driftFastShift: uint(p.drift_fast_shift, "drift_fast_shift", d.driftFastShift),
    driftSlowShift: uint(p.drift_slow_shift, "drift_slow_shift", d.driftSlowShift),
    driftMinSamples: BigInt(uint(p.drift_min_samples, "drift_min_samples", Number(d.driftMinSamples))),
    driftAgreementMarginBp: uint(p.drift_agreement_margin_bp, "drift_agreement_margin_bp", d.driftAgreementMarginBp),
    driftConfidenceMarginBp: uint(p.drift_confidence_margin_bp, "drift_confidence_margin_bp", d.driftConfidenceMarginBp),
    driftHistoryMarginBp: uint(p.drift_history_margin_bp, "drift_history_margin_bp", d.driftHistoryMarginBp),
  };
  if (p.fee_per_claim !== undefined) {
    if (!/^[0-9]{1,30}$/.test(p.fee_per_claim.amount)) bad(`fee_per_claim ${JSON.stringify(p.fee_per_claim)} is not a coin`);
    out.feePerClaim = { denom: p.fee_per_claim.denom, amount: BigInt(p.fee_per_claim.amount).toString() };
  }
  if (p.jail_duration !== undefined) {
    const m = /^([0-9]{1,12})s$/.exec(p.jail_duration);
    if (!m) bad(`jail_duration "${p.jail_duration}" must be a number of seconds such as "600s"`);
    out.jailDuration = { seconds: BigInt(m[1]!), nanos: 0 };
  }
  if (p.allowed_model_hashes !== undefined) {
    out.allowedModelHashes = p.allowed_model_hashes.map((h) => {
      if (!/^[0-9a-f]{64}$/i.test(h)) bad(`allowed model hash "${h}" is not a hex sha256`);
      return Buffer.from(h, "hex");
    });
  }
  validateClaimsParams(out);
  return out;
}

export function initClaimsGenesis(ctx: Context, claims: ClaimsKeeper, g: ClaimsGenesis | undefined): void {
  claims.setParams(ctx, claimsParamsFromGenesis(g));
}
