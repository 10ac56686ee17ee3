// Sessions: a granter lets a session key act for it only with listed message types, only up to a
// spend limit (fees included), only until a block time, optionally only so many times. Every rule
// is enforced here, in one place: MsgExecSession's inner messages (`exec`), and the fees a session
// pays for its key (`useFeeGrant`, called by the ante). Expired sessions are deleted at the end of
// the block through an index ordered by expiry, never by a scan.
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { Params, Session, SessionUsage } from "../../proto/gen/mira/sessions/v1/sessions";
import type { MsgCreateSession, MsgExecSession } from "../../proto/gen/mira/sessions/v1/tx";
import { type Amount, formatAmounts, parseCoins } from "../../app/core/coins";
import type { Context, FeeGrantUse } from "../../app/core/context";
import type { RoutedMsg } from "../../app/core/router";
import { millis } from "../../app/core/time";
import { BECH32_PREFIX, bech32Address, encodeBech32, parseAddress } from "../../app/core/address";
import { BoundedMemo, latin1Key } from "../../app/core/memo";
import { SessionsCode, sessionsError } from "./errors";
import {
  ATTR_ALLOWED_MSGS,
  ATTR_EXPIRATION,
  ATTR_FEE_GRANT,
  ATTR_GRANTEE,
  ATTR_GRANTER,
  ATTR_MSGS,
  ATTR_SPEND_LIMIT,
  ATTR_SPENT,
  EVENT_SESSION_CREATED,
  EVENT_SESSION_EXEC,
  EVENT_SESSION_EXPIRED,
  EVENT_SESSION_REVOKED,
  EVENT_SESSION_USED_UP,
} from "./events";
import type { AccountKeeper } from "./expected-keepers";
import * as keys from "./keys";
import { DEFAULT_SESSIONS_PARAMS } from "./params";

export const MSG_CREATE_SESSION = "/mira.sessions.v1.MsgCreateSession";
export const MSG_REVOKE_SESSION = "/mira.sessions.v1.MsgRevokeSession";
export const MSG_EXEC_SESSION = "/mira.sessions.v1.MsgExecSession";
/**
 * What a session may never do: make, end or widen sessions, or nest an exec; nor redirect the
 * granter's future rewards (MsgSetWithdrawAddress moves value that never passes through the
 * granter's balance, so no spend limit could count it).
 */
const SESSION_MSGS = new Set([MSG_CREATE_SESSION, MSG_REVOKE_SESSION, MSG_EXEC_SESSION, "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress"]);

const timestamp = (ms: bigint) => ({ seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1e6 });

/**
 * A session's terms never change once made, and every exec reads them (twice with a fee grant: the
 * ante, then the exec): keep their decodings by the stored bytes, within a bound. Shared: never
 * changed by anyone (`terms` hands out a shallow copy; its lists are only read).
 */
const decodedTerms = new BoundedMemo<Session>(20_000);

function decodeTerms(bytes: Uint8Array): Session {
  const id = latin1Key(bytes);
  let s = decodedTerms.get(id);
  if (s === undefined) {
    s = Session.decode(bytes);
    decodedTerms.set(id, s);
  }
  return s;
}

/**
 * Usage records are rewritten by every exec and read back by the next tx of the session: keep the
 * latest encodings and decodings by their bytes, as auth does for accounts. A hit is handed out as
 * a new record (callers change `uses` and replace `spent`; the list itself is never changed).
 */
const usages = new BoundedMemo<SessionUsage>(20_000);

function encodeUsage(u: SessionUsage): Uint8Array {
  const bytes = SessionUsage.encode(u).finish();
  usages.set(latin1Key(bytes), { spent: u.spent, uses: u.uses });
  return bytes;
}

function decodeUsage(bytes: Uint8Array): SessionUsage {
  const id = latin1Key(bytes);
  const hit = usages.get(id);
  if (hit !== undefined) return { spent: hit.spent, uses: hit.uses };
  const u = SessionUsage.decode(bytes);
  usages.set(id, { spent: u.spent, uses: u.uses });
  return u;
}

/** `coins` (sorted by denom) with `denom` now at `amount` (`at`: its index, or -1 if absent); a new array. */
function withAmount(coins: readonly Coin[], at: number, denom: string, amount: bigint): Coin[] {
  const out = [...coins];
  if (at >= 0) out[at] = { denom, amount: amount.toString() };
  else {
    const i = out.findIndex((x) => x.denom > denom);
    out.splice(i < 0 ? out.length : i, 0, { denom, amount: amount.toString() });
  }
  return out;
}

