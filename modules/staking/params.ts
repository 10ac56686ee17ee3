import { Params } from "cosmjs-types/cosmos/staking/v1beta1/staking";

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
