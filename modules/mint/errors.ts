import { ChainError, chainError, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/**
 * mint registers no codespace of its own: as the Cosmos SDK's x/mint does, it fails with the SDK's
 * codes (codespace "sdk", `SdkCode`, registered once in app/core/errors.ts).
 */
export const CODESPACE = SDK_CODESPACE;

/** A mint error: one of the SDK's codes, in the "sdk" codespace. */
export function mintError(code: (typeof SdkCode)[keyof typeof SdkCode], message: string): ChainError {
  return chainError(code, message);
}
