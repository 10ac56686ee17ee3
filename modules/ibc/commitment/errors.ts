import { ChainError, registerCodes } from "../../../app/core/errors";

/** ICS-23 commitment errors, with ibc-go's codespace and codes (modules/core/23-commitment/types/errors.go). */
export const COMMITMENT_CODESPACE = "commitment";

export const CommitmentCode = registerCodes(COMMITMENT_CODESPACE, {
  InvalidProof: 2,
  InvalidPrefix: 3,
  InvalidMerkleProof: 4,
} as const);

/** A commitment-codespace error with one of the codes above. */
export function commitmentError(code: (typeof CommitmentCode)[keyof typeof CommitmentCode], message: string): ChainError {
  return new ChainError(code, message, COMMITMENT_CODESPACE);
}
