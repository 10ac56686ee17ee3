import { MsgUnjail, MsgUnjailResponse, MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/core/router";
import { parseAddress, parseValoper } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import type { SlashingKeeper } from "./keeper";
import { fromProtoParams, validateSlashingParams } from "./params";

export function msgUnjailHandler(slashing: SlashingKeeper): MsgHandler<MsgUnjail> {
  return {
    typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail",
    module: "slashing",
    decode: (b) => MsgUnjail.decode(b),
    signers: (m) => [parseValoper(m.validatorAddr)],
    validateBasic: (m) => {
      parseValoper(m.validatorAddr);
    },
    execute: (ctx, m) => {
      slashing.unjail(ctx, parseValoper(m.validatorAddr));
      return Any.fromPartial({ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjailResponse", value: MsgUnjailResponse.encode({}).finish() });
    },
  };
}

/** MsgUpdateParams (governance only): replaces every slashing param at once, each checked as genesis checks it. */
export function msgUpdateParamsHandler(slashing: SlashingKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.slashing.v1beta1.MsgUpdateParams",
    module: "slashing",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateSlashingParams(fromProtoParams(m.params));
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      const params = fromProtoParams(m.params);
      validateSlashingParams(params);
      slashing.updateParams(ctx, params);
      return Any.fromPartial({ typeUrl: "/cosmos.slashing.v1beta1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}

/** Every slashing message handler, in the order the app registers them (`authority`: the gov module account). */
export function slashingMsgHandlers(slashing: SlashingKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgUnjailHandler(slashing), msgUpdateParamsHandler(slashing, authority)];
}
