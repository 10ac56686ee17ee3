// How modules build their state keys: a one-byte prefix, then parts. Addresses are length-prefixed
// (one length byte, as the SDK's address.MustLengthPrefix), numbers are 8-byte big-endian so that
// keys sort by them. One allocation per key: keys are built several times in every tx.

/** A part written as one length byte, then its bytes. */
export interface LengthPrefixed {
  readonly lp: Uint8Array;
}

export type KeyPart = Uint8Array | LengthPrefixed | bigint;

/** Marks `bytes` (an address, at most 255 bytes) to be written length-prefixed. */
export const lp = (bytes: Uint8Array): LengthPrefixed => ({ lp: bytes });

/** The prefix byte followed by each part: raw bytes, length-prefixed bytes, or a u64 big-endian (0 ≤ n < 2^64). */
export function storeKey(prefix: number, ...parts: KeyPart[]): Buffer {
  let size = 1;
  for (const p of parts) size += typeof p === "bigint" ? 8 : p instanceof Uint8Array ? p.length : 1 + p.lp.length;
  const key = Buffer.allocUnsafe(size);
  key[0] = prefix;
  let at = 1;
  for (const p of parts) {
    if (typeof p === "bigint") {
      key.writeBigUInt64BE(p, at); // throws RangeError outside 0 … 2^64-1
      at += 8;
    } else if (p instanceof Uint8Array) {
      key.set(p, at);
      at += p.length;
    } else {
      if (p.lp.length > 255) throw new RangeError(`a length-prefixed key part holds at most 255 bytes, not ${p.lp.length}`);
      key[at] = p.lp.length;
      key.set(p.lp, at + 1);
      at += 1 + p.lp.length;
    }
  }
  return key;
}

/** The 8-byte big-endian form of `n` (0 ≤ n < 2^64). */
export function u64(n: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(n);
  return b;
}

/** Reads back two length-prefixed addresses from a key, starting `skip` bytes in: views into `key`, not copies. */
export function twoAddresses(key: Buffer, skip: number): [Buffer, Buffer] {
  const a = key.subarray(skip + 1, skip + 1 + key[skip]!);
  const at = skip + 1 + a.length;
  const b = key.subarray(at + 1, at + 1 + key[at]!);
  return [a, b];
}
