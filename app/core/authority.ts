/**
 * The authority of governance-only messages (every module's MsgUpdateParams, MsgCommunityPoolSpend):
 * one account, the gov module account, computed once by the app wiring and handed to each module's
 * message handlers. Any other authority fails as the Cosmos SDK's x/gov ErrInvalidSigner does
 * (codespace "gov", code 13), which is what SDK v0.50's bank, staking, slashing, distribution,
 * mint, auth and consensus modules return; the gov module registers that codespace.
 */
import { bech32Address, parseAddress } from "./address";
import { ChainError } from "./errors";

export const GOV_CODESPACE = "gov";
/** The SDK's x/gov ErrInvalidSigner. */
export const GOV_INVALID_SIGNER_CODE = 13;

/** The error of a governance-only message whose authority is not the gov module account. */
export function invalidAuthority(expected: Uint8Array, got: string): ChainError {
  return new ChainError(
    GOV_INVALID_SIGNER_CODE,
    `invalid authority; expected ${bech32Address(expected)}, got ${got}: expected gov account as only signer for proposal message`,
    GOV_CODESPACE,
  );
}

/** Throws `invalidAuthority` unless `authority` (a bech32 address) is `expected`; returns the parsed address. */
export function requireAuthority(expected: Uint8Array, authority: string): Buffer {
  const got = parseAddress(authority);
  if (!got.equals(Buffer.from(expected))) throw invalidAuthority(expected, authority);
  return got;
}