/** A session allowed to act now, as `live` found it: its terms and (a working copy of) its usage. */
interface LiveSession {
  s: Session;
  u: SessionUsage;
}

function addCoins(to: Coin[], add: readonly Amount[]): Coin[] {
  const sum = new Map(to.map((c) => [c.denom, BigInt(c.amount)]));
  for (const a of add) sum.set(a.denom, (sum.get(a.denom) ?? 0n) + a.amount);
  return [...sum]
    .filter(([, v]) => v > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, v]) => ({ denom, amount: v.toString() }));
}

export class SessionsKeeper {
  constructor(private readonly accounts: AccountKeeper) {}

  /** Reads the sessions params (the defaults when none are stored). */
  params(ctx: Context): Params {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_SESSIONS_PARAMS : Params.decode(v);
  }

  /** Writes the sessions params. */
  setParams(ctx: Context, p: Params): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(p).finish());
  }

  /** The session's terms as stored (granter and grantee are in its key; spent and uses in its usage record). */
  private terms(ctx: Context, granter: Uint8Array, grantee: Uint8Array, names?: { granter: string; grantee: string }): Session | undefined {
    const v = ctx.store(keys.STORE).get(keys.sessionKey(granter, grantee));
    if (v === undefined) return undefined;
    // The bech32 forms, when the caller already has them (a message's own fields), save two encodings per use.
    return { ...decodeTerms(v), granter: names?.granter ?? bech32Address(granter), grantee: names?.grantee ?? bech32Address(grantee) };
  }

  private usage(ctx: Context, id: bigint): SessionUsage {
    const v = ctx.store(keys.STORE).get(keys.usageKey(id));
    return v === undefined ? { spent: [], uses: 0n } : decodeUsage(v);
  }

  private putUsage(ctx: Context, id: bigint, u: SessionUsage): void {
    ctx.store(keys.STORE).set(keys.usageKey(id), encodeUsage(u));
  }

  /** Reads the whole session of `granter` with `grantee` (terms and usage), as queries show it; undefined if none. */
  getSession(ctx: Context, granter: Uint8Array, grantee: Uint8Array): Session | undefined {
    const s = this.terms(ctx, granter, grantee);
    return s === undefined ? undefined : { ...s, ...this.usage(ctx, s.id) };
  }

  private removeSession(ctx: Context, s: Session, event: typeof EVENT_SESSION_REVOKED | typeof EVENT_SESSION_USED_UP): void {
    const granter = parseAddress(s.granter);
    const grantee = parseAddress(s.grantee);
    const store = ctx.store(keys.STORE);
    store.delete(keys.sessionKey(granter, grantee));
    store.delete(keys.byGranteeKey(grantee, granter));
    store.delete(keys.expiryKey(millis(s.expiration), granter, grantee, s.id));
    store.delete(keys.usageKey(s.id));
    ctx.events.emit(event, { [ATTR_GRANTER]: s.granter, [ATTR_GRANTEE]: s.grantee });
  }

  private nextId(ctx: Context): bigint {
    const store = ctx.store(keys.STORE);
    const v = store.get(keys.nextIdKey);
    const id = v === undefined ? 1n : v.readBigUInt64BE();
    const next = Buffer.alloc(8);
    next.writeBigUInt64BE(id + 1n);
    store.set(keys.nextIdKey, next);
    return id;
  }

  /** MsgCreateSession (signed by the granter): checks the scope, limit and expiry against the params, writes the session, its indexes and the grantee's account, emits session_created; throws sessions errors. */
  create(ctx: Context, msg: MsgCreateSession, isKnownMsg: (typeUrl: string) => boolean): void {
    const granter = parseAddress(msg.granter);
    const grantee = parseAddress(msg.grantee);
    const p = this.params(ctx);
    const invalid = (why: string) => sessionsError(SessionsCode.InvalidSession, why);
    if (granter.equals(grantee)) throw invalid("a session key must differ from its granter");
    if (msg.allowedMsgs.length === 0) throw invalid("a session must allow at least one message type");
    if (msg.allowedMsgs.length > p.maxScopeSize) throw invalid(`a session may allow at most ${p.maxScopeSize} message types, not ${msg.allowedMsgs.length}`);
    if (new Set(msg.allowedMsgs).size !== msg.allowedMsgs.length) throw invalid("a message type is listed twice");
    for (const url of msg.allowedMsgs) {
      if (SESSION_MSGS.has(url))
        throw sessionsError(SessionsCode.Escalation, `a session cannot allow ${url}: sessions never make, end or run sessions, nor redirect rewards`);
      if (!isKnownMsg(url)) throw invalid(`unknown message type ${url}`);
    }
    parseCoins(msg.spendLimit, "spend limit");
    const expires = millis(msg.expiration);
    if (msg.expiration === undefined || expires <= ctx.blockTimeMs)
      throw invalid(
        `expiration ${msg.expiration === undefined ? "missing" : new Date(Number(expires)).toISOString()} is not after the block time ${new Date(Number(ctx.blockTimeMs)).toISOString()}`,
      );
    const longest = millis(p.maxDuration);
    if (expires - ctx.blockTimeMs > longest) throw invalid(`a session may last at most ${longest / 1000n} s from its creation`);
    if (this.terms(ctx, granter, grantee) !== undefined)
      throw sessionsError(SessionsCode.SessionExists, `${msg.granter} already has a session with ${msg.grantee}; revoke it first`);
    const id = this.nextId(ctx);
    // Stored without what its key names (granter, grantee) and what its usage record holds.
    const stored: Session = {
      granter: "",
      grantee: "",
      allowedMsgs: [...msg.allowedMsgs],
      spendLimit: addCoins([], parseCoins(msg.spendLimit, "spend limit")),
      spent: [],
      expiration: timestamp(expires),
      maxUses: msg.maxUses,
      uses: 0n,
      feeGrant: msg.feeGrant,
      createdHeight: ctx.height,
      id,
    };
    const store = ctx.store(keys.STORE);
    store.set(keys.sessionKey(granter, grantee), Session.encode(stored).finish());
    store.set(keys.byGranteeKey(grantee, granter), keys.PRESENT);
    store.set(keys.expiryKey(expires, granter, grantee, id), keys.PRESENT);
    this.accounts.ensureAccount(ctx, grantee);
    ctx.events.emit(EVENT_SESSION_CREATED, {
      [ATTR_GRANTER]: msg.granter,
      [ATTR_GRANTEE]: msg.grantee,
      [ATTR_ALLOWED_MSGS]: msg.allowedMsgs.join(","),
      [ATTR_SPEND_LIMIT]: formatAmounts(parseCoins(stored.spendLimit, "spend limit")),
      [ATTR_EXPIRATION]: new Date(Number(expires)).toISOString(),
      [ATTR_FEE_GRANT]: String(msg.feeGrant),
    });
  }

  /** MsgRevokeSession (signed by the granter): deletes the session and its indexes at once, emits session_revoked; throws SessionNotFound. */
  revoke(ctx: Context, granter: Uint8Array, grantee: Uint8Array): void {
    const s = this.terms(ctx, granter, grantee);
    if (s === undefined) throw sessionsError(SessionsCode.SessionNotFound, `no session of ${bech32Address(granter)} with ${bech32Address(grantee)}`);
    this.removeSession(ctx, s, EVENT_SESSION_REVOKED);
  }

  /** The session's terms and usage if it may act now (exists, before its expiration, uses left), else a coded error. */
  private live(ctx: Context, granter: Uint8Array, grantee: Uint8Array, names?: { granter: string; grantee: string }): LiveSession {
    const s = this.terms(ctx, granter, grantee, names);
    if (s === undefined) throw sessionsError(SessionsCode.SessionNotFound, `no session of ${bech32Address(granter)} with ${bech32Address(grantee)}`);
    if (ctx.blockTimeMs >= millis(s.expiration))
      throw sessionsError(SessionsCode.SessionExpired, `the session expired at ${new Date(Number(millis(s.expiration))).toISOString()}`);
    const u = this.usage(ctx, s.id);
    if (s.maxUses > 0n && u.uses >= s.maxUses) throw sessionsError(SessionsCode.UsesExhausted, `the session's ${s.maxUses} uses are spent`);
    return { s, u };
  }

  /** Counts `coins` leaving the granter against the session's limit; refuses what would exceed it. */
  private charge(s: Session, u: SessionUsage, coins: readonly Amount[]): void {
    let spent = u.spent;
    for (const c of coins) {
      if (c.amount <= 0n) continue;
      const at = spent.findIndex((x) => x.denom === c.denom);
      const before = at < 0 ? 0n : BigInt(spent[at]!.amount);
      const limitCoin = s.spendLimit.find((l) => l.denom === c.denom);
      const limit = limitCoin === undefined ? 0n : BigInt(limitCoin.amount);
      if (before + c.amount > limit) {
        throw sessionsError(
          SessionsCode.SpendLimitExceeded,
          `moving ${formatAmounts(coins)} out of ${s.granter} would exceed the session's spend limit: ${limit - before}${c.denom} of ${limit}${c.denom} left`,
        );
      }
      spent = withAmount(spent, at, c.denom, before + c.amount);
    }
    u.spent = spent; // a new array when anything changed: the caller's copy of the usage never aliases the ante's
  }

  /**
   * MsgExecSession (signed by the session key): each inner message must be of an allowed type, not
   * a session message, and signed-for by the granter alone; every coin that leaves the granter's
   * account while they run counts against the spend limit. Any violation fails the whole tx.
   */
  exec(ctx: Context, msg: MsgExecSession, route: (any: Any) => RoutedMsg): Any[] {
    const granter = parseAddress(msg.granter);
    const grantee = parseAddress(msg.grantee);
    // The fee the ante took for this session's tx counts first, in the same usage write. The ante's
    // check read this very session moments before (a fee-granted tx holds only its execs, and this is
    // the first): its reading is reused rather than read and decoded again.
    const grant = ctx.feeGrant;
    const countsFee = grant !== undefined && !grant.charged && grant.granter.equals(granter) && grant.payer.equals(grantee);
    const found = countsFee ? (grant.found as LiveSession | undefined) : undefined;
    const { s, u } = found !== undefined ? { s: found.s, u: { spent: found.u.spent, uses: found.u.uses } } : this.live(ctx, granter, grantee, msg);
    if (countsFee) this.charge(s, u, grant.fee);
    const routed: RoutedMsg[] = [];
    for (const any of msg.msgs) {
      if (SESSION_MSGS.has(any.typeUrl)) throw sessionsError(SessionsCode.Escalation, `a session cannot run ${any.typeUrl}`);
      if (!s.allowedMsgs.includes(any.typeUrl))
        throw sessionsError(SessionsCode.MsgNotAllowed, `${any.typeUrl} is outside the session's scope (${s.allowedMsgs.join(", ")})`);
      const r = route(any);
      const signers = r.handler.signers(r.msg);
      if (signers.length !== 1 || !signers[0]!.equals(granter))
        throw sessionsError(SessionsCode.WrongSigner, `${any.typeUrl} must be signed-for by the granter ${msg.granter} alone`);
      routed.push(r);
    }
    const outer = ctx.spendWatch;
    ctx.spendWatch = (address, coins) => {
      outer?.(address, coins);
      if (granter.equals(address)) this.charge(s, u, coins);
    };
    const results: Any[] = [];
    try {
      for (const r of routed) results.push(r.handler.execute(ctx, r.msg));
    } finally {
      ctx.spendWatch = outer;
    }
    u.uses += 1n;
    ctx.events.emit(EVENT_SESSION_EXEC, {
      [ATTR_GRANTER]: msg.granter,
      [ATTR_GRANTEE]: msg.grantee,
      [ATTR_MSGS]: msg.msgs.map((m) => m.typeUrl).join(","),
      [ATTR_SPENT]: u.spent.map((c) => `${c.amount}${c.denom}`).join(","),
    });
    if (s.maxUses > 0n && u.uses >= s.maxUses) this.removeSession(ctx, s, EVENT_SESSION_USED_UP);
    else this.putUsage(ctx, s.id, u);
    if (countsFee) grant.charged = true;
    return results;
  }

  /**
   * The ante's fee grant: `granter` pays the fee of a tx of its session key `payer` when the
   * session allows it and every message of the tx is an exec of that very session; the fee counts
   * against the spend limit (and stays counted even if the messages then fail). Returns what it
   * read, for the tx's first exec to reuse (`FeeGrantUse.found`).
   */
  checkFeeGrant(ctx: Context, granter: Uint8Array, payer: Uint8Array, fee: readonly Amount[], msgs: readonly RoutedMsg[]): LiveSession {
    // Every message must be an exec of this very session (compared by address bytes; the first one's names are then the session's).
    const execs = msgs.map((m) => (m.handler.typeUrl === MSG_EXEC_SESSION ? (m.msg as MsgExecSession) : undefined));
    const first = execs[0];
    const same = (e: MsgExecSession | undefined) =>
      e !== undefined &&
      (e === first ||
        (e.granter === first!.granter && e.grantee === first!.grantee) ||
        (parseAddress(e.granter).equals(granter) && parseAddress(e.grantee).equals(payer)));
    const onlyThisSession =
      first !== undefined && parseAddress(first.granter).equals(granter) && parseAddress(first.grantee).equals(payer) && execs.every(same);
    const { s, u } = this.live(ctx, granter, payer, onlyThisSession ? first : undefined);
    if (!s.feeGrant) throw sessionsError(SessionsCode.FeeGrantNotAllowed, `the session of ${s.granter} with ${s.grantee} does not pay fees`);
    if (!onlyThisSession) throw sessionsError(SessionsCode.FeeGrantNotAllowed, "a session pays only for txs made of MsgExecSession of that session");
    this.charge(s, { spent: u.spent, uses: u.uses }, fee); // only whether it fits: the exec (or countGrantedFee) counts it
    return { s, u };
  }

  /**
   * A granted fee the session's exec did not count (its messages failed): counted alone, with one of
   * the session's uses, as a successful exec counts it (the session paid for the tx either way); the
   * last use removes the session.
   */
  countGrantedFee(ctx: Context, grant: FeeGrantUse): void {
    const s = this.terms(ctx, grant.granter, grant.payer);
    if (s === undefined) return;
    const u = this.usage(ctx, s.id);
    this.charge(s, u, grant.fee);
    u.uses += 1n;
    if (s.maxUses > 0n && u.uses >= s.maxUses) this.removeSession(ctx, s, EVENT_SESSION_USED_UP);
    else this.putUsage(ctx, s.id, u);
  }

  /**
   * End of block: every session whose expiration is at or before the block time is deleted. The
   * expiry index holds only live sessions (revoking or using one up removes its entry), and its key
   * names the granter and grantee, so nothing but the due range of the index is read.
   */
  endBlock(ctx: Context): number {
    const store = ctx.store(keys.STORE);
    const due: Buffer[] = [];
    for (const [k] of store.iterate({ start: keys.expiryPrefix, end: keys.expiryEnd(ctx.blockTimeMs) })) due.push(k);
    for (const key of due) {
      const [granter, grantee] = keys.twoAddresses(key, 9);
      store.delete(keys.sessionKey(granter, grantee));
      store.delete(keys.byGranteeKey(grantee, granter));
      store.delete(keys.usageKey(keys.idOfExpiryKey(key)));
      store.delete(key);
      // Encoded directly: each pair is seen once, so the address memo would only be churned.
      ctx.events.emit(EVENT_SESSION_EXPIRED, { [ATTR_GRANTER]: encodeBech32(BECH32_PREFIX, granter), [ATTR_GRANTEE]: encodeBech32(BECH32_PREFIX, grantee) });
    }
    return due.length;
  }

  /** Reads every session `granter` has made (terms and usage), in key order (by grantee). */
  *sessionsByGranter(ctx: Context, granter: Uint8Array): Generator<Session> {
    for (const [k, v] of ctx.store(keys.STORE).iterate({ prefix: keys.byGranterPrefix(granter) })) {
      const [, grantee] = keys.twoAddresses(k, 1);
      const s = Session.decode(v);
      yield { ...s, granter: bech32Address(granter), grantee: bech32Address(grantee), ...this.usage(ctx, s.id) };
    }
  }

  /** Reads every session `grantee` is the key of (terms and usage), through the by-grantee index, in key order (by granter). */
  *sessionsByGrantee(ctx: Context, grantee: Uint8Array): Generator<Session> {
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix: keys.byGranteePrefix(grantee) })) {
      const [, granter] = keys.twoAddresses(k, 1);
      const s = this.getSession(ctx, granter, grantee);
      if (s !== undefined) yield s;
    }
  }
}
