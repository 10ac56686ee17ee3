// IBC's error codes, in ibc-go v8's codespaces and numbers, so that a relayer reading a failed tx sees
// the code it knows: "client" (02-client), "connection" (03-connection), "channel" (04-channel) and
// "port" (05-port). The light client ("07-tendermint"), commitment proofs ("commitment") and identifiers
// ("host") register theirs beside their code.
import { ChainError, registerCodes } from "../../app/core/errors";

export const CLIENT_CODESPACE = "client";

export const ClientCode = registerCodes(CLIENT_CODESPACE, {
  ClientExists: 2,
  InvalidClient: 3,
  ClientNotFound: 4,
  ClientFrozen: 5,
  InvalidClientMetadata: 6,
  ConsensusStateNotFound: 7,
  InvalidConsensus: 8,
  ClientTypeNotFound: 9,
  InvalidClientType: 10,
  RootNotFound: 11,
  InvalidHeader: 12,
  InvalidMisbehaviour: 13,
  FailedClientStateVerification: 14,
  FailedClientConsensusStateVerification: 15,
  FailedConnectionStateVerification: 16,
  FailedChannelStateVerification: 17,
  FailedPacketCommitmentVerification: 18,
  FailedPacketAckVerification: 19,
  FailedPacketReceiptVerification: 20,
  FailedNextSeqRecvVerification: 21,
  SelfConsensusStateNotFound: 22,
  UpdateClientFailed: 23,
  InvalidUpdateClientProposal: 24,
  InvalidUpgradeClient: 25,
  InvalidHeight: 26,
  InvalidSubstitute: 27,
  InvalidUpgradeProposal: 28,
  ClientNotActive: 29,
  FailedMembershipVerification: 30,
  FailedNonMembershipVerification: 31,
  RouteNotFound: 32,
  ClientTypeNotSupported: 33,
} as const);

export type ClientCodeValue = (typeof ClientCode)[keyof typeof ClientCode];

export function clientError(code: ClientCodeValue, message: string): ChainError {
  return new ChainError(code, message, CLIENT_CODESPACE);
}

export const CONNECTION_CODESPACE = "connection";

export const ConnectionCode = registerCodes(CONNECTION_CODESPACE, {
  ConnectionExists: 2,
  ConnectionNotFound: 3,
  ClientConnectionPathsNotFound: 4,
  ConnectionPath: 5,
  InvalidConnectionState: 6,
  InvalidCounterparty: 7,
  InvalidConnection: 8,
  InvalidVersion: 9,
  VersionNegotiationFailed: 10,
  InvalidConnectionIdentifier: 11,
  RedundantHandshake: 12,
} as const);

export type ConnectionCodeValue = (typeof ConnectionCode)[keyof typeof ConnectionCode];

export function connectionError(code: ConnectionCodeValue, message: string): ChainError {
  return new ChainError(code, message, CONNECTION_CODESPACE);
}

export const CHANNEL_CODESPACE = "channel";

export const ChannelCode = registerCodes(CHANNEL_CODESPACE, {
  ChannelExists: 2,
  ChannelNotFound: 3,
  InvalidChannel: 4,
  InvalidChannelState: 5,
  InvalidChannelOrdering: 6,
  InvalidCounterparty: 7,
  InvalidChannelCapability: 8,
  ChannelCapabilityNotFound: 9,
  SequenceSendNotFound: 10,
  SequenceReceiveNotFound: 11,
  SequenceAckNotFound: 12,
  InvalidPacket: 13,
  PacketTimeout: 14,
  TooManyConnectionHops: 15,
  InvalidAcknowledgement: 16,
  AcknowledgementExists: 17,
  InvalidChannelIdentifier: 18,
  PacketReceived: 19,
  PacketCommitmentNotFound: 20,
  PacketSequenceOutOfOrder: 21,
  RedundantTx: 22,
  NoOpMsg: 23,
  InvalidChannelVersion: 24,
  PacketNotSent: 25,
  InvalidTimeout: 26,
  TimeoutNotReached: 39,
  TimeoutElapsed: 40,
} as const);

export type ChannelCodeValue = (typeof ChannelCode)[keyof typeof ChannelCode];

export function channelError(code: ChannelCodeValue, message: string): ChainError {
  return new ChainError(code, message, CHANNEL_CODESPACE);
}

export const PORT_CODESPACE = "port";

export const PortCode = registerCodes(PORT_CODESPACE, {
  PortExists: 2,
  PortNotFound: 3,
  InvalidPort: 4,
  InvalidRoute: 5,
} as const);

export type PortCodeValue = (typeof PortCode)[keyof typeof PortCode];

export function portError(code: PortCodeValue, message: string): ChainError {
  return new ChainError(code, message, PORT_CODESPACE);
}
