import type { Context } from "../../app/core/context";
import { parseDecText } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import type { SlashingKeeper } from "./keeper";
import { DEFAULT_SLASHING_PARAMS, type SlashingParams, validateSlashingParams } from "./params";

/** `app_state.slashing` in the SDK's JSON shape (snake_case); every field optional. */
export interface SlashingGenesis {
  params?: {
    signed_blocks_window?: string | number;
    min_signed_per_window?: string;
    downtime_jail_duration?: string;
    slash_fraction_double_sign?: string;
    slash_fraction_downtime?: string;
  };
}

function seconds(text: string, what: string): bigint {
  const m = /^([0-9]{1,12})s$/.exec(text);
  if (!m) throw chainError(SdkCode.InvalidRequest, `slashing ${what} "${text}" must be a number of seconds such as "600s"`);
  return BigInt(m[1]!) * 1000n;
}

/** The slashing params of genesis over the defaults, checked by validateSlashingParams. */
export function slashingParamsFromGenesis(g: SlashingGenesis | undefined): SlashingParams {
  const p = g?.params ?? {};
  const d = DEFAULT_SLASHING_PARAMS;
  const w = p.signed_blocks_window;
  if (w !== undefined && !/^[0-9]{1,19}$/.test(String(w)))
    throw chainError(SdkCode.InvalidRequest, `slashing signed_blocks_window ${String(w)} is not an integer`);
  const window = w === undefined ? d.signedBlocksWindow : BigInt(w);
  const out: SlashingParams = {
    signedBlocksWindow: window,
    minSignedPerWindow: p.min_signed_per_window === undefined ? d.minSignedPerWindow : parseDecText(p.min_signed_per_window, "min_signed_per_window"),
    downtimeJailDurationMs: p.downtime_jail_duration === undefined ? d.downtimeJailDurationMs : seconds(p.downtime_jail_duration, "downtime_jail_duration"),
    slashFractionDoubleSign:
      p.slash_fraction_double_sign === undefined ? d.slashFractionDoubleSign : parseDecText(p.slash_fraction_double_sign, "slash_fraction_double_sign"),
    slashFractionDowntime:
      p.slash_fraction_downtime === undefined ? d.slashFractionDowntime : parseDecText(p.slash_fraction_downtime, "slash_fraction_downtime"),
  };
  validateSlashingParams(out);
  return out;
}

export function initSlashingGenesis(ctx: Context, slashing: SlashingKeeper, g: SlashingGenesis | undefined): void {
  slashing.setParams(ctx, slashingParamsFromGenesis(g));
}
