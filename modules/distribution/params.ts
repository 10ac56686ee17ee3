import type { Params } from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { ONE_DEC, parseDecAtomics } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";

/** The SDK's defaults (a 2% community tax). Genesis may set community_tax and withdraw_addr_enabled. */
export const DEFAULT_DISTRIBUTION_PARAMS: Params = {
  communityTax: (ONE_DEC / 50n).toString(), // 2%
  baseProposerReward: "0",
  bonusProposerReward: "0",
  withdrawAddrEnabled: true,
};

/**
 * The one check of distribution params, for genesis and MsgUpdateParams alike (the SDK's rules):
 * the community tax and the (deprecated, unused) proposer rewards are decimals in [0, 1]. Throws
 * InvalidRequest naming the field.
 */
export function validateDistributionParams(p: Params): void {
  const fractions: [string, string][] = [
    [p.communityTax, "community_tax"],
    [p.baseProposerReward, "base_proposer_reward"],
    [p.bonusProposerReward, "bonus_proposer_reward"],
  ];
  for (const [text, name] of fractions) {
    const v = parseDecAtomics(text === "" ? "0" : text, `distribution params: ${name}`);
    if (v < 0n || v > ONE_DEC) throw chainError(SdkCode.InvalidRequest, `distribution params: ${name} must be in [0, 1]`);
  }
}
