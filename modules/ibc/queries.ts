// IBC's gRPC query methods on the one query router (served over gRPC on :9090 and over abci_query). This
// part is ibc.core.client.v1.Query. As in ibc-go, these answers carry no proof: relayers get proofs from
// abci_query on store/ibc/key with prove=true; proof_height is this chain's height of the answer.
import {
  QueryClientParamsResponse,
  QueryClientStateRequest,
  QueryClientStateResponse,
  QueryClientStatesRequest,
  QueryClientStatesResponse,
  QueryClientStatusRequest,
  QueryClientStatusResponse,
  QueryConsensusStateHeightsRequest,
  QueryConsensusStateHeightsResponse,
  QueryConsensusStateRequest,
  QueryConsensusStateResponse,
  QueryConsensusStatesRequest,
  QueryConsensusStatesResponse,
} from "cosmjs-types/ibc/core/client/v1/query";
import {
  QueryClientConnectionsRequest,
  QueryClientConnectionsResponse,
  QueryConnectionClientStateRequest,
  QueryConnectionClientStateResponse,
  QueryConnectionConsensusStateRequest,
  QueryConnectionConsensusStateResponse,
  QueryConnectionRequest,
  QueryConnectionResponse,
  QueryConnectionsRequest,
  QueryConnectionsResponse,
} from "cosmjs-types/ibc/core/connection/v1/query";
import { BinaryWriter } from "cosmjs-types/binary";
import { Order } from "cosmjs-types/ibc/core/channel/v1/channel";
import { Params as ConnectionParams } from "cosmjs-types/ibc/core/connection/v1/connection";
import {
  QueryChannelClientStateRequest,
  QueryChannelClientStateResponse,
  QueryChannelConsensusStateRequest,
  QueryChannelConsensusStateResponse,
  QueryChannelRequest,
  QueryChannelResponse,
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryConnectionChannelsRequest,
  QueryConnectionChannelsResponse,
  QueryNextSequenceReceiveRequest,
  QueryNextSequenceReceiveResponse,
  QueryNextSequenceSendRequest,
  QueryNextSequenceSendResponse,
  QueryPacketAcknowledgementRequest,
  QueryPacketAcknowledgementResponse,
  QueryPacketAcknowledgementsRequest,
  QueryPacketAcknowledgementsResponse,
  QueryPacketCommitmentRequest,
  QueryPacketCommitmentResponse,
  QueryPacketCommitmentsRequest,
  QueryPacketCommitmentsResponse,
  QueryPacketReceiptRequest,
  QueryPacketReceiptResponse,
  QueryUnreceivedAcksRequest,
  QueryUnreceivedAcksResponse,
  QueryUnreceivedPacketsRequest,
  QueryUnreceivedPacketsResponse,
} from "cosmjs-types/ibc/core/channel/v1/query";
import type { Context } from "../../app/core/context";
import { paginate } from "../../app/core/pagination";
import { notFound, type QueryRouter } from "../../app/core/router";
import { ClientCode, clientError } from "./errors";
import type { ChannelKeeper } from "./channel";
import type { ConnectionKeeper } from "./connection";
import { heightString, type IbcKeeper } from "./keeper";
import { validateChannelIdentifier, validateClientIdentifier, validateConnectionIdentifier, validatePortIdentifier } from "./host/identifiers";

const CLIENT = "/ibc.core.client.v1.Query/";
const CONNECTION = "/ibc.core.connection.v1.Query/";
const CHANNEL = "/ibc.core.channel.v1.Query/";

export function registerIbcQueries(router: QueryRouter, ibc: IbcKeeper, connections: ConnectionKeeper, channels: ChannelKeeper): void {
  registerClientQueries(router, ibc);
  registerConnectionQueries(router, ibc, connections);
  registerChannelQueries(router, ibc, connections, channels);
}

