import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { validDenom } from "../../app/core/coins";
import { ONE_DEC, parseDecAtomics } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";

/** 7% a year in umira; inflationMin = inflationMax = the fixed rate (the SDK's fields, kept for its queries). */
export function defaultMintParams(inflation = (ONE_DEC * 7n) / 100n): Params {
  return {
    mintDenom: "umira",
    inflationRateChange: "0",
    inflationMax: inflation.toString(),
    inflationMin: inflation.toString(),
    goalBonded: ((ONE_DEC * 67n) / 100n).toString(),
    blocksPerYear: 31_536_000n, // one-second blocks; informative only: minting follows block time
  };
}

function bad(why: string): never {
  throw chainError(SdkCode.InvalidRequest, `mint params: ${why}`);
}

/**
 * The one check of mint params, for genesis and MsgUpdateParams alike (the SDK's rules): a valid
 * mint denom, rates in [0, 1] with inflation_min ≤ inflation_max, goal_bonded in (0, 1], and a
 * positive blocks_per_year. This chain mints at inflation_max by block time. Throws InvalidRequest.
 */
export function validateMintParams(p: Params): void {
  if (!validDenom(p.mintDenom)) bad(`mint_denom "${p.mintDenom}" is not a valid denom`);
  const dec = (text: string, name: string): bigint => parseDecAtomics(text === "" ? "0" : text, `mint params: ${name}`);
  const rates: [bigint, string][] = [
    [dec(p.inflationRateChange, "inflation_rate_change"), "inflation_rate_change"],
    [dec(p.inflationMax, "inflation_max"), "inflation_max"],
    [dec(p.inflationMin, "inflation_min"), "inflation_min"],
    [dec(p.goalBonded, "goal_bonded"), "goal_bonded"],
  ];
  for (const [v, name] of rates) if (v < 0n || v > ONE_DEC) bad(`${name} must be in [0, 1]`);
  if (rates[2]![0] > rates[1]![0]) bad("inflation_min is above inflation_max");
  if (rates[3]![0] === 0n) bad("goal_bonded must be positive");
  if (p.blocksPerYear <= 0n) bad("blocks_per_year must be positive");
}
