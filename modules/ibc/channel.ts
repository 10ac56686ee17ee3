// ICS-04 channels and packets and ICS-05 ports, part of IBC's keeper: the channel handshakes, sending,
// receiving, acknowledging and timing out packets, as ibc-go v8 runs them. An application (ICS-20 transfer)
// is bound to a port and called back at each step; what the counterparty claims is proved through the
// connection (connection.ts) against this chain's client of the counterparty. A packet relayed twice is a
// no-op that succeeds, as in ibc-go, so that one relayer's late copy does not fail its whole tx.
import { Channel, type Counterparty, IdentifiedChannel, Order, type Packet, PacketState, State } from "cosmjs-types/ibc/core/channel/v1/channel";
import type { Height } from "cosmjs-types/ibc/core/client/v1/client";
import { State as ConnectionState, type ConnectionEnd } from "cosmjs-types/ibc/core/connection/v1/connection";
import type { Context } from "../../app/core/context";
import { ChannelCode, channelError, ClientCode, clientError, ConnectionCode, connectionError, PortCode, portError } from "./errors";
import type { ConnectionKeeper } from "./connection";
import {
  EVENT_ACKNOWLEDGE_PACKET,
  EVENT_CHANNEL_CLOSE_CONFIRM,
  EVENT_CHANNEL_CLOSE_INIT,
  EVENT_CHANNEL_OPEN_ACK,
  EVENT_CHANNEL_OPEN_CONFIRM,
  EVENT_CHANNEL_OPEN_INIT,
  EVENT_CHANNEL_OPEN_TRY,
  EVENT_RECEIVE_PACKET,
  EVENT_RECV_PACKET,
  EVENT_SEND_PACKET,
  EVENT_TIMEOUT_PACKET,
  EVENT_TIMEOUT_ON_CLOSE_PACKET,
  EVENT_CHANNEL_CLOSED,
  EVENT_WRITE_ACK,
  channelAttributes,
  packetAttributes,
  ATTR_PACKET_ACK,
  ATTR_PACKET_ACK_HEX,
  MODULE_CHANNEL,
} from "./events";
import { acknowledgementCommitment, packetCommitment, packetReceiptValue } from "./host/commitments";
import { channelPath, nextSequenceRecvPath, packetAcknowledgementPath, packetCommitmentPath, packetReceiptPath } from "./host/paths";
import { compareHeights, heightString, type IbcKeeper, timestampNs } from "./keeper";
import * as keys from "./keys";

/** What an IBC application (ICS-26) bound to a port does at each step; it throws to refuse. */
export interface IbcApp {
  /** Returns the version the channel will carry. */
  onChanOpenInit(ctx: Context, order: Order, connectionHops: string[], portId: string, channelId: string, counterparty: Counterparty, version: string): string;
  /** Returns this end's version, given the counterparty's. */
  onChanOpenTry(
    ctx: Context,
    order: Order,
    connectionHops: string[],
    portId: string,
    channelId: string,
    counterparty: Counterparty,
    counterpartyVersion: string,
  ): string;
  onChanOpenAck(ctx: Context, portId: string, channelId: string, counterpartyChannelId: string, counterpartyVersion: string): void;
  onChanOpenConfirm(ctx: Context, portId: string, channelId: string): void;
  onChanCloseInit(ctx: Context, portId: string, channelId: string): void;
  onChanCloseConfirm(ctx: Context, portId: string, channelId: string): void;
  /** The acknowledgement to write, and whether it is a success (an error ack drops the callback's state changes). */
  onRecvPacket(ctx: Context, packet: Packet, relayer: string): { ack: Uint8Array; success: boolean };
  onAcknowledgementPacket(ctx: Context, packet: Packet, ack: Uint8Array, relayer: string): void;
  onTimeoutPacket(ctx: Context, packet: Packet, relayer: string): void;
}

/** The outcome of a packet message: ibc-go's ResponseResultType (NOOP when the packet was already relayed). */
export type PacketResult = "SUCCESS" | "NOOP";

