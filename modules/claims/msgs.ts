import { Any } from "cosmjs-types/google/protobuf/any";
import { MsgSubmitContent, MsgSubmitContentResponse, MsgUpdateParams, MsgUpdateParamsResponse } from "../../proto/gen/mira/claims/v1/tx";
import type { Params } from "../../proto/gen/mira/claims/v1/claims";
import type { MsgHandler } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import { chainError, SdkCode } from "../../app/core/errors";
import { ClaimsCode, claimsError } from "./errors";
import type { ClaimsKeeper } from "./keeper";
import { validateClaimsParams } from "./params";

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

/** The params of a MsgUpdateParams, checked as genesis checks them (a missing params field is refused). */
function checkedParams(m: MsgUpdateParams): Params {
  if (m.params === undefined) throw chainError(SdkCode.InvalidRequest, "claims params: missing");
  validateClaimsParams(m.params);
  return m.params;
}

/**
 * MsgUpdateParams (governance only): replaces every claims param at once. The allow-list, the
 * default threshold and verifiers per claim are read from state wherever they are used, so the new
 * ones apply from the next block on: verdicts injected then are judged by the new allow-list.
 */
export function msgUpdateParamsHandler(claims: ClaimsKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/mira.claims.v1.MsgUpdateParams",
    module: "claims",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      checkedParams(m);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      claims.setParams(ctx, checkedParams(m));
      return Any.fromPartial({ typeUrl: "/mira.claims.v1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}

/** Every claims message handler, in the order the app registers them (`authority`: the gov module account). */
export function claimsMsgHandlers(claims: ClaimsKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgSubmitContentHandler(claims), msgUpdateParamsHandler(claims, authority)];
}
