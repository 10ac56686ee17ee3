import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import type { DistributionKeeper } from "./keeper";
import { DEFAULT_DISTRIBUTION_PARAMS } from "./params";

/** `app_state.distribution`: the community tax ("0.02") and whether withdraw addresses may be set. */
export interface DistributionGenesis {
  params?: { community_tax?: string; withdraw_addr_enabled?: boolean };
}

export function initDistributionGenesis(ctx: Context, d: DistributionKeeper, g: DistributionGenesis | undefined): void {
  d.setParams(ctx, {
    ...DEFAULT_DISTRIBUTION_PARAMS,
    communityTax:
      g?.params?.community_tax === undefined ? DEFAULT_DISTRIBUTION_PARAMS.communityTax : parseDecText(g.params.community_tax, "community_tax").toString(),
    withdrawAddrEnabled: g?.params?.withdraw_addr_enabled ?? true,
  });
}
