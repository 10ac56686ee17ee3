import type { Context } from "../../app/core/context";
import { chainError, SdkCode } from "../../app/core/errors";
import type { SessionsKeeper } from "./keeper";
import type { Params } from "../../proto/gen/mira/sessions/v1/sessions";
import { DEFAULT_SESSIONS_PARAMS, validateSessionsParams } from "./params";

/** `app_state.sessions`: the longest a session may last ("2592000s") and the most message types it may allow. */
export interface SessionsGenesis {
  params?: { max_duration?: string; max_scope_size?: number | string };
}

/** The sessions params of genesis over the defaults, checked by validateSessionsParams; throws InvalidRequest (sdk 18) on a bad value. */
export function sessionsParamsFromGenesis(g: SessionsGenesis | undefined): Params {
  const p: Params = { ...DEFAULT_SESSIONS_PARAMS };
  const d = g?.params?.max_duration;
  if (d !== undefined) {
    const m = /^([0-9]{1,12})s$/.exec(d);
    if (!m) throw chainError(SdkCode.InvalidRequest, `sessions max_duration "${d}" must be a positive number of seconds such as "86400s"`);
    p.maxDuration = { seconds: BigInt(m[1]!), nanos: 0 };
  }
  const n = g?.params?.max_scope_size;
  if (n !== undefined) {
    if (!/^[0-9]{1,6}$/.test(String(n))) throw chainError(SdkCode.InvalidRequest, `sessions max_scope_size ${String(n)} must be an integer in [1, 256]`);
    p.maxScopeSize = Number(n);
  }
  validateSessionsParams(p);
  return p;
}

/** Writes the sessions params of genesis. */
export function initSessionsGenesis(ctx: Context, sessions: SessionsKeeper, g: SessionsGenesis | undefined): void {
  sessions.setParams(ctx, sessionsParamsFromGenesis(g));
}
