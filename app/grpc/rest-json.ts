// Protobuf ⇄ JSON as the Cosmos SDK's REST gateway writes and reads it (grpc-gateway with gogoproto's
// jsonpb, OrigName and EmitDefaults): proto field names; every field printed, defaults included
// (null for an absent message, [] for an empty list); 64-bit integers as strings; enums by name;
// bytes as base64; Any inline with "@type"; Timestamp as RFC 3339 and Duration as "1.5s"; and, as
// the SDK's math types print themselves, a LegacyDec as a decimal with 18 places although its wire
// form is the integer of atomics.
import * as protobuf from "protobufjs";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A request the gateway cannot turn into protobuf: the gateway answers 400 (InvalidArgument). */
export class RestInputError extends Error {
  override name = "RestInputError";
}

const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const INT32_TYPES = new Set(["int32", "sint32", "sfixed32"]);
const UINT32_TYPES = new Set(["uint32", "fixed32"]);
const DEC_PRECISION = 18;

type Decoded = Record<string, unknown>;

// ---- protobuf → JSON -------------------------------------------------------------------------------

/** Decodes `bytes` as `type` and prints it as the gateway does. */
export function bytesToJson(type: protobuf.Type, bytes: Uint8Array): Json {
  return messageToJson(type, type.decode(bytes) as unknown as Decoded);
}

export function messageToJson(type: protobuf.Type, msg: Decoded): Json {
  const wkt = WKT_TO_JSON[type.fullName];
  if (wkt) return wkt(type, msg);
  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    const value = msg[field.name];
    // Of a oneof, only the member that is set is printed (jsonpb does the same with EmitDefaults).
    if (field.partOf && (value === undefined || value === null || !Object.prototype.hasOwnProperty.call(msg, field.name))) continue;
    out[field.name] = fieldToJson(field, value);
  }
  return out;
}

function fieldToJson(field: protobuf.Field, value: unknown): Json {
  if (field instanceof protobuf.MapField) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) out[k] = valueToJson(field, v);
    return out;
  }
  if (field.repeated) return ((value as unknown[] | undefined) ?? []).map((v) => valueToJson(field, v));
  return valueToJson(field, value);
}

function valueToJson(field: protobuf.Field, value: unknown): Json {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    const n = Number(value ?? 0);
    return resolved.valuesById[n] ?? n;
  }
  if (resolved instanceof protobuf.Type) {
    if (value === null || value === undefined) {
      // gogoproto's nullable=false fields are Go values, not pointers: jsonpb prints their defaults.
      return field.options?.["(gogoproto.nullable)"] === false ? messageToJson(resolved, resolved.create() as unknown as Decoded) : null;
    }
    return messageToJson(resolved, value as Decoded);
  }
  const customType = field.options?.["(gogoproto.customtype)"] as string | undefined;
  if (customType !== undefined && /(^|\.)(Legacy)?Dec$/.test(customType)) {
    const atomics = field.type === "bytes" ? Buffer.from(value as Uint8Array).toString("utf8") : String(value ?? "");
    return atomicsToDecimal(atomics);
  }
  if (customType !== undefined && /(^|\.)Int$/.test(customType) && field.type === "string") return value === "" || value == null ? "0" : String(value);
  return scalarToJson(field.type, value);
}

function scalarToJson(type: string, value: unknown): Json {
  if (LONG_TYPES.has(type)) return value === undefined || value === null ? "0" : String(value);
  switch (type) {
    case "bytes": {
      // Go's encoding/json prints the nil slice that an absent bytes field decodes to as null (pagination.next_key).
      const bytes = value as Uint8Array | undefined | null;
      return bytes && bytes.length > 0 ? Buffer.from(bytes).toString("base64") : null;
    }
    case "double":
    case "float": {
      const n = Number(value ?? 0);
      return Number.isFinite(n) ? n : Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
    }
    case "bool":
      return Boolean(value);
    case "string":
      return (value as string | undefined) ?? "";
    default:
      return Number(value ?? 0);
  }
}

/** "1500000000000000000" → "1.500000000000000000"; "" → "0.000000000000000000", as LegacyDec.MarshalJSON. */
export function atomicsToDecimal(atomics: string): string {
  const negative = atomics.startsWith("-");
  const digits = (negative ? atomics.slice(1) : atomics) || "0";
  if (!/^\d+$/.test(digits)) return atomics; // not the SDK's wire form: shown as it is
  const padded = digits.padStart(DEC_PRECISION + 1, "0");
  const text = `${padded.slice(0, -DEC_PRECISION)}.${padded.slice(-DEC_PRECISION)}`;
  return negative ? `-${text}` : text;
}

