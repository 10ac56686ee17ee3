import type { Context } from "../core/context";
import { Amount, parseCoins } from "../core/coins";
import { chainError, SdkCode } from "../core/errors";
import { parseAddress } from "../core/address";
import type { AuthKeeper } from "../../modules/auth/keeper";
import type { BankKeeper } from "../../modules/bank/keeper";
import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { StakingGenesis } from "../../modules/staking/genesis";
import type { SlashingGenesis } from "../../modules/slashing/genesis";
import type { DistributionGenesis } from "../../modules/distribution/genesis";
import type { MintGenesis } from "../../modules/mint/genesis";
import type { ClaimsGenesis } from "../../modules/claims/genesis";
import type { SessionsGenesis } from "../../modules/sessions/genesis";

/** The `app_state` of genesis.json, in the Cosmos SDK's JSON shape (snake_case). */
export interface AppGenesis {
  staking?: StakingGenesis;
  slashing?: SlashingGenesis;
  distribution?: DistributionGenesis;
  mint?: MintGenesis;
  claims?: ClaimsGenesis;
  sessions?: SessionsGenesis;
  /** Signed txs (base64 TxRaw) delivered at InitChain, e.g. each validator's MsgCreateValidator. */
  genutil?: { gen_txs?: string[] };
  auth?: { accounts?: { address: string }[]; min_gas_price?: string };
  bank?: {
    balances?: { address: string; coins: { denom: string; amount: string }[] }[];
    denom_metadata?: unknown[];
  };
}

export function parseAppGenesis(bytes: Uint8Array): AppGenesis {
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as AppGenesis;
  } catch (err) {
    throw chainError(SdkCode.InvalidRequest, `app_state is not valid JSON: ${(err as Error).message}`);
  }
}

/** Writes genesis accounts and balances; the supply is the sum of the balances. */
export function initGenesis(ctx: Context, auth: AuthKeeper, bank: BankKeeper, g: AppGenesis): void {
  if (g.auth?.min_gas_price !== undefined) auth.setMinGasPrice(ctx, g.auth.min_gas_price);
  for (const a of g.auth?.accounts ?? []) auth.ensureAccount(ctx, parseAddress(a.address));
  for (const b of g.bank?.balances ?? []) {
    const coins: Amount[] = parseCoins(b.coins, `genesis balance of ${b.address}`);
    bank.mintCoins(ctx, parseAddress(b.address), coins);
  }
  for (const m of g.bank?.denom_metadata ?? []) bank.setDenomMetadata(ctx, Metadata.fromJSON(m));
}
