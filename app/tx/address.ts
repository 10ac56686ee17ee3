import { createHash } from "node:crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { chainError, SdkCode } from "../errors";

export const BECH32_PREFIX = "mira";

/** Cosmos account address of a secp256k1 key: ripemd160(sha256(compressed pubkey)). */
export function addressBytesOf(pubkey: Uint8Array): Buffer {
  const id = latin1(pubkey);
  let address = pubkeyMemo.get(id);
  if (address === undefined) {
    address = createHash("ripemd160").update(createHash("sha256").update(pubkey).digest()).digest();
    remember(pubkeyMemo, id, address);
  }
  return Buffer.from(address); // callers may keep or change it
}

/**
 * Addresses are encoded, decoded and hashed from keys in every tx (signers, events, accounts),
 * and the same few recur: these pure functions keep their results, within a bound.
 */
const MEMO_MAX = 50_000;
const bech32Memo = new Map<string, string>();
const parsedMemo = new Map<string, Buffer>();
const pubkeyMemo = new Map<string, Buffer>();

function remember<V>(memo: Map<string, V>, id: string, value: V): void {
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(id, value);
}

/** One code unit per byte: a cheap exact Map key for short byte strings. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

export function bech32Address(bytes: Uint8Array, prefix = BECH32_PREFIX): string {
  const id = prefix === BECH32_PREFIX ? latin1(bytes) : `${prefix}:${latin1(bytes)}`;
  let address = bech32Memo.get(id);
  if (address === undefined) {
    address = toBech32(prefix, bytes);
    remember(bech32Memo, id, address);
  }
  return address;
}

/** Decodes a bech32 account address with our prefix, or throws InvalidAddress (code 7). */
export function parseAddress(address: string, prefix = BECH32_PREFIX): Buffer {
  const id = prefix === BECH32_PREFIX ? address : `${prefix}:${address}`;
  let bytes = parsedMemo.get(id);
  if (bytes === undefined) {
    bytes = parseUncached(address, prefix);
    remember(parsedMemo, id, bytes);
  }
  return Buffer.from(bytes); // callers may keep or change it
}

function parseUncached(address: string, prefix: string): Buffer {
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
