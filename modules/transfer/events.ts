// The events ICS-20 transfer emits, with ibc-go v8's names, plus the exposure limit's own.

export const MODULE_NAME = "transfer";

export const EVENT_TRANSFER = "ibc_transfer";
export const EVENT_PACKET = "fungible_token_packet";
export const EVENT_TIMEOUT = "timeout";
export const EVENT_DENOM_TRACE = "denomination_trace";
/** Mira's own: a transfer or a received packet refused by the channel's exposure limit. */
export const EVENT_RATE_LIMIT_EXCEEDED = "rate_limit_exceeded";

export const ATTR_MODULE = "module";
export const ATTR_SENDER = "sender";
export const ATTR_RECEIVER = "receiver";
export const ATTR_DENOM = "denom";
export const ATTR_AMOUNT = "amount";
export const ATTR_MEMO = "memo";
export const ATTR_SUCCESS = "success";
export const ATTR_ERROR = "error";
export const ATTR_ACK = "acknowledgement";
export const ATTR_ACK_SUCCESS = "success";
export const ATTR_ACK_ERROR = "error";
export const ATTR_REFUND_RECEIVER = "refund_receiver";
export const ATTR_REFUND_DENOM = "refund_denom";
export const ATTR_REFUND_AMOUNT = "refund_amount";
export const ATTR_TRACE_HASH = "trace_hash";
export const ATTR_CHANNEL = "channel";
export const ATTR_DIRECTION = "direction";
export const ATTR_QUOTA = "quota";
export const ATTR_NET_FLOW = "net_flow";
