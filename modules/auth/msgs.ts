import type { MsgHandler } from "../../app/core/router";

/** auth's message handlers, in the order the app registers them. */
export function authMsgHandlers(): MsgHandler<unknown>[] {
  return []; // none yet: governance's MsgUpdateParams (issue #15) will be the first
}
