import type { Context } from "../core/context";
import { chainError, SdkCode } from "../core/errors";
import type { AuthKeeper } from "../../modules/auth/keeper";
import { type AuthGenesis, initAuthGenesis } from "../../modules/auth/genesis";
import type { BankKeeper } from "../../modules/bank/keeper";
import { type BankGenesis, initBankGenesis } from "../../modules/bank/genesis";
import type { StakingGenesis } from "../../modules/staking/genesis";
import type { SlashingGenesis } from "../../modules/slashing/genesis";
import type { DistributionGenesis } from "../../modules/distribution/genesis";
import type { MintGenesis } from "../../modules/mint/genesis";
import type { ClaimsGenesis } from "../../modules/claims/genesis";
import type { SessionsGenesis } from "../../modules/sessions/genesis";
import type { IbcGenesis } from "../../modules/ibc/genesis";
import type { TransferGenesis } from "../../modules/transfer/genesis";
import type { GovGenesis } from "../../modules/gov/genesis";

/** The `app_state` of genesis.json, in the Cosmos SDK's JSON shape (snake_case). */
export interface AppGenesis {
  staking?: StakingGenesis;
  slashing?: SlashingGenesis;
  distribution?: DistributionGenesis;
  mint?: MintGenesis;
  claims?: ClaimsGenesis;
  sessions?: SessionsGenesis;
  ibc?: IbcGenesis;
  transfer?: TransferGenesis;
  gov?: GovGenesis;
  /** Signed txs (base64 TxRaw) delivered at InitChain, e.g. each validator's MsgCreateValidator. */
  genutil?: { gen_txs?: string[] };
  auth?: AuthGenesis;
  bank?: BankGenesis;
}

export function parseAppGenesis(bytes: Uint8Array): AppGenesis {
  if (bytes.length === 0) return {};
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8")) as AppGenesis;
  } catch (err) {
    throw chainError(SdkCode.InvalidRequest, `app_state is not valid JSON: ${(err as Error).message}`);
  }
}

/** Writes genesis accounts (auth's genesis), then balances and denom metadata (bank's); the supply is the sum of the balances. */
export function initGenesis(ctx: Context, auth: AuthKeeper, bank: BankKeeper, g: AppGenesis): void {
  initAuthGenesis(ctx, auth, g.auth);
  initBankGenesis(ctx, bank, g.bank);
}
