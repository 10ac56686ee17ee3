// IBC's message handlers. This part is ICS-02 (ibc.core.client.v1): MsgCreateClient, MsgUpdateClient and
// MsgSubmitMisbehaviour as ibc-go v8 runs them; client upgrades, recovery, IBC software upgrades and
// parameter changes are refused with a code, since they need governance, which this chain does not have yet.
import { Any } from "cosmjs-types/google/protobuf/any";
import {
  MsgCreateClient,
  MsgCreateClientResponse,
  MsgIBCSoftwareUpgrade,
  MsgRecoverClient,
  MsgSubmitMisbehaviour,
  MsgSubmitMisbehaviourResponse,
  MsgUpdateClient,
  MsgUpdateClientResponse,
  MsgUpdateParams,
  MsgUpgradeClient,
} from "cosmjs-types/ibc/core/client/v1/tx";
import { parseAddress } from "../../app/core/address";
import type { MsgHandler } from "../../app/core/router";
import { ChannelCode, channelError, ClientCode, clientError, ConnectionCode, connectionError } from "./errors";
import {
  MsgConnectionOpenAck,
  MsgConnectionOpenAckResponse,
  MsgConnectionOpenConfirm,
  MsgConnectionOpenConfirmResponse,
  MsgConnectionOpenInit,
  MsgConnectionOpenInitResponse,
  MsgConnectionOpenTry,
  MsgConnectionOpenTryResponse,
  MsgUpdateParams as MsgUpdateConnectionParams,
} from "cosmjs-types/ibc/core/connection/v1/tx";
import {
  MsgAcknowledgement,
  MsgAcknowledgementResponse,
  MsgChannelCloseConfirm,
  MsgChannelCloseConfirmResponse,
  MsgChannelCloseInit,
  MsgChannelCloseInitResponse,
  MsgChannelOpenAck,
  MsgChannelOpenAckResponse,
  MsgChannelOpenConfirm,
  MsgChannelOpenConfirmResponse,
  MsgChannelOpenInit,
  MsgChannelOpenInitResponse,
  MsgChannelOpenTry,
  MsgChannelOpenTryResponse,
  MsgRecvPacket,
  MsgRecvPacketResponse,
  MsgTimeout,
  MsgTimeoutOnClose,
  MsgTimeoutOnCloseResponse,
  MsgTimeoutResponse,
  ResponseResultType,
} from "cosmjs-types/ibc/core/channel/v1/tx";
import type { Packet } from "cosmjs-types/ibc/core/channel/v1/channel";
import type { ChannelKeeper, PacketResult } from "./channel";
import type { ConnectionKeeper } from "./connection";
import { CommitmentCode, commitmentError } from "./commitment/errors";
import { MODULE_CHANNEL, MODULE_CLIENT, MODULE_CONNECTION } from "./events";
import type { IbcKeeper } from "./keeper";
import { validateChannelIdentifier, validateClientIdentifier, validateConnectionIdentifier, validatePortIdentifier } from "./host/identifiers";

const reply = (typeUrl: string, value: Uint8Array) => Any.fromPartial({ typeUrl, value });

/** IBC's message handlers, in the order the app registers them. */
export function ibcMsgHandlers(ibc: IbcKeeper, connections: ConnectionKeeper, channels: ChannelKeeper): MsgHandler<unknown>[] {
  return [...clientMsgHandlers(ibc), ...connectionMsgHandlers(connections), ...channelMsgHandlers(channels)];
}

