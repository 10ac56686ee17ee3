import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import type { StakingKeeper } from "./keeper";
import { DEFAULT_PARAMS, validateStakingParams } from "./params";

/** `app_state.staking` in the SDK's JSON shape (snake_case); every field optional. */
export interface StakingGenesis {
  params?: {
    unbonding_time?: string;
    max_validators?: number;
    max_entries?: number;
    historical_entries?: number;
    bond_denom?: string;
    min_commission_rate?: string;
  };
}

function durationSeconds(text: string): bigint {
  const m = /^([0-9]{1,12})s$/.exec(text);
  if (!m) throw chainError(SdkCode.InvalidRequest, `staking unbonding_time "${text}" must be a number of seconds such as "1814400s"`);
  return BigInt(m[1]!);
}

/** The staking params of genesis over the defaults, checked by validateStakingParams. */
export function stakingParamsFromGenesis(g: StakingGenesis | undefined): Params {
  const p = g?.params ?? {};
  const out: Params = {
    unbondingTime: p.unbonding_time === undefined ? DEFAULT_PARAMS.unbondingTime : { seconds: durationSeconds(p.unbonding_time), nanos: 0 },
    maxValidators: p.max_validators ?? DEFAULT_PARAMS.maxValidators,
    maxEntries: p.max_entries ?? DEFAULT_PARAMS.maxEntries,
    historicalEntries: p.historical_entries ?? DEFAULT_PARAMS.historicalEntries,
    bondDenom: p.bond_denom ?? DEFAULT_PARAMS.bondDenom,
    minCommissionRate:
      p.min_commission_rate === undefined ? DEFAULT_PARAMS.minCommissionRate : parseDecText(p.min_commission_rate, "min_commission_rate").toString(),
  };
  validateStakingParams(out);
  return out;
}

export function initStakingGenesis(ctx: Context, staking: StakingKeeper, g: StakingGenesis | undefined): void {
  staking.setParams(ctx, stakingParamsFromGenesis(g));
}
