import { ChainError, registerCodes } from "../../app/core/errors";

/** The slashing module's codespace, as the Cosmos SDK registers it. */
export const CODESPACE = "slashing";

/** The slashing module's codes, as the Cosmos SDK registers them in codespace "slashing". */
export const SlashingCode = registerCodes(CODESPACE, {
  NoValidatorForAddress: 2,
  ValidatorJailed: 4,
  ValidatorNotJailed: 5,
  MissingSelfDelegation: 6,
  SelfDelegationTooLowToUnjail: 7,
  NoSigningInfoFound: 8,
} as const);

/** A slashing-codespace error with one of the codes above. */
export function slashingError(code: (typeof SlashingCode)[keyof typeof SlashingCode], message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}
