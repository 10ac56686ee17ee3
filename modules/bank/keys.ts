/** Every state key of the bank module, in one place. */
export const STORE = "bank";

const SUPPLY = 0x00;
const DENOM_METADATA = 0x01;
const BALANCE = 0x02;

function addressPrefix(address: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(BALANCE, address.length), address]);
}

export function balanceKey(address: Uint8Array, denom: string): Buffer {
  return Buffer.concat([addressPrefix(address), Buffer.from(denom)]);
}

export function balancesPrefix(address: Uint8Array): Buffer {
  return addressPrefix(address);
}

export function supplyKey(denom: string): Buffer {
  return Buffer.concat([Buffer.of(SUPPLY), Buffer.from(denom)]);
}

export const supplyPrefix = Buffer.of(SUPPLY);

export function denomMetadataKey(denom: string): Buffer {
  return Buffer.concat([Buffer.of(DENOM_METADATA), Buffer.from(denom)]);
}

export const denomMetadataPrefix = Buffer.of(DENOM_METADATA);
