import type { Context } from "../../app/core/context";

/** What sessions needs from auth: a session key with no balance still gets an account to sign with. */
export interface AccountKeeper {
  ensureAccount(ctx: Context, address: Uint8Array): unknown;
}
