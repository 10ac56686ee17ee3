// Protobuf varints written straight into a buffer (sizes first, then bytes), and read back, for the
// hand-written encoders and decoders of hot messages: accounts (modules/auth/keeper.ts), FinalizeBlock answers
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

/** Reads an unsigned varint at `offset`; returns the value and the offset after it. */
export function readUvarint(buf: Uint8Array, offset: number): [number, number] {
  let result = 0;
  let scale = 1;
  for (let i = offset; i < buf.length; i++) {
    const b = buf[i]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) return [result, i + 1];
    scale *= 0x80;
    if (scale > 2 ** 56) break;
  }
  throw new RangeError("readUvarint: truncated or overlong varint");
}
