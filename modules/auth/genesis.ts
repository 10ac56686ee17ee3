import type { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import type { Context } from "../../app/core/context";
import { parseAddress } from "../../app/core/address";
import { chainError, SdkCode } from "../../app/core/errors";
import type { AuthKeeper } from "./keeper";
import { DEFAULT_PARAMS, validateAuthParams, validateMinGasPrice } from "./params";

type Uint = string | number;

/** `app_state.auth`: the genesis accounts, the auth params (SDK JSON shape) and the consensus minimum gas price ("0.025umira"). */
export interface AuthGenesis {
  accounts?: { address: string }[];
  params?: {
    max_memo_characters?: Uint;
    tx_sig_limit?: Uint;
    tx_size_cost_per_byte?: Uint;
    sig_verify_cost_ed25519?: Uint;
    sig_verify_cost_secp256k1?: Uint;
  };
  min_gas_price?: string;
}

function uint(v: Uint | undefined, name: string, fallback: bigint): bigint {
  if (v === undefined) return fallback;
  if (!/^[0-9]{1,19}$/.test(String(v))) throw chainError(SdkCode.InvalidRequest, `auth params: ${name} ${String(v)} is not an unsigned integer`);
  return BigInt(v);
}

/** The auth params of genesis over the SDK's defaults, checked by validateAuthParams. */
export function authParamsFromGenesis(g: AuthGenesis | undefined): Params {
  const p = g?.params ?? {};
  const d = DEFAULT_PARAMS;
  const out: Params = {
    maxMemoCharacters: uint(p.max_memo_characters, "max_memo_characters", d.maxMemoCharacters),
    txSigLimit: uint(p.tx_sig_limit, "tx_sig_limit", d.txSigLimit),
    txSizeCostPerByte: uint(p.tx_size_cost_per_byte, "tx_size_cost_per_byte", d.txSizeCostPerByte),
    sigVerifyCostEd25519: uint(p.sig_verify_cost_ed25519, "sig_verify_cost_ed25519", d.sigVerifyCostEd25519),
    sigVerifyCostSecp256k1: uint(p.sig_verify_cost_secp256k1, "sig_verify_cost_secp256k1", d.sigVerifyCostSecp256k1),
  };
  validateAuthParams(out);
  return out;
}

/** Writes the auth params (only when genesis sets any: the defaults are what an empty store reads), the minimum gas price (when given), then an account for each genesis address, in order. */
export function initAuthGenesis(ctx: Context, auth: AuthKeeper, g: AuthGenesis | undefined): void {
  const params = authParamsFromGenesis(g);
  if (g?.params !== undefined) auth.setParams(ctx, params);
  if (g?.min_gas_price !== undefined) {
    validateMinGasPrice(g.min_gas_price);
    auth.setMinGasPrice(ctx, g.min_gas_price);
  }
  for (const a of g?.accounts ?? []) auth.ensureAccount(ctx, parseAddress(a.address));
}
