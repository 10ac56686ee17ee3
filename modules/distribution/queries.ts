import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryDelegationTotalRewardsRequest,
  QueryDelegationTotalRewardsResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryDelegatorWithdrawAddressRequest,
  QueryDelegatorWithdrawAddressResponse,
  QueryParamsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { notFound, QueryRouter } from "../../app/core/router";
import { bech32Address, parseAddress } from "../../app/core/address";
import { parseValoper, valoperAddress } from "../../app/core/address";
import { add, DecCoins, toDecCoinList } from "./dec-coins";
import type { StakingKeeper } from "./expected-keepers";
import type { DistributionKeeper } from "./keeper";

const Q = "/cosmos.distribution.v1beta1.Query/";

export function registerDistributionQueries(router: QueryRouter, d: DistributionKeeper, staking: StakingKeeper): void {
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: d.params(ctx) }).finish());
  router.register(`${Q}CommunityPool`, (ctx) => QueryCommunityPoolResponse.encode({ pool: toDecCoinList(d.communityPool(ctx)) }).finish());
  router.register(`${Q}ValidatorOutstandingRewards`, (ctx, bytes) => {
    const req = QueryValidatorOutstandingRewardsRequest.decode(bytes);
    const op = parseValoper(req.validatorAddress);
    if (staking.getValidator(ctx, op) === undefined) throw notFound(`validator ${req.validatorAddress}`);
    return QueryValidatorOutstandingRewardsResponse.encode({ rewards: { rewards: toDecCoinList(d.outstanding(ctx, op)) } }).finish();
  });
  router.register(`${Q}ValidatorCommission`, (ctx, bytes) => {
    const req = QueryValidatorCommissionRequest.decode(bytes);
    const op = parseValoper(req.validatorAddress);
    if (staking.getValidator(ctx, op) === undefined) throw notFound(`validator ${req.validatorAddress}`);
    return QueryValidatorCommissionResponse.encode({ commission: { commission: toDecCoinList(d.commission(ctx, op)) } }).finish();
  });
  router.register(`${Q}DelegationRewards`, (ctx, bytes) => {
    const req = QueryDelegationRewardsRequest.decode(bytes);
    const delegator = parseAddress(req.delegatorAddress);
    const op = parseValoper(req.validatorAddress);
    if (staking.getValidator(ctx, op) === undefined) throw notFound(`validator ${req.validatorAddress}`);
    if (staking.getDelegation(ctx, delegator, op) === undefined) throw notFound(`delegation of ${req.delegatorAddress} to ${req.validatorAddress}`);
    return QueryDelegationRewardsResponse.encode({ rewards: toDecCoinList(d.pendingRewards(ctx, delegator, op)) }).finish();
  });
  router.register(`${Q}DelegationTotalRewards`, (ctx, bytes) => {
    const req = QueryDelegationTotalRewardsRequest.decode(bytes);
    const delegator = parseAddress(req.delegatorAddress);
    let total: DecCoins = new Map();
    const rewards = [...staking.delegationsOf(ctx, delegator)].map(([op]) => {
      const r = d.pendingRewards(ctx, delegator, op);
      total = add(total, r);
      return { validatorAddress: valoperAddress(op), reward: toDecCoinList(r) };
    });
    return QueryDelegationTotalRewardsResponse.encode({ rewards, total: toDecCoinList(total) }).finish();
  });
  router.register(`${Q}DelegatorValidators`, (ctx, bytes) => {
    const req = QueryDelegatorValidatorsRequest.decode(bytes);
    const validators = [...staking.delegationsOf(ctx, parseAddress(req.delegatorAddress))].map(([op]) => valoperAddress(op));
    return QueryDelegatorValidatorsResponse.encode({ validators }).finish();
  });
  router.register(`${Q}DelegatorWithdrawAddress`, (ctx, bytes) => {
    const req = QueryDelegatorWithdrawAddressRequest.decode(bytes);
    return QueryDelegatorWithdrawAddressResponse.encode({
      withdrawAddress: bech32Address(d.withdrawAddress(ctx, parseAddress(req.delegatorAddress))),
    }).finish();
  });
}
