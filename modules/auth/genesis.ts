import type { Context } from "../../app/core/context";
import { parseAddress } from "../../app/core/address";
import type { AuthKeeper } from "./keeper";

/** `app_state.auth`: the genesis accounts and the consensus minimum gas price ("0.025umira"). */
export interface AuthGenesis {
  accounts?: { address: string }[];
  min_gas_price?: string;
}

/** Writes the minimum gas price (when given), then an account for each genesis address, in order. */
export function initAuthGenesis(ctx: Context, auth: AuthKeeper, g: AuthGenesis | undefined): void {
  if (g?.min_gas_price !== undefined) auth.setMinGasPrice(ctx, g.min_gas_price);
  for (const a of g?.accounts ?? []) auth.ensureAccount(ctx, parseAddress(a.address));
}