const STATE_NAMES: Record<number, string> = { 0: "UNINITIALIZED", 1: "INIT", 2: "TRYOPEN", 3: "OPEN", 4: "CLOSED" };
const stateName = (s: State): string => STATE_NAMES[s] ?? String(s);

export class ChannelKeeper {
  private readonly apps = new Map<string, IbcApp>();

  constructor(
    private readonly clients: IbcKeeper,
    private readonly connections: ConnectionKeeper,
  ) {}

  /** ICS-05: binds an application to a port (at start-up; a port has one application). */
  bindPort(portId: string, app: IbcApp): void {
    if (this.apps.has(portId)) throw portError(PortCode.PortExists, `port ${portId} is already bound`);
    this.apps.set(portId, app);
  }

  private app(portId: string): IbcApp {
    const app = this.apps.get(portId);
    if (app === undefined) throw portError(PortCode.InvalidPort, `no application is bound to port ${portId}`);
    return app;
  }

  // ---- reading ----

  channel(ctx: Context, portId: string, channelId: string): Channel | undefined {
    const v = ctx.store(keys.STORE).get(keys.channelKey(portId, channelId));
    return v === undefined ? undefined : Channel.decode(v);
  }

  requireChannel(ctx: Context, portId: string, channelId: string): Channel {
    const c = this.channel(ctx, portId, channelId);
    if (c === undefined) throw channelError(ChannelCode.ChannelNotFound, `port-id: ${portId}, channel-id: ${channelId}`);
    return c;
  }

  *channels(ctx: Context): Generator<IdentifiedChannel> {
    for (const [key, value] of ctx.store(keys.STORE).iterate({ prefix: keys.channelsPrefix })) {
      const m = /^channelEnds\/ports\/([^/]+)\/channels\/([^/]+)$/.exec(key.toString("utf8"));
      if (m === null) continue;
      yield { ...Channel.decode(value), portId: m[1]!, channelId: m[2]! };
    }
  }

  sequence(ctx: Context, kind: "send" | "recv" | "ack", portId: string, channelId: string): bigint {
    const v = ctx.store(keys.STORE).get(keys.sequenceKey(kind, portId, channelId));
    return v === undefined ? 0n : v.readBigUInt64BE(0);
  }

  private setSequence(ctx: Context, kind: "send" | "recv" | "ack", portId: string, channelId: string, seq: bigint): void {
    ctx.store(keys.STORE).set(keys.sequenceKey(kind, portId, channelId), keys.be64(seq));
  }

  packetCommitment(ctx: Context, portId: string, channelId: string, seq: bigint): Buffer | undefined {
    return ctx.store(keys.STORE).get(keys.packetCommitmentKey(portId, channelId, seq));
  }

  *packetCommitments(ctx: Context, portId: string, channelId: string): Generator<PacketState> {
    for (const [key, value] of ctx.store(keys.STORE).iterate({ prefix: keys.packetCommitmentPrefix(portId, channelId) })) {
      yield { portId, channelId, sequence: BigInt(key.toString("utf8").split("/").pop()!), data: value };
    }
  }

  packetAcknowledgement(ctx: Context, portId: string, channelId: string, seq: bigint): Buffer | undefined {
    return ctx.store(keys.STORE).get(keys.packetAckKey(portId, channelId, seq));
  }

  *packetAcknowledgements(ctx: Context, portId: string, channelId: string): Generator<PacketState> {
    for (const [key, value] of ctx.store(keys.STORE).iterate({ prefix: keys.packetAckPrefix(portId, channelId) })) {
      yield { portId, channelId, sequence: BigInt(key.toString("utf8").split("/").pop()!), data: value };
    }
  }

  hasReceipt(ctx: Context, portId: string, channelId: string, seq: bigint): boolean {
    return ctx.store(keys.STORE).has(keys.packetReceiptKey(portId, channelId, seq));
  }

  /** The connection a channel runs over. */
  channelConnection(ctx: Context, channel: Channel): { id: string; end: ConnectionEnd } {
    const id = channel.connectionHops[0]!;
    return { id, end: this.connections.requireConnection(ctx, id) };
  }

