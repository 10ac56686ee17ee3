import { ChainError, chainError, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/**
 * auth registers no codespace of its own: as the Cosmos SDK's x/auth does, it fails with the SDK's
 * codes (codespace "sdk", `SdkCode`, registered once in app/core/errors.ts).
 */
export const CODESPACE = SDK_CODESPACE;

/** An auth error: one of the SDK's codes, in the "sdk" codespace. */
export function authError(code: (typeof SdkCode)[keyof typeof SdkCode], message: string): ChainError {
  return chainError(code, message);
}
