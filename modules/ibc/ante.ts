// IBC's mempool check (ibc-go's RedundantRelayDecorator): in CheckTx and simulation, a tx's client
// updates and packet messages run on the mempool's state, before the messages would (which CheckTx
// never runs). A relayer's second tx of a batch then finds the client its first tx updated (its
// proofs are at that new height), and a tx whose every packet was already relayed is refused
// instead of paying for nothing.
import { MsgRecvPacketResponse, ResponseResultType } from "cosmjs-types/ibc/core/channel/v1/tx";
import type { Context } from "../../app/core/context";
import type { RoutedMsg } from "../../app/core/router";
import { ChannelCode, channelError } from "./errors";

const UPDATE_CLIENT = "/ibc.core.client.v1.MsgUpdateClient";
/** The packet messages; each answers with a response whose field 1 is its ResponseResultType. */
const PACKET_MSGS = new Set([
  "/ibc.core.channel.v1.MsgRecvPacket",
  "/ibc.core.channel.v1.MsgAcknowledgement",
  "/ibc.core.channel.v1.MsgTimeout",
  "/ibc.core.channel.v1.MsgTimeoutOnClose",
]);

/**
 * Runs `msgs`' client updates and packet messages in `ctx` (the ante's branch of the mempool's
 * state, in CheckTx or simulation only); their writes stay there. Throws the message's own error,
 * or RedundantTx when the tx has packet messages and every one of them was already relayed.
 */
export function checkRedundantRelay(ctx: Context, msgs: readonly RoutedMsg[]): void {
  let packets = 0;
  let redundant = 0;
  for (const { handler, msg } of msgs) {
    if (handler.typeUrl === UPDATE_CLIENT) {
      handler.execute(ctx, msg);
    } else if (PACKET_MSGS.has(handler.typeUrl)) {
      const response = handler.execute(ctx, msg);
      packets++;
      if (MsgRecvPacketResponse.decode(response.value).result === ResponseResultType.RESPONSE_RESULT_TYPE_NOOP) redundant++;
    }
  }
  if (packets > 0 && redundant === packets) throw channelError(ChannelCode.RedundantTx, "packet messages are redundant");
}
