import {
  QueryParamsResponse,
  QuerySessionRequest,
  QuerySessionResponse,
  QuerySessionsByGranteeRequest,
  QuerySessionsByGranteeResponse,
  QuerySessionsByGranterRequest,
  QuerySessionsByGranterResponse,
} from "../../proto/gen/mira/sessions/v1/query";
import { paginate } from "../../app/core/pagination";
import { notFound, QueryRouter } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import type { SessionsKeeper } from "./keeper";

const Q = "/mira.sessions.v1.Query/";

export function registerSessionsQueries(router: QueryRouter, sessions: SessionsKeeper): void {
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: sessions.params(ctx) }).finish());
  router.register(`${Q}Session`, (ctx, bytes) => {
    const req = QuerySessionRequest.decode(bytes);
    const session = sessions.getSession(ctx, parseAddress(req.granter), parseAddress(req.grantee));
    if (session === undefined) throw notFound(`session of ${req.granter} with ${req.grantee}`);
    return QuerySessionResponse.encode({ session }).finish();
  });
  router.register(`${Q}SessionsByGranter`, (ctx, bytes) => {
    const req = QuerySessionsByGranterRequest.decode(bytes);
    const { items, pagination } = paginate(sessions.sessionsByGranter(ctx, parseAddress(req.granter)), req.pagination);
    return QuerySessionsByGranterResponse.encode({ sessions: items, pagination }).finish();
  });
  router.register(`${Q}SessionsByGrantee`, (ctx, bytes) => {
    const req = QuerySessionsByGranteeRequest.decode(bytes);
    const { items, pagination } = paginate(sessions.sessionsByGrantee(ctx, parseAddress(req.grantee)), req.pagination);
    return QuerySessionsByGranteeResponse.encode({ sessions: items, pagination }).finish();
  });
}