function clientMsgHandlers(ibc: IbcKeeper): MsgHandler<unknown>[] {
  const handler = signedBy("ibc.core.client.v1", MODULE_CLIENT);
  return [
    handler(
      "MsgCreateClient",
      MsgCreateClient,
      (m) => {
        if (m.clientState === undefined) throw clientError(ClientCode.InvalidClient, "missing client state");
        if (m.consensusState === undefined) throw clientError(ClientCode.InvalidConsensus, "missing consensus state");
      },
      (ctx, m) => MsgCreateClientResponse.encode({ clientId: ibc.createClient(ctx, m.clientState, m.consensusState) }).finish(),
    ),
    handler(
      "MsgUpdateClient",
      MsgUpdateClient,
      (m) => {
        validateClientIdentifier(m.clientId);
        if (m.clientMessage === undefined) throw clientError(ClientCode.InvalidHeader, "missing client message");
      },
      (ctx, m) => {
        ibc.updateClient(ctx, m.clientId, m.clientMessage);
        return MsgUpdateClientResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgSubmitMisbehaviour",
      MsgSubmitMisbehaviour,
      (m) => {
        validateClientIdentifier(m.clientId);
        if (m.misbehaviour === undefined) throw clientError(ClientCode.InvalidMisbehaviour, "missing misbehaviour");
      },
      (ctx, m) => {
        ibc.submitMisbehaviour(ctx, m.clientId, m.misbehaviour);
        return MsgSubmitMisbehaviourResponse.encode({}).finish();
      },
    ),
    refused(handler, "MsgUpgradeClient", MsgUpgradeClient, ClientCode.InvalidUpgradeClient, "client upgrades are not supported by this chain yet"),
    refused(
      handler,
      "MsgRecoverClient",
      MsgRecoverClient,
      ClientCode.InvalidUpdateClientProposal,
      "recovering a client needs governance, which this chain does not have yet",
    ),
    refused(
      handler,
      "MsgIBCSoftwareUpgrade",
      MsgIBCSoftwareUpgrade,
      ClientCode.InvalidUpgradeProposal,
      "IBC software upgrades need governance, which this chain does not have yet",
    ),
    refused(
      handler,
      "MsgUpdateParams",
      MsgUpdateParams,
      ClientCode.InvalidUpdateClientProposal,
      "IBC client parameters change only by governance, which this chain does not have yet",
    ),
  ] as MsgHandler<unknown>[];
}

/**
 * The handler factory of one IBC package: messages signed by their `signer` field, answered with
 * `<name>Response`; `check` is the stateless validation after the signer's, `run` returns the response bytes.
 */
function signedBy(pkg: string, module: string) {
  return <T extends { signer: string }>(
    name: string,
    codec: { decode(b: Uint8Array): T },
    check: (m: T) => void,
    run: (ctx: Parameters<MsgHandler<T>["execute"]>[0], m: T) => Uint8Array,
  ): MsgHandler<T> => ({
    typeUrl: `/${pkg}.${name}`,
    module,
    decode: (b) => codec.decode(b),
    signers: (m) => [parseAddress(m.signer)],
    validateBasic: (m) => {
      parseAddress(m.signer);
      check(m);
    },
    execute: (ctx, m) => reply(`/${pkg}.${name}Response`, run(ctx, m)),
  });
}

/** A message this chain knows and refuses with `code` and the reason, after the usual signer checks. */
function refused<T extends { signer: string }>(
  handler: ReturnType<typeof signedBy>,
  name: string,
  codec: { decode(b: Uint8Array): T },
  code: Parameters<typeof clientError>[0],
  why: string,
): MsgHandler<T> {
  return handler(
    name,
    codec,
    () => undefined,
    () => {
      throw clientError(code, why);
    },
  );
}

function connectionMsgHandlers(connections: ConnectionKeeper): MsgHandler<unknown>[] {
  const handler = signedBy("ibc.core.connection.v1", MODULE_CONNECTION);
  return [
    handler(
      "MsgConnectionOpenInit",
      MsgConnectionOpenInit,
      (m) => {
        validateClientIdentifier(m.clientId);
        validateClientIdentifier(m.counterparty.clientId);
        if (m.counterparty.connectionId !== "") throw connectionError(ConnectionCode.InvalidCounterparty, "counterparty connection identifier must be empty");
        if (m.counterparty.prefix.keyPrefix.length === 0) throw connectionError(ConnectionCode.InvalidCounterparty, "counterparty prefix cannot be empty");
      },
      (ctx, m) => {
        connections.openInit(ctx, m.clientId, m.counterparty, m.version, m.delayPeriod);
        return MsgConnectionOpenInitResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgConnectionOpenTry",
      MsgConnectionOpenTry,
      (m) => {
        validateClientIdentifier(m.clientId);
        validateClientIdentifier(m.counterparty.clientId);
        if (m.previousConnectionId !== "")
          throw connectionError(
            ConnectionCode.InvalidConnectionIdentifier,
            "previous connection identifier must be empty, this field has been deprecated as crossing hellos are no longer supported",
          );
        validateConnectionIdentifier(m.counterparty.connectionId);
        if (m.counterpartyVersions.length === 0) throw connectionError(ConnectionCode.InvalidVersion, "empty counterparty versions");
        requireProofs({ init: m.proofInit, client: m.proofClient, consensus: m.proofConsensus });
        requireHeight(m.proofHeight, "proof height");
        requireHeight(m.consensusHeight, "consensus height");
      },
      (ctx, m) => {
        connections.openTry(ctx, m);
        return MsgConnectionOpenTryResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgConnectionOpenAck",
      MsgConnectionOpenAck,
      (m) => {
        validateConnectionIdentifier(m.connectionId);
        validateConnectionIdentifier(m.counterpartyConnectionId);
        if (m.version === undefined) throw connectionError(ConnectionCode.InvalidVersion, "missing version");
        requireProofs({ try: m.proofTry, client: m.proofClient, consensus: m.proofConsensus });
        requireHeight(m.proofHeight, "proof height");
        requireHeight(m.consensusHeight, "consensus height");
      },
      (ctx, m) => {
        connections.openAck(ctx, m);
        return MsgConnectionOpenAckResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgConnectionOpenConfirm",
      MsgConnectionOpenConfirm,
      (m) => {
        validateConnectionIdentifier(m.connectionId);
        requireProofs({ ack: m.proofAck });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) => {
        connections.openConfirm(ctx, m.connectionId, m.proofAck, m.proofHeight);
        return MsgConnectionOpenConfirmResponse.encode({}).finish();
      },
    ),
    refused(
      handler,
      "MsgUpdateParams",
      MsgUpdateConnectionParams,
      ClientCode.InvalidUpdateClientProposal,
      "IBC connection parameters change only by governance, which this chain does not have yet",
    ),
  ] as MsgHandler<unknown>[];
}

function requireProofs(proofs: Record<string, Uint8Array>): void {
  for (const [name, p] of Object.entries(proofs)) {
    if (p.length === 0) throw commitmentError(CommitmentCode.InvalidProof, `cannot submit an empty proof ${name}`);
  }
}

function requireHeight(h: { revisionNumber: bigint; revisionHeight: bigint }, what: string): void {
  if (h.revisionHeight === 0n && h.revisionNumber === 0n) throw clientError(ClientCode.InvalidHeight, `${what} must be non-zero`);
}

const RESULT: Record<PacketResult, ResponseResultType> = {
  SUCCESS: ResponseResultType.RESPONSE_RESULT_TYPE_SUCCESS,
  NOOP: ResponseResultType.RESPONSE_RESULT_TYPE_NOOP,
};

function validatePacket(p: Packet | undefined): Packet {
  if (p === undefined) throw channelError(ChannelCode.InvalidPacket, "missing packet");
  if (p.sequence === 0n) throw channelError(ChannelCode.InvalidPacket, "packet sequence cannot be 0");
  validatePortIdentifier(p.sourcePort);
  validatePortIdentifier(p.destinationPort);
  validateChannelIdentifier(p.sourceChannel);
  validateChannelIdentifier(p.destinationChannel);
  if (p.timeoutHeight.revisionHeight === 0n && p.timeoutHeight.revisionNumber === 0n && p.timeoutTimestamp === 0n) {
    throw channelError(ChannelCode.InvalidPacket, "packet timeout height and packet timeout timestamp cannot both be 0");
  }
  if (p.data.length === 0) throw channelError(ChannelCode.InvalidPacket, "packet data bytes cannot be empty");
  return p;
}

function channelMsgHandlers(channels: ChannelKeeper): MsgHandler<unknown>[] {
  const handler = signedBy("ibc.core.channel.v1", MODULE_CHANNEL);
  return [
    handler(
      "MsgChannelOpenInit",
      MsgChannelOpenInit,
      (m) => {
        validatePortIdentifier(m.portId);
        if (m.channel.counterparty.channelId !== "") throw channelError(ChannelCode.InvalidCounterparty, "counterparty channel identifier must be empty");
        validatePortIdentifier(m.channel.counterparty.portId);
      },
      (ctx, m) => {
        const channelId = channels.openInit(ctx, m.portId, m.channel);
        return MsgChannelOpenInitResponse.encode({ channelId, version: channels.channel(ctx, m.portId, channelId)!.version }).finish();
      },
    ),
    handler(
      "MsgChannelOpenTry",
      MsgChannelOpenTry,
      (m) => {
        validatePortIdentifier(m.portId);
        if (m.previousChannelId !== "")
          throw channelError(
            ChannelCode.InvalidChannelIdentifier,
            "previous channel identifier must be empty, this field has been deprecated as crossing hellos are no longer supported",
          );
        validatePortIdentifier(m.channel.counterparty.portId);
        validateChannelIdentifier(m.channel.counterparty.channelId);
        requireProofs({ init: m.proofInit });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) => {
        const channelId = channels.openTry(ctx, m.portId, m.channel, m.counterpartyVersion, m.proofInit, m.proofHeight);
        return MsgChannelOpenTryResponse.encode({ channelId, version: channels.channel(ctx, m.portId, channelId)!.version }).finish();
      },
    ),
    handler(
      "MsgChannelOpenAck",
      MsgChannelOpenAck,
      (m) => {
        validatePortIdentifier(m.portId);
        validateChannelIdentifier(m.channelId);
        validateChannelIdentifier(m.counterpartyChannelId);
        requireProofs({ try: m.proofTry });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) => {
        channels.openAck(ctx, m.portId, m.channelId, m.counterpartyChannelId, m.counterpartyVersion, m.proofTry, m.proofHeight);
        return MsgChannelOpenAckResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgChannelOpenConfirm",
      MsgChannelOpenConfirm,
      (m) => {
        validatePortIdentifier(m.portId);
        validateChannelIdentifier(m.channelId);
        requireProofs({ ack: m.proofAck });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) => {
        channels.openConfirm(ctx, m.portId, m.channelId, m.proofAck, m.proofHeight);
        return MsgChannelOpenConfirmResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgChannelCloseInit",
      MsgChannelCloseInit,
      (m) => {
        validatePortIdentifier(m.portId);
        validateChannelIdentifier(m.channelId);
      },
      (ctx, m) => {
        channels.closeInit(ctx, m.portId, m.channelId);
        return MsgChannelCloseInitResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgChannelCloseConfirm",
      MsgChannelCloseConfirm,
      (m) => {
        validatePortIdentifier(m.portId);
        validateChannelIdentifier(m.channelId);
        requireProofs({ init: m.proofInit });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) => {
        channels.closeConfirm(ctx, m.portId, m.channelId, m.proofInit, m.proofHeight);
        return MsgChannelCloseConfirmResponse.encode({}).finish();
      },
    ),
    handler(
      "MsgRecvPacket",
      MsgRecvPacket,
      (m) => {
        validatePacket(m.packet);
        requireProofs({ commitment: m.proofCommitment });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) => MsgRecvPacketResponse.encode({ result: RESULT[channels.recvPacket(ctx, m.packet, m.proofCommitment, m.proofHeight, m.signer)] }).finish(),
    ),
    handler(
      "MsgAcknowledgement",
      MsgAcknowledgement,
      (m) => {
        validatePacket(m.packet);
        if (m.acknowledgement.length === 0) throw channelError(ChannelCode.InvalidAcknowledgement, "packet acknowledgement cannot be empty");
        requireProofs({ acked: m.proofAcked });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) =>
        MsgAcknowledgementResponse.encode({
          result: RESULT[channels.acknowledgePacket(ctx, m.packet, m.acknowledgement, m.proofAcked, m.proofHeight, m.signer)],
        }).finish(),
    ),
    handler(
      "MsgTimeout",
      MsgTimeout,
      (m) => {
        validatePacket(m.packet);
        if (m.nextSequenceRecv === 0n) throw channelError(ChannelCode.InvalidPacket, "next sequence receive cannot be 0");
        requireProofs({ unreceived: m.proofUnreceived });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) =>
        MsgTimeoutResponse.encode({
          result: RESULT[channels.timeoutPacket(ctx, m.packet, m.proofUnreceived, m.proofHeight, m.nextSequenceRecv, m.signer)],
        }).finish(),
    ),
    handler(
      "MsgTimeoutOnClose",
      MsgTimeoutOnClose,
      (m) => {
        validatePacket(m.packet);
        if (m.nextSequenceRecv === 0n) throw channelError(ChannelCode.InvalidPacket, "next sequence receive cannot be 0");
        requireProofs({ unreceived: m.proofUnreceived, close: m.proofClose });
        requireHeight(m.proofHeight, "proof height");
      },
      (ctx, m) =>
        MsgTimeoutOnCloseResponse.encode({
          result: RESULT[channels.timeoutPacket(ctx, m.packet, m.proofUnreceived, m.proofHeight, m.nextSequenceRecv, m.signer, m.proofClose)],
        }).finish(),
    ),
  ] as MsgHandler<unknown>[];
}
