import { createHash } from "node:crypto";
import { uvarint } from "../../proto/varint";

/** sha256 of the concatenation of the given parts. */
export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** sha256 of the empty string: the root hash of an empty tree. */
export const EMPTY_HASH: Buffer = sha256();

/** Unsigned LEB128 varints (protobuf's, Go's binary.PutUvarint): one implementation, proto/varint.ts. */
export { putUvarint, readUvarint, uvarint } from "../../proto/varint";

/** Signed zig-zag varint (Go's binary.PutVarint), as IAVL writes height, size and version. */
export function zzvarint(n: number): Buffer {
  if (!Number.isSafeInteger(n)) throw new RangeError(`zzvarint: bad value ${n}`);
  return uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
}

/** Length-prefixed bytes (uvarint length, then the bytes), as amino and IAVL write byte slices. */
export function lengthPrefixed(bytes: Uint8Array): Buffer {
  return Buffer.concat([uvarint(bytes.length), bytes]);
}

/**
 * Keys compare as unsigned byte strings. Store keys are short and mostly differ within their first
 * bytes, so a loop in JavaScript beats the call into Buffer.compare's native code; long ones use it.
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  if (n > 64) return Buffer.compare(a, b);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Converts a key to a string whose JS ordering equals the byte ordering (one code unit per byte). */
export function keyString(key: Uint8Array): string {
  // A Buffer converts itself: wrapping it in a new view first costs more than the conversion.
  return (Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength)).toString("latin1");
}

export function keyFromString(s: string): Buffer {
  return Buffer.from(s, "latin1");
}

/**
 * The smallest key greater than every key starting with `prefix`, for prefix iteration;
 * undefined when there is none (the prefix is empty or all 0xff).
 */
export function prefixEnd(prefix: Uint8Array): Buffer | undefined {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

/** A copy of `b` (what the store hands out): allocUnsafe and set cost about a quarter less than Buffer.from(b). */
export function copyOf(b: Uint8Array): Buffer {
  const c = Buffer.allocUnsafe(b.length);
  c.set(b);
  return c;
}

export function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
