import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { parseAddress } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import type { MsgHandler } from "../../app/core/router";
import type { MintKeeper } from "./keeper";
import { validateMintParams } from "./params";

/** mint's message handlers, in the order the app registers them (`authority`: the gov module account). */
export function mintMsgHandlers(mint: MintKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgUpdateParamsHandler(mint, authority)];
}

/** MsgUpdateParams (governance only): replaces every mint param at once, each checked as genesis checks it. */
export function msgUpdateParamsHandler(mint: MintKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.mint.v1beta1.MsgUpdateParams",
    module: "mint",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateMintParams(m.params);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      validateMintParams(m.params);
      mint.setParams(ctx, m.params);
      return Any.fromPartial({ typeUrl: "/cosmos.mint.v1beta1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}
