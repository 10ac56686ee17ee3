import {
  QueryClaimRequest,
  QueryClaimResponse,
  QueryClaimsBySubmitterRequest,
  QueryClaimsBySubmitterResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryParamsResponse,
  QueryPendingClaimsRequest,
  QueryPendingClaimsResponse,
} from "../../proto/gen/mira/claims/v1/query";
import { paginate } from "../../app/pagination";
import { notFound, QueryRouter } from "../../app/router";
import { parseAddress } from "../../app/tx/address";
import type { ClaimsKeeper } from "./keeper";

const Q = "/mira.claims.v1.Query/";

export function registerClaimsQueries(router: QueryRouter, claims: ClaimsKeeper): void {
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: claims.params(ctx) }).finish());
  router.register(`${Q}Content`, (ctx, bytes) => {
    const req = QueryContentRequest.decode(bytes);
    const content = claims.content(ctx, req.id);
    if (content === undefined) throw notFound(`content ${req.id}`);
    return QueryContentResponse.encode({ content }).finish();
  });
  router.register(`${Q}Claim`, (ctx, bytes) => {
    const req = QueryClaimRequest.decode(bytes);
    const claim = claims.claim(ctx, req.id);
    if (claim === undefined) throw notFound(`claim ${req.id}`);
    return QueryClaimResponse.encode({ claim }).finish();
  });
  router.register(`${Q}ClaimsBySubmitter`, (ctx, bytes) => {
    const req = QueryClaimsBySubmitterRequest.decode(bytes);
    const { items, pagination } = paginate(claims.contentsBySubmitter(ctx, parseAddress(req.submitter)), req.pagination);
    return QueryClaimsBySubmitterResponse.encode({ contents: items, pagination }).finish();
  });
  router.register(`${Q}PendingClaims`, (ctx, bytes) => {
    const req = QueryPendingClaimsRequest.decode(bytes);
    const { items, pagination } = paginate(claims.pendingClaims(ctx, req.validator), req.pagination);
    return QueryPendingClaimsResponse.encode({ claims: items, pagination }).finish();
  });
}