/** RFC 3339 in UTC, the fraction in groups of three digits as protojson writes it. */
export function timestampToJson(seconds: bigint, nanos: number): string {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${seconds}s`;
  const base = date.toISOString().slice(0, 19);
  return `${base}${fraction(nanos)}Z`;
}

function fraction(nanos: number): string {
  if (nanos === 0) return "";
  let text = String(Math.abs(nanos)).padStart(9, "0");
  while (text.endsWith("000")) text = text.slice(0, -3);
  return `.${text}`;
}

type WktToJson = (type: protobuf.Type, msg: Decoded) => Json;

const wrapper: WktToJson = (type, msg) => valueToJson(type.fields.value!, msg.value);

const WKT_TO_JSON: Record<string, WktToJson> = {
  ".google.protobuf.Any": (type, msg) => anyToJson(type, String(msg.type_url ?? ""), (msg.value as Uint8Array | undefined) ?? new Uint8Array()),
  ".google.protobuf.Timestamp": (_t, msg) => timestampToJson(BigInt(String(msg.seconds ?? 0)), Number(msg.nanos ?? 0)),
  ".google.protobuf.Duration": (_t, msg) => {
    const seconds = BigInt(String(msg.seconds ?? 0));
    const nanos = Number(msg.nanos ?? 0);
    const sign = seconds < 0n || nanos < 0 ? "-" : "";
    const abs = seconds < 0n ? -seconds : seconds;
    return `${sign}${abs}${fraction(nanos)}s`;
  },
  ".google.protobuf.Empty": () => ({}),
  ".google.protobuf.DoubleValue": wrapper,
  ".google.protobuf.FloatValue": wrapper,
  ".google.protobuf.Int64Value": wrapper,
  ".google.protobuf.UInt64Value": wrapper,
  ".google.protobuf.Int32Value": wrapper,
  ".google.protobuf.UInt32Value": wrapper,
  ".google.protobuf.BoolValue": wrapper,
  ".google.protobuf.StringValue": wrapper,
  ".google.protobuf.BytesValue": wrapper,
};

function anyToJson(anyType: protobuf.Type, typeUrl: string, value: Uint8Array): Json {
  if (typeUrl === "") return {};
  const inner = lookupTypeUrl(anyType.root, typeUrl);
  // A type this gateway has no schema for: shown with its bytes rather than failing the whole answer.
  if (!inner) return { "@type": typeUrl, value: Buffer.from(value).toString("base64") };
  const json = bytesToJson(inner, value);
  // Well-known types print as a JSON value, so they go under "value", as protojson does.
  if (WKT_TO_JSON[inner.fullName] && inner.fullName !== ".google.protobuf.Any") return { "@type": typeUrl, value: json };
  return { "@type": typeUrl, ...(json as JsonObject) };
}

function lookupTypeUrl(root: protobuf.Namespace, typeUrl: string): protobuf.Type | undefined {
  const name = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
  try {
    const found = root.lookup(`.${name}`);
    return found instanceof protobuf.Type ? found : undefined;
  } catch {
    return undefined;
  }
}

// ---- JSON → protobuf ------------------------------------------------------------------------------

/**
 * A JSON request body (or the object built from path and query parameters) as protobuf bytes of
 * `type`. Field names may be the proto names or their lowerCamelCase JSON names; 64-bit integers
 * strings or numbers; enums names or numbers; bytes base64 (standard or URL-safe). Throws
 * RestInputError on anything else, naming the field.
 */
export function jsonToBytes(type: protobuf.Type, json: unknown): Uint8Array {
  return type.encode(type.fromObject(jsonToObject(type, json, type.name))).finish();
}

/** A JSON object as the plain object protobufjs' fromObject takes, checked field by field. */
export function jsonToObject(type: protobuf.Type, json: unknown, where: string): Record<string, unknown> {
  const wkt = WKT_FROM_JSON[type.fullName];
  if (wkt) return wkt(type, json, where);
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new RestInputError(`${where}: want a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const field = fieldByName(type, key);
    if (!field) throw new RestInputError(`${where}: unknown field ${JSON.stringify(key)} in ${type.fullName.slice(1)}`);
    if (value === null) continue;
    out[field.name] = fieldFromJson(field, value, `${where}.${field.name}`);
  }
  return out;
}

/** A field by its proto name or its JSON (lowerCamelCase) name, as grpc-gateway accepts both. */
export function fieldByName(type: protobuf.Type, name: string): protobuf.Field | undefined {
  const direct = type.fields[name];
  if (direct) return direct;
  return type.fieldsArray.find((f) => camelCase(f.name) === name);
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function fieldFromJson(field: protobuf.Field, value: unknown, where: string): unknown {
  if (field instanceof protobuf.MapField) {
    if (typeof value !== "object" || Array.isArray(value)) throw new RestInputError(`${where}: want a JSON object (a map)`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = valueFromJson(field, v, `${where}[${k}]`);
    return out;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw new RestInputError(`${where}: want a JSON array`);
    return value.map((v, i) => valueFromJson(field, v, `${where}[${i}]`));
  }
  return valueFromJson(field, value, where);
}

/** One value of a field, from JSON or from a query/path parameter's text. */
export function valueFromJson(field: protobuf.Field, value: unknown, where: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && resolved.values[value] !== undefined) return resolved.values[value];
    if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
    throw new RestInputError(`${where}: ${JSON.stringify(value)} is not a value of ${resolved.fullName.slice(1)} (${Object.keys(resolved.values).join(", ")})`);
  }
  if (resolved instanceof protobuf.Type) return jsonToObject(resolved, value, where);
  return scalarFromJson(field.type, value, where);
}

