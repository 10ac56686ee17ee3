import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/auth/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { parseAddress } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import type { MsgHandler } from "../../app/core/router";
import { MsgUpdateMinGasPrice, MsgUpdateMinGasPriceResponse } from "../../proto/gen/mira/auth/v1/tx";
import type { AuthKeeper } from "./keeper";
import { validateAuthParams, validateMinGasPrice } from "./params";

/** auth's message handlers, in the order the app registers them; `authority` is the gov module account. */
export function authMsgHandlers(auth: AuthKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgUpdateParamsHandler(auth, authority), msgUpdateMinGasPriceHandler(auth, authority)];
}

/** MsgUpdateMinGasPrice (governance only): the consensus minimum gas price, checked as genesis checks it; the next tx pays by it. */
export function msgUpdateMinGasPriceHandler(auth: AuthKeeper, authority: Uint8Array): MsgHandler<MsgUpdateMinGasPrice> {
  return {
    typeUrl: "/mira.auth.v1.MsgUpdateMinGasPrice",
    module: "auth",
    decode: (b) => MsgUpdateMinGasPrice.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateMinGasPrice(m.minGasPrice);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      validateMinGasPrice(m.minGasPrice);
      auth.setMinGasPrice(ctx, m.minGasPrice);
      return Any.fromPartial({ typeUrl: "/mira.auth.v1.MsgUpdateMinGasPriceResponse", value: MsgUpdateMinGasPriceResponse.encode({}).finish() });
    },
  };
}

/** MsgUpdateParams (governance only): replaces every auth param at once, each checked as genesis checks it. */
export function msgUpdateParamsHandler(auth: AuthKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.auth.v1beta1.MsgUpdateParams",
    module: "auth",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateAuthParams(m.params);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      validateAuthParams(m.params);
      auth.setParams(ctx, m.params);
      return Any.fromPartial({ typeUrl: "/cosmos.auth.v1beta1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}
