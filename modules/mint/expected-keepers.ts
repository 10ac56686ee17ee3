import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

/** What mint needs from bank: the supply of the mint denom, and minting into an account. */
export interface BankKeeper {
  getSupply(ctx: Context, denom: string): bigint;
  mintCoins(ctx: Context, to: Uint8Array, coins: readonly Amount[]): void;
}

/** What mint needs from auth: the fee collector's module account. */
export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}
