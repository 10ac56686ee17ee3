import { MsgUnjail, MsgUnjailResponse } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { MsgHandler } from "../../app/core/router";
import { parseValoper } from "../../app/core/address";
import type { SlashingKeeper } from "./keeper";

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

/** Every slashing message handler, in the order the app registers them. */
export function slashingMsgHandlers(slashing: SlashingKeeper): MsgHandler<unknown>[] {
  return [msgUnjailHandler(slashing)];
}
