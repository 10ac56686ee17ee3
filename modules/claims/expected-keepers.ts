import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

/** What claims needs from bank: moving fees into escrow and out to validators or back to the submitter. */
export interface BankKeeper {
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void;
}

/** What claims needs from auth: its module account (the fee escrow). */
export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** What claims needs from staking: the active set with its consensus power (as assignment weighs it), and validators. */
export interface StakingKeeper {
  bondedPowers(ctx: Context): { operator: Buffer; power: bigint }[];
  valoperAddress(operator: Uint8Array): string;
  validatorByConsensusAddress(ctx: Context, consAddress: Uint8Array): { operator: Buffer } | undefined;
  getValidator(ctx: Context, operator: Uint8Array): { jailed: boolean } | undefined;
}

/** How verification faults are punished: the slashing keeper burns a fraction of stake and jails. */
export interface SlashingKeeper {
  punish(ctx: Context, operator: Uint8Array, fraction: bigint, jailMs: bigint, reason: string): bigint;
}
