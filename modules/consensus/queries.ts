import { QueryParamsResponse } from "cosmjs-types/cosmos/consensus/v1/query";
import type { QueryRouter } from "../../app/core/router";
import type { ConsensusKeeper } from "./keeper";

export function registerConsensusQueries(router: QueryRouter, consensus: ConsensusKeeper): void {
  router.register("/cosmos.consensus.v1.Query/Params", (ctx) => QueryParamsResponse.encode({ params: consensus.stored(ctx) }).finish());
}
