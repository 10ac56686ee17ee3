// What ICS-20 transfer needs from other modules' keepers.
import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";

/** Moving, minting and burning coins, and a denom's supply (what the exposure limits weigh flows against). */
export interface BankKeeper {
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void;
  mintCoins(ctx: Context, to: Uint8Array, coins: readonly Amount[]): void;
  burnCoins(ctx: Context, from: Uint8Array, coins: readonly Amount[]): void;
  getSupply(ctx: Context, denom: string): bigint;
  getBalance(ctx: Context, address: Uint8Array, denom: string): bigint;
}

/** The transfer module account (mints and burns vouchers). */
export interface AccountKeeper {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** IBC's channels: sending a packet, and reading a channel (to check it exists and find its counterparty). */
export interface ChannelKeeper {
  sendPacket(
    ctx: Context,
    sourcePort: string,
    sourceChannel: string,
    timeoutHeight: { revisionNumber: bigint; revisionHeight: bigint },
    timeoutTimestamp: bigint,
    data: Uint8Array,
  ): bigint;
  channel(ctx: Context, portId: string, channelId: string): { counterparty: { portId: string; channelId: string }; connectionHops: string[] } | undefined;
}
