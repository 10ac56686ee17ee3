import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

/** What staking needs from auth: module account addresses (the two token pools). */
export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** What staking needs from bank: moving coins between accounts and pools, reading balances. */
export interface BankKeeper {
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void;
  getBalance(ctx: Context, address: Uint8Array, denom: string): bigint;
  burnCoins(ctx: Context, from: Uint8Array, coins: readonly Amount[]): void;
}

/** What other modules (distribution) learn from staking, before and after each change. */
export interface StakingHooks {
  afterValidatorCreated(ctx: Context, operator: Uint8Array): void;
  afterValidatorRemoved(ctx: Context, operator: Uint8Array): void;
  beforeDelegationCreated(ctx: Context, operator: Uint8Array): void;
  beforeDelegationSharesModified(ctx: Context, delegator: Uint8Array, operator: Uint8Array): void;
  afterDelegationModified(ctx: Context, delegator: Uint8Array, operator: Uint8Array): void;
  /** `fraction` (LegacyDec atomics) of the validator's tokens is about to be burned. */
  beforeValidatorSlashed(ctx: Context, operator: Uint8Array, fraction: bigint): void;
}