function registerClientQueries(router: QueryRouter, ibc: IbcKeeper): void {
  router.register(`${CLIENT}ClientState`, (ctx, bytes) => {
    const req = QueryClientStateRequest.decode(bytes);
    validateClientIdentifier(req.clientId);
    const clientState = ibc.clientStateAny(ctx, req.clientId);
    if (clientState === undefined) throw notFound(`client ${req.clientId}`);
    return QueryClientStateResponse.encode({ clientState, proof: new Uint8Array(), proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CLIENT}ClientStates`, (ctx, bytes) => {
    const req = QueryClientStatesRequest.decode(bytes);
    const { items, pagination } = paginate(ibc.clientStates(ctx), req.pagination);
    return QueryClientStatesResponse.encode({ clientStates: items, pagination }).finish();
  });
  router.register(`${CLIENT}ConsensusState`, (ctx, bytes) => {
    const req = QueryConsensusStateRequest.decode(bytes);
    validateClientIdentifier(req.clientId);
    let height = { revisionNumber: req.revisionNumber, revisionHeight: req.revisionHeight };
    if (req.latestHeight) {
      const cs = ibc.clientState(ctx, req.clientId);
      if (cs === undefined) throw notFound(`client ${req.clientId}`);
      height = cs.latestHeight;
    } else if (req.revisionHeight === 0n) {
      throw clientError(ClientCode.InvalidHeight, "consensus state height cannot be 0");
    }
    const consensusState = ibc.consensusStateAny(ctx, req.clientId, height);
    if (consensusState === undefined) throw notFound(`consensus state of client ${req.clientId} at height ${heightString(height)}`);
    return QueryConsensusStateResponse.encode({ consensusState, proof: new Uint8Array(), proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CLIENT}ConsensusStates`, (ctx, bytes) => {
    const req = QueryConsensusStatesRequest.decode(bytes);
    validateClientIdentifier(req.clientId);
    const { items, pagination } = paginate(ibc.consensusStates(ctx, req.clientId), req.pagination);
    return QueryConsensusStatesResponse.encode({ consensusStates: items, pagination }).finish();
  });
  router.register(`${CLIENT}ConsensusStateHeights`, (ctx, bytes) => {
    const req = QueryConsensusStateHeightsRequest.decode(bytes);
    validateClientIdentifier(req.clientId);
    const { items, pagination } = paginate(ibc.consensusHeights(ctx, req.clientId), req.pagination);
    return QueryConsensusStateHeightsResponse.encode({ consensusStateHeights: items, pagination }).finish();
  });
  router.register(`${CLIENT}ClientStatus`, (ctx, bytes) => {
    const req = QueryClientStatusRequest.decode(bytes);
    validateClientIdentifier(req.clientId);
    return QueryClientStatusResponse.encode({ status: ibc.clientStatus(ctx, req.clientId) }).finish();
  });
  router.register(`${CLIENT}ClientParams`, (ctx) => QueryClientParamsResponse.encode({ params: ibc.clientParams(ctx) }).finish());
  for (const method of ["UpgradedClientState", "UpgradedConsensusState"]) {
    router.register(`${CLIENT}${method}`, () => {
      throw notFound(
        `${method === "UpgradedClientState" ? "upgraded client state" : "upgraded consensus state"} (no upgrade is planned: this chain has no upgrade module yet)`,
      );
    });
  }
}

function registerConnectionQueries(router: QueryRouter, ibc: IbcKeeper, connections: ConnectionKeeper): void {
  const connectionOf = (ctx: Context, id: string) => {
    const c = connections.connection(ctx, id);
    if (c === undefined) throw notFound(`connection ${id}`);
    return c;
  };
  router.register(`${CONNECTION}Connection`, (ctx, bytes) => {
    const req = QueryConnectionRequest.decode(bytes);
    return QueryConnectionResponse.encode({
      connection: connectionOf(ctx, req.connectionId),
      proof: new Uint8Array(),
      proofHeight: ibc.selfHeight(ctx),
    }).finish();
  });
  router.register(`${CONNECTION}Connections`, (ctx, bytes) => {
    const req = QueryConnectionsRequest.decode(bytes);
    const { items, pagination } = paginate(connections.connections(ctx), req.pagination);
    return QueryConnectionsResponse.encode({ connections: items, pagination, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CONNECTION}ClientConnections`, (ctx, bytes) => {
    const req = QueryClientConnectionsRequest.decode(bytes);
    validateClientIdentifier(req.clientId);
    const paths = connections.clientConnections(ctx, req.clientId);
    if (paths.length === 0) throw notFound(`connections of client ${req.clientId}`);
    return QueryClientConnectionsResponse.encode({ connectionPaths: paths, proof: new Uint8Array(), proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CONNECTION}ConnectionClientState`, (ctx, bytes) => {
    const req = QueryConnectionClientStateRequest.decode(bytes);
    const c = connectionOf(ctx, req.connectionId);
    const clientState = ibc.clientStateAny(ctx, c.clientId);
    if (clientState === undefined) throw notFound(`client ${c.clientId}`);
    return QueryConnectionClientStateResponse.encode({
      identifiedClientState: { clientId: c.clientId, clientState },
      proof: new Uint8Array(),
      proofHeight: ibc.selfHeight(ctx),
    }).finish();
  });
  router.register(`${CONNECTION}ConnectionConsensusState`, (ctx, bytes) => {
    const req = QueryConnectionConsensusStateRequest.decode(bytes);
    const c = connectionOf(ctx, req.connectionId);
    const height = { revisionNumber: req.revisionNumber, revisionHeight: req.revisionHeight };
    const consensusState = ibc.consensusStateAny(ctx, c.clientId, height);
    if (consensusState === undefined) throw notFound(`consensus state of client ${c.clientId} at height ${heightString(height)}`);
    return QueryConnectionConsensusStateResponse.encode({
      consensusState,
      clientId: c.clientId,
      proof: new Uint8Array(),
      proofHeight: ibc.selfHeight(ctx),
    }).finish();
  });
  // cosmjs-types encodes this response with 02-client's Params (a codegen slip): the connection Params are written by hand.
  router.register(`${CONNECTION}ConnectionParams`, (ctx) => {
    const w = BinaryWriter.create();
    w.uint32(10).bytes(ConnectionParams.encode(connections.params(ctx)).finish());
    return w.finish();
  });
}

function registerChannelQueries(router: QueryRouter, ibc: IbcKeeper, connections: ConnectionKeeper, channels: ChannelKeeper): void {
  const none = new Uint8Array();
  const channelOf = (ctx: Context, portId: string, channelId: string) => {
    validatePortIdentifier(portId);
    validateChannelIdentifier(channelId);
    const c = channels.channel(ctx, portId, channelId);
    if (c === undefined) throw notFound(`channel ${portId}/${channelId}`);
    return c;
  };
  router.register(`${CHANNEL}Channel`, (ctx, bytes) => {
    const req = QueryChannelRequest.decode(bytes);
    return QueryChannelResponse.encode({ channel: channelOf(ctx, req.portId, req.channelId), proof: none, proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}Channels`, (ctx, bytes) => {
    const { items, pagination } = paginate(channels.channels(ctx), QueryChannelsRequest.decode(bytes).pagination);
    return QueryChannelsResponse.encode({ channels: items, pagination, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}ConnectionChannels`, (ctx, bytes) => {
    const req = QueryConnectionChannelsRequest.decode(bytes);
    validateConnectionIdentifier(req.connection);
    const mine = [...channels.channels(ctx)].filter((c) => c.connectionHops[0] === req.connection);
    const { items, pagination } = paginate(mine, req.pagination);
    return QueryConnectionChannelsResponse.encode({ channels: items, pagination, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}ChannelClientState`, (ctx, bytes) => {
    const req = QueryChannelClientStateRequest.decode(bytes);
    const c = channelOf(ctx, req.portId, req.channelId);
    const clientId = connections.requireConnection(ctx, c.connectionHops[0]!).clientId;
    const clientState = ibc.clientStateAny(ctx, clientId);
    if (clientState === undefined) throw notFound(`client ${clientId}`);
    return QueryChannelClientStateResponse.encode({ identifiedClientState: { clientId, clientState }, proof: none, proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}ChannelConsensusState`, (ctx, bytes) => {
    const req = QueryChannelConsensusStateRequest.decode(bytes);
    const c = channelOf(ctx, req.portId, req.channelId);
    const clientId = connections.requireConnection(ctx, c.connectionHops[0]!).clientId;
    const height = { revisionNumber: req.revisionNumber, revisionHeight: req.revisionHeight };
    const consensusState = ibc.consensusStateAny(ctx, clientId, height);
    if (consensusState === undefined) throw notFound(`consensus state of client ${clientId} at height ${heightString(height)}`);
    return QueryChannelConsensusStateResponse.encode({ consensusState, clientId, proof: none, proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}PacketCommitment`, (ctx, bytes) => {
    const req = QueryPacketCommitmentRequest.decode(bytes);
    if (req.sequence === 0n) throw clientError(ClientCode.InvalidHeight, "packet sequence cannot be 0");
    const commitment = channels.packetCommitment(ctx, req.portId, req.channelId, req.sequence);
    if (commitment === undefined) throw notFound(`packet commitment ${req.portId}/${req.channelId}/${req.sequence}`);
    return QueryPacketCommitmentResponse.encode({ commitment, proof: none, proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}PacketCommitments`, (ctx, bytes) => {
    const req = QueryPacketCommitmentsRequest.decode(bytes);
    channelOf(ctx, req.portId, req.channelId);
    const { items, pagination } = paginate(channels.packetCommitments(ctx, req.portId, req.channelId), req.pagination);
    return QueryPacketCommitmentsResponse.encode({ commitments: items, pagination, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}PacketReceipt`, (ctx, bytes) => {
    const req = QueryPacketReceiptRequest.decode(bytes);
    return QueryPacketReceiptResponse.encode({
      received: channels.hasReceipt(ctx, req.portId, req.channelId, req.sequence),
      proof: none,
      proofHeight: ibc.selfHeight(ctx),
    }).finish();
  });
  router.register(`${CHANNEL}PacketAcknowledgement`, (ctx, bytes) => {
    const req = QueryPacketAcknowledgementRequest.decode(bytes);
    const acknowledgement = channels.packetAcknowledgement(ctx, req.portId, req.channelId, req.sequence);
    if (acknowledgement === undefined) throw notFound(`packet acknowledgement ${req.portId}/${req.channelId}/${req.sequence}`);
    return QueryPacketAcknowledgementResponse.encode({ acknowledgement, proof: none, proofHeight: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}PacketAcknowledgements`, (ctx, bytes) => {
    const req = QueryPacketAcknowledgementsRequest.decode(bytes);
    channelOf(ctx, req.portId, req.channelId);
    if (req.packetCommitmentSequences.length > 0) {
      const acknowledgements = req.packetCommitmentSequences.flatMap((sequence) => {
        const data = channels.packetAcknowledgement(ctx, req.portId, req.channelId, sequence);
        return data === undefined ? [] : [{ portId: req.portId, channelId: req.channelId, sequence, data }];
      });
      return QueryPacketAcknowledgementsResponse.encode({ acknowledgements, pagination: { nextKey: none, total: 0n }, height: ibc.selfHeight(ctx) }).finish();
    }
    const { items, pagination } = paginate(channels.packetAcknowledgements(ctx, req.portId, req.channelId), req.pagination);
    return QueryPacketAcknowledgementsResponse.encode({ acknowledgements: items, pagination, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}UnreceivedPackets`, (ctx, bytes) => {
    const req = QueryUnreceivedPacketsRequest.decode(bytes);
    const c = channelOf(ctx, req.portId, req.channelId);
    const next = channels.sequence(ctx, "recv", req.portId, req.channelId);
    const sequences = req.packetCommitmentSequences.filter((seq) => {
      if (seq === 0n) throw clientError(ClientCode.InvalidHeight, "packet sequence cannot be 0");
      return c.ordering === Order.ORDER_ORDERED ? seq >= next : !channels.hasReceipt(ctx, req.portId, req.channelId, seq);
    });
    return QueryUnreceivedPacketsResponse.encode({ sequences, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}UnreceivedAcks`, (ctx, bytes) => {
    const req = QueryUnreceivedAcksRequest.decode(bytes);
    channelOf(ctx, req.portId, req.channelId);
    const sequences = req.packetAckSequences.filter((seq) => {
      if (seq === 0n) throw clientError(ClientCode.InvalidHeight, "packet sequence cannot be 0");
      return channels.packetCommitment(ctx, req.portId, req.channelId, seq) !== undefined;
    });
    return QueryUnreceivedAcksResponse.encode({ sequences, height: ibc.selfHeight(ctx) }).finish();
  });
  router.register(`${CHANNEL}NextSequenceReceive`, (ctx, bytes) => {
    const req = QueryNextSequenceReceiveRequest.decode(bytes);
    channelOf(ctx, req.portId, req.channelId);
    return QueryNextSequenceReceiveResponse.encode({
      nextSequenceReceive: channels.sequence(ctx, "recv", req.portId, req.channelId),
      proof: none,
      proofHeight: ibc.selfHeight(ctx),
    }).finish();
  });
  router.register(`${CHANNEL}NextSequenceSend`, (ctx, bytes) => {
    const req = QueryNextSequenceSendRequest.decode(bytes);
    channelOf(ctx, req.portId, req.channelId);
    return QueryNextSequenceSendResponse.encode({
      nextSequenceSend: channels.sequence(ctx, "send", req.portId, req.channelId),
      proof: none,
      proofHeight: ibc.selfHeight(ctx),
    }).finish();
  });
}
