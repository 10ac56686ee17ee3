import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "../../app/core/context";
import { type Amount, parseCoins } from "../../app/core/coins";
import { parseAddress } from "../../app/core/address";
import type { BankKeeper } from "./keeper";

/** `app_state.bank`: the genesis balances and denom metadata (the SDK's JSON shape). */
export interface BankGenesis {
  balances?: { address: string; coins: { denom: string; amount: string }[] }[];
  denom_metadata?: unknown[];
}

/** Mints each genesis balance to its address, in order (the supply is the sum of the balances), then writes the denom metadata. */
export function initBankGenesis(ctx: Context, bank: BankKeeper, g: BankGenesis | undefined): void {
  for (const b of g?.balances ?? []) {
    const coins: Amount[] = parseCoins(b.coins, `genesis balance of ${b.address}`);
    bank.mintCoins(ctx, parseAddress(b.address), coins);
  }
  for (const m of g?.denom_metadata ?? []) bank.setDenomMetadata(ctx, Metadata.fromJSON(m));
}
