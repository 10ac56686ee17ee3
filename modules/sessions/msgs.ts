import { Any } from "cosmjs-types/google/protobuf/any";
import {
  MsgCreateSession,
  MsgCreateSessionResponse,
  MsgExecSession,
  MsgExecSessionResponse,
  MsgRevokeSession,
  MsgRevokeSessionResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "../../proto/gen/mira/sessions/v1/tx";
import type { Params } from "../../proto/gen/mira/sessions/v1/sessions";
import { requireAuthority } from "../../app/core/authority";
import { chainError, SdkCode } from "../../app/core/errors";
import { validateSessionsParams } from "./params";
import { parseCoins } from "../../app/core/coins";
import type { MsgHandler, MsgRouter } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { SessionsCode, sessionsError } from "./errors";
import { MSG_CREATE_SESSION, MSG_EXEC_SESSION, MSG_REVOKE_SESSION, type SessionsKeeper } from "./keeper";

const reply = (typeUrl: string, value: Uint8Array) => Any.fromPartial({ typeUrl, value });

/**
 * sessions' message handlers, in the order the app registers them: create, revoke, exec (`router`
 * routes exec's inner messages), update params (`authority`: the gov module account).
 */
export function sessionsMsgHandlers(sessions: SessionsKeeper, router: MsgRouter, authority: Uint8Array): MsgHandler<unknown>[] {
  return [
    msgCreateSessionHandler(sessions, router),
    msgRevokeSessionHandler(sessions),
    msgExecSessionHandler(sessions, router),
    msgUpdateParamsHandler(sessions, authority),
  ];
}

/** The params of a MsgUpdateParams, checked as genesis checks them (a missing params field is refused). */
function checkedParams(m: MsgUpdateParams): Params {
  if (m.params === undefined) throw chainError(SdkCode.InvalidRequest, "sessions params: missing");
  validateSessionsParams(m.params);
  return m.params;
}

/** MsgUpdateParams (governance only): replaces every sessions param at once; sessions already granted keep their terms. */
export function msgUpdateParamsHandler(sessions: SessionsKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/mira.sessions.v1.MsgUpdateParams",
    module: "sessions",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      checkedParams(m);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      sessions.setParams(ctx, checkedParams(m));
      return reply("/mira.sessions.v1.MsgUpdateParamsResponse", MsgUpdateParamsResponse.encode({}).finish());
    },
  };
}

/** MsgCreateSession (signed by the granter); `router` tells which message types exist. */
export function msgCreateSessionHandler(sessions: SessionsKeeper, router: MsgRouter): MsgHandler<MsgCreateSession> {
  return {
    typeUrl: MSG_CREATE_SESSION,
    module: "sessions",
    decode: (b) => MsgCreateSession.decode(b),
    signers: (m) => [parseAddress(m.granter)],
    validateBasic: (m) => {
      parseAddress(m.granter);
      parseAddress(m.grantee);
      parseCoins(m.spendLimit, "spend limit"); // negative, zero or malformed amounts stop here
      const e = m.expiration;
      if (e === undefined) throw sessionsError(SessionsCode.InvalidSession, "a session needs an expiration");
      // A protobuf Timestamp's valid range (years 1 to 9999, RFC 3339): anything else is refused before any date arithmetic.
      if (e.seconds < -62_135_596_800n || e.seconds > 253_402_300_799n || e.nanos < 0 || e.nanos > 999_999_999) {
        throw sessionsError(SessionsCode.InvalidSession, "expiration is not a valid timestamp (years 1 to 9999)");
      }
    },
    execute: (ctx, m) => {
      sessions.create(ctx, m, (url) => router.has(url));
      return reply("/mira.sessions.v1.MsgCreateSessionResponse", MsgCreateSessionResponse.encode({}).finish());
    },
  };
}

/** MsgRevokeSession (signed by the granter). */
export function msgRevokeSessionHandler(sessions: SessionsKeeper): MsgHandler<MsgRevokeSession> {
  return {
    typeUrl: MSG_REVOKE_SESSION,
    module: "sessions",
    decode: (b) => MsgRevokeSession.decode(b),
    signers: (m) => [parseAddress(m.granter)],
    validateBasic: (m) => {
      parseAddress(m.granter);
      parseAddress(m.grantee);
    },
    execute: (ctx, m) => {
      sessions.revoke(ctx, parseAddress(m.granter), parseAddress(m.grantee));
      return reply("/mira.sessions.v1.MsgRevokeSessionResponse", MsgRevokeSessionResponse.encode({}).finish());
    },
  };
}

/** MsgExecSession (signed by the session key); `router` decodes and runs the inner messages. */
export function msgExecSessionHandler(sessions: SessionsKeeper, router: MsgRouter): MsgHandler<MsgExecSession> {
  return {
    typeUrl: MSG_EXEC_SESSION,
    module: "sessions",
    decode: (b) => MsgExecSession.decode(b),
    signers: (m) => [parseAddress(m.grantee)],
    validateBasic: (m) => {
      parseAddress(m.grantee);
      parseAddress(m.granter);
      if (m.msgs.length === 0) throw sessionsError(SessionsCode.InvalidSession, "MsgExecSession carries no messages");
      if (m.msgs.some((x) => x.typeUrl === MSG_EXEC_SESSION)) throw sessionsError(SessionsCode.Escalation, "MsgExecSession cannot nest");
    },
    execute: (ctx, m) => {
      const results = sessions.exec(ctx, m, (any) => router.route(any));
      return reply("/mira.sessions.v1.MsgExecSessionResponse", MsgExecSessionResponse.encode({ results }).finish());
    },
  };
}
