import { QueryAnnualProvisionsResponse, QueryInflationResponse, QueryParamsResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { decBytes } from "../../app/core/dec";
import type { QueryRouter } from "../../app/core/router";
import type { MintKeeper } from "./keeper";

const Q = "/cosmos.mint.v1beta1.Query/";

export function registerMintQueries(router: QueryRouter, mint: MintKeeper): void {
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: mint.params(ctx) }).finish());
  router.register(`${Q}Inflation`, (ctx) => QueryInflationResponse.encode({ inflation: decBytes(mint.inflation(ctx)) }).finish());
  router.register(`${Q}AnnualProvisions`, (ctx) => QueryAnnualProvisionsResponse.encode({ annualProvisions: decBytes(mint.annualProvisions(ctx)) }).finish());
}
