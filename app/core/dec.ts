/**
 * The Cosmos SDK's LegacyDec: a decimal with 18 fractional digits, carried on the wire (protobuf)
 * as the integer string of its "atomics" (value × 10^18), e.g. a 10% commission is
 * "100000000000000000". Held here as a bigint of atomics; no floats.
 */
import { chainError, SdkCode } from "./errors";

export const DEC_PRECISION = 10n ** 18n;
export const ONE_DEC = DEC_PRECISION;

/** Parses the protobuf form (integer atomics), refusing anything else. */
export function parseDecAtomics(text: string, what: string): bigint {
  if (!/^-?[0-9]{1,80}$/.test(text)) {
    throw chainError(
      SdkCode.InvalidRequest,
      `${what} "${text}" is not a decimal in its protobuf form (an integer of 10^-18 units, e.g. "100000000000000000" for 0.1)`,
    );
  }
  return BigInt(text);
}

/** The human form, as SDK events and logs print it: "0.100000000000000000". */
export function formatDec(atomics: bigint): string {
  const neg = atomics < 0n;
  const abs = neg ? -atomics : atomics;
  const int = abs / DEC_PRECISION;
  const frac = (abs % DEC_PRECISION).toString().padStart(18, "0");
  return `${neg ? "-" : ""}${int}.${frac}`;
}

/** a × b / c, rounded down (all non-negative). */
export function mulDivFloor(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b) / c;
}

/** a × b / c, rounded up (all non-negative). */
export function mulDivCeil(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b + c - 1n) / c;
}

/** Parses the text form ("0.05", "1", "0.100000000000000000") as genesis files and CLIs write it. */
export function parseDecText(text: string, what: string): bigint {
  const m = /^([0-9]{1,60})(?:\.([0-9]{1,18}))?$/.exec(text.trim());
  if (!m) throw chainError(SdkCode.InvalidRequest, `${what} "${text}" is not a decimal such as 0.05`);
  return BigInt(m[1]!) * DEC_PRECISION + BigInt((m[2] ?? "").padEnd(18, "0"));
}

/** LegacyDec in a protobuf `bytes` field: the ASCII of its atomics, as the SDK's Marshal writes it. */
export function decBytes(atomics: bigint): Uint8Array {
  return Buffer.from(atomics.toString(), "ascii");
}

export function decFromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(Buffer.from(bytes).toString("ascii"));
}
