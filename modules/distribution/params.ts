import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { ONE_DEC } from "../../app/core/dec";

/** The SDK's defaults (a 2% community tax). Genesis may set community_tax and withdraw_addr_enabled. */
export const DEFAULT_DISTRIBUTION_PARAMS: Params = {
  communityTax: (ONE_DEC / 50n).toString(), // 2%
  baseProposerReward: "0",
  bonusProposerReward: "0",
  withdrawAddrEnabled: true,
};
