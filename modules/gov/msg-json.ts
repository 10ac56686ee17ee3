// Messages in the SDK's JSON form ({"@type": "/cosmos.bank.v1beta1.MsgSend", "from_address": ...}),
// as proposal files (`mirad tx gov submit-proposal`) and gov's genesis write them, to protobuf Anys:
// snake_case keys, durations as "60s", LegacyDec fields as text ("0.02"), nested Anys with "@type".
import type { Any } from "cosmjs-types/google/protobuf/any";
import * as auth from "cosmjs-types/cosmos/auth/v1beta1/tx";
import * as bank from "cosmjs-types/cosmos/bank/v1beta1/tx";
import * as consensus from "cosmjs-types/cosmos/consensus/v1/tx";
import * as distribution from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import * as gov from "cosmjs-types/cosmos/gov/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as mint from "cosmjs-types/cosmos/mint/v1beta1/tx";
import * as slashing from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import * as staking from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { parseDecText } from "../../app/core/dec";
import * as miraAuth from "../../proto/gen/mira/auth/v1/tx";
import * as miraClaims from "../../proto/gen/mira/claims/v1/tx";
import * as miraSessions from "../../proto/gen/mira/sessions/v1/tx";

/** A cosmjs-types codec's JSON and binary halves. */
export interface JsonCodec {
  fromJSON(object: unknown): unknown;
  encode(message: never): { finish(): Uint8Array };
}

/** A LegacyDec field (SDK customtype) that JSON writes as text and protobuf as atomics: a string, or the ASCII bytes of one. */
interface DecField {
  path: string[];
  bytes?: boolean;
}

interface Entry {
  codec: JsonCodec;
  decs: DecField[];
}

const p = (...names: string[]): DecField => ({ path: ["params", ...names] });

const REGISTRY = new Map<string, Entry>([
  ["/cosmos.gov.v1.MsgUpdateParams", { codec: gov.MsgUpdateParams as JsonCodec, decs: [] }],
  ["/cosmos.gov.v1.MsgExecLegacyContent", { codec: gov.MsgExecLegacyContent as JsonCodec, decs: [] }],
  ["/cosmos.gov.v1beta1.TextProposal", { codec: TextProposal as JsonCodec, decs: [] }],
  ["/cosmos.bank.v1beta1.MsgSend", { codec: bank.MsgSend as JsonCodec, decs: [] }],
  ["/cosmos.bank.v1beta1.MsgMultiSend", { codec: bank.MsgMultiSend as JsonCodec, decs: [] }],
  ["/cosmos.bank.v1beta1.MsgUpdateParams", { codec: bank.MsgUpdateParams as JsonCodec, decs: [] }],
  ["/cosmos.bank.v1beta1.MsgSetSendEnabled", { codec: bank.MsgSetSendEnabled as JsonCodec, decs: [] }],
  ["/cosmos.auth.v1beta1.MsgUpdateParams", { codec: auth.MsgUpdateParams as JsonCodec, decs: [] }],
  ["/cosmos.consensus.v1.MsgUpdateParams", { codec: consensus.MsgUpdateParams as JsonCodec, decs: [] }],
  ["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", { codec: distribution.MsgCommunityPoolSpend as JsonCodec, decs: [] }],
  ["/cosmos.distribution.v1beta1.MsgFundCommunityPool", { codec: distribution.MsgFundCommunityPool as JsonCodec, decs: [] }],
  [
    "/cosmos.distribution.v1beta1.MsgUpdateParams",
    { codec: distribution.MsgUpdateParams as JsonCodec, decs: [p("communityTax"), p("baseProposerReward"), p("bonusProposerReward")] },
  ],
  ["/cosmos.staking.v1beta1.MsgUpdateParams", { codec: staking.MsgUpdateParams as JsonCodec, decs: [p("minCommissionRate")] }],
  [
    "/cosmos.slashing.v1beta1.MsgUpdateParams",
    {
      codec: slashing.MsgUpdateParams as JsonCodec,
      decs: [
        { ...p("minSignedPerWindow"), bytes: true },
        { ...p("slashFractionDoubleSign"), bytes: true },
        { ...p("slashFractionDowntime"), bytes: true },
      ],
    },
  ],
  [
    "/cosmos.mint.v1beta1.MsgUpdateParams",
    { codec: mint.MsgUpdateParams as JsonCodec, decs: [p("inflationRateChange"), p("inflationMax"), p("inflationMin"), p("goalBonded")] },
  ],
  // The chain's own governance-only messages (ratios in basis points: no decimal text).
  ["/mira.auth.v1.MsgUpdateMinGasPrice", { codec: miraAuth.MsgUpdateMinGasPrice as JsonCodec, decs: [] }],
  ["/mira.claims.v1.MsgUpdateParams", { codec: miraClaims.MsgUpdateParams as JsonCodec, decs: [] }],
  ["/mira.sessions.v1.MsgUpdateParams", { codec: miraSessions.MsgUpdateParams as JsonCodec, decs: [] }],
]);

