import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryDenomMetadataRequest,
  QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest,
  QueryDenomsMetadataResponse,
  QueryParamsResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { toCoin, validDenom } from "../../app/core/coins";
import { paginate } from "../../app/core/pagination";
import { notFound, QueryRouter } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { invalidCoins } from "./errors";
import type { BankViewKeeper } from "./keeper";

function checkDenom(denom: string): void {
  if (!validDenom(denom)) throw invalidCoins(`invalid denom "${denom}"`);
}

export function registerBankQueries(router: QueryRouter, bank: BankViewKeeper): void {
  router.register("/cosmos.bank.v1beta1.Query/Params", (ctx) => QueryParamsResponse.encode({ params: bank.getParams(ctx) }).finish());
  router.register("/cosmos.bank.v1beta1.Query/Balance", (ctx, bytes) => {
    const req = QueryBalanceRequest.decode(bytes);
    checkDenom(req.denom);
    // Always a coin, "0" when empty: CosmJS expects it.
    const amount = bank.getBalance(ctx, parseAddress(req.address), req.denom);
    return QueryBalanceResponse.encode({ balance: toCoin({ denom: req.denom, amount }) }).finish();
  });
  router.register("/cosmos.bank.v1beta1.Query/AllBalances", (ctx, bytes) => {
    const req = QueryAllBalancesRequest.decode(bytes);
    const { items, pagination } = paginate(bank.getAllBalances(ctx, parseAddress(req.address)), req.pagination);
    return QueryAllBalancesResponse.encode({ balances: items.map(toCoin), pagination }).finish();
  });
  router.register("/cosmos.bank.v1beta1.Query/TotalSupply", (ctx, bytes) => {
    const req = QueryTotalSupplyRequest.decode(bytes);
    const { items, pagination } = paginate(bank.getTotalSupply(ctx), req.pagination);
    return QueryTotalSupplyResponse.encode({ supply: items.map(toCoin), pagination }).finish();
  });
  router.register("/cosmos.bank.v1beta1.Query/SupplyOf", (ctx, bytes) => {
    const req = QuerySupplyOfRequest.decode(bytes);
    checkDenom(req.denom);
    return QuerySupplyOfResponse.encode({ amount: toCoin({ denom: req.denom, amount: bank.getSupply(ctx, req.denom) }) }).finish();
  });
  router.register("/cosmos.bank.v1beta1.Query/DenomMetadata", (ctx, bytes) => {
    const req = QueryDenomMetadataRequest.decode(bytes);
    const metadata = bank.getDenomMetadata(ctx, req.denom);
    if (metadata === undefined) throw notFound(`client metadata for denom ${req.denom}`);
    return QueryDenomMetadataResponse.encode({ metadata }).finish();
  });
  router.register("/cosmos.bank.v1beta1.Query/DenomsMetadata", (ctx, bytes) => {
    const req = QueryDenomsMetadataRequest.decode(bytes);
    const { items, pagination } = paginate(bank.allDenomMetadata(ctx), req.pagination);
    return QueryDenomsMetadataResponse.encode({ metadatas: items, pagination }).finish();
  });
}
