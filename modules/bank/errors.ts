import { ChainError, chainError, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/**
 * bank registers no codespace of its own: as the Cosmos SDK's x/bank mostly does, it fails with the
 * SDK's codes (codespace "sdk", `SdkCode`, registered once in app/core/errors.ts).
 */
export const CODESPACE = SDK_CODESPACE;

/** A bank error: one of the SDK's codes, in the "sdk" codespace. */
export function bankError(code: (typeof SdkCode)[keyof typeof SdkCode], message: string): ChainError {
  return chainError(code, message);
}

/** The SDK's ErrInsufficientFunds: an account holds `have` of `denom` and was asked for `need`. */
export function insufficientFunds(have: bigint, need: bigint, denom: string): ChainError {
  return chainError(SdkCode.InsufficientFunds, `spendable balance ${have}${denom} is smaller than ${need}${denom}: insufficient funds`);
}

/** The SDK's ErrInvalidCoins. */
export function invalidCoins(message: string): ChainError {
  return chainError(SdkCode.InvalidCoins, message);
}

/** The SDK's ErrInvalidRequest. */
export function invalidRequest(message: string): ChainError {
  return chainError(SdkCode.InvalidRequest, message);
}
