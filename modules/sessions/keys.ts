/** Every state key of the sessions module, in one place. */
import { lp, storeKey } from "../../app/core/store-keys";
export { twoAddresses } from "../../app/core/store-keys";

export const STORE = "sessions";

const PARAMS = 0x01;
const NEXT_ID = 0x02;
const SESSION = 0x10;
const BY_GRANTEE = 0x11;
const EXPIRY = 0x12;
const USAGE = 0x13;

export const PRESENT = Buffer.of(1);

export const paramsKey = Buffer.of(PARAMS);
export const nextIdKey = Buffer.of(NEXT_ID);
/** What a session has spent and how often it was used, by session id (short: rewritten at every use). */
export const usageKey = (id: bigint): Buffer => storeKey(USAGE, id);
/** The session of granter with grantee; the prefix lists a granter's sessions. */
export const byGranterPrefix = (granter: Uint8Array): Buffer => storeKey(SESSION, lp(granter));
export const sessionKey = (granter: Uint8Array, grantee: Uint8Array): Buffer => storeKey(SESSION, lp(granter), lp(grantee));
/** Index of a session key's sessions: grantee, then granter. */
export const byGranteePrefix = (grantee: Uint8Array): Buffer => storeKey(BY_GRANTEE, lp(grantee));
export const byGranteeKey = (grantee: Uint8Array, granter: Uint8Array): Buffer => storeKey(BY_GRANTEE, lp(grantee), lp(granter));
/**
 * Sessions ordered by expiration (unix ms), so that end of block deletes the expired ones without a
 * scan; the key names everything the deletion needs (granter, grantee, id), so it reads nothing else.
 */
export const expiryPrefix = Buffer.of(EXPIRY);
export const expiryKey = (expiresMs: bigint, granter: Uint8Array, grantee: Uint8Array, id: bigint): Buffer =>
  storeKey(EXPIRY, expiresMs, lp(granter), lp(grantee), id);
export const idOfExpiryKey = (key: Buffer): bigint => key.readBigUInt64BE(key.length - 8);
/** The first key after every expiry at or before `ms`. */
export const expiryEnd = (ms: bigint): Buffer => storeKey(EXPIRY, ms + 1n);
