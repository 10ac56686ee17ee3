import type { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";

/** The Cosmos SDK's defaults. */
export const DEFAULT_PARAMS: Params = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostEd25519: 590n,
  sigVerifyCostSecp256k1: 1000n,
};

export const DEFAULT_MIN_GAS_PRICE = "0.025umira";
