import type { Context } from "../../app/core/context";
import { chainError, SdkCode } from "../../app/core/errors";
import type { SessionsKeeper } from "./keeper";
import { DEFAULT_SESSIONS_PARAMS } from "./params";

/** `app_state.sessions`: the longest a session may last ("2592000s") and the most message types it may allow. */
export interface SessionsGenesis {
  params?: { max_duration?: string; max_scope_size?: number | string };
}

/** Writes the sessions params: the defaults, with the genesis max_duration and max_scope_size where given; throws InvalidRequest (sdk 18) on a bad value. */
export function initSessionsGenesis(ctx: Context, sessions: SessionsKeeper, g: SessionsGenesis | undefined): void {
  const p = { ...DEFAULT_SESSIONS_PARAMS };
  const d = g?.params?.max_duration;
  if (d !== undefined) {
    const m = /^([0-9]{1,12})s$/.exec(d);
    if (!m || BigInt(m[1]!) === 0n)
      throw chainError(SdkCode.InvalidRequest, `sessions max_duration "${d}" must be a positive number of seconds such as "86400s"`);
    p.maxDuration = { seconds: BigInt(m[1]!), nanos: 0 };
  }
  const n = g?.params?.max_scope_size;
  if (n !== undefined) {
    const v = Number(n);
    if (!Number.isSafeInteger(v) || v < 1 || v > 256)
      throw chainError(SdkCode.InvalidRequest, `sessions max_scope_size ${String(n)} must be an integer in [1, 256]`);
    p.maxScopeSize = v;
  }
  sessions.setParams(ctx, p);
}
