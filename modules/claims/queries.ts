import {
  QueryCertificateRequest,
  QueryCertificateResponse,
  QueryClaimRequest,
  QueryClaimResponse,
  QueryClaimsBySubmitterRequest,
  QueryClaimsBySubmitterResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryParamsResponse,
  QueryPendingClaimsRequest,
  QueryPendingClaimsResponse,
  QueryVerifierStatsRequest,
  QueryVerifierStatsResponse,
} from "../../proto/gen/mira/claims/v1/query";
import { paginate } from "../../app/core/pagination";
import { notFound, QueryRouter } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
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
  router.register(`${Q}Certificate`, (ctx, bytes) => {
    const req = QueryCertificateRequest.decode(bytes);
    const certificate = claims.certificate(ctx, req.contentId);
    if (certificate === undefined) throw notFound(`certificate of content ${req.contentId}`);
    return QueryCertificateResponse.encode({ certificate }).finish();
  });
  router.register(`${Q}VerifierStats`, (ctx, bytes) => {
    const req = QueryVerifierStatsRequest.decode(bytes);
    return QueryVerifierStatsResponse.encode({ stats: claims.stats(ctx, req.validator) }).finish();
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
