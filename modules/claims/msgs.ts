import { Any } from "cosmjs-types/google/protobuf/any";
import { MsgSubmitContent, MsgSubmitContentResponse } from "../../proto/gen/mira/claims/v1/tx";
import type { MsgHandler } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { ClaimsCode, claimsError } from "./errors";
import type { ClaimsKeeper } from "./keeper";

export function msgSubmitContentHandler(claims: ClaimsKeeper): MsgHandler<MsgSubmitContent> {
  return {
    typeUrl: "/mira.claims.v1.MsgSubmitContent",
    module: "claims",
    decode: (b) => MsgSubmitContent.decode(b),
    signers: (m) => [parseAddress(m.submitter)],
    validateBasic: (m) => {
      parseAddress(m.submitter);
      if ((m.content === "") === (m.claims.length === 0))
        throw claimsError(ClaimsCode.InvalidContent, "give either the content text or the list of claims, not both");
    },
    execute: (ctx, m) => {
      const out = claims.submit(ctx, m);
      return Any.fromPartial({
        typeUrl: "/mira.claims.v1.MsgSubmitContentResponse",
        value: MsgSubmitContentResponse.encode({ contentId: out.contentId, claimIds: out.claimIds }).finish(),
      });
    },
  };
}

/** Every claims message handler, in the order the app registers them. */
export function claimsMsgHandlers(claims: ClaimsKeeper): MsgHandler<unknown>[] {
  return [msgSubmitContentHandler(claims)];
}
