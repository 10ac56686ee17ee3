import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryAccountsRequest,
  QueryAccountsResponse,
  QueryParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { paginate } from "../../app/core/pagination";
import { notFound, QueryRouter } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import type { AuthKeeper } from "./keeper";

export function registerAuthQueries(router: QueryRouter, auth: AuthKeeper): void {
  router.register("/cosmos.auth.v1beta1.Query/Account", (ctx, bytes) => {
    const req = QueryAccountRequest.decode(bytes);
    const account = auth.getAccountAny(ctx, parseAddress(req.address));
    if (account === undefined) throw notFound(`account ${req.address} not found`);
    return QueryAccountResponse.encode({ account }).finish();
  });
  router.register("/cosmos.auth.v1beta1.Query/Accounts", (ctx, bytes) => {
    const req = QueryAccountsRequest.decode(bytes);
    const { items, pagination } = paginate(auth.allAccounts(ctx), req.pagination);
    return QueryAccountsResponse.encode({ accounts: items, pagination }).finish();
  });
  router.register("/cosmos.auth.v1beta1.Query/Params", (ctx) => QueryParamsResponse.encode({ params: auth.getParams(ctx) }).finish());
}
