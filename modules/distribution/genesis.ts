import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import type { DistributionKeeper } from "./keeper";
import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { DEFAULT_DISTRIBUTION_PARAMS, validateDistributionParams } from "./params";

/** `app_state.distribution`: the community tax ("0.02") and whether withdraw addresses may be set. */
export interface DistributionGenesis {
  params?: { community_tax?: string; withdraw_addr_enabled?: boolean };
}

/** The distribution params of genesis over the defaults, checked by validateDistributionParams. */
export function distributionParamsFromGenesis(g: DistributionGenesis | undefined): Params {
  const p: Params = {
    ...DEFAULT_DISTRIBUTION_PARAMS,
    communityTax:
      g?.params?.community_tax === undefined ? DEFAULT_DISTRIBUTION_PARAMS.communityTax : parseDecText(g.params.community_tax, "community_tax").toString(),
    withdrawAddrEnabled: g?.params?.withdraw_addr_enabled ?? true,
  };
  validateDistributionParams(p);
  return p;
}

export function initDistributionGenesis(ctx: Context, d: DistributionKeeper, g: DistributionGenesis | undefined): void {
  d.setParams(ctx, distributionParamsFromGenesis(g));
}
