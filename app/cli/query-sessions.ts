// `mirad query sessions session|by-granter|by-grantee|params`, over the sessions module's gRPC query methods.
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { Params, Session } from "../../proto/gen/mira/sessions/v1/sessions";
import {
  QueryMethods,
  QueryParamsRequest,
  QueryParamsResponse,
  QuerySessionRequest,
  QuerySessionResponse,
  QuerySessionsByGranteeRequest,
  QuerySessionsByGranteeResponse,
  QuerySessionsByGranterRequest,
  QuerySessionsByGranterResponse,
} from "../../proto/gen/mira/sessions/v1/query";
import { parseAddress } from "../tx/address";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { OutputFormat, parseOutputFormat, printJson, printLine, printNotice, printRecords, usageError } from "./output";
import { nullWhenNotFound, QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler, withQueryClient } from "./query";
import { durationText, timestampText } from "./staking-args";

const PAGE_FLAGS = {
  limit: { type: "string" },
  "page-key": { type: "string" },
} as const;

const PAGE_FLAGS_HELP = `      --limit N                    at most N results (default: the chain's, 100)
      --page-key KEY               the page after a previous one: its next_key`;

const SESSION_HELP = `The session of <granter> with <session-key>: the message types it allows, its spend limit and what it has
spent (fees included), its expiration block time, its uses (and the most allowed, 0: no limit), whether the granter
pays the session key's fees.

Usage: mirad query sessions session <granter> <session-key> [flags]

${QUERY_FLAGS_HELP}`;

const BY_GRANTER_HELP = `The live sessions <granter> created (not revoked, expired or used up), one page at a time.

Usage: mirad query sessions by-granter <granter> [--limit N] [--page-key KEY] [flags]

${PAGE_FLAGS_HELP}
${QUERY_FLAGS_HELP}`;

const BY_GRANTEE_HELP = `The live sessions <session-key> holds, of every granter, one page at a time.

Usage: mirad query sessions by-grantee <session-key> [--limit N] [--page-key KEY] [flags]

${PAGE_FLAGS_HELP}
${QUERY_FLAGS_HELP}`;

const PARAMS_HELP = `The sessions module's parameters: the longest a session may last from its creation, and the most message
types one session may allow.

Usage: mirad query sessions params [flags]

${QUERY_FLAGS_HELP}`;

export const COMMANDS: Readonly<Record<string, QueryHandler>> = {
  session: sessionCommand,
  "by-granter": byGranterCommand,
  "by-grantee": byGranteeCommand,
  params: paramsCommand,
};

async function sessionCommand(args: string[]): Promise<number> {
  const command = "query sessions session";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(SESSION_HELP);
  const [granter, grantee] = positionalArguments(flags.positionals, ["granter", "session-key"], command);
  parseAddress(granter);
  parseAddress(grantee);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const request = QuerySessionRequest.encode({ granter, grantee }).finish();
  const session = (await querySessions(flags.values.node, height, QueryMethods.Session, request, QuerySessionResponse.decode))?.session;
  if (session === undefined) {
    throw new Error(`no session of ${granter} with ${grantee}: never created, or revoked, expired or used up; 'mirad query sessions by-granter ${granter}' lists the live ones`);
  }
  const json = sessionJson(session);
  if (output === "json") printJson({ session: json });
  else printRecords([textRecord(json)]);
  return 0;
}

async function byGranterCommand(args: string[]): Promise<number> {
  const command = "query sessions by-granter";
  const flags = parseFlags(args, { ...QUERY_FLAGS, ...PAGE_FLAGS }, command);
  if (flags.values.help === true) return printHelp(BY_GRANTER_HELP);
  const [granter] = positionalArguments(flags.positionals, ["granter"], command);
  parseAddress(granter);
  const pagination = pageRequest(flags.values.limit, flags.values["page-key"], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const request = QuerySessionsByGranterRequest.encode({ granter, pagination }).finish();
  const res = await querySessions(flags.values.node, height, QueryMethods.SessionsByGranter, request, QuerySessionsByGranterResponse.decode);
  printPage((res?.sessions ?? []).map(sessionJson), res?.pagination, output, `No live sessions created by ${granter}.`);
  return 0;
}

async function byGranteeCommand(args: string[]): Promise<number> {
  const command = "query sessions by-grantee";
  const flags = parseFlags(args, { ...QUERY_FLAGS, ...PAGE_FLAGS }, command);
  if (flags.values.help === true) return printHelp(BY_GRANTEE_HELP);
  const [grantee] = positionalArguments(flags.positionals, ["session-key"], command);
  parseAddress(grantee);
  const pagination = pageRequest(flags.values.limit, flags.values["page-key"], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const request = QuerySessionsByGranteeRequest.encode({ grantee, pagination }).finish();
  const res = await querySessions(flags.values.node, height, QueryMethods.SessionsByGrantee, request, QuerySessionsByGranteeResponse.decode);
  printPage((res?.sessions ?? []).map(sessionJson), res?.pagination, output, `No live sessions held by ${grantee}.`);
  return 0;
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query sessions params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const res = await querySessions(flags.values.node, height, QueryMethods.Params, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode);
  if (res?.params === undefined) throw new Error("the node answered without the sessions parameters");
  // A Duration's JSON is "2592000s", as the SDK writes it.
  const json = { ...sdkObject(Params.toJSON(res.params)), max_duration: durationText(res.params.maxDuration) };
  if (output === "json") printJson({ params: json });
  else printRecords([textRecord(json)]);
  return 0;
}

/** One of the sessions module's query methods at `height`; null when the chain answers NotFound. */
async function querySessions<T>(node: string, height: number | undefined, method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): Promise<T | null> {
  const res = await withQueryClient(node, height, (client) => client.queryAbci(method, request).catch(nullWhenNotFound));
  return res === null ? null : decode(res.value);
}

// ---------------------------------------------------------------------------------------------
// pages (as query-claims' list commands)

function pageRequest(limitText: string | undefined, pageKey: string | undefined, command: string): PageRequest {
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

/** A page in the SDK's JSON (sessions and pagination), or as records with a hint for the next page. */
function printPage(sessions: JsonObject[], page: PageResponse | undefined, output: OutputFormat, none: string): void {
  const nextKey = page === undefined || page.nextKey.length === 0 ? null : toBase64(page.nextKey);
  if (output === "json") {
    printJson({ sessions, pagination: { next_key: nextKey, total: (page?.total ?? 0n).toString() } });
    return;
  }
  if (sessions.length === 0) printLine(none);
  else printRecords(sessions.map(textRecord));
  if (nextKey !== null) printNotice(`more: add --page-key ${nextKey}`);
}

// ---------------------------------------------------------------------------------------------
// JSON and text

type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
type JsonObject = { [key: string]: JsonValue };

/** A session in the SDK's JSON: snake_case names, 64-bit integers as strings, the expiration in RFC 3339. */
function sessionJson(s: Session): JsonObject {
  return { ...sdkObject(Session.toJSON(s)), expiration: timestampText(s.expiration) };
}

/** A generated type's toJSON (camelCase names) in the SDK's JSON names (the proto's snake_case ones). */
function sdkObject(value: object): JsonObject {
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
function textRecord(json: JsonObject): Record<string, string> {
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
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 2 && typeof value.denom === "string" && typeof value.amount === "string";
}
