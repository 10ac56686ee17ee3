import type { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import type { Context } from "../../app/core/context";
import type { ConsensusKeeper } from "./keeper";
import { defaultConsensusParams, mergeConsensusParams } from "./params";

/**
 * Stores the consensus params CometBFT starts with (InitChain's consensus_params, not app_state;
 * CometBFT has checked them), CometBFT's defaults filling any section left out, so that the
 * query answers from genesis on.
 */
export function initConsensusGenesis(ctx: Context, consensus: ConsensusKeeper, fromInitChain: ConsensusParams | undefined): void {
  consensus.setParams(ctx, mergeConsensusParams(defaultConsensusParams(), fromInitChain));
}
