// `mirad query sessions session|by-granter|by-grantee|params`, over the sessions module's gRPC query methods.
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
import { parseAddress } from "../core/address";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { parseOutputFormat, printJson, printRecords } from "./output";
import { QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler } from "./query-client";
import { JsonObject, PAGE_FLAGS, PAGE_FLAGS_HELP, pageRequest, printPage, queryMethod, sdkObject, textRecord } from "./query-records";
import { durationText, timestampText } from "./staking-args";

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
  const session = (await queryMethod(flags.values.node, height, QueryMethods.Session, request, QuerySessionResponse.decode))?.session;
  if (session === undefined) {
    throw new Error(
      `no session of ${granter} with ${grantee}: never created, or revoked, expired or used up; 'mirad query sessions by-granter ${granter}' lists the live ones`,
    );
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
  const res = await queryMethod(flags.values.node, height, QueryMethods.SessionsByGranter, request, QuerySessionsByGranterResponse.decode);
  printPage("sessions", (res?.sessions ?? []).map(sessionJson), res?.pagination, output, `No live sessions created by ${granter}.`);
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
  const res = await queryMethod(flags.values.node, height, QueryMethods.SessionsByGrantee, request, QuerySessionsByGranteeResponse.decode);
  printPage("sessions", (res?.sessions ?? []).map(sessionJson), res?.pagination, output, `No live sessions held by ${grantee}.`);
  return 0;
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query sessions params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const res = await queryMethod(flags.values.node, height, QueryMethods.Params, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode);
  if (res?.params === undefined) throw new Error("the node answered without the sessions parameters");
  // A Duration's JSON is "2592000s", as the SDK writes it.
  const json = { ...sdkObject(Params.toJSON(res.params)), max_duration: durationText(res.params.maxDuration) };
  if (output === "json") printJson({ params: json });
  else printRecords([textRecord(json)]);
  return 0;
}

/** A session in the SDK's JSON: snake_case names, 64-bit integers as strings, the expiration in RFC 3339. */
function sessionJson(s: Session): JsonObject {
  return { ...sdkObject(Session.toJSON(s)), expiration: timestampText(s.expiration) };
}
