// ICS-20 transfer's state keys in its "transfer" substore.
import { createHash } from "node:crypto";

export const STORE = "transfer";

const utf8 = (s: string): Buffer => Buffer.from(s, "utf8");

export const paramsKey = utf8("params");
/** A voucher's trace by its hash (the hex after "ibc/"). */
export const denomTraceKey = (hash: Uint8Array): Buffer => Buffer.concat([utf8("denomTrace/"), Buffer.from(hash)]);
export const denomTracePrefix = utf8("denomTrace/");
/** How much of a denom all channels' escrow accounts hold together. */
export const totalEscrowKey = (denom: string): Buffer => utf8(`totalEscrowForDenom/${denom}`);
/** The exposure limits set in genesis. */
export const rateLimitsKey = utf8("rateLimits");
/** A (channel, denom)'s flow in its current window. */
export const flowKey = (channelId: string, denom: string): Buffer => utf8(`flow/${channelId}/${denom}`);

/** ICS-20's escrow address of a channel: the first 20 bytes of sha256("ics20-1" ‖ 0x00 ‖ "port/channel"). */
export function escrowAddress(portId: string, channelId: string): Buffer {
  return createHash("sha256")
    .update(Buffer.concat([utf8("ics20-1"), Buffer.from([0]), utf8(`${portId}/${channelId}`)]))
    .digest()
    .subarray(0, 20);
}
