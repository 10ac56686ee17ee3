import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { ONE_DEC } from "../../app/core/dec";

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
