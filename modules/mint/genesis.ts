import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import { defaultMintParams, MintKeeper } from "./keeper";

/** `app_state.mint`: the yearly inflation ("0.07") and the denom minted. */
export interface MintGenesis {
  params?: { mint_denom?: string; inflation?: string };
}

export function initMintGenesis(ctx: Context, mint: MintKeeper, g: MintGenesis | undefined): void {
  const p = defaultMintParams(g?.params?.inflation === undefined ? undefined : parseDecText(g.params.inflation, "mint inflation"));
  if (g?.params?.mint_denom !== undefined) p.mintDenom = g.params.mint_denom;
  mint.setParams(ctx, p);
}