  // ---- channel handshake ----

  openInit(ctx: Context, portId: string, channel: Channel): string {
    const connectionId = this.checkHops(channel.connectionHops);
    const connection = this.connections.requireConnection(ctx, connectionId);
    checkOrderSupported(connection, channel.ordering);
    this.requireActiveClient(ctx, connection.clientId);
    const channelId = this.nextChannelId(ctx);
    const version = this.app(portId).onChanOpenInit(ctx, channel.ordering, channel.connectionHops, portId, channelId, channel.counterparty, channel.version);
    const stored: Channel = { ...channel, state: State.STATE_INIT, version };
    this.initChannel(ctx, portId, channelId, stored);
    ctx.events.emit(EVENT_CHANNEL_OPEN_INIT, channelAttributes(portId, channelId, stored));
    return channelId;
  }

  openTry(ctx: Context, portId: string, channel: Channel, counterpartyVersion: string, proofInit: Uint8Array, proofHeight: Height): string {
    const connectionId = this.checkHops(channel.connectionHops);
    const connection = this.connections.requireConnection(ctx, connectionId);
    if (connection.state !== ConnectionState.STATE_OPEN) {
      throw connectionError(ConnectionCode.InvalidConnectionState, `connection state is not OPEN (got ${connection.state})`);
    }
    checkOrderSupported(connection, channel.ordering);
    const expected: Channel = {
      state: State.STATE_INIT,
      ordering: channel.ordering,
      counterparty: { portId, channelId: "" },
      connectionHops: [connection.counterparty.connectionId],
      version: counterpartyVersion,
    };
    this.verifyChannelState(ctx, connection, proofHeight, proofInit, channel.counterparty.portId, channel.counterparty.channelId, expected);
    const channelId = this.nextChannelId(ctx);
    const version = this.app(portId).onChanOpenTry(ctx, channel.ordering, channel.connectionHops, portId, channelId, channel.counterparty, counterpartyVersion);
    const stored: Channel = { ...channel, state: State.STATE_TRYOPEN, version };
    this.initChannel(ctx, portId, channelId, stored);
    ctx.events.emit(EVENT_CHANNEL_OPEN_TRY, channelAttributes(portId, channelId, stored));
    return channelId;
  }

  openAck(
    ctx: Context,
    portId: string,
    channelId: string,
    counterpartyChannelId: string,
    counterpartyVersion: string,
    proofTry: Uint8Array,
    proofHeight: Height,
  ): void {
    const channel = this.requireChannel(ctx, portId, channelId);
    if (channel.state !== State.STATE_INIT)
      throw channelError(ChannelCode.InvalidChannelState, `channel state should be INIT (got ${stateName(channel.state)})`);
    const { end: connection } = this.openConnection(ctx, channel);
    const expected = counterpartyEnd(channel, connection, State.STATE_TRYOPEN, { portId, channelId }, counterpartyVersion);
    this.verifyChannelState(ctx, connection, proofHeight, proofTry, channel.counterparty.portId, counterpartyChannelId, expected);
    this.app(portId).onChanOpenAck(ctx, portId, channelId, counterpartyChannelId, counterpartyVersion);
    const open: Channel = {
      ...channel,
      state: State.STATE_OPEN,
      version: counterpartyVersion,
      counterparty: { ...channel.counterparty, channelId: counterpartyChannelId },
    };
    this.storeChannel(ctx, portId, channelId, open);
    ctx.events.emit(EVENT_CHANNEL_OPEN_ACK, channelAttributes(portId, channelId, open));
  }

