import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

/** What distribution needs from auth: the module accounts (its own, the fee collector, the staking pools). */
export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** What distribution needs from bank: moving coins and reading the fee collector's balances. */
export interface BankKeeper {
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void;
  getAllBalances(ctx: Context, address: Uint8Array): Amount[];
}

/** The validator facts distribution reads. */
export interface RewardedValidator {
  operator: Buffer;
  tokens: bigint;
  delegatorShares: bigint;
  commission: { rate: bigint };
}

/** What distribution (keeper and queries) needs from staking: validators and delegations. */
export interface StakingKeeper {
  getValidator(ctx: Context, operator: Uint8Array): RewardedValidator | undefined;
  validatorByConsensusAddress(ctx: Context, consAddress: Uint8Array): RewardedValidator | undefined;
  getDelegation(ctx: Context, delegator: Uint8Array, operator: Uint8Array): bigint | undefined;
  delegationsOf(ctx: Context, delegator: Uint8Array): Iterable<[Buffer, bigint]>;
}
