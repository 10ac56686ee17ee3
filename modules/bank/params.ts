import type { Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { chainError, SdkCode } from "../../app/core/errors";

/** The SDK's defaults: sends enabled, no per-denom entries. */
export const DEFAULT_BANK_PARAMS: Params = { sendEnabled: [], defaultSendEnabled: true };

/**
 * The one check of bank params, for genesis and MsgUpdateParams alike. As in SDK v0.50, the
 * per-denom send_enabled list is no longer part of the params (it must be empty); only
 * default_send_enabled is set this way.
 */
export function validateBankParams(p: Params): void {
  if (p.sendEnabled.length > 0) throw chainError(SdkCode.InvalidRequest, "bank params: send_enabled is no longer a param; leave it empty");
}