  openConfirm(ctx: Context, portId: string, channelId: string, proofAck: Uint8Array, proofHeight: Height): void {
    const channel = this.requireChannel(ctx, portId, channelId);
    if (channel.state !== State.STATE_TRYOPEN)
      throw channelError(ChannelCode.InvalidChannelState, `channel state is not TRYOPEN (got ${stateName(channel.state)})`);
    const { end: connection } = this.openConnection(ctx, channel);
    const expected = counterpartyEnd(channel, connection, State.STATE_OPEN, { portId, channelId }, channel.version);
    this.verifyChannelState(ctx, connection, proofHeight, proofAck, channel.counterparty.portId, channel.counterparty.channelId, expected);
    this.app(portId).onChanOpenConfirm(ctx, portId, channelId);
    const open: Channel = { ...channel, state: State.STATE_OPEN };
    this.storeChannel(ctx, portId, channelId, open);
    ctx.events.emit(EVENT_CHANNEL_OPEN_CONFIRM, channelAttributes(portId, channelId, open));
  }

  closeInit(ctx: Context, portId: string, channelId: string): void {
    const channel = this.requireChannel(ctx, portId, channelId);
    if (channel.state === State.STATE_CLOSED) throw channelError(ChannelCode.InvalidChannelState, "channel is already CLOSED");
    this.app(portId).onChanCloseInit(ctx, portId, channelId);
    this.openConnection(ctx, channel);
    const closed: Channel = { ...channel, state: State.STATE_CLOSED };
    this.storeChannel(ctx, portId, channelId, closed);
    ctx.events.emit(EVENT_CHANNEL_CLOSE_INIT, channelAttributes(portId, channelId, closed));
  }

  closeConfirm(ctx: Context, portId: string, channelId: string, proofInit: Uint8Array, proofHeight: Height): void {
    const channel = this.requireChannel(ctx, portId, channelId);
    if (channel.state === State.STATE_CLOSED) throw channelError(ChannelCode.InvalidChannelState, "channel is already CLOSED");
    const { end: connection } = this.openConnection(ctx, channel);
    const expected = counterpartyEnd(channel, connection, State.STATE_CLOSED, { portId, channelId }, channel.version);
    this.verifyChannelState(ctx, connection, proofHeight, proofInit, channel.counterparty.portId, channel.counterparty.channelId, expected);
    this.app(portId).onChanCloseConfirm(ctx, portId, channelId);
    const closed: Channel = { ...channel, state: State.STATE_CLOSED };
    this.storeChannel(ctx, portId, channelId, closed);
    ctx.events.emit(EVENT_CHANNEL_CLOSE_CONFIRM, channelAttributes(portId, channelId, closed));
  }

  // ---- packets ----

  /** Commits an outgoing packet (called by the application bound to `sourcePort`); returns its sequence. */
  sendPacket(ctx: Context, sourcePort: string, sourceChannel: string, timeoutHeight: Height, timeoutTimestamp: bigint, data: Uint8Array): bigint {
    const channel = this.requireChannel(ctx, sourcePort, sourceChannel);
    if (channel.state !== State.STATE_OPEN) throw channelError(ChannelCode.InvalidChannelState, `channel is not OPEN (got ${stateName(channel.state)})`);
    if (isZero(timeoutHeight) && timeoutTimestamp === 0n)
      throw channelError(ChannelCode.InvalidPacket, "packet timeout height and packet timeout timestamp cannot both be 0");
    const { id: connectionId, end: connection } = this.channelConnection(ctx, channel);
    const cs = this.requireActiveClient(ctx, connection.clientId);
    if (!isZero(timeoutHeight) && compareHeights(cs.latestHeight, timeoutHeight) >= 0) {
      throw channelError(
        ChannelCode.TimeoutElapsed,
        `receiving chain block height >= packet timeout height (${heightString(cs.latestHeight)} >= ${heightString(timeoutHeight)})`,
      );
    }
    const latest = this.clients.consensusState(ctx, connection.clientId, cs.latestHeight);
    const latestTime = timestampNs(latest?.timestamp);
    if (timeoutTimestamp !== 0n && latestTime >= timeoutTimestamp) {
      throw channelError(ChannelCode.TimeoutElapsed, `receiving chain block timestamp >= packet timeout timestamp (${latestTime} >= ${timeoutTimestamp})`);
    }
    const seq = this.sequence(ctx, "send", sourcePort, sourceChannel);
    const packet: Packet = {
      sequence: seq,
      sourcePort,
      sourceChannel,
      destinationPort: channel.counterparty.portId,
      destinationChannel: channel.counterparty.channelId,
      data,
      timeoutHeight,
      timeoutTimestamp,
    };
    ctx.store(keys.STORE).set(keys.packetCommitmentKey(sourcePort, sourceChannel, seq), packetCommitment(timeoutTimestamp, timeoutHeight, data));
    this.setSequence(ctx, "send", sourcePort, sourceChannel, seq + 1n);
    ctx.events.emit(EVENT_SEND_PACKET, packetAttributes(packet, channel.ordering, connectionId, true));
    // As ibc-go: relayers subscribe to txs with message.module = 'ibc_channel', and an application's own
    // message (MsgTransfer) carries its own module name, so the packet adds this one.
    ctx.events.emit("message", { module: MODULE_CHANNEL });
    return seq;
  }

