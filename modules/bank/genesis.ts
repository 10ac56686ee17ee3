import { Metadata, type Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "../../app/core/context";
import { type Amount, parseCoins } from "../../app/core/coins";
import { parseAddress } from "../../app/core/address";
import type { BankKeeper } from "./keeper";
import { DEFAULT_BANK_PARAMS, validateBankParams } from "./params";

/** `app_state.bank`: the params, the genesis balances and denom metadata (the SDK's JSON shape). */
export interface BankGenesis {
  params?: { send_enabled?: unknown[]; default_send_enabled?: boolean };
  balances?: { address: string; coins: { denom: string; amount: string }[] }[];
  denom_metadata?: unknown[];
}

/** The bank params of genesis over the defaults, checked by validateBankParams. */
export function bankParamsFromGenesis(g: BankGenesis | undefined): Params {
  const p: Params = {
    sendEnabled: (g?.params?.send_enabled ?? []) as Params["sendEnabled"],
    defaultSendEnabled: g?.params?.default_send_enabled ?? DEFAULT_BANK_PARAMS.defaultSendEnabled,
  };
  validateBankParams(p);
  return p;
}

/** Writes the params (only when genesis sets them: the defaults are what an empty store reads), mints each genesis balance to its address, in order (the supply is the sum of the balances), then writes the denom metadata. */
export function initBankGenesis(ctx: Context, bank: BankKeeper, g: BankGenesis | undefined): void {
  const params = bankParamsFromGenesis(g);
  if (g?.params !== undefined) bank.setParams(ctx, params);
  for (const b of g?.balances ?? []) {
    const coins: Amount[] = parseCoins(b.coins, `genesis balance of ${b.address}`);
    bank.mintCoins(ctx, parseAddress(b.address), coins);
  }
  for (const m of g?.denom_metadata ?? []) bank.setDenomMetadata(ctx, metadataFromGenesis(m));
}

/**
 * A denom metadata entry of genesis, in the SDK's JSON (proto field names: denom_units, uri_hash).
 * cosmjs-types' fromJSON reads only its camelCase names and would drop the denom units.
 */
export function metadataFromGenesis(m: unknown): Metadata {
  const o = (m ?? {}) as Record<string, unknown>;
  const units = (o["denom_units"] ?? o["denomUnits"] ?? []) as Record<string, unknown>[];
  return Metadata.fromJSON({
    ...o,
    denomUnits: units.map((u) => ({ denom: u["denom"], exponent: u["exponent"], aliases: u["aliases"] ?? [] })),
    uriHash: o["uri_hash"] ?? o["uriHash"] ?? "",
  });
}
