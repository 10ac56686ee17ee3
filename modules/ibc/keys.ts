// IBC's state keys in its "ibc" substore. What a counterparty proves is stored at the ICS-24 path itself
// (host/paths.ts), as ibc-go stores it, so that a relayer's abci_query on store/ibc/key with the path and
// prove=true gets the proof ibc-go's light client of this chain checks. What only this chain reads
// (processed times and heights, the height-ordered index of consensus states, sequences) has keys of its
// own beside them.
import {
  channelPath,
  clientConnectionsPath,
  clientStatePath,
  connectionPath,
  consensusStatePath,
  nextSequenceAckPath,
  nextSequenceRecvPath,
  nextSequenceSendPath,
  packetAcknowledgementPath,
  packetCommitmentPath,
  packetReceiptPath,
} from "./host/paths";

export const STORE = "ibc";

const utf8 = (s: string): Uint8Array => Buffer.from(s, "utf8");

/** 8-byte big-endian, so that byte order is numeric order. */
export function be64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

export const nextClientSequenceKey = utf8("nextClientSequence");
export const clientParamsKey = utf8("clientParams");

export const clientStateKey = (clientId: string): Uint8Array => utf8(clientStatePath(clientId));

export const consensusStateKey = (clientId: string, revisionNumber: bigint, revisionHeight: bigint): Uint8Array =>
  utf8(consensusStatePath(clientId, revisionNumber, revisionHeight));

/** When this chain stored the consensus state (block time, ns), for connection delay periods. */
export const processedTimeKey = (clientId: string, revisionNumber: bigint, revisionHeight: bigint): Uint8Array =>
  utf8(`${consensusStatePath(clientId, revisionNumber, revisionHeight)}/processedTime`);

/** At which of this chain's heights the consensus state was stored. */
export const processedHeightKey = (clientId: string, revisionNumber: bigint, revisionHeight: bigint): Uint8Array =>
  utf8(`${consensusStatePath(clientId, revisionNumber, revisionHeight)}/processedHeight`);

/** A client's consensus heights in numeric order: the prefix, then revision and height big-endian (value empty). */
export const consensusIndexPrefix = (clientId: string): Uint8Array => utf8(`clients/${clientId}/iterateConsensusStates/`);

export const consensusIndexKey = (clientId: string, revisionNumber: bigint, revisionHeight: bigint): Uint8Array =>
  Buffer.concat([consensusIndexPrefix(clientId), be64(revisionNumber), be64(revisionHeight)]);

export function parseConsensusIndexKey(clientId: string, key: Uint8Array): { revisionNumber: bigint; revisionHeight: bigint } {
  const at = consensusIndexPrefix(clientId).length;
  const b = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { revisionNumber: b.readBigUInt64BE(at), revisionHeight: b.readBigUInt64BE(at + 8) };
}

/** Every client's state key starts with this; the client id follows, then "/clientState". */
export const clientsPrefix = utf8("clients/");

export const nextConnectionSequenceKey = utf8("nextConnectionSequence");
export const connectionParamsKey = utf8("connectionParams");
export const connectionKey = (connectionId: string): Uint8Array => utf8(connectionPath(connectionId));
/** Every connection end's key starts with this; the connection id follows. */
export const connectionsPrefix = utf8("connections/");
export const clientConnectionsKey = (clientId: string): Uint8Array => utf8(clientConnectionsPath(clientId));

export const nextChannelSequenceKey = utf8("nextChannelSequence");
export const channelKey = (portId: string, channelId: string): Uint8Array => utf8(channelPath(portId, channelId));
/** Every channel end's key starts with this. */
export const channelsPrefix = utf8("channelEnds/ports/");

export function sequenceKey(kind: "send" | "recv" | "ack", portId: string, channelId: string): Uint8Array {
  const path = kind === "send" ? nextSequenceSendPath : kind === "recv" ? nextSequenceRecvPath : nextSequenceAckPath;
  return utf8(path(portId, channelId));
}

export const packetCommitmentKey = (portId: string, channelId: string, seq: bigint): Uint8Array => utf8(packetCommitmentPath(portId, channelId, seq));
export const packetCommitmentPrefix = (portId: string, channelId: string): Uint8Array => utf8(`commitments/ports/${portId}/channels/${channelId}/sequences/`);
export const packetAckKey = (portId: string, channelId: string, seq: bigint): Uint8Array => utf8(packetAcknowledgementPath(portId, channelId, seq));
export const packetAckPrefix = (portId: string, channelId: string): Uint8Array => utf8(`acks/ports/${portId}/channels/${channelId}/sequences/`);
export const packetReceiptKey = (portId: string, channelId: string, seq: bigint): Uint8Array => utf8(packetReceiptPath(portId, channelId, seq));
