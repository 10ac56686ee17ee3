// `mirad tx sessions create|revoke|exec`: a granter lets a session key run listed messages for it
// (within a spend limit, fees included, until a block time), ends that at once, or, as the session
// key, runs messages for the granter, its fee paid by the granter with --fee-granted.
import type { EncodeObject, GeneratedType } from "@cosmjs/proto-signing";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { MSG_CREATE_SESSION_URL, MSG_EXEC_SESSION_URL, MSG_REVOKE_SESSION_URL } from "../../modules/sessions/client";
import { MsgCreateSession, MsgExecSession, MsgRevokeSession } from "../../proto/gen/mira/sessions/v1/tx";
import { type Amount, formatAmounts, parseCoinsText, toCoin } from "../core/coins";
import { parseAddress } from "../core/address";
import { integerFlag, ParsedFlags, parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { usageError } from "./output";
import { withNode } from "./query-client";
import { REGISTRY, runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

/** A session never makes, ends or runs sessions (the keeper refuses them too; here they fail before signing). */
const SESSION_MSGS: ReadonlySet<string> = new Set([MSG_CREATE_SESSION_URL, MSG_REVOKE_SESSION_URL, MSG_EXEC_SESSION_URL]);

const CREATE_FLAGS = {
  ...TX_FLAGS,
  allow: { type: "string", multiple: true },
  "spend-limit": { type: "string" },
  expires: { type: "string" },
  "max-uses": { type: "string" },
  "fee-grant": { type: "boolean" },
} as const;

const EXEC_FLAGS = {
  ...TX_FLAGS,
  msg: { type: "string", multiple: true },
  "fee-granted": { type: "boolean" },
} as const;

const CREATE_HELP = txHelp(
  `Create a session: the session key may run the listed message types for <from> (the granter), moving at most
the spend limit out of its account (fees included), until the expiration block time, at most --max-uses times`,
  `mirad tx sessions create <from> <session-key-address> --allow TYPE_URL --spend-limit COINS --expires TIME|DURATION [flags]
       e.g. mirad tx sessions create alice mira1... --allow /cosmos.bank.v1beta1.MsgSend --spend-limit 5000000umira \\
              --expires 24h --fee-grant --gas auto --gas-prices 0.025umira`,
  `      --allow TYPE_URL             a message type the session key may run, e.g. /cosmos.bank.v1beta1.MsgSend;
                                   repeat the flag or separate with commas (never the sessions messages themselves)
      --spend-limit COINS          the most the session may move out of <from>, fees included, e.g. 5000000umira
      --expires TIME|DURATION      an RFC 3339 time (2030-01-02T15:04:05Z), or a duration from the node's latest
                                   block time (not this machine's clock): 24h, 90m, 3600s, 1h30m
      --max-uses N                 the most MsgExecSession txs the session may run (default 0: no limit)
      --fee-grant                  <from> pays the session key's fees (within the spend limit), so the key needs no coins
`,
);

const REVOKE_HELP = txHelp(
  "Revoke a session: the session key can no longer act for <from>, from the block that includes this tx",
  "mirad tx sessions revoke <from> <session-key-address> [flags]    e.g. mirad tx sessions revoke alice mira1... --fees 5000umira",
);

const EXEC_HELP = txHelp(
  `Run messages for a granter, signed by a session key alone (<session-key>, a key of the keyring, is <from> here);
each message must be of a type the session allows and signed-for by the granter (e.g. a MsgSend from its address)`,
  `mirad tx sessions exec <session-key> <granter-address> --msg JSON... [--fee-granted] [flags]
       e.g. mirad tx sessions exec session1 mira1granter... --fee-granted --gas auto --gas-prices 0.025umira \\
              --msg '{"typeUrl":"/cosmos.bank.v1beta1.MsgSend","value":{"fromAddress":"mira1granter...",
                      "toAddress":"mira1...","amount":[{"denom":"umira","amount":"1000"}]}}'`,
  `      --msg JSON                   a message as a CosmJS EncodeObject: {"typeUrl": "...", "value": {...}}, the value in
                                   the type's protobuf JSON (camelCase field names, 64-bit integers and amounts as
                                   strings); repeat the flag for each message
      --fee-granted                the granter pays the fee (AuthInfo.fee.granter), within the session's spend limit;
                                   the session must have been created with --fee-grant
`,
);

export const COMMANDS: Readonly<Record<string, CommandHandler>> = { create: createCommand, revoke: revokeCommand, exec: execCommand };

/** --expires as given: a time, or a duration to add to the node's latest block time. */
type Expiry = { at: Date } | { afterMs: bigint; text: string };

/** The session's terms, checked before the keyring or the node is touched. */
interface Terms {
  grantee: string;
  allowedMsgs: string[];
  spendLimit: Amount[];
  expiry: Expiry;
  maxUses: bigint;
  feeGrant: boolean;
}

async function createCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx sessions create";
  const flags = parseFlags(args, CREATE_FLAGS, command);
  if (flags.values.help === true) return printHelp(CREATE_HELP);
  const [from, grantee] = positionalArguments(flags.positionals, ["from", "session-key-address"], command);
  const terms = termsOf(grantee, flags.values, command);
  const expiration = await expirationOf(terms.expiry, flags.values.node, command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => {
      if (key.address === grantee) throw usageError("the session key must differ from <from>, the granter", command);
      const value = MsgCreateSession.fromPartial({
        granter: key.address,
        grantee,
        allowedMsgs: terms.allowedMsgs,
        spendLimit: terms.spendLimit.map(toCoin),
        expiration: { seconds: BigInt(Math.floor(expiration.getTime() / 1000)), nanos: (expiration.getTime() % 1000) * 1_000_000 },
        maxUses: terms.maxUses,
        feeGrant: terms.feeGrant,
      });
      return [{ typeUrl: MSG_CREATE_SESSION_URL, value }];
    },
    describe: (key) => {
      const uses = terms.maxUses === 0n ? "" : `, at most ${terms.maxUses} uses`;
      const fees = terms.feeGrant ? `; "${key.name}" pays the session key's fees` : "";
      return `Let session key ${grantee} run ${terms.allowedMsgs.join(", ")} for "${key.name}" (${key.address}) until ${expiration.toISOString()}, moving at most ${formatAmounts(terms.spendLimit)} (fees included)${uses}${fees}`;
    },
  });
}

