// The consensus params CometBFT runs with (block size and gas, evidence, validator key types, the
// vote extensions height), kept in state so that governance can change them and queries answer
// them; the app hands a changed set back to CometBFT in FinalizeBlock's consensus_param_updates.
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import type { Context } from "../../app/core/context";
import { paramsKey, STORE } from "./keys";
import { defaultConsensusParams, mergeConsensusParams } from "./params";

export class ConsensusKeeper {
  /** Reads the stored params, undefined before InitChain stored any. */
  stored(ctx: Context): ConsensusParams | undefined {
    const v = ctx.store(STORE).get(paramsKey);
    return v === undefined ? undefined : ConsensusParams.decode(v);
  }

  /** Reads the params, every section filled (CometBFT's defaults where nothing is stored). */
  params(ctx: Context): Required<ConsensusParams> {
    return mergeConsensusParams(defaultConsensusParams(), this.stored(ctx));
  }

  /** Writes the params (InitChain, MsgUpdateParams after its checks). */
  setParams(ctx: Context, p: ConsensusParams): void {
    ctx.store(STORE).set(paramsKey, ConsensusParams.encode(p).finish());
  }

  /** Reads abci.vote_extensions_enable_height (0: off). */
  voteExtensionsEnableHeight(ctx: Context): bigint {
    return this.params(ctx).abci.voteExtensionsEnableHeight;
  }
}
