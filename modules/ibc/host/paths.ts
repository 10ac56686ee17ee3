/**
 * ICS-24 host paths, the keys of the IBC store, written as ibc-go v8 writes them
 * (modules/core/24-host/*_keys.go). They are strings; pathKey() gives a store key. The functions
 * format only: identifiers are checked where they enter (identifiers.ts).
 */
import { HostCode, hostError } from "./errors";

/** Top-level prefixes, for iterating every client, connection or channel end. */
export const CLIENTS_PREFIX = "clients";
export const CONNECTIONS_PREFIX = "connections";
export const CHANNEL_ENDS_PREFIX = "channelEnds";

const KEY_CLIENT_STATE = "clientState";
const KEY_CONSENSUS_STATES = "consensusStates";
const KEY_PORTS = "ports";
const KEY_CHANNELS = "channels";
const KEY_SEQUENCES = "sequences";
const KEY_NEXT_SEQUENCE_SEND = "nextSequenceSend";
const KEY_NEXT_SEQUENCE_RECV = "nextSequenceRecv";
const KEY_NEXT_SEQUENCE_ACK = "nextSequenceAck";
const KEY_PACKET_COMMITMENTS = "commitments";
const KEY_PACKET_ACKS = "acks";
const KEY_PACKET_RECEIPTS = "receipts";

const MAX_UINT64 = (1n << 64n) - 1n;

/** A uint64 in decimal, as Go's %d prints it; throws InvalidPath for anything else. */
function uint64(what: string, n: bigint | number): string {
  const value = typeof n === "number" && Number.isSafeInteger(n) ? BigInt(n) : n;
  if (typeof value !== "bigint" || value < 0n || value > MAX_UINT64) {
    throw hostError(HostCode.InvalidPath, `${what} must be an unsigned 64-bit integer, got ${String(n)}`);
  }
  return value.toString();
}

/** The store key of a path: its UTF-8 bytes. */
export function pathKey(path: string): Uint8Array {
  return new TextEncoder().encode(path);
}

/** "ports/{port}/channels/{channel}", the tail every channel-scoped path shares. */
function portChannel(portId: string, channelId: string): string {
  return `${KEY_PORTS}/${portId}/${KEY_CHANNELS}/${channelId}`;
}

/** "clients/{clientId}/{path}": any key in a client's store. */
export function fullClientPath(clientId: string, path: string): string {
  return `${CLIENTS_PREFIX}/${clientId}/${path}`;
}

/** "clients/{clientId}/clientState" */
export function clientStatePath(clientId: string): string {
  return fullClientPath(clientId, KEY_CLIENT_STATE);
}

/** "clients/{clientId}/consensusStates/{revisionNumber}-{revisionHeight}" */
export function consensusStatePath(clientId: string, revisionNumber: bigint | number, revisionHeight: bigint | number): string {
  return fullClientPath(clientId, `${KEY_CONSENSUS_STATES}/${uint64("revision number", revisionNumber)}-${uint64("revision height", revisionHeight)}`);
}

/** "clients/{clientId}/consensusStates": prefix of a client's consensus states. */
export function consensusStatesPrefixPath(clientId: string): string {
  return fullClientPath(clientId, KEY_CONSENSUS_STATES);
}

/** "clients/{clientId}/connections": the connections that use a client. */
export function clientConnectionsPath(clientId: string): string {
  return fullClientPath(clientId, CONNECTIONS_PREFIX);
}

/** "connections/{connectionId}" */
export function connectionPath(connectionId: string): string {
  return `${CONNECTIONS_PREFIX}/${connectionId}`;
}

/** "ports/{portId}" */
export function portPath(portId: string): string {
  return `${KEY_PORTS}/${portId}`;
}

/** "channelEnds/ports/{portId}/channels/{channelId}" */
export function channelPath(portId: string, channelId: string): string {
  return `${CHANNEL_ENDS_PREFIX}/${portChannel(portId, channelId)}`;
}

/** "nextSequenceSend/ports/{portId}/channels/{channelId}" */
export function nextSequenceSendPath(portId: string, channelId: string): string {
  return `${KEY_NEXT_SEQUENCE_SEND}/${portChannel(portId, channelId)}`;
}

/** "nextSequenceRecv/ports/{portId}/channels/{channelId}" */
export function nextSequenceRecvPath(portId: string, channelId: string): string {
  return `${KEY_NEXT_SEQUENCE_RECV}/${portChannel(portId, channelId)}`;
}

/** "nextSequenceAck/ports/{portId}/channels/{channelId}" */
export function nextSequenceAckPath(portId: string, channelId: string): string {
  return `${KEY_NEXT_SEQUENCE_ACK}/${portChannel(portId, channelId)}`;
}

/** "commitments/ports/{portId}/channels/{channelId}/sequences": prefix of a channel's packet commitments. */
export function packetCommitmentPrefixPath(portId: string, channelId: string): string {
  return `${KEY_PACKET_COMMITMENTS}/${portChannel(portId, channelId)}/${KEY_SEQUENCES}`;
}

/** "commitments/ports/{portId}/channels/{channelId}/sequences/{sequence}" */
export function packetCommitmentPath(portId: string, channelId: string, sequence: bigint | number): string {
  return `${packetCommitmentPrefixPath(portId, channelId)}/${uint64("sequence", sequence)}`;
}

/** "acks/ports/{portId}/channels/{channelId}/sequences": prefix of a channel's acknowledgements. */
export function packetAcknowledgementPrefixPath(portId: string, channelId: string): string {
  return `${KEY_PACKET_ACKS}/${portChannel(portId, channelId)}/${KEY_SEQUENCES}`;
}

/** "acks/ports/{portId}/channels/{channelId}/sequences/{sequence}" */
export function packetAcknowledgementPath(portId: string, channelId: string, sequence: bigint | number): string {
  return `${packetAcknowledgementPrefixPath(portId, channelId)}/${uint64("sequence", sequence)}`;
}

/** "receipts/ports/{portId}/channels/{channelId}/sequences": prefix of a channel's packet receipts. */
export function packetReceiptPrefixPath(portId: string, channelId: string): string {
  return `${KEY_PACKET_RECEIPTS}/${portChannel(portId, channelId)}/${KEY_SEQUENCES}`;
}

/** "receipts/ports/{portId}/channels/{channelId}/sequences/{sequence}" */
export function packetReceiptPath(portId: string, channelId: string, sequence: bigint | number): string {
  return `${packetReceiptPrefixPath(portId, channelId)}/${uint64("sequence", sequence)}`;
}

/**
 * The sequence at the end of a packet commitment, acknowledgement or receipt path (e.g. a key met
 * while iterating under one of the prefixes above); throws InvalidPath when there is none.
 */
export function packetSequenceOfPath(path: string): bigint {
  const match = /\/sequences\/([0-9]{1,20})$/.exec(path);
  const sequence = match ? BigInt(match[1]!) : undefined;
  if (sequence === undefined || sequence > MAX_UINT64) throw hostError(HostCode.InvalidPath, `path ${JSON.stringify(path)} does not end in /sequences/{N}`);
  return sequence;
}
