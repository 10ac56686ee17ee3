import type { MsgHandler } from "../../app/core/router";

/** mint's message handlers, in the order the app registers them. */
export function mintMsgHandlers(): MsgHandler<unknown>[] {
  return []; // none yet: governance's MsgUpdateParams (issue #15) will be the first
}
