/** Every state key of the auth module, in one place. */
import { storeKey } from "../../app/core/store-keys";

export const STORE = "auth";

const ACCOUNT = 0x01;
const NEXT_ACCOUNT_NUMBER = Buffer.of(0x02);
const PARAMS = Buffer.of(0x03);
const MIN_GAS_PRICE = Buffer.of(0x04);
const CHAIN_ID = Buffer.of(0x05);

export function accountKey(address: Uint8Array): Buffer {
  return storeKey(ACCOUNT, address);
}

export const accountPrefix = Buffer.of(ACCOUNT);
export const nextAccountNumberKey = NEXT_ACCOUNT_NUMBER;
export const paramsKey = PARAMS;
export const minGasPriceKey = MIN_GAS_PRICE;
export const chainIdKey = CHAIN_ID;
