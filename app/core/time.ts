// Protobuf Timestamps and Durations as the keepers count time: integer milliseconds (bigint) of
// block time. Sub-millisecond nanos are dropped, the same way everywhere.

/** A Timestamp (or Duration) in milliseconds; an absent one is 0. */
export function millis(t: { seconds: bigint; nanos: number } | undefined): bigint {
  return t === undefined ? 0n : t.seconds * 1000n + BigInt(Math.floor(t.nanos / 1_000_000));
}

/** A Duration in milliseconds. */
export function durationMs(d: { seconds: bigint; nanos: number }): bigint {
  return millis(d);
}

/** Milliseconds as a Timestamp. */
export function timestamp(ms: bigint): { seconds: bigint; nanos: number } {
  return { seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1_000_000 };
}
