import {
  QueryParamsResponse,
  QuerySigningInfoRequest,
  QuerySigningInfoResponse,
  QuerySigningInfosRequest,
  QuerySigningInfosResponse,
} from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { paginate } from "../../app/core/pagination";
import { notFound, QueryRouter } from "../../app/core/router";
import { parseAddress, VALCONS_PREFIX } from "../../app/core/address";
import type { SlashingKeeper } from "./keeper";
import { toProtoParams } from "./params";

const Q = "/cosmos.slashing.v1beta1.Query/";

export function registerSlashingQueries(router: QueryRouter, slashing: SlashingKeeper): void {
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: toProtoParams(slashing.params(ctx)) }).finish());
  router.register(`${Q}SigningInfo`, (ctx, bytes) => {
    const req = QuerySigningInfoRequest.decode(bytes);
    const info = slashing.signingInfo(ctx, parseAddress(req.consAddress, VALCONS_PREFIX));
    if (info === undefined) throw notFound(`SigningInfo not found for validator ${req.consAddress}`);
    return QuerySigningInfoResponse.encode({ valSigningInfo: info }).finish();
  });
  router.register(`${Q}SigningInfos`, (ctx, bytes) => {
    const req = QuerySigningInfosRequest.decode(bytes);
    const { items, pagination } = paginate(slashing.allSigningInfos(ctx), req.pagination);
    return QuerySigningInfosResponse.encode({ info: items, pagination }).finish();
  });
}