const INT64_TEXT = /^-?\d{1,20}$/;

function scalarFromJson(type: string, value: unknown, where: string): unknown {
  if (LONG_TYPES.has(type) || INT32_TYPES.has(type) || UINT32_TYPES.has(type)) {
    const text = typeof value === "number" && Number.isInteger(value) ? String(value) : typeof value === "string" ? value.trim() : undefined;
    if (text === undefined || !INT64_TEXT.test(text)) throw new RestInputError(`${where}: ${JSON.stringify(value)} is not an integer`);
    const n = BigInt(text);
    const unsigned = type.startsWith("u") || type.startsWith("fixed");
    const bits = LONG_TYPES.has(type) ? 64n : 32n;
    const min = unsigned ? 0n : -(1n << (bits - 1n));
    const max = unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    if (n < min || n > max) throw new RestInputError(`${where}: ${text} is out of range for ${type}`);
    return LONG_TYPES.has(type) ? text : Number(n);
  }
  switch (type) {
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw new RestInputError(`${where}: ${JSON.stringify(value)} is not true or false`);
    case "string":
      if (typeof value !== "string") throw new RestInputError(`${where}: want a string`);
      return value;
    case "bytes":
      return base64Bytes(value, where);
    case "double":
    case "float": {
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      if (Number.isNaN(n) && value !== "NaN") throw new RestInputError(`${where}: ${JSON.stringify(value)} is not a number`);
      return n;
    }
    default:
      throw new RestInputError(`${where}: unsupported field type ${type}`);
  }
}

function base64Bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) throw new RestInputError(`${where}: want base64 bytes`);
  return new Uint8Array(Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

type WktFromJson = (type: protobuf.Type, json: unknown, where: string) => Record<string, unknown>;

const wrapperFrom: WktFromJson = (type, json, where) => ({ value: valueFromJson(type.fields.value!, json, where) });

const WKT_FROM_JSON: Record<string, WktFromJson> = {
  ".google.protobuf.Any": (type, json, where) => {
    if (json === null || typeof json !== "object" || Array.isArray(json)) throw new RestInputError(`${where}: want a JSON object with "@type"`);
    const { "@type": typeUrl, ...rest } = json as Record<string, unknown>;
    if (typeof typeUrl !== "string" || typeUrl === "") throw new RestInputError(`${where}: an Any needs "@type"`);
    const inner = lookupTypeUrl(type.root, typeUrl);
    if (!inner) throw new RestInputError(`${where}: unknown type ${JSON.stringify(typeUrl)}`);
    const body = WKT_FROM_JSON[inner.fullName] ? rest.value : rest;
    return { type_url: typeUrl, value: jsonToBytes(inner, body) };
  },
  ".google.protobuf.Timestamp": (_t, json, where) => {
    const m = typeof json === "string" ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/.exec(json) : null;
    const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
    if (!m || Number.isNaN(ms)) throw new RestInputError(`${where}: ${JSON.stringify(json)} is not an RFC 3339 time`);
    return { seconds: String(Math.floor(ms / 1000)), nanos: m[2] ? Number(m[2].slice(1).padEnd(9, "0")) : 0 };
  },
  ".google.protobuf.Duration": (_t, json, where) => {
    const m = typeof json === "string" ? /^(-)?(\d{1,12})(?:\.(\d{1,9}))?s$/.exec(json) : null;
    if (!m) throw new RestInputError(`${where}: ${JSON.stringify(json)} is not a duration such as "1.5s"`);
    const sign = m[1] ? -1 : 1;
    return { seconds: `${m[1] ?? ""}${m[2]}`, nanos: sign * Number((m[3] ?? "").padEnd(9, "0")) };
  },
  ".google.protobuf.Empty": () => ({}),
  ".google.protobuf.DoubleValue": wrapperFrom,
  ".google.protobuf.FloatValue": wrapperFrom,
  ".google.protobuf.Int64Value": wrapperFrom,
  ".google.protobuf.UInt64Value": wrapperFrom,
  ".google.protobuf.Int32Value": wrapperFrom,
  ".google.protobuf.UInt32Value": wrapperFrom,
  ".google.protobuf.BoolValue": wrapperFrom,
  ".google.protobuf.StringValue": wrapperFrom,
  ".google.protobuf.BytesValue": wrapperFrom,
};

/** Exposed for the route layer: builds a request object field by field before encoding. */
export function objectToBytes(type: protobuf.Type, obj: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(obj)).finish();
}
