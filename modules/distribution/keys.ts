/** Every state key of the distribution module, in one place. Addresses are length-prefixed. */
import { lp, storeKey } from "../../app/core/store-keys";

export const STORE = "distribution";

const PARAMS = 0x09;
const FEE_POOL = 0x00;
const OUTSTANDING = 0x02;
const WITHDRAW_ADDR = 0x03;
const STARTING_INFO = 0x04;
const HISTORICAL = 0x05;
const CURRENT = 0x06;
const COMMISSION = 0x07;
const SLASH_EVENT = 0x08;

export const PRESENT = Buffer.of(1);
export const paramsKey = Buffer.of(PARAMS);
export const feePoolKey = Buffer.of(FEE_POOL);
export const outstandingKey = (v: Uint8Array): Buffer => storeKey(OUTSTANDING, lp(v));
export const withdrawAddrKey = (d: Uint8Array): Buffer => storeKey(WITHDRAW_ADDR, lp(d));
export const startingInfoKey = (v: Uint8Array, d: Uint8Array): Buffer => storeKey(STARTING_INFO, lp(v), lp(d));
export const historicalPrefix = (v: Uint8Array): Buffer => storeKey(HISTORICAL, lp(v));
export const historicalKey = (v: Uint8Array, period: bigint): Buffer => storeKey(HISTORICAL, lp(v), period);
export const currentKey = (v: Uint8Array): Buffer => storeKey(CURRENT, lp(v));
export const commissionKey = (v: Uint8Array): Buffer => storeKey(COMMISSION, lp(v));
/** Slash events of a validator by height (and a sequence for several in one block). */
export const slashEventPrefix = (v: Uint8Array): Buffer => storeKey(SLASH_EVENT, lp(v));
export const slashEventKey = (v: Uint8Array, height: bigint, seq: bigint): Buffer => storeKey(SLASH_EVENT, lp(v), height, seq);
export const slashEventsUntil = (v: Uint8Array, height: bigint): Buffer => storeKey(SLASH_EVENT, lp(v), height + 1n);
export const slashEventsFrom = (v: Uint8Array, height: bigint): Buffer => storeKey(SLASH_EVENT, lp(v), height);
