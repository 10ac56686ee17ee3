/**
 * What a vote extension may carry, checked twice: without state (decodes, size cap, known verdicts,
 * confidence in range, each claim once, a 32-byte model hash when it carries verdicts), wherever
 * extensions arrive (VerifyVoteExtension, the proposer's pruning, ProcessProposal); and against the
 * committed state the validator voted on (VerifyVoteExtension only): each claim exists, is pending
 * and is assigned to that validator, and the model is allowed. A refusal drops the validator's
 * precommit, so only what is certainly invalid is refused; an empty extension (no sidecar, nothing
 * ready) is always fine.
 */
import { Verdict, VoteExtension } from "../../proto/gen/mira/claims/v1/claims";
import type { Params } from "../../proto/gen/mira/claims/v1/claims";
import { ClaimsCode, claimsError } from "./errors";

/** The verdicts a vote extension may carry (an abstention included); anything else is refused. */
export const KNOWN_VERDICTS: ReadonlySet<number> = new Set<number>([
  Verdict.VERDICT_SUPPORTED,
  Verdict.VERDICT_REFUTED,
  Verdict.VERDICT_UNVERIFIABLE,
  Verdict.VERDICT_ABSTAIN,
]);

function invalid(why: string): never {
  throw claimsError(ClaimsCode.InvalidVoteExtension, why);
}

/** The stateless checks; returns the decoded extension. */
export function checkExtensionShape(bytes: Uint8Array, maxBytes: number): VoteExtension {
  if (bytes.length > maxBytes) invalid(`vote extension of ${bytes.length} bytes is over the cap of ${maxBytes}`);
  let ext: VoteExtension;
  try {
    ext = VoteExtension.decode(bytes);
  } catch (err) {
    invalid(`vote extension does not decode: ${(err as Error).message}`);
  }
  if (ext.verdicts.length > 0 && ext.modelHash.length !== 32) invalid(`model hash of ${ext.modelHash.length} bytes, not a sha256`);
  const seen = new Set<bigint>();
  for (const v of ext.verdicts) {
    if (!KNOWN_VERDICTS.has(v.verdict)) invalid(`claim ${v.claimId}: verdict ${v.verdict} is not SUPPORTED, REFUTED, UNVERIFIABLE or ABSTAIN`);
    if (v.confidenceBp > 10_000) invalid(`claim ${v.claimId}: confidence ${v.confidenceBp} bp is over 10000`);
    if (seen.has(v.claimId)) invalid(`claim ${v.claimId} appears twice`);
    seen.add(v.claimId);
  }
  return ext;
}

/** What is wrong with an extension's shape, or undefined (an empty extension is always fine). */
export function extensionShapeProblem(bytes: Uint8Array, maxBytes: number): string | undefined {
  if (bytes.length === 0) return undefined;
  try {
    checkExtensionShape(bytes, maxBytes);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Whether the claims params' model allow-list (empty: any model) admits `modelHash`. */
export function modelAllowed(allowed: readonly Uint8Array[], modelHash: Uint8Array): boolean {
  return allowed.length === 0 || allowed.some((h) => Buffer.from(h).equals(Buffer.from(modelHash)));
}

/**
 * The checks against committed state: an allowed model, and each verdict for a claim open to this
 * validator (`problemOf` says why a claim is not: missing, settled, not assigned, already voted).
 */
export function checkExtensionClaims(ext: VoteExtension, params: Params, problemOf: (claimId: bigint) => string | undefined): void {
  if (ext.verdicts.length === 0) return;
  if (!modelAllowed(params.allowedModelHashes, ext.modelHash)) {
    invalid(`model ${Buffer.from(ext.modelHash).toString("hex")} is not in the allow-list`);
  }
  for (const v of ext.verdicts) {
    const problem = problemOf(v.claimId);
    if (problem !== undefined) invalid(`claim ${v.claimId}: ${problem === "missing" ? "does not exist" : problem}`);
  }
}
