import { BondStatus, bondStatusFromJSON, DelegationResponse, RedelegationResponse } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorResponse,
  QueryDelegatorValidatorsRequest,
  QueryDelegatorValidatorsResponse,
  QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse,
  QueryParamsResponse,
  QueryPoolResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
  QueryValidatorUnbondingDelegationsRequest,
  QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import type { Context } from "../../app/core/context";
import { chainError, SdkCode } from "../../app/core/errors";
import { paginate } from "../../app/core/pagination";
import { notFound, QueryRouter } from "../../app/core/router";
import { bech32Address, parseAddress } from "../../app/core/address";
import { StakingKeeper } from "./keeper";
import { toProto } from "./validator";
import { parseValoper, valoperAddress } from "../../app/core/address";

const Q = "/cosmos.staking.v1beta1.Query/";

function delegationResponse(ctx: Context, staking: StakingKeeper, delegator: Uint8Array, operator: Uint8Array, shares: bigint): DelegationResponse {
  const v = staking.getValidator(ctx, operator);
  const balance = v === undefined ? 0n : StakingKeeper.tokensFromShares(v, shares);
  return {
    delegation: { delegatorAddress: bech32Address(delegator), validatorAddress: valoperAddress(operator), shares: shares.toString() },
    balance: { denom: staking.bondDenom(ctx), amount: balance.toString() },
  };
}

function mustValidator(ctx: Context, staking: StakingKeeper, address: string) {
  const v = staking.getValidator(ctx, parseValoper(address));
  if (v === undefined) throw notFound(`validator ${address}`);
  return v;
}

