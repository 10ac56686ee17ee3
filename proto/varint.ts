// Protobuf varints written straight into a buffer (sizes first, then bytes), for the hand-written
// encoders of hot messages: accounts (modules/auth/keeper.ts), FinalizeBlock answers
// (abci/encode.ts), ABCI frames, vote-extension sign bytes and the store's encodings (app/store).

/** Bytes of `n` (a non-negative safe integer) as an unsigned varint. */
export function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    len++;
  }
  return len;
}

/** An unsigned varint (protobuf's, Go's binary.PutUvarint) as its own buffer. */
export function uvarint(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint: bad value ${n}`);
  const out = Buffer.allocUnsafe(uvarintLength(n));
  putUvarint(out, 0, n);
  return out;
}

/** Writes an unsigned varint into `buf` at `off`; returns the offset after it. */
export function putUvarint(buf: Uint8Array, off: number, n: number): number {
  while (n >= 0x80) {
    buf[off++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[off++] = n;
  return off;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Bytes of an int64/uint64 field's varint: two's complement on 64 bits (10 bytes when negative). */
export function int64Length(v: bigint): number {
  if (v >= 0n && v <= MAX_SAFE) return uvarintLength(Number(v));
  let u = BigInt.asUintN(64, v);
  let len = 1;
  while (u >= 0x80n) {
    u >>= 7n;
    len++;
  }
  return len;
}

/** Writes an int64/uint64 field's varint at `off`; returns the offset after it. */
export function putInt64(buf: Uint8Array, off: number, v: bigint): number {
  if (v >= 0n && v <= MAX_SAFE) return putUvarint(buf, off, Number(v));
  let u = BigInt.asUintN(64, v);
  while (u >= 0x80n) {
    buf[off++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[off++] = Number(u);
  return off;
}
