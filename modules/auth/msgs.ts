import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/auth/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { parseAddress } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import type { MsgHandler } from "../../app/core/router";
import type { AuthKeeper } from "./keeper";
import { validateAuthParams } from "./params";

/** auth's message handlers, in the order the app registers them; `authority` is the gov module account. */
export function authMsgHandlers(auth: AuthKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgUpdateParamsHandler(auth, authority)];
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
