// What the claims and sessions query commands share: a module query that maps NotFound to null,
// --limit/--page-key pages, and generated messages shown in the SDK's JSON names or as text records.
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { integerFlag } from "./flags";
import { OutputFormat, printJson, printLine, printNotice, printRecords, usageError } from "./output";
import { nullWhenNotFound, withQueryClient } from "./query-client";

/** One query method at `height`; null when the chain answers NotFound. */
export async function queryMethod<T>(
  node: string,
  height: number | undefined,
  method: string,
  request: Uint8Array,
  decode: (bytes: Uint8Array) => T,
): Promise<T | null> {
  const res = await withQueryClient(node, height, (client) => client.queryAbci(method, request).catch(nullWhenNotFound));
  return res === null ? null : decode(res.value);
}

// ---------------------------------------------------------------------------------------------
// pages

export const PAGE_FLAGS = {
  limit: { type: "string" },
  "page-key": { type: "string" },
} as const;

export const PAGE_FLAGS_HELP = `      --limit N                    at most N results (default: the chain's, 100)
      --page-key KEY               the page after a previous one: its next_key`;

export function pageRequest(limitText: string | undefined, pageKey: string | undefined, command: string): PageRequest {
  const limit = integerFlag(limitText, "limit", command);
  if (limit === 0) throw usageError("--limit must be 1 or more", command);
  let key = new Uint8Array();
  if (pageKey !== undefined) {
    try {
      key = fromBase64(pageKey);
    } catch {
      throw usageError(`--page-key must be the base64 next_key of a previous page, got "${pageKey}"`, command);
    }
  }
  return { key, offset: 0n, limit: BigInt(limit ?? 0), countTotal: false, reverse: false };
}

/** A page in the SDK's JSON (items under `name`, and pagination), or as records with a hint for the next page. */
export function printPage(name: string, items: JsonObject[], page: PageResponse | undefined, output: OutputFormat, none: string): void {
  const nextKey = page === undefined || page.nextKey.length === 0 ? null : toBase64(page.nextKey);
  if (output === "json") {
    printJson({ [name]: items, pagination: { next_key: nextKey, total: (page?.total ?? 0n).toString() } });
    return;
  }
  if (items.length === 0) printLine(none);
  else printRecords(items.map(textRecord));
  if (nextKey !== null) printNotice(`more: add --page-key ${nextKey}`);
}

// ---------------------------------------------------------------------------------------------
// JSON and text

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A generated type's toJSON (camelCase names) in the SDK's JSON names (the proto's snake_case ones). */
export function sdkObject(value: object): JsonObject {
  const out: JsonObject = {};
  for (const [name, field] of Object.entries(value)) {
    if (field !== undefined) out[name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())] = sdkValue(field);
  }
  return out;
}

function sdkValue(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(sdkValue);
  if (typeof value === "object" && value !== null) return sdkObject(value);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return null;
}

/** One record line per field: lists joined by commas, coins as 1000umira, anything nested as compact JSON. */
export function textRecord(json: JsonObject): Record<string, string> {
  return Object.fromEntries(Object.entries(json).map(([name, value]) => [name, textValue(value)]));
}

function textValue(value: JsonValue): string {
  if (value === null) return "none";
  if (Array.isArray(value)) {
    if (value.length === 0) return "none";
    return value.every((v) => typeof v !== "object" || v === null || isCoin(v)) ? value.map(textValue).join(",") : JSON.stringify(value);
  }
  if (typeof value === "object") return isCoin(value) ? `${value.amount}${value.denom}` : JSON.stringify(value);
  return String(value);
}

function isCoin(value: JsonValue): value is { denom: string; amount: string } {
  return isJsonObject(value) && Object.keys(value).length === 2 && typeof value.denom === "string" && typeof value.amount === "string";
}
