/**
 * ICS-24 identifiers, checked as ibc-go v8 checks them: the host's generic rule for any client,
 * connection, channel or port identifier (modules/core/24-host/validate.go), and the SDK's own
 * formats `{client-type}-{N}`, `connection-{N}` and `channel-{N}` for the identifiers this chain
 * generates. Every failure is a ChainError in codespace "host" with code InvalidID.
 */
import { HostCode, hostError } from "./errors";

/** The longest client, connection or channel identifier ibc-go accepts. */
export const MAX_IDENTIFIER_LENGTH = 64;
/** The longest port identifier ibc-go accepts. */
export const MAX_PORT_IDENTIFIER_LENGTH = 128;

export const CONNECTION_PREFIX = "connection-";
export const CHANNEL_PREFIX = "channel-";
/** The one client type this chain runs. */
export const TENDERMINT_CLIENT_TYPE = "07-tendermint";
/** ibc-go's localhost client, the one client identifier without a sequence. */
export const LOCALHOST_CLIENT_ID = "09-localhost";

const ALLOWED = /^[a-zA-Z0-9._+\-#[\]<>]+$/;
const CLIENT_ID_FORMAT = /^\w+([\w-]+\w)?-[0-9]{1,20}$/;
const CONNECTION_ID_FORMAT = /^connection-[0-9]{1,20}$/;
const CHANNEL_ID_FORMAT = /^channel-[0-9]{1,20}$/;
const MAX_UINT64 = (1n << 64n) - 1n;

function invalid(message: string): never {
  throw hostError(HostCode.InvalidID, message);
}

/** The host's rule: not blank, no "/", min..max bytes, only letters, digits and . _ + - # [ ] < >. */
function validateIdentifier(kind: string, id: string, min: number, max: number): void {
  if (id.trim() === "") invalid(`${kind} identifier cannot be blank`);
  if (id.includes("/")) invalid(`${kind} identifier ${JSON.stringify(id)} cannot contain the separator "/"`);
  const length = Buffer.byteLength(id, "utf8");
  if (length < min || length > max) invalid(`${kind} identifier ${JSON.stringify(id)} has length ${length}; it must be between ${min} and ${max} characters`);
  if (!ALLOWED.test(id)) {
    invalid(`${kind} identifier ${JSON.stringify(id)} may contain only letters, digits and the characters . _ + - # [ ] < >`);
  }
}

/** ICS-24 rule for any client identifier (a counterparty's too): 9 to 64 characters. */
export function validateClientIdentifier(id: string): void {
  validateIdentifier("client", id, 9, MAX_IDENTIFIER_LENGTH);
}

/** ICS-24 rule for any connection identifier: 10 to 64 characters. */
export function validateConnectionIdentifier(id: string): void {
  validateIdentifier("connection", id, 10, MAX_IDENTIFIER_LENGTH);
}

/** ICS-24 rule for any channel identifier: 8 to 64 characters. */
export function validateChannelIdentifier(id: string): void {
  validateIdentifier("channel", id, 8, MAX_IDENTIFIER_LENGTH);
}

/** ICS-24 rule for any port identifier: 2 to 128 characters. */
export function validatePortIdentifier(id: string): void {
  validateIdentifier("port", id, 2, MAX_PORT_IDENTIFIER_LENGTH);
}

function parseSequence(kind: string, id: string, digits: string): bigint {
  const sequence = BigInt(digits);
  if (sequence > MAX_UINT64) invalid(`${kind} identifier ${JSON.stringify(id)} has a sequence beyond 2^64-1`);
  return sequence;
}

/**
 * Splits an SDK client identifier `{client-type}-{N}` (e.g. "07-tendermint-0") into its type and
 * sequence, after the ICS-24 rule. "09-localhost" has sequence 0, as in ibc-go.
 */
export function parseClientIdentifier(id: string): { clientType: string; sequence: bigint } {
  validateClientIdentifier(id);
  if (id === LOCALHOST_CLIENT_ID) return { clientType: id, sequence: 0n };
  if (!CLIENT_ID_FORMAT.test(id)) invalid(`client identifier ${JSON.stringify(id)} is not in the format {client-type}-{N}, e.g. 07-tendermint-0`);
  const cut = id.lastIndexOf("-");
  return { clientType: id.slice(0, cut), sequence: parseSequence("client", id, id.slice(cut + 1)) };
}

/** The sequence N of an SDK connection identifier `connection-{N}`, after the ICS-24 rule. */
export function parseConnectionIdentifier(id: string): bigint {
  validateConnectionIdentifier(id);
  if (!CONNECTION_ID_FORMAT.test(id)) invalid(`connection identifier ${JSON.stringify(id)} is not in the format connection-{N}`);
  return parseSequence("connection", id, id.slice(CONNECTION_PREFIX.length));
}

/** The sequence N of an SDK channel identifier `channel-{N}`, after the ICS-24 rule. */
export function parseChannelIdentifier(id: string): bigint {
  validateChannelIdentifier(id);
  if (!CHANNEL_ID_FORMAT.test(id)) invalid(`channel identifier ${JSON.stringify(id)} is not in the format channel-{N}`);
  return parseSequence("channel", id, id.slice(CHANNEL_PREFIX.length));
}

/** `{clientType}-{sequence}`, e.g. "07-tendermint-0". */
export function formatClientIdentifier(clientType: string, sequence: bigint): string {
  return `${clientType}-${sequence}`;
}

/** `connection-{sequence}`. */
export function formatConnectionIdentifier(sequence: bigint): string {
  return `${CONNECTION_PREFIX}${sequence}`;
}

/** `channel-{sequence}`. */
export function formatChannelIdentifier(sequence: bigint): string {
  return `${CHANNEL_PREFIX}${sequence}`;
}
