/** Every state key of the bank module, in one place. */
import { lp, storeKey } from "../../app/core/store-keys";

export const STORE = "bank";

const SUPPLY = 0x00;
const DENOM_METADATA = 0x01;
const BALANCE = 0x02;
const PARAMS = 0x05;

export function balanceKey(address: Uint8Array, denom: string): Buffer {
  return storeKey(BALANCE, lp(address), Buffer.from(denom));
}

export function balancesPrefix(address: Uint8Array): Buffer {
  return storeKey(BALANCE, lp(address));
}

export function supplyKey(denom: string): Buffer {
  return storeKey(SUPPLY, Buffer.from(denom));
}

export const supplyPrefix = Buffer.of(SUPPLY);

export function denomMetadataKey(denom: string): Buffer {
  return storeKey(DENOM_METADATA, Buffer.from(denom));
}

export const denomMetadataPrefix = Buffer.of(DENOM_METADATA);

/** The bank params (cosmos.bank.v1beta1.Params). */
export const paramsKey = Buffer.of(PARAMS);
