/** Every state key of the slashing module, in one place. */
import { lp, storeKey } from "../../app/core/store-keys";

export const STORE = "slashing";

const PARAMS = 0x01;
const SIGNING_INFO = 0x02;
const MISSED = 0x03;

export const PRESENT = Buffer.of(1);
export const paramsKey = Buffer.of(PARAMS);
export const signingInfoPrefix = Buffer.of(SIGNING_INFO);
export const signingInfoKey = (cons: Uint8Array): Buffer => storeKey(SIGNING_INFO, lp(cons));
/** A block the validator missed, by its index in the signing window (absent = signed). */
export const missedPrefix = (cons: Uint8Array): Buffer => storeKey(MISSED, lp(cons));
export const missedKey = (cons: Uint8Array, index: bigint): Buffer => storeKey(MISSED, lp(cons), index);
