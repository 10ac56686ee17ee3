import { chainError, SdkCode } from "../../app/core/errors";
import type { Params } from "../../proto/gen/mira/sessions/v1/sessions";

/** At most 30 days per session, at most 16 message types in its scope. */
export const DEFAULT_SESSIONS_PARAMS: Params = {
  maxDuration: { seconds: 30n * 24n * 3600n, nanos: 0 },
  maxScopeSize: 16,
};

/**
 * The one check of sessions params, for genesis and MsgUpdateParams alike: a positive whole number
 * of seconds (up to 10^12) for max_duration and 1 to 256 message types for max_scope_size. Throws
 * InvalidRequest (sdk 18).
 */
export function validateSessionsParams(p: Params): void {
  const d = p.maxDuration;
  if (d === undefined || d.seconds <= 0n || d.seconds > 999_999_999_999n || d.nanos !== 0)
    throw chainError(SdkCode.InvalidRequest, `sessions max_duration must be a positive number of seconds such as "86400s"`);
  if (!Number.isSafeInteger(p.maxScopeSize) || p.maxScopeSize < 1 || p.maxScopeSize > 256)
    throw chainError(SdkCode.InvalidRequest, `sessions max_scope_size ${p.maxScopeSize} must be an integer in [1, 256]`);
}
