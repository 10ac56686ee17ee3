import { ChainError, registerCodes } from "../../app/core/errors";

/** The sessions module's codespace, registered once at load. Codes start at 2, as in every Cosmos SDK module. */
export const CODESPACE = "sessions";

export const SessionsCode = registerCodes(CODESPACE, {
  /** No live session of that granter with that session key (never created, revoked, expired or used up). */
  SessionNotFound: 2,
  /** The session's expiration block time has passed. */
  SessionExpired: 3,
  /** A message type the session does not allow. */
  MsgNotAllowed: 4,
  /** The session would move more of the granter's coins than its spend limit, fees included. */
  SpendLimitExceeded: 5,
  /** An inner message not signed-for by the granter alone. */
  WrongSigner: 6,
  /** A session trying to create, revoke or widen sessions, or an exec inside an exec. */
  Escalation: 7,
  /** A session with this session key already exists; revoke it first. */
  SessionExists: 8,
  /** A malformed session: scope, limit, expiration or uses out of bounds. */
  InvalidSession: 9,
  /** The session's maximum number of uses is spent. */
  UsesExhausted: 10,
  /** A fee grant that does not apply: no fee grant in the session, or a tx that is not only this session's execs. */
  FeeGrantNotAllowed: 11,
} as const);

export type SessionsCodeValue = (typeof SessionsCode)[keyof typeof SessionsCode];

/** A sessions error: one of `SessionsCode`, in the "sessions" codespace. */
export function sessionsError(code: SessionsCodeValue, message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}
