import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

/** What gov needs from auth: its module account, created as one (it holds the deposits). */
export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** What gov needs from bank: deposits in and out of its module account, and burning them. */
export interface BankKeeper {
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void;
  burnCoins(ctx: Context, from: Uint8Array, coins: readonly Amount[]): void;
  getAllBalances(ctx: Context, address: Uint8Array): Amount[];
}

/** The validator facts the tally reads. */
export interface TalliedValidator {
  operator: Buffer;
  tokens: bigint;
  /** LegacyDec atomics. */
  delegatorShares: bigint;
  /** cosmos.staking.v1beta1.BondStatus. */
  status: number;
}

/** What gov needs from staking: the bonded set, a voter's delegations (one by one, or in one ordered pass), and the bonded pool. */
export interface StakingKeeper {
  bondedPowers(ctx: Context): { operator: Buffer; power: bigint }[];
  getValidator(ctx: Context, operator: Uint8Array): TalliedValidator | undefined;
  delegationsOf(ctx: Context, delegator: Uint8Array): Iterable<[Buffer, bigint]>;
  /** [delegator, validator operator, shares] of every delegation from `delegator`'s first one on, in key order. */
  delegationsFrom(ctx: Context, delegator: Uint8Array): Iterator<[Buffer, Buffer, bigint]>;
  pool(ctx: Context): { bonded: bigint; notBonded: bigint };
}

/** What gov needs from distribution: a cancelled proposal's charge goes to the community pool when proposal_cancel_dest names distribution's account. */
export interface DistributionKeeper {
  fundCommunityPool(ctx: Context, depositor: Uint8Array, coins: readonly Amount[]): void;
}