type CreateFlagValues = ParsedFlags<typeof CREATE_FLAGS>["values"];

function termsOf(grantee: string, values: CreateFlagValues, command: string): Terms {
  parseAddress(grantee);
  const allowedMsgs = (values.allow ?? []).flatMap((flag) => flag.split(",")).map((url) => url.trim());
  if (allowedMsgs.length === 0) throw usageError("no message type: give --allow TYPE_URL, e.g. --allow /cosmos.bank.v1beta1.MsgSend", command);
  allowedMsgs.forEach((url, i) => {
    if (url === "") throw usageError("an empty --allow type URL", command);
    knownMsgType(url, "--allow", command);
    if (allowedMsgs.indexOf(url) !== i) throw usageError(`--allow lists ${url} twice`, command);
  });
  if (values["spend-limit"] === undefined) throw usageError("no spend limit: give --spend-limit COINS, e.g. 5000000umira (fees count against it too)", command);
  const spendLimit = coinsFlag(values["spend-limit"], "--spend-limit", command);
  if (values.expires === undefined) throw usageError("no expiration: give --expires with an RFC 3339 time or a duration such as 24h", command);
  const expiry = expiryOf(values.expires, command);
  const maxUses = BigInt(integerFlag(values["max-uses"], "max-uses", command) ?? 0);
  return { grantee, allowedMsgs, spendLimit, expiry, maxUses, feeGrant: values["fee-grant"] === true };
}

/** A type URL the CLI can encode and a session may hold; others would only fail on chain. */
function knownMsgType(url: string, flag: string, command: string): GeneratedType {
  if (SESSION_MSGS.has(url)) throw usageError(`${flag} ${url}: a session can never make, end or run sessions`, command);
  const type = REGISTRY.lookupType(url);
  if (type === undefined) throw usageError(`${flag}: unknown message type "${url}"; expected a type URL such as /cosmos.bank.v1beta1.MsgSend`, command);
  return type;
}