  recvPacket(ctx: Context, packet: Packet, proofCommitment: Uint8Array, proofHeight: Height, relayer: string): PacketResult {
    const channel = this.requireChannel(ctx, packet.destinationPort, packet.destinationChannel);
    if (channel.state !== State.STATE_OPEN) throw channelError(ChannelCode.InvalidChannelState, `channel state is not OPEN (got ${stateName(channel.state)})`);
    if (packet.sourcePort !== channel.counterparty.portId || packet.sourceChannel !== channel.counterparty.channelId) {
      throw channelError(
        ChannelCode.InvalidPacket,
        `packet source (${packet.sourcePort}/${packet.sourceChannel}) does not match the channel's counterparty (${channel.counterparty.portId}/${channel.counterparty.channelId})`,
      );
    }
    const { id: connectionId, end: connection } = this.openConnection(ctx, channel);
    const self = this.clients.selfHeight(ctx);
    if (!isZero(packet.timeoutHeight) && compareHeights(self, packet.timeoutHeight) >= 0) {
      throw channelError(ChannelCode.TimeoutElapsed, `block height >= packet timeout height (${heightString(self)} >= ${heightString(packet.timeoutHeight)})`);
    }
    const now = this.clients.nowNs(ctx);
    if (packet.timeoutTimestamp !== 0n && now >= packet.timeoutTimestamp) {
      throw channelError(ChannelCode.TimeoutElapsed, `block timestamp >= packet timeout timestamp (${now} >= ${packet.timeoutTimestamp})`);
    }
    // A packet already received is a no-op that succeeds (a relayer raced another), before any proof is checked.
    if (channel.ordering === Order.ORDER_ORDERED) {
      const next = this.sequence(ctx, "recv", packet.destinationPort, packet.destinationChannel);
      if (packet.sequence < next) return "NOOP";
      if (packet.sequence > next) {
        throw channelError(ChannelCode.PacketSequenceOutOfOrder, `packet sequence ≠ next receive sequence (${packet.sequence} ≠ ${next})`);
      }
    } else if (this.hasReceipt(ctx, packet.destinationPort, packet.destinationChannel, packet.sequence)) {
      return "NOOP";
    }
    this.connections.verifyMembership(
      ctx,
      connection,
      proofHeight,
      proofCommitment,
      packetCommitmentPath(packet.sourcePort, packet.sourceChannel, packet.sequence),
      packetCommitment(packet.timeoutTimestamp, packet.timeoutHeight, packet.data),
      { code: ClientCode.FailedPacketCommitmentVerification, codespace: "client", what: "failed packet commitment verification" },
      true,
    );
    if (channel.ordering === Order.ORDER_ORDERED) this.setSequence(ctx, "recv", packet.destinationPort, packet.destinationChannel, packet.sequence + 1n);
    else ctx.store(keys.STORE).set(keys.packetReceiptKey(packet.destinationPort, packet.destinationChannel, packet.sequence), packetReceiptValue());
    const attrs = packetAttributes(packet, channel.ordering, connectionId, true);
    ctx.events.emit(EVENT_RECV_PACKET, attrs);
    ctx.events.emit(EVENT_RECEIVE_PACKET, attrs);
    // The application runs on a branch: an error acknowledgement keeps none of its changes.
    const appCtx = ctx.child();
    const { ack, success } = this.app(packet.destinationPort).onRecvPacket(appCtx, packet, relayer);
    if (success) ctx.keep(appCtx);
    else ctx.keepEventsOnly(appCtx);
    this.writeAcknowledgement(ctx, packet, ack, channel, connectionId);
    return "SUCCESS";
  }