/** Adds a message type (the chain's own MsgUpdateParams, say) to what proposal JSON may carry. */
export function registerJsonCodec(typeUrl: string, codec: JsonCodec, decFields: { path: string[]; bytes?: boolean }[] = []): void {
  REGISTRY.set(typeUrl, { codec, decs: decFields });
}

/** The type URLs proposal JSON may carry. */
export function jsonTypeUrls(): string[] {
  return [...REGISTRY.keys()].sort();
}

const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const DURATION = /^(-?[0-9]{1,12})(?:\.([0-9]{1,9}))?s$/;

/** Fields that hold a Duration ("60s") in the SDK's JSON: voting_period, unbonding_time, downtime_jail_duration, ... */
const DURATION_FIELD = /(period|duration|_time|Time)$/;

/**
 * The SDK JSON's keys in camelCase, durations ("60s", in fields named like one) as {seconds, nanos},
 * nested "@type" objects as Anys, for cosmjs-types' fromJSON.
 */
export function protoJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(protoJson);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  if (typeof obj["@type"] === "string") {
    const any = anyFromJson(obj);
    return { typeUrl: any.typeUrl, value: Buffer.from(any.value).toString("base64") };
  }
  return Object.fromEntries(
    Object.entries(obj).map(([k, v]) => {
      const m = typeof v === "string" && DURATION_FIELD.test(k) ? DURATION.exec(v) : null;
      return [camel(k), m ? { seconds: m[1]!, nanos: Number((m[2] ?? "").padEnd(9, "0")) } : protoJson(v)];
    }),
  );
}

function setDecField(obj: Record<string, unknown>, field: DecField): void {
  let at: Record<string, unknown> | undefined = obj;
  for (const name of field.path.slice(0, -1)) at = at?.[name] as Record<string, unknown> | undefined;
  const last = field.path[field.path.length - 1]!;
  const text = at?.[last];
  if (at === undefined || typeof text !== "string" || !text.includes(".")) return; // already atomics, or absent
  const atomics = parseDecText(text, field.path.join(".")).toString();
  at[last] = field.bytes ? Buffer.from(atomics, "ascii").toString("base64") : atomics;
}

/** One message in the SDK's JSON form ({"@type": ..., fields}) as a protobuf Any; throws on an unknown type. */
export function anyFromJson(obj: Record<string, unknown>): Any {
  const typeUrl = obj["@type"];
  if (typeof typeUrl !== "string") throw new Error(`a message needs an "@type" naming its type URL`);
  const entry = REGISTRY.get(typeUrl);
  if (entry === undefined) throw new Error(`no JSON form is known for ${typeUrl}; known: ${jsonTypeUrls().join(", ")}`);
  const rest = Object.fromEntries(Object.entries(obj).filter(([k]) => k !== "@type"));
  const fields = protoJson(rest) as Record<string, unknown>;
  for (const d of entry.decs) setDecField(fields, d);
  const message = entry.codec.fromJSON(fields) as never;
  return { typeUrl, value: entry.codec.encode(message).finish() };
}
