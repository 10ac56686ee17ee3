// The events IBC emits, with ibc-go v8's type and attribute names: relayers (Hermes) read them by these
// names, so they are not Mira's own. Heights are written "revision-height"; a client message is written
// as the hex of its Any encoding.

/** The `module` attribute of the `message` event for each IBC sub-module's messages. */
export const MODULE_CLIENT = "ibc_client";
export const MODULE_CONNECTION = "ibc_connection";
export const MODULE_CHANNEL = "ibc_channel";

export const EVENT_CREATE_CLIENT = "create_client";
export const EVENT_UPDATE_CLIENT = "update_client";
export const EVENT_UPGRADE_CLIENT = "upgrade_client";
export const EVENT_CLIENT_MISBEHAVIOUR = "client_misbehaviour";

export const ATTR_CLIENT_ID = "client_id";
export const ATTR_CLIENT_TYPE = "client_type";
export const ATTR_CONSENSUS_HEIGHT = "consensus_height";
export const ATTR_CONSENSUS_HEIGHTS = "consensus_heights";
export const ATTR_HEADER = "header";

export const EVENT_CONNECTION_OPEN_INIT = "connection_open_init";
export const EVENT_CONNECTION_OPEN_TRY = "connection_open_try";
export const EVENT_CONNECTION_OPEN_ACK = "connection_open_ack";
export const EVENT_CONNECTION_OPEN_CONFIRM = "connection_open_confirm";

export const ATTR_CONNECTION_ID = "connection_id";
export const ATTR_COUNTERPARTY_CLIENT_ID = "counterparty_client_id";
export const ATTR_COUNTERPARTY_CONNECTION_ID = "counterparty_connection_id";

export const EVENT_CHANNEL_OPEN_INIT = "channel_open_init";
export const EVENT_CHANNEL_OPEN_TRY = "channel_open_try";
export const EVENT_CHANNEL_OPEN_ACK = "channel_open_ack";
export const EVENT_CHANNEL_OPEN_CONFIRM = "channel_open_confirm";
export const EVENT_CHANNEL_CLOSE_INIT = "channel_close_init";
export const EVENT_CHANNEL_CLOSE_CONFIRM = "channel_close_confirm";
export const EVENT_CHANNEL_CLOSED = "channel_closed";

export const EVENT_SEND_PACKET = "send_packet";
/** ibc-go's name for a received packet; `receive_packet` is emitted beside it with the same attributes for readers that use that name. */
export const EVENT_RECV_PACKET = "recv_packet";
export const EVENT_RECEIVE_PACKET = "receive_packet";
export const EVENT_WRITE_ACK = "write_acknowledgement";
export const EVENT_ACKNOWLEDGE_PACKET = "acknowledge_packet";
export const EVENT_TIMEOUT_PACKET = "timeout_packet";
export const EVENT_TIMEOUT_ON_CLOSE_PACKET = "timeout_on_close_packet";

export const ATTR_PORT_ID = "port_id";
export const ATTR_CHANNEL_ID = "channel_id";
export const ATTR_VERSION = "version";
export const ATTR_COUNTERPARTY_PORT_ID = "counterparty_port_id";
export const ATTR_COUNTERPARTY_CHANNEL_ID = "counterparty_channel_id";

export const ATTR_PACKET_DATA = "packet_data";
export const ATTR_PACKET_DATA_HEX = "packet_data_hex";
export const ATTR_PACKET_ACK = "packet_ack";
export const ATTR_PACKET_ACK_HEX = "packet_ack_hex";
export const ATTR_PACKET_TIMEOUT_HEIGHT = "packet_timeout_height";
export const ATTR_PACKET_TIMEOUT_TIMESTAMP = "packet_timeout_timestamp";
export const ATTR_PACKET_SEQUENCE = "packet_sequence";
export const ATTR_PACKET_SRC_PORT = "packet_src_port";
export const ATTR_PACKET_SRC_CHANNEL = "packet_src_channel";
export const ATTR_PACKET_DST_PORT = "packet_dst_port";
export const ATTR_PACKET_DST_CHANNEL = "packet_dst_channel";
export const ATTR_PACKET_CHANNEL_ORDERING = "packet_channel_ordering";
export const ATTR_PACKET_CONNECTION = "packet_connection";

const ORDER_NAMES: Record<number, string> = { 0: "ORDER_NONE_UNSPECIFIED", 1: "ORDER_UNORDERED", 2: "ORDER_ORDERED" };

/** A channel handshake event's attributes. */
export function channelAttributes(
  portId: string,
  channelId: string,
  c: { counterparty: { portId: string; channelId: string }; connectionHops: string[]; version: string },
): Record<string, string> {
  return {
    [ATTR_PORT_ID]: portId,
    [ATTR_CHANNEL_ID]: channelId,
    [ATTR_COUNTERPARTY_PORT_ID]: c.counterparty.portId,
    [ATTR_COUNTERPARTY_CHANNEL_ID]: c.counterparty.channelId,
    [ATTR_CONNECTION_ID]: c.connectionHops[0] ?? "",
    [ATTR_VERSION]: c.version,
  };
}

/** A packet event's attributes; `withData` adds the packet's data (send, receive and write-ack events carry it). */
export function packetAttributes(
  p: {
    sequence: bigint;
    sourcePort: string;
    sourceChannel: string;
    destinationPort: string;
    destinationChannel: string;
    data: Uint8Array;
    timeoutHeight: { revisionNumber: bigint; revisionHeight: bigint };
    timeoutTimestamp: bigint;
  },
  ordering: number,
  connectionId: string,
  withData: boolean,
): Record<string, string> {
  return {
    ...(withData ? { [ATTR_PACKET_DATA]: Buffer.from(p.data).toString("utf8"), [ATTR_PACKET_DATA_HEX]: Buffer.from(p.data).toString("hex") } : {}),
    [ATTR_PACKET_TIMEOUT_HEIGHT]: `${p.timeoutHeight.revisionNumber}-${p.timeoutHeight.revisionHeight}`,
    [ATTR_PACKET_TIMEOUT_TIMESTAMP]: p.timeoutTimestamp.toString(),
    [ATTR_PACKET_SEQUENCE]: p.sequence.toString(),
    [ATTR_PACKET_SRC_PORT]: p.sourcePort,
    [ATTR_PACKET_SRC_CHANNEL]: p.sourceChannel,
    [ATTR_PACKET_DST_PORT]: p.destinationPort,
    [ATTR_PACKET_DST_CHANNEL]: p.destinationChannel,
    [ATTR_PACKET_CHANNEL_ORDERING]: ORDER_NAMES[ordering] ?? String(ordering),
    [ATTR_PACKET_CONNECTION]: connectionId,
  };
}