  private writeAcknowledgement(ctx: Context, packet: Packet, ack: Uint8Array, channel: Channel, connectionId: string): void {
    if (ack.length === 0) throw channelError(ChannelCode.InvalidAcknowledgement, "acknowledgement cannot be empty");
    const key = keys.packetAckKey(packet.destinationPort, packet.destinationChannel, packet.sequence);
    const store = ctx.store(keys.STORE);
    if (store.has(key)) throw channelError(ChannelCode.AcknowledgementExists, `acknowledgement for packet sequence ${packet.sequence} already exists`);
    store.set(key, acknowledgementCommitment(ack));
    ctx.events.emit(EVENT_WRITE_ACK, {
      ...packetAttributes(packet, channel.ordering, connectionId, true),
      [ATTR_PACKET_ACK]: Buffer.from(ack).toString("utf8"),
      [ATTR_PACKET_ACK_HEX]: Buffer.from(ack).toString("hex"),
    });
  }

  acknowledgePacket(ctx: Context, packet: Packet, ack: Uint8Array, proofAcked: Uint8Array, proofHeight: Height, relayer: string): PacketResult {
    const channel = this.requireChannel(ctx, packet.sourcePort, packet.sourceChannel);
    if (channel.state !== State.STATE_OPEN) throw channelError(ChannelCode.InvalidChannelState, `channel state is not OPEN (got ${stateName(channel.state)})`);
    this.checkDestination(channel, packet);
    const { id: connectionId, end: connection } = this.openConnection(ctx, channel);
    const commitment = this.packetCommitment(ctx, packet.sourcePort, packet.sourceChannel, packet.sequence);
    if (commitment === undefined) return "NOOP";
    if (!commitment.equals(packetCommitment(packet.timeoutTimestamp, packet.timeoutHeight, packet.data))) {
      throw channelError(ChannelCode.InvalidPacket, "commitment bytes are not equal: the packet is not the one this chain sent");
    }
    this.connections.verifyMembership(
      ctx,
      connection,
      proofHeight,
      proofAcked,
      packetAcknowledgementPath(packet.destinationPort, packet.destinationChannel, packet.sequence),
      acknowledgementCommitment(ack),
      { code: ClientCode.FailedPacketAckVerification, codespace: "client", what: "failed packet acknowledgement verification" },
      true,
    );
    if (channel.ordering === Order.ORDER_ORDERED) {
      const next = this.sequence(ctx, "ack", packet.sourcePort, packet.sourceChannel);
      if (packet.sequence !== next)
        throw channelError(ChannelCode.PacketSequenceOutOfOrder, `packet sequence ≠ next ack sequence (${packet.sequence} ≠ ${next})`);
      this.setSequence(ctx, "ack", packet.sourcePort, packet.sourceChannel, next + 1n);
    }
    ctx.store(keys.STORE).delete(keys.packetCommitmentKey(packet.sourcePort, packet.sourceChannel, packet.sequence));
    ctx.events.emit(EVENT_ACKNOWLEDGE_PACKET, packetAttributes(packet, channel.ordering, connectionId, false));
    this.app(packet.sourcePort).onAcknowledgementPacket(ctx, packet, ack, relayer);
    return "SUCCESS";
  }

