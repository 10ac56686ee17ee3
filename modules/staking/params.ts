import type { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { validDenom } from "../../app/core/coins";
import { ONE_DEC, parseDecAtomics } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";

/** The SDK's defaults, but the bond denom is umira. Genesis may override any of them. */
export const DEFAULT_PARAMS: Params = {
  unbondingTime: { seconds: 21n * 24n * 3600n, nanos: 0 },
  maxValidators: 100,
  maxEntries: 7,
  historicalEntries: 10_000,
  bondDenom: "umira",
  minCommissionRate: "0",
};

/** Consensus power = bonded tokens / 10^6 (1 power per MIRA), as CometBFT receives it. */
export const POWER_REDUCTION = 1_000_000n;

function bad(why: string): never {
  throw chainError(SdkCode.InvalidRequest, `staking params: ${why}`);
}

/**
 * The one check of staking params, for genesis and MsgUpdateParams alike (the SDK's rules): a
 * positive unbonding time, at least one validator and one entry, a valid bond denom, and a
 * minimum commission rate in [0, 1]. Throws InvalidRequest naming the field.
 */
export function validateStakingParams(p: Params): void {
  const u = p.unbondingTime;
  if (u === undefined || u.seconds < 0n || u.nanos < 0 || u.nanos > 999_999_999 || (u.seconds === 0n && u.nanos === 0) || u.seconds > 10n ** 12n)
    bad(`unbonding_time must be positive (whole seconds up to 10^12), got ${u === undefined ? "none" : `${u.seconds}s ${u.nanos}ns`}`);
  const count = (n: number, name: string, min: number): void => {
    if (!Number.isSafeInteger(n) || n < min || n > 0xffff_ffff) bad(`${name} must be an integer ≥ ${min}, got ${n}`);
  };
  count(p.maxValidators, "max_validators", 1);
  count(p.maxEntries, "max_entries", 1);
  count(p.historicalEntries, "historical_entries", 0);
  if (!validDenom(p.bondDenom)) bad(`bond_denom "${p.bondDenom}" is not a valid denom`);
  const rate = parseDecAtomics(p.minCommissionRate === "" ? "0" : p.minCommissionRate, "staking params: min_commission_rate");
  if (rate < 0n || rate > ONE_DEC) bad(`min_commission_rate must be in [0, 1], got ${p.minCommissionRate}`);
}
