import type { Context } from "../../app/core/context";

/** What bank needs from auth: that a receiving account exists. */
export interface AccountKeeper {
  ensureAccount(ctx: Context, address: Uint8Array): unknown;
}
