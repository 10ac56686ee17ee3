// ICS-20 transfer's genesis section: whether sending and receiving are on, and the channels' exposure limits.
import type { Context } from "../../app/core/context";
import { TransferCode, transferError } from "./errors";
import { checkRateLimit, type RateLimit, type TransferKeeper } from "./keeper";

export interface TransferGenesis {
  send_enabled?: boolean;
  receive_enabled?: boolean;
  /** e.g. [{"channel": "*", "denom": "umira", "max_send_bp": 1000, "max_recv_bp": 1000, "window_s": 86400}] */
  rate_limits?: { channel: string; denom: string; max_send_bp: number; max_recv_bp: number; window_s: number }[];
}

export function initTransferGenesis(ctx: Context, transfer: TransferKeeper, g: TransferGenesis | undefined): void {
  transfer.setParams(ctx, { sendEnabled: g?.send_enabled ?? true, receiveEnabled: g?.receive_enabled ?? true });
  const limits = g?.rate_limits ?? [];
  if (!Array.isArray(limits)) throw transferError(TransferCode.InvalidAmount, "transfer.rate_limits must be a list");
  const parsed: RateLimit[] = limits.map((l) => ({
    channel: l.channel,
    denom: l.denom,
    maxSendBp: l.max_send_bp,
    maxRecvBp: l.max_recv_bp,
    windowS: l.window_s,
  }));
  for (const l of parsed) checkRateLimit(l);
  if (parsed.length > 0) transfer.setRateLimits(ctx, parsed);
}
