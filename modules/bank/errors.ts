import { ChainError, chainError, registerCodes, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/**
 * bank fails mostly with the SDK's codes (codespace "sdk", `SdkCode`, registered once in
 * app/core/errors.ts), as the Cosmos SDK's x/bank does; its own codespace "bank" holds only the
 * code that has no SDK equivalent.
 */
export const CODESPACE = SDK_CODESPACE;

/** The codes of codespace "bank", as the Cosmos SDK registers them. */
export const BankCode = registerCodes("bank", { SendDisabled: 5 } as const);

/** The SDK's bank ErrSendDisabled: the params turned sends off (default_send_enabled false). */
export function sendDisabled(): ChainError {
  return new ChainError(BankCode.SendDisabled, "send transactions are disabled: the bank params have default_send_enabled false", "bank");
}

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
