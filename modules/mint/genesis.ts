import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import type { MintKeeper } from "./keeper";
import { defaultMintParams } from "./params";

/** `app_state.mint`: the yearly inflation ("0.07") and the denom minted. */
export interface MintGenesis {
  params?: { mint_denom?: string; inflation?: string };
}

/** Writes the mint params: the defaults, with the genesis inflation and mint denom where given. */
export function initMintGenesis(ctx: Context, mint: MintKeeper, g: MintGenesis | undefined): void {
  const p = defaultMintParams(g?.params?.inflation === undefined ? undefined : parseDecText(g.params.inflation, "mint inflation"));
  if (g?.params?.mint_denom !== undefined) p.mintDenom = g.params.mint_denom;
  mint.setParams(ctx, p);
}
