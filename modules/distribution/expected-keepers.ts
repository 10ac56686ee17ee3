import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

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

export interface StakingKeeper {
  getValidator(ctx: Context, operator: Uint8Array): RewardedValidator | undefined;
  validatorByConsensusAddress(ctx: Context, consAddress: Uint8Array): RewardedValidator | undefined;
  getDelegation(ctx: Context, delegator: Uint8Array, operator: Uint8Array): bigint | undefined;
  delegationsOf(ctx: Context, delegator: Uint8Array): Iterable<[Buffer, bigint]>;
}
