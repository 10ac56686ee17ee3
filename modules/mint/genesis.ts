import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import type { MintKeeper } from "./keeper";
import type { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import { defaultMintParams, validateMintParams } from "./params";

/** `app_state.mint`: the yearly inflation ("0.07") and the denom minted. */
export interface MintGenesis {
  params?: { mint_denom?: string; inflation?: string };
}

/** The mint params of genesis: the defaults, with the genesis inflation and mint denom where given, checked by validateMintParams. */
export function mintParamsFromGenesis(g: MintGenesis | undefined): Params {
  const p = defaultMintParams(g?.params?.inflation === undefined ? undefined : parseDecText(g.params.inflation, "mint inflation"));
  if (g?.params?.mint_denom !== undefined) p.mintDenom = g.params.mint_denom;
  validateMintParams(p);
  return p;
}

/** Writes the mint params of genesis. */
export function initMintGenesis(ctx: Context, mint: MintKeeper, g: MintGenesis | undefined): void {
  mint.setParams(ctx, mintParamsFromGenesis(g));
}
