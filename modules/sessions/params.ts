import type { Params } from "../../proto/gen/mira/sessions/v1/sessions";

/** At most 30 days per session, at most 16 message types in its scope. */
export const DEFAULT_SESSIONS_PARAMS: Params = {
  maxDuration: { seconds: 30n * 24n * 3600n, nanos: 0 },
  maxScopeSize: 16,
};
