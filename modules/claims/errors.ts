import { ChainError, registerCodes } from "../../app/core/errors";

/** The claims module's codespace. Codes start at 2, as in every Cosmos SDK module (1 is "internal"). */
export const CODESPACE = "claims";

export const ClaimsCode = registerCodes(CODESPACE, {
  /** The content (or the client's list) holds no claim once normalised. */
  EmptyContent: 2,
  /** The content is longer than maxContentBytes (UTF-8 bytes, before normalisation). */
  ContentTooLong: 3,
  /** More claims than maxClaims. */
  TooManyClaims: 4,
  /** One claim is longer than maxClaimBytes (UTF-8 bytes, after normalisation). */
  ClaimTooLong: 5,
  /** Not a string, a lone UTF-16 surrogate, or a control character other than whitespace. */
  InvalidContent: 6,
  /** A client-supplied claim that is empty once normalised. */
  EmptyClaim: 7,
  /** A client-supplied claim equal, once normalised, to an earlier one in the same list. */
  DuplicateClaim: 8,
  /** maxClaims / maxClaimBytes / maxContentBytes not positive safe integers. */
  InvalidLimits: 9,
  /** A certification threshold outside (5000, 10000] basis points. */
  InvalidThreshold: 10,
  /** A validator set or assignment that is malformed: negative power, duplicate operator, bad count or seed. */
  InvalidValidatorSet: 11,
  /** A vote whose value is not SUPPORTED, REFUTED or UNVERIFIABLE. */
  InvalidVerdict: 12,
  /** A vote extension that is certainly invalid: undecodable, over the cap, or naming claims it may not vote on. */
  InvalidVoteExtension: 13,
} as const);

export type ClaimsCodeValue = (typeof ClaimsCode)[keyof typeof ClaimsCode];

/** A claims-codespace error with one of the codes above. */
export function claimsError(code: ClaimsCodeValue, message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}
