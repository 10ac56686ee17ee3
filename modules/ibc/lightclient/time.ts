// Protobuf Timestamps and Durations in nanoseconds (bigint). The light client compares CometBFT block
// times to the nanosecond, as ibc-go does; app/core/time.ts counts milliseconds and drops the rest.

/** A Timestamp (or Duration) in nanoseconds; an absent one is 0. */
export function nanos(t: { seconds: bigint; nanos: number } | undefined): bigint {
  return t === undefined ? 0n : t.seconds * 1_000_000_000n + BigInt(t.nanos);
}

/** Nanoseconds as a Timestamp (nanos always in [0, 1e9), as protobuf requires, also before 1970). */
export function timestampFromNanos(ns: bigint): { seconds: bigint; nanos: number } {
  let seconds = ns / 1_000_000_000n;
  let rest = ns % 1_000_000_000n;
  if (rest < 0n) {
    seconds -= 1n;
    rest += 1_000_000_000n;
  }
  return { seconds, nanos: Number(rest) };
}

/** Nanoseconds as RFC 3339 UTC with all nine digits, for error messages. */
export function formatNanos(ns: bigint): string {
  const t = timestampFromNanos(ns);
  const date = new Date(Number(t.seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${ns} ns since 1970`; // beyond what Date can print
  return `${date.toISOString().slice(0, 19)}.${String(t.nanos).padStart(9, "0")}Z`;
}
