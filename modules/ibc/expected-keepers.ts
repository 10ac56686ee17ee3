// What IBC needs from other modules' keepers.
import type { Context } from "../../app/core/context";

/**
 * This chain as a counterparty's light client sees it (staking's, through app/chain): its past headers, kept
 * for the last historical_entries blocks, and its unbonding period. The connection handshake checks a
 * counterparty's client and consensus state of this chain against them.
 */
export interface SelfChainKeeper {
  historicalHeader(ctx: Context, height: bigint): { time: { seconds: bigint; nanos: number }; appHash: Uint8Array; nextValidatorsHash: Uint8Array } | undefined;
  /** The unbonding period in nanoseconds. */
  unbondingTimeNs(ctx: Context): bigint;
}
