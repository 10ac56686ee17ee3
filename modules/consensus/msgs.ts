import { MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/consensus/v1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { parseAddress } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import { SdkCode } from "../../app/core/errors";
import { consensusError } from "./errors";
import type { MsgHandler } from "../../app/core/router";
import type { ConsensusKeeper } from "./keeper";
import { mergeConsensusParams, validateConsensusParams, validateVoteExtensionsUpdate } from "./params";

/** consensus's message handlers, in the order the app registers them (`authority`: the gov module account). */
export function consensusMsgHandlers(consensus: ConsensusKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgUpdateParamsHandler(consensus, authority)];
}

/**
 * MsgUpdateParams (governance only): new block, evidence and validator params (all three, as the
 * SDK requires) and optionally abci's vote_extensions_enable_height. The merged set must pass
 * CometBFT's checks, else nothing changes; the block that changes them hands them to CometBFT,
 * which applies them from the next height.
 */
export function msgUpdateParamsHandler(consensus: ConsensusKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.consensus.v1.MsgUpdateParams",
    module: "consensus",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      if (m.block === undefined || m.evidence === undefined || m.validator === undefined)
        throw consensusError(SdkCode.InvalidRequest, "consensus params: block, evidence and validator must all be present");
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      const current = consensus.params(ctx);
      const next = mergeConsensusParams(current, { block: m.block, evidence: m.evidence, validator: m.validator, abci: m.abci });
      validateConsensusParams(next);
      validateVoteExtensionsUpdate(current.abci.voteExtensionsEnableHeight, next.abci.voteExtensionsEnableHeight, ctx.height);
      consensus.setParams(ctx, next);
      return Any.fromPartial({ typeUrl: "/cosmos.consensus.v1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}
