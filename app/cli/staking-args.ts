// The arguments and values the staking, slashing and distribution commands share: validator and
// consensus addresses, one coin, decimals (LegacyDec), ed25519 consensus keys, timestamps.
import fs from "node:fs";
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { Amount, parseCoinsText } from "../core/coins";
import { formatDec, parseDecText } from "../core/dec";
import { BECH32_PREFIX, consensusAddress, VALCONS_PREFIX, VALOPER_PREFIX, valoperAddress } from "../core/address";
import { usageError } from "./output";

/** Checks a validator operator address (miravaloper1...); an account address gets a hint. */
export function validatorArg(address: string, command: string): string {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 90);
  } catch (err) {
    throw new Error(`invalid validator address "${address}": ${(err as Error).message}`, { cause: err });
  }
  if (decoded.prefix === BECH32_PREFIX) {
    throw usageError(`invalid validator address "${address}": that is an account address; a validator's starts with ${VALOPER_PREFIX}1`, command);
  }
  if (decoded.prefix !== VALOPER_PREFIX) throw new Error(`invalid validator address "${address}": prefix must be "${VALOPER_PREFIX}", got "${decoded.prefix}"`);
  if (decoded.data.length !== 20) throw new Error(`invalid validator address "${address}": ${decoded.data.length} bytes, expected 20`);
  return address;
}

/** The operator address of the validator whose operator account is `address`: the same 20 bytes. */
export function valoperOf(address: string): string {
  return valoperAddress(fromBech32(address, 90).data);
}

/** CometBFT's address of an ed25519 consensus key (the first 20 bytes of its sha256), as miravalcons1... */
export function valconsOf(consensusKey: Uint8Array): string {
  return toBech32(VALCONS_PREFIX, consensusAddress(consensusKey));
}

/** Exactly one coin, e.g. 1000000umira. */
export function oneCoinArg(text: string, command: string): Amount {
  const coins = parseCoinsText(text);
  if (coins.length !== 1) throw usageError(`expected one coin such as 1000000umira, got "${text}"`, command);
  return coins[0]!;
}

/** A human decimal (0.10) as the protobuf form of a LegacyDec: the integer string of 10^-18 units. */
export function decArg(text: string, flag: string, command: string): string {
  try {
    return parseDecText(text, `--${flag}`).toString();
  } catch (err) {
    throw usageError((err as Error).message, command);
  }
}

/** A LegacyDec's protobuf form (integer atomics, "100000000000000000") as the SDK prints it: "0.100000000000000000". */
export function decText(atomics: string | Uint8Array): string {
  const text = typeof atomics === "string" ? atomics : Buffer.from(atomics).toString("ascii");
  if (!/^-?\d+$/.test(text)) return text;
  return formatDec(BigInt(text));
}

/**
 * An ed25519 consensus key given as its base64 (32 bytes), as the SDK's JSON
 * ({"@type":"/cosmos.crypto.ed25519.PubKey","key":"..."}), or as the path of a CometBFT
 * priv_validator_key.json (its public half).
 */
export function consensusKeyArg(value: string, what: string, command: string): Uint8Array {
  let text = value.trim();
  if (!text.startsWith("{") && fs.existsSync(text)) {
    try {
      text = fs.readFileSync(text, "utf8");
    } catch (err) {
      throw usageError(`cannot read ${what} file "${value}": ${(err as Error).message}`, command);
    }
  }
  const key = text.trim().startsWith("{") ? keyOfJson(text, what, command) : text;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(key);
  } catch {
    throw usageError(`invalid ${what} "${value}": expected the base64 of a 32-byte ed25519 key, or a priv_validator_key.json`, command);
  }
  if (bytes.length !== 32) throw usageError(`invalid ${what} "${value}": an ed25519 key is 32 bytes, got ${bytes.length}`, command);
  return bytes;
}

/** The key in a priv_validator_key.json ({"pub_key":{"type":"tendermint/PubKeyEd25519","value":...}}) or an SDK pubkey JSON. */
function keyOfJson(text: string, what: string, command: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw usageError(`invalid ${what}: not valid JSON`, command);
  }
  const j = json as { pub_key?: { type?: unknown; value?: unknown }; "@type"?: unknown; key?: unknown };
  if (j.pub_key !== undefined) {
    if (j.pub_key.type !== "tendermint/PubKeyEd25519" || typeof j.pub_key.value !== "string") {
      throw usageError(`invalid ${what}: its pub_key is not an ed25519 key (type ${String(j.pub_key.type)})`, command);
    }
    return j.pub_key.value;
  }
  if (j["@type"] === "/cosmos.crypto.ed25519.PubKey" && typeof j.key === "string") return j.key;
  throw usageError(`invalid ${what}: expected a priv_validator_key.json or {"@type":"/cosmos.crypto.ed25519.PubKey","key":"..."}`, command);
}

/** RFC 3339 as the SDK prints times: "2024-05-01T12:00:00.5Z", no trailing zeros in the fraction. */
export function timestampText(t: Timestamp | undefined): string {
  if (t === undefined) return "1970-01-01T00:00:00Z";
  const seconds = new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19);
  const nanos = t.nanos === 0 ? "" : "." + String(t.nanos).padStart(9, "0").replace(/0+$/, "");
  return `${seconds}${nanos}Z`;
}

/** A Duration in its protobuf JSON form: "60s", "1.5s". */
export function durationText(d: Duration | undefined): string {
  if (d === undefined) return "0s";
  const nanos = d.nanos === 0 ? "" : "." + String(d.nanos).padStart(9, "0").replace(/0+$/, "");
  return `${d.seconds}${nanos}s`;
}

/** DecCoins (amounts as LegacyDec atomics) in the SDK's JSON form. */
export function decCoinsJson(coins: readonly { denom: string; amount: string }[]): { denom: string; amount: string }[] {
  return coins.map((c) => ({ denom: c.denom, amount: decText(c.amount) }));
}

/** DecCoins as one line: "12.500000000000000000umira", or "0" when empty. */
export function decCoinsText(coins: readonly { denom: string; amount: string }[]): string {
  return coins.length === 0 ? "0" : coins.map((c) => `${decText(c.amount)}${c.denom}`).join(",");
}