  /** MsgTimeout, or with `proofClose` MsgTimeoutOnClose (the counterparty closed the channel: no time check). */
  timeoutPacket(
    ctx: Context,
    packet: Packet,
    proofUnreceived: Uint8Array,
    proofHeight: Height,
    nextSequenceRecv: bigint,
    relayer: string,
    proofClose?: Uint8Array,
  ): PacketResult {
    const channel = this.requireChannel(ctx, packet.sourcePort, packet.sourceChannel);
    this.checkDestination(channel, packet);
    const { id: connectionId, end: connection } = this.channelConnection(ctx, channel);
    const commitment = this.packetCommitment(ctx, packet.sourcePort, packet.sourceChannel, packet.sequence);
    if (commitment === undefined) return "NOOP";
    if (channel.state !== State.STATE_OPEN && proofClose === undefined) {
      throw channelError(ChannelCode.InvalidChannelState, `channel state is not OPEN (got ${stateName(channel.state)})`);
    }
    if (!commitment.equals(packetCommitment(packet.timeoutTimestamp, packet.timeoutHeight, packet.data))) {
      throw channelError(ChannelCode.InvalidPacket, "commitment bytes are not equal: the packet is not the one this chain sent");
    }
    if (proofClose === undefined) {
      const consensus = this.clients.consensusState(ctx, connection.clientId, proofHeight);
      if (consensus === undefined)
        throw channelError(ChannelCode.InvalidPacket, `no consensus state of the counterparty at the proof height ${heightString(proofHeight)}`);
      const proofTime = timestampNs(consensus.timestamp);
      const heightPassed = !isZero(packet.timeoutHeight) && compareHeights(proofHeight, packet.timeoutHeight) >= 0;
      const timePassed = packet.timeoutTimestamp !== 0n && proofTime >= packet.timeoutTimestamp;
      if (!heightPassed && !timePassed) {
        throw channelError(
          ChannelCode.TimeoutNotReached,
          `packet timeout has not been reached for height or timestamp: proof height ${heightString(proofHeight)}, timeout height ${heightString(packet.timeoutHeight)}; proof time ${proofTime}, timeout timestamp ${packet.timeoutTimestamp}`,
        );
      }
    } else {
      const expected = counterpartyEnd(
        channel,
        connection,
        State.STATE_CLOSED,
        { portId: packet.sourcePort, channelId: packet.sourceChannel },
        channel.version,
      );
      this.verifyChannelState(ctx, connection, proofHeight, proofClose, packet.destinationPort, packet.destinationChannel, expected);
    }
    if (channel.ordering === Order.ORDER_ORDERED) {
      if (nextSequenceRecv > packet.sequence) {
        throw channelError(
          ChannelCode.PacketReceived,
          `packet already received, next sequence receive > packet sequence (${nextSequenceRecv} > ${packet.sequence})`,
        );
      }
      this.connections.verifyMembership(
        ctx,
        connection,
        proofHeight,
        proofUnreceived,
        nextSequenceRecvPath(packet.destinationPort, packet.destinationChannel),
        keys.be64(nextSequenceRecv),
        { code: ClientCode.FailedNextSeqRecvVerification, codespace: "client", what: "failed next sequence receive verification" },
        true,
      );
    } else {
      this.connections.verifyNonMembership(
        ctx,
        connection,
        proofHeight,
        proofUnreceived,
        packetReceiptPath(packet.destinationPort, packet.destinationChannel, packet.sequence),
        { code: ClientCode.FailedPacketReceiptVerification, codespace: "client", what: "failed packet receipt absence verification" },
      );
    }
    ctx.store(keys.STORE).delete(keys.packetCommitmentKey(packet.sourcePort, packet.sourceChannel, packet.sequence));
    if (channel.ordering === Order.ORDER_ORDERED) this.storeChannel(ctx, packet.sourcePort, packet.sourceChannel, { ...channel, state: State.STATE_CLOSED });
    ctx.events.emit(
      proofClose === undefined ? EVENT_TIMEOUT_PACKET : EVENT_TIMEOUT_ON_CLOSE_PACKET,
      packetAttributes(packet, channel.ordering, connectionId, false),
    );
    if (channel.ordering === Order.ORDER_ORDERED) ctx.events.emit(EVENT_CHANNEL_CLOSED, channelAttributes(packet.sourcePort, packet.sourceChannel, channel));
    this.app(packet.sourcePort).onTimeoutPacket(ctx, packet, relayer);
    return "SUCCESS";
  }

