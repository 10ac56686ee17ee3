// `mirad query ibc ...` (clients, connections, channels, packets) and `mirad query ibc-transfer ...` (denom
// traces, escrow): the ibc-go gRPC queries, printed as JSON with the SDK's snake_case field names.
import {
  QueryClientStateRequest,
  QueryClientStateResponse,
  QueryClientStatesRequest,
  QueryClientStatesResponse,
  QueryClientStatusRequest,
  QueryClientStatusResponse,
  QueryConsensusStateRequest,
  QueryConsensusStateResponse,
} from "cosmjs-types/ibc/core/client/v1/query";
import { QueryConnectionRequest, QueryConnectionResponse, QueryConnectionsRequest, QueryConnectionsResponse } from "cosmjs-types/ibc/core/connection/v1/query";
import {
  QueryChannelRequest,
  QueryChannelResponse,
  QueryChannelsRequest,
  QueryChannelsResponse,
  QueryPacketCommitmentsRequest,
  QueryPacketCommitmentsResponse,
} from "cosmjs-types/ibc/core/channel/v1/query";
import {
  QueryDenomRequest,
  QueryDenomResponse,
  QueryDenomsRequest,
  QueryDenomsResponse,
  QueryEscrowAddressRequest,
  QueryEscrowAddressResponse,
  QueryTotalEscrowForDenomRequest,
  QueryTotalEscrowForDenomResponse,
} from "cosmjs-types/ibc/applications/transfer/v1/query";
import { ClientState, ConsensusState } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { printJson, usageError } from "./output";
import { QUERY_FLAGS, QUERY_FLAGS_HELP, type QueryHandler, withQueryClient } from "./query-client";
import { sdkObject } from "./query-records";

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  toJSON(m: T): unknown;
}

/** A tendermint client or consensus state Any, decoded so that its fields show. */
function anyJson(any: Any | undefined): unknown {
  if (any === undefined) return null;
  if (any.typeUrl === "/ibc.lightclients.tendermint.v1.ClientState")
    return { "@type": any.typeUrl, ...sdkObject(ClientState.toJSON(ClientState.decode(any.value)) as object) };
  if (any.typeUrl === "/ibc.lightclients.tendermint.v1.ConsensusState")
    return { "@type": any.typeUrl, ...sdkObject(ConsensusState.toJSON(ConsensusState.decode(any.value)) as object) };
  return { "@type": any.typeUrl, value: Buffer.from(any.value).toString("base64") };
}

/** One query command: its usage, its positional arguments, the request it builds and how it prints. */
function command<Req, Res>(spec: {
  name: string;
  usage: string;
  about: string;
  args: string[];
  /** Positional arguments that may follow the required ones. */
  optional?: string[];
  method: string;
  request: Codec<Req>;
  response: Codec<Res>;
  build: (args: string[]) => Req;
  print?: (res: Res) => unknown;
}): QueryHandler {
  const help = `${spec.about}\n\nUsage: mirad query ${spec.usage} [flags]\n\n${QUERY_FLAGS_HELP}`;
  return async (argv) => {
    const flags = parseFlags(argv, QUERY_FLAGS, `query ${spec.name}`);
    if (flags.values.help === true) return printHelp(help);
    const given = flags.positionals.slice(0, spec.args.length + (spec.optional?.length ?? 0));
    if (flags.positionals.length > given.length) throw usageError(`unexpected argument "${flags.positionals[given.length]}"`, `query ${spec.name}`);
    const args = [...positionalArguments(given.slice(0, spec.args.length), spec.args, `query ${spec.name}`), ...given.slice(spec.args.length)];
    const height = integerFlag(flags.values.height, "height", `query ${spec.name}`);
    const res = await withQueryClient(flags.values.node, height, (client) => client.queryAbci(spec.method, spec.request.encode(spec.build(args)).finish()));
    const decoded = spec.response.decode(res.value);
    printJson(spec.print ? spec.print(decoded) : sdkObject(spec.response.toJSON(decoded) as object));
    return 0;
  };
}

const C = "/ibc.core.client.v1.Query/";
const N = "/ibc.core.connection.v1.Query/";
const H = "/ibc.core.channel.v1.Query/";
const T = "/ibc.applications.transfer.v1.Query/";

