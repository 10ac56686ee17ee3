import type { Context } from "../../app/core/context";
import { parseDecText, ONE_DEC } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import type { Params } from "../../proto/gen/mira/claims/v1/claims";
import type { ClaimsKeeper } from "./keeper";
import { DEFAULT_CLAIMS_PARAMS } from "./params";

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
  };
}

function bad(why: string): never {
  throw chainError(SdkCode.InvalidRequest, `claims params: ${why}`);
}

function uint(v: Uint | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) bad(`${name} ${String(v)} must be an integer in [${min}, ${max}]`);
  return n;
}

/** The params in genesis over the defaults, each checked so that nothing absurd reaches end-of-block code. */
export function claimsParamsFromGenesis(g: ClaimsGenesis | undefined): Params {
  const p = g?.params ?? {};
  const d = DEFAULT_CLAIMS_PARAMS;
  const out: Params = {
    maxClaims: uint(p.max_claims, "max_claims", d.maxClaims, 1, 4096),
    maxClaimBytes: uint(p.max_claim_bytes, "max_claim_bytes", d.maxClaimBytes, 1, 65_536),
    maxContentBytes: uint(p.max_content_bytes, "max_content_bytes", d.maxContentBytes, 1, 1 << 20),
    defaultVerifiersPerClaim: uint(p.default_verifiers_per_claim, "default_verifiers_per_claim", d.defaultVerifiersPerClaim, 1, 1000),
    maxVerifiersPerClaim: uint(p.max_verifiers_per_claim, "max_verifiers_per_claim", d.maxVerifiersPerClaim, 1, 1000),
    defaultThresholdBp: uint(p.default_threshold_bp, "default_threshold_bp", d.defaultThresholdBp, 5001, 10_000),
    minThresholdBp: uint(p.min_threshold_bp, "min_threshold_bp", d.minThresholdBp, 5001, 10_000),
    deadlineBlocks: BigInt(uint(p.deadline_blocks, "deadline_blocks", Number(d.deadlineBlocks), 1, 1_000_000)),
    feePerClaim: d.feePerClaim,
    faultWindow: BigInt(uint(p.fault_window, "fault_window", Number(d.faultWindow), 1, 1_000_000)),
    maxFaultBp: uint(p.max_fault_bp, "max_fault_bp", d.maxFaultBp, 0, 10_000),
    slashFractionVerification: d.slashFractionVerification,
    jailDuration: d.jailDuration,
    allowedModelHashes: d.allowedModelHashes,
    maxExtensionBytes: uint(p.max_extension_bytes, "max_extension_bytes", d.maxExtensionBytes, 1024, 1 << 20),
    lateVoteBlocks: BigInt(uint(p.late_vote_blocks, "late_vote_blocks", Number(d.lateVoteBlocks), 0, 100)),
  };
  if (out.defaultVerifiersPerClaim > out.maxVerifiersPerClaim) bad("default_verifiers_per_claim is above max_verifiers_per_claim");
  if (out.defaultThresholdBp < out.minThresholdBp) bad("default_threshold_bp is below min_threshold_bp");
  if (p.fee_per_claim !== undefined) {
    if (!/^[a-z][a-z0-9/:._-]{2,127}$/.test(p.fee_per_claim.denom) || !/^[0-9]{1,30}$/.test(p.fee_per_claim.amount))
      bad(`fee_per_claim ${JSON.stringify(p.fee_per_claim)} is not a coin`);
    out.feePerClaim = { denom: p.fee_per_claim.denom, amount: BigInt(p.fee_per_claim.amount).toString() };
  }
  if (p.slash_fraction_verification !== undefined) {
    if (parseDecText(p.slash_fraction_verification, "slash_fraction_verification") > ONE_DEC) bad("slash_fraction_verification is above 1");
    out.slashFractionVerification = p.slash_fraction_verification;
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
  return out;
}

export function initClaimsGenesis(ctx: Context, claims: ClaimsKeeper, g: ClaimsGenesis | undefined): void {
  claims.setParams(ctx, claimsParamsFromGenesis(g));
}
