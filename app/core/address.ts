import { createHash } from "node:crypto";
import { fromBech32 } from "@cosmjs/encoding";
import { chainError, SdkCode } from "./errors";
import { BoundedMemo, latin1Key } from "./memo";

export const BECH32_PREFIX = "mira";
export const VALOPER_PREFIX = "miravaloper";
export const VALCONS_PREFIX = "miravalcons";

/** Cosmos account address of a secp256k1 key: ripemd160(sha256(compressed pubkey)). */
export function addressBytesOf(pubkey: Uint8Array): Buffer {
  const id = latin1Key(pubkey);
  let address = pubkeyMemo.get(id);
  if (address === undefined) {
    address = createHash("ripemd160").update(createHash("sha256").update(pubkey).digest()).digest();
    pubkeyMemo.set(id, address);
  }
  return Buffer.from(address); // callers may keep or change it
}

/**
 * Addresses are encoded, decoded and hashed from keys in every tx (signers, events, accounts),
 * and the same few recur: these pure functions keep their results, within a bound.
 */
const MEMO_MAX = 50_000;
const bech32Memo = new BoundedMemo<string>(MEMO_MAX);
const parsedMemo = new BoundedMemo<Buffer>(MEMO_MAX);
const pubkeyMemo = new BoundedMemo<Buffer>(MEMO_MAX);

export function bech32Address(bytes: Uint8Array, prefix = BECH32_PREFIX): string {
  const id = prefix === BECH32_PREFIX ? latin1Key(bytes) : `${prefix}:${latin1Key(bytes)}`;
  let address = bech32Memo.get(id);
  if (address === undefined) {
    address = encodeBech32(prefix, bytes);
    bech32Memo.set(id, address);
  }
  return address;
}

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymodStep(chk: number, value: number): number {
  const top = chk >>> 25;
  chk = ((chk & 0x1ffffff) << 5) ^ value;
  for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  return chk;
}

/** The checksum state after a prefix's expansion (BIP-173), computed once per prefix. */
const prefixStates = new Map<string, number>();

function prefixState(prefix: string): number {
  let chk = prefixStates.get(prefix);
  if (chk === undefined) {
    chk = 1;
    for (let i = 0; i < prefix.length; i++) chk = polymodStep(chk, prefix.charCodeAt(i) >> 5);
    chk = polymodStep(chk, 0);
    for (let i = 0; i < prefix.length; i++) chk = polymodStep(chk, prefix.charCodeAt(i) & 31);
    prefixStates.set(prefix, chk);
  }
  return chk;
}

/**
 * Bech32 (BIP-173, as Cosmos addresses use it) of `data` under a lowercase prefix: the same string
 * as @cosmjs/encoding's toBech32 (checked by a test on random inputs), without its generic word
 * arrays. Addresses are encoded in every tx's events and in every block's end (expiries).
 */
export function encodeBech32(prefix: string, data: Uint8Array): string {
  let chk = prefixState(prefix);
  let out = prefix + "1";
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    acc = ((acc << 8) | data[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      const v = (acc >>> bits) & 31;
      chk = polymodStep(chk, v);
      out += CHARSET[v]!;
    }
  }
  if (bits > 0) {
    const v = (acc << (5 - bits)) & 31;
    chk = polymodStep(chk, v);
    out += CHARSET[v]!;
  }
  for (let i = 0; i < 6; i++) chk = polymodStep(chk, 0);
  chk ^= 1;
  for (let i = 0; i < 6; i++) out += CHARSET[(chk >>> (5 * (5 - i))) & 31]!;
  if (out.length > 90) throw chainError(SdkCode.InvalidAddress, `a bech32 string of ${out.length} characters exceeds the limit of 90`);
  return out;
}

/** Decodes a bech32 account address with our prefix, or throws InvalidAddress (code 7). */
export function parseAddress(address: string, prefix = BECH32_PREFIX): Buffer {
  const id = prefix === BECH32_PREFIX ? address : `${prefix}:${address}`;
  let bytes = parsedMemo.get(id);
  if (bytes === undefined) {
    bytes = parseUncached(address, prefix);
    parsedMemo.set(id, bytes);
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

/** A validator operator's address (miravaloper1...). */
export function valoperAddress(operator: Uint8Array): string {
  return bech32Address(operator, VALOPER_PREFIX);
}

/** The operator bytes of a miravaloper1... address; throws InvalidAddress. */
export function parseValoper(address: string): Buffer {
  return parseAddress(address, VALOPER_PREFIX);
}

/** CometBFT's address of an ed25519 consensus key: the first 20 bytes of its sha256. */
export function consensusAddress(key: Uint8Array): Buffer {
  return createHash("sha256").update(key).digest().subarray(0, 20);
}
