import type { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { parseGasPrice } from "../../app/core/coins";
import { chainError, SdkCode } from "../../app/core/errors";

/** The Cosmos SDK's defaults. */
export const DEFAULT_PARAMS: Params = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

export const DEFAULT_MIN_GAS_PRICE = "0.025umira";

/**
 * The one check of auth params, for genesis and MsgUpdateParams alike: every field is a positive
 * integer (a zero memo limit, signature limit or cost would refuse every tx or make them free).
 * Throws InvalidRequest naming the field.
 */
export function validateAuthParams(p: Params): void {
  const fields: [keyof Params, string][] = [
    ["maxMemoCharacters", "max_memo_characters"],
    ["txSigLimit", "tx_sig_limit"],
    ["txSizeCostPerByte", "tx_size_cost_per_byte"],
    ["sigVerifyCostEd25519", "sig_verify_cost_ed25519"],
    ["sigVerifyCostSecp256k1", "sig_verify_cost_secp256k1"],
  ];
  for (const [field, name] of fields) {
    const v = p[field];
    if (v <= 0n || v > 2n ** 63n - 1n) throw chainError(SdkCode.InvalidRequest, `auth params: ${name} must be a positive integer, got ${v}`);
  }
}

/** The one check of the consensus minimum gas price ("0.025umira"), for genesis and MsgUpdateMinGasPrice alike. */
export function validateMinGasPrice(text: string): void {
  parseGasPrice(text);
}