export function registerStakingQueries(router: QueryRouter, staking: StakingKeeper): void {
  router.register(`${Q}Validators`, (ctx, bytes) => {
    const req = QueryValidatorsRequest.decode(bytes);
    let status: BondStatus | undefined;
    if (req.status !== "") {
      status = bondStatusFromJSON(req.status);
      if (status === BondStatus.UNRECOGNIZED || status === BondStatus.BOND_STATUS_UNSPECIFIED) {
        throw chainError(SdkCode.InvalidRequest, `invalid validator status ${req.status}`);
      }
    }
    const all = function* () {
      for (const v of staking.allValidators(ctx)) if (status === undefined || v.status === status) yield toProto(v);
    };
    const { items, pagination } = paginate(all(), req.pagination);
    return QueryValidatorsResponse.encode({ validators: items, pagination }).finish();
  });
  router.register(`${Q}Validator`, (ctx, bytes) => {
    const req = QueryValidatorRequest.decode(bytes);
    return QueryValidatorResponse.encode({ validator: toProto(mustValidator(ctx, staking, req.validatorAddr)) }).finish();
  });
  router.register(`${Q}ValidatorDelegations`, (ctx, bytes) => {
    const req = QueryValidatorDelegationsRequest.decode(bytes);
    const operator = parseValoper(req.validatorAddr);
    const { items, pagination } = paginate(staking.delegationsTo(ctx, operator), req.pagination);
    return QueryValidatorDelegationsResponse.encode({
      delegationResponses: items.map(([d, s]) => delegationResponse(ctx, staking, d, operator, s)),
      pagination,
    }).finish();
  });
  router.register(`${Q}ValidatorUnbondingDelegations`, (ctx, bytes) => {
    const req = QueryValidatorUnbondingDelegationsRequest.decode(bytes);
    const { items, pagination } = paginate(staking.unbondingsFrom(ctx, parseValoper(req.validatorAddr)), req.pagination);
    return QueryValidatorUnbondingDelegationsResponse.encode({ unbondingResponses: items, pagination }).finish();
  });
  router.register(`${Q}Delegation`, (ctx, bytes) => {
    const req = QueryDelegationRequest.decode(bytes);
    const delegator = parseAddress(req.delegatorAddr);
    const operator = parseValoper(req.validatorAddr);
    const shares = staking.getDelegation(ctx, delegator, operator);
    if (shares === undefined) throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
    return QueryDelegationResponse.encode({ delegationResponse: delegationResponse(ctx, staking, delegator, operator, shares) }).finish();
  });
  router.register(`${Q}UnbondingDelegation`, (ctx, bytes) => {
    const req = QueryUnbondingDelegationRequest.decode(bytes);
    const ubd = staking.getUnbonding(ctx, parseAddress(req.delegatorAddr), parseValoper(req.validatorAddr));
    if (ubd === undefined) throw notFound(`unbonding delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
    return QueryUnbondingDelegationResponse.encode({ unbond: ubd }).finish();
  });
  router.register(`${Q}DelegatorDelegations`, (ctx, bytes) => {
    const req = QueryDelegatorDelegationsRequest.decode(bytes);
    const delegator = parseAddress(req.delegatorAddr);
    const { items, pagination } = paginate(staking.delegationsOf(ctx, delegator), req.pagination);
    return QueryDelegatorDelegationsResponse.encode({
      delegationResponses: items.map(([v, s]) => delegationResponse(ctx, staking, delegator, v, s)),
      pagination,
    }).finish();
  });
  router.register(`${Q}DelegatorUnbondingDelegations`, (ctx, bytes) => {
    const req = QueryDelegatorUnbondingDelegationsRequest.decode(bytes);
    const { items, pagination } = paginate(staking.unbondingsOf(ctx, parseAddress(req.delegatorAddr)), req.pagination);
    return QueryDelegatorUnbondingDelegationsResponse.encode({ unbondingResponses: items, pagination }).finish();
  });
  router.register(`${Q}Redelegations`, (ctx, bytes) => {
    const req = QueryRedelegationsRequest.decode(bytes);
    if (req.delegatorAddr === "") throw chainError(SdkCode.InvalidRequest, "delegator address is required");
    const all = function* (): Generator<RedelegationResponse> {
      for (const r of staking.redelegationsOf(ctx, parseAddress(req.delegatorAddr))) {
        if (req.srcValidatorAddr !== "" && r.validatorSrcAddress !== req.srcValidatorAddr) continue;
        if (req.dstValidatorAddr !== "" && r.validatorDstAddress !== req.dstValidatorAddr) continue;
        const dst = staking.getValidator(ctx, parseValoper(r.validatorDstAddress));
        yield {
          redelegation: r,
          entries: r.entries.map((e) => ({
            redelegationEntry: e,
            balance: (dst === undefined ? 0n : StakingKeeper.tokensFromShares(dst, BigInt(e.sharesDst))).toString(),
          })),
        };
      }
    };
    const { items, pagination } = paginate(all(), req.pagination);
    return QueryRedelegationsResponse.encode({ redelegationResponses: items, pagination }).finish();
  });
  router.register(`${Q}DelegatorValidators`, (ctx, bytes) => {
    const req = QueryDelegatorValidatorsRequest.decode(bytes);
    const all = function* () {
      for (const [operator] of staking.delegationsOf(ctx, parseAddress(req.delegatorAddr))) {
        const v = staking.getValidator(ctx, operator);
        if (v !== undefined) yield toProto(v);
      }
    };
    const { items, pagination } = paginate(all(), req.pagination);
    return QueryDelegatorValidatorsResponse.encode({ validators: items, pagination }).finish();
  });
  router.register(`${Q}DelegatorValidator`, (ctx, bytes) => {
    const req = QueryDelegatorValidatorRequest.decode(bytes);
    const operator = parseValoper(req.validatorAddr);
    if (staking.getDelegation(ctx, parseAddress(req.delegatorAddr), operator) === undefined) {
      throw notFound(`delegation with delegator ${req.delegatorAddr} not found for validator ${req.validatorAddr}`);
    }
    return QueryDelegatorValidatorResponse.encode({ validator: toProto(mustValidator(ctx, staking, req.validatorAddr)) }).finish();
  });
  router.register(`${Q}HistoricalInfo`, (ctx, bytes) => {
    const req = QueryHistoricalInfoRequest.decode(bytes);
    const hist = staking.historicalInfo(ctx, req.height);
    if (hist === undefined) throw notFound(`historical info for height ${req.height}`);
    return QueryHistoricalInfoResponse.encode({ hist }).finish();
  });
  router.register(`${Q}Pool`, (ctx) => {
    const p = staking.pool(ctx);
    return QueryPoolResponse.encode({ pool: { bondedTokens: p.bonded.toString(), notBondedTokens: p.notBonded.toString() } }).finish();
  });
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: staking.params(ctx) }).finish());
}