export const IBC_COMMANDS: Readonly<Record<string, QueryHandler>> = {
  "client-state": command({
    name: "ibc client-state",
    usage: "ibc client-state <client-id>",
    about: "A light client's state (chain id, latest height, trusting period, frozen height...)",
    args: ["client-id"],
    method: `${C}ClientState`,
    request: QueryClientStateRequest,
    response: QueryClientStateResponse,
    build: ([clientId]) => ({ clientId: clientId! }),
    print: (r) => ({ client_state: anyJson(r.clientState), proof_height: sdkObject(r.proofHeight) }),
  }),
  "client-states": command({
    name: "ibc client-states",
    usage: "ibc client-states",
    about: "Every light client on this chain",
    args: [],
    method: `${C}ClientStates`,
    request: QueryClientStatesRequest,
    response: QueryClientStatesResponse,
    build: () => ({}),
    print: (r) => ({ client_states: r.clientStates.map((c) => ({ client_id: c.clientId, client_state: anyJson(c.clientState) })) }),
  }),
  "client-status": command({
    name: "ibc client-status",
    usage: "ibc client-status <client-id>",
    about: "Whether a light client is Active, Expired (no update within its trusting period) or Frozen (misbehaviour)",
    args: ["client-id"],
    method: `${C}ClientStatus`,
    request: QueryClientStatusRequest,
    response: QueryClientStatusResponse,
    build: ([clientId]) => ({ clientId: clientId! }),
  }),
  "consensus-state": command({
    name: "ibc consensus-state",
    usage: "ibc consensus-state <client-id> [revision-height, e.g. 1-120]",
    about: "A light client's consensus state (time, app hash, next validators hash) at a height of the other chain; the latest without one",
    args: ["client-id"],
    optional: ["revision-height"],
    method: `${C}ConsensusState`,
    request: QueryConsensusStateRequest,
    response: QueryConsensusStateResponse,
    build: ([clientId, at]) => {
      const m = at === undefined ? null : /^(\d+)-(\d+)$/.exec(at);
      return m === null
        ? { clientId: clientId!, revisionNumber: 0n, revisionHeight: 0n, latestHeight: true }
        : { clientId: clientId!, revisionNumber: BigInt(m[1]!), revisionHeight: BigInt(m[2]!), latestHeight: false };
    },
    print: (r) => ({ consensus_state: anyJson(r.consensusState), proof_height: sdkObject(r.proofHeight) }),
  }),
  connection: command({
    name: "ibc connection",
    usage: "ibc connection <connection-id>",
    about: "A connection end: its client, state, counterparty and versions",
    args: ["connection-id"],
    method: `${N}Connection`,
    request: QueryConnectionRequest,
    response: QueryConnectionResponse,
    build: ([connectionId]) => ({ connectionId: connectionId! }),
  }),
  connections: command({
    name: "ibc connections",
    usage: "ibc connections",
    about: "Every connection end on this chain",
    args: [],
    method: `${N}Connections`,
    request: QueryConnectionsRequest,
    response: QueryConnectionsResponse,
    build: () => ({}),
  }),
  channel: command({
    name: "ibc channel",
    usage: "ibc channel <port-id> <channel-id>",
    about: "A channel end: its state, ordering, counterparty, connection and version",
    args: ["port-id", "channel-id"],
    method: `${H}Channel`,
    request: QueryChannelRequest,
    response: QueryChannelResponse,
    build: ([portId, channelId]) => ({ portId: portId!, channelId: channelId! }),
  }),
  channels: command({
    name: "ibc channels",
    usage: "ibc channels",
    about: "Every channel end on this chain",
    args: [],
    method: `${H}Channels`,
    request: QueryChannelsRequest,
    response: QueryChannelsResponse,
    build: () => ({}),
  }),
  "packet-commitments": command({
    name: "ibc packet-commitments",
    usage: "ibc packet-commitments <port-id> <channel-id>",
    about: "The packets sent over a channel that are not yet acknowledged or timed out",
    args: ["port-id", "channel-id"],
    method: `${H}PacketCommitments`,
    request: QueryPacketCommitmentsRequest,
    response: QueryPacketCommitmentsResponse,
    build: ([portId, channelId]) => ({ portId: portId!, channelId: channelId! }),
  }),
};

export const TRANSFER_COMMANDS: Readonly<Record<string, QueryHandler>> = {
  "denom-trace": command({
    name: "ibc-transfer denom-trace",
    usage: "ibc-transfer denom-trace <hash | ibc/hash>",
    about: "Where a voucher comes from: the ports and channels it crossed, and its base denom",
    args: ["hash"],
    method: `${T}Denom`,
    request: QueryDenomRequest,
    response: QueryDenomResponse,
    build: ([hash]) => ({ hash: hash! }),
  }),
  "denom-traces": command({
    name: "ibc-transfer denom-traces",
    usage: "ibc-transfer denom-traces",
    about: "Every voucher denom this chain has minted",
    args: [],
    method: `${T}Denoms`,
    request: QueryDenomsRequest,
    response: QueryDenomsResponse,
    build: () => ({}),
  }),
  "escrow-address": command({
    name: "ibc-transfer escrow-address",
    usage: "ibc-transfer escrow-address <channel-id> [port-id]",
    about: "The account that holds the coins sent out over a channel",
    args: ["channel-id"],
    optional: ["port-id"],
    method: `${T}EscrowAddress`,
    request: QueryEscrowAddressRequest,
    response: QueryEscrowAddressResponse,
    build: ([channelId, portId]) => ({ portId: portId ?? "transfer", channelId: channelId! }),
  }),
  escrow: command({
    name: "ibc-transfer escrow",
    usage: "ibc-transfer escrow <denom>",
    about: "How much of a denom all transfer channels hold in escrow together",
    args: ["denom"],
    method: `${T}TotalEscrowForDenom`,
    request: QueryTotalEscrowForDenomRequest,
    response: QueryTotalEscrowForDenomResponse,
    build: ([denom]) => ({ denom: denom! }),
  }),
};
