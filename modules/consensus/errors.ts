import { ChainError, chainError, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/**
 * consensus registers no codespace of its own: a refused update fails with the SDK's InvalidRequest
 * (codespace "sdk") saying which CometBFT bound it breaks; a wrong authority with gov's InvalidSigner.
 */
export const CODESPACE = SDK_CODESPACE;

/** A consensus error: one of the SDK's codes, in the "sdk" codespace. */
export function consensusError(code: (typeof SdkCode)[keyof typeof SdkCode], message: string): ChainError {
  return chainError(code, message);
}