function coinsFlag(text: string, flag: string, command: string): Amount[] {
  let coins: Amount[];
  try {
    coins = parseCoinsText(text);
  } catch (err) {
    throw usageError(`${flag} ${err instanceof Error ? err.message : String(err)}`, command);
  }
  if (coins.length === 0) throw usageError(`${flag} is empty; expected e.g. 5000000umira`, command);
  return coins;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

function expiryOf(text: string, command: string): Expiry {
  if (RFC3339.test(text)) {
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw usageError(`--expires "${text}" is not a valid time`, command);
    return { at };
  }
  const d = DURATION.exec(text);
  if (d === null || text === "") {
    throw usageError(`--expires must be an RFC 3339 time (e.g. 2030-01-02T15:04:05Z) or a duration (e.g. 24h, 90m, 3600s), got "${text}"`, command);
  }
  const [hours, minutes, seconds] = [d[1], d[2], d[3]].map((part) => BigInt(part ?? "0")) as [bigint, bigint, bigint];
  const afterMs = ((hours * 60n + minutes) * 60n + seconds) * 1000n;
  if (afterMs === 0n) throw usageError("--expires must be a duration longer than 0s", command);
  return { afterMs, text };
}

/** The expiration block time: a duration counts from the node's latest block time, since the chain compares with block time. */
async function expirationOf(expiry: Expiry, node: string, command: string): Promise<Date> {
  const latest = await withNode(node, async (comet) => (await comet.status()).syncInfo.latestBlockTime);
  const latestMs = BigInt(latest.getTime());
  if ("at" in expiry) {
    if (BigInt(expiry.at.getTime()) <= latestMs) {
      throw usageError(`--expires ${expiry.at.toISOString()} is not after the node's latest block time, ${latest.toISOString()}`, command);
    }
    return expiry.at;
  }
  const at = latestMs + expiry.afterMs;
  if (at > BigInt(8.64e15)) throw usageError(`--expires ${expiry.text} is too far in the future`, command);
  return new Date(Number(at));
}

async function revokeCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx sessions revoke";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(REVOKE_HELP);
  const [from, grantee] = positionalArguments(flags.positionals, ["from", "session-key-address"], command);
  parseAddress(grantee);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key): EncodeObject[] => [{ typeUrl: MSG_REVOKE_SESSION_URL, value: MsgRevokeSession.fromPartial({ granter: key.address, grantee }) }],
    describe: (key) => `Revoke the session of "${key.name}" (${key.address}) with session key ${grantee}`,
  });
}

async function execCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx sessions exec";
  const flags = parseFlags(args, EXEC_FLAGS, command);
  if (flags.values.help === true) return printHelp(EXEC_HELP);
  const [sessionKey, granter] = positionalArguments(flags.positionals, ["session-key", "granter-address"], command);
  parseAddress(granter);
  const texts = flags.values.msg ?? [];
  if (texts.length === 0) throw usageError(`no message: give --msg '{"typeUrl": "...", "value": {...}}' (repeat it for more)`, command);
  const msgs = texts.map((text, i) => messageOf(text, texts.length === 1 ? "--msg" : `--msg number ${i + 1}`, command));
  const feeGranted = flags.values["fee-granted"] === true;
  return runTx(flags.values, command, ctx, {
    from: sessionKey,
    messages: (key) => {
      if (key.address === granter) throw usageError("the session key must differ from the granter", command);
      return [{ typeUrl: MSG_EXEC_SESSION_URL, value: MsgExecSession.fromPartial({ grantee: key.address, granter, msgs }) }];
    },
    describe: (key) => {
      const fee = feeGranted ? `; ${granter} pays the fee` : "";
      return `Run ${msgs.map((m) => m.typeUrl).join(", ")} for ${granter}, signed by session key "${key.name}" (${key.address})${fee}`;
    },
    feeGranter: feeGranted ? granter : undefined,
  });
}

/** What fromJSON (protobuf JSON, as CosmJS's and the chain's generated types read it) needs. */
interface JsonCodec {
  fromJSON(object: unknown): unknown;
  fromPartial(object: unknown): object;
}

function isJsonCodec(type: GeneratedType): type is GeneratedType & JsonCodec {
  return "fromJSON" in type && typeof type.fromJSON === "function" && "fromPartial" in type && typeof type.fromPartial === "function";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * One --msg: a CosmJS EncodeObject in JSON, its value read by the type's fromJSON (protobuf JSON
 * names in camelCase; 64-bit integers and amounts as strings), then packed into an Any.
 */
function messageOf(text: string, flag: string, command: string): Any {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw usageError(`${flag} is not JSON: ${err instanceof Error ? err.message : String(err)}`, command);
  }
  if (!isPlainObject(parsed) || typeof parsed.typeUrl !== "string" || !isPlainObject(parsed.value)) {
    throw usageError(`${flag} must be {"typeUrl": "/cosmos.bank.v1beta1.MsgSend", "value": {...}}`, command);
  }
  const { typeUrl, value } = parsed;
  const type = knownMsgType(typeUrl, flag, command);
  if (!isJsonCodec(type)) throw usageError(`${flag}: ${typeUrl} cannot be read from JSON`, command);
  // fromJSON skips names it does not know (e.g. snake_case ones) without a word: refuse them instead.
  const fields = Object.keys(type.fromPartial({}));
  const unknown = Object.keys(value).filter((name) => !fields.includes(name));
  if (unknown.length > 0) throw usageError(`${flag}: ${typeUrl} has no field ${unknown.join(", ")}; its fields are ${fields.join(", ")}`, command);
  let decoded: unknown;
  try {
    decoded = type.fromJSON(value);
  } catch (err) {
    throw usageError(`${flag}: not a valid ${typeUrl}: ${err instanceof Error ? err.message : String(err)}`, command);
  }
  return REGISTRY.encodeAsAny({ typeUrl, value: decoded });
}