  // ---- helpers ----

  private checkDestination(channel: Channel, packet: Packet): void {
    if (packet.destinationPort !== channel.counterparty.portId || packet.destinationChannel !== channel.counterparty.channelId) {
      throw channelError(
        ChannelCode.InvalidPacket,
        `packet destination (${packet.destinationPort}/${packet.destinationChannel}) does not match the channel's counterparty (${channel.counterparty.portId}/${channel.counterparty.channelId})`,
      );
    }
  }

  private checkHops(hops: string[]): string {
    if (hops.length !== 1) throw channelError(ChannelCode.TooManyConnectionHops, `expected exactly 1 connection hop, got ${hops.length}`);
    return hops[0]!;
  }

  private openConnection(ctx: Context, channel: Channel): { id: string; end: ConnectionEnd } {
    const c = this.channelConnection(ctx, channel);
    if (c.end.state !== ConnectionState.STATE_OPEN)
      throw connectionError(ConnectionCode.InvalidConnectionState, `connection state is not OPEN (got ${c.end.state})`);
    return c;
  }

  private requireActiveClient(ctx: Context, clientId: string) {
    const cs = this.clients.clientState(ctx, clientId);
    const status = this.clients.clientStatus(ctx, clientId);
    if (cs === undefined || status !== "Active") throw clientError(ClientCode.ClientNotActive, `client (${clientId}) status is ${status}`);
    return cs;
  }

  private verifyChannelState(
    ctx: Context,
    connection: ConnectionEnd,
    proofHeight: Height,
    proof: Uint8Array,
    portId: string,
    channelId: string,
    expected: Channel,
  ): void {
    this.connections.verifyMembership(ctx, connection, proofHeight, proof, channelPath(portId, channelId), Channel.encode(expected).finish(), {
      code: ClientCode.FailedChannelStateVerification,
      codespace: "client",
      what: `failed channel state verification for client (${connection.clientId})`,
    });
  }

  private nextChannelId(ctx: Context): string {
    const store = ctx.store(keys.STORE);
    const v = store.get(keys.nextChannelSequenceKey);
    const seq = v === undefined ? 0n : v.readBigUInt64BE(0);
    store.set(keys.nextChannelSequenceKey, keys.be64(seq + 1n));
    return `channel-${seq}`;
  }

  private initChannel(ctx: Context, portId: string, channelId: string, channel: Channel): void {
    this.storeChannel(ctx, portId, channelId, channel);
    for (const kind of ["send", "recv", "ack"] as const) this.setSequence(ctx, kind, portId, channelId, 1n);
  }

  private storeChannel(ctx: Context, portId: string, channelId: string, channel: Channel): void {
    ctx.store(keys.STORE).set(keys.channelKey(portId, channelId), Channel.encode(channel).finish());
  }
}

/** The channel end the counterparty should hold: `state`, this end's ordering, `us` as its counterparty, over its side of the connection. */
function counterpartyEnd(channel: Channel, connection: ConnectionEnd, state: State, us: { portId: string; channelId: string }, version: string): Channel {
  return { state, ordering: channel.ordering, counterparty: us, connectionHops: [connection.counterparty.connectionId], version };
}

const isZero = (h: Height | undefined): boolean => h === undefined || (h.revisionNumber === 0n && h.revisionHeight === 0n);

function checkOrderSupported(connection: ConnectionEnd, order: Order): void {
  const feature = order === Order.ORDER_ORDERED ? "ORDER_ORDERED" : order === Order.ORDER_UNORDERED ? "ORDER_UNORDERED" : "";
  if (feature === "") throw channelError(ChannelCode.InvalidChannelOrdering, `invalid channel ordering ${order}`);
  if (connection.versions.length !== 1 || !connection.versions[0]!.features.includes(feature)) {
    throw channelError(ChannelCode.InvalidChannelOrdering, `connection version does not support channel ordering: ${feature}`);
  }
}
