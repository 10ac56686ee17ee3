import { createHash } from "node:crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { chainError, SdkCode } from "../errors";

export const BECH32_PREFIX = "mira";

/** Cosmos account address of a secp256k1 key: ripemd160(sha256(compressed pubkey)). */
export function addressBytesOf(pubkey: Uint8Array): Buffer {
  return createHash("ripemd160").update(createHash("sha256").update(pubkey).digest()).digest();
}

/** Encoding addresses is costly and the same few recur in every block's events and accounts. */
const bech32Memo = new Map<string, string>();
const BECH32_MEMO_MAX = 50_000;

export function bech32Address(bytes: Uint8Array, prefix = BECH32_PREFIX): string {
  const id = `${prefix}:${Buffer.from(bytes).toString("hex")}`;
  let address = bech32Memo.get(id);
  if (address === undefined) {
    address = toBech32(prefix, bytes);
    if (bech32Memo.size >= BECH32_MEMO_MAX) bech32Memo.clear();
    bech32Memo.set(id, address);
  }
  return address;
}

/** Decodes a bech32 account address with our prefix, or throws InvalidAddress (code 7). */
export function parseAddress(address: string, prefix = BECH32_PREFIX): Buffer {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 90);
  } catch (err) {
    throw chainError(SdkCode.InvalidAddress, `invalid address "${address}": ${(err as Error).message}`);
  }
  if (decoded.prefix !== prefix) {
    throw chainError(SdkCode.InvalidAddress, `invalid address "${address}": prefix must be "${prefix}", got "${decoded.prefix}"`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw chainError(SdkCode.InvalidAddress, `invalid address "${address}": ${decoded.data.length} bytes, expected 20 or 32`);
  }
  return Buffer.from(decoded.data);
}
