// ICS-20's one message: MsgTransfer (ibc.applications.transfer.v1), as CosmJS's sendIbcTokens and Keplr send it.
import { Any } from "cosmjs-types/google/protobuf/any";
import { MsgTransfer, MsgTransferResponse } from "cosmjs-types/ibc/applications/transfer/v1/tx";
import { parseAddress } from "../../app/core/address";
import type { MsgHandler } from "../../app/core/router";
import { TransferCode, transferError } from "./errors";
import { MODULE_NAME } from "./events";
import type { TransferKeeper } from "./keeper";

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

export function transferMsgHandlers(transfer: TransferKeeper): MsgHandler<unknown>[] {
  return [msgTransferHandler(transfer)] as MsgHandler<unknown>[];
}

function msgTransferHandler(transfer: TransferKeeper): MsgHandler<MsgTransfer> {
  return {
    typeUrl: "/ibc.applications.transfer.v1.MsgTransfer",
    module: MODULE_NAME,
    decode: (b) => MsgTransfer.decode(b),
    signers: (m) => [parseAddress(m.sender)],
    validateBasic: (m) => {
      parseAddress(m.sender);
      if (!/^[a-zA-Z0-9._+\-#[\]<>]{2,128}$/.test(m.sourcePort))
        throw transferError(TransferCode.InvalidDenomForTransfer, `invalid source port ID ${m.sourcePort}`);
      if (!/^channel-\d{1,19}$/.test(m.sourceChannel))
        throw transferError(TransferCode.InvalidDenomForTransfer, `invalid source channel ID ${m.sourceChannel}`);
      if (m.token === undefined || !DENOM.test(m.token.denom))
        throw transferError(TransferCode.InvalidDenomForTransfer, `invalid token denom ${m.token?.denom ?? "(none)"}`);
      if (!/^[1-9]\d{0,77}$/.test(m.token.amount))
        throw transferError(TransferCode.InvalidAmount, `amount must be a positive integer, got ${JSON.stringify(m.token.amount)}`);
      if (m.receiver.trim() === "") throw transferError(TransferCode.InvalidDenomForTransfer, "missing recipient address");
      if (m.receiver.length > 2048) throw transferError(TransferCode.InvalidDenomForTransfer, "recipient address must not exceed 2048 bytes");
      if (m.memo.length > 32_768) throw transferError(TransferCode.InvalidMemo, "memo must not exceed 32768 bytes");
      if (m.encoding !== "" && m.encoding !== "application/json")
        throw transferError(TransferCode.InvalidVersion, `unsupported packet encoding ${m.encoding}: this chain speaks ics20-1 (JSON)`);
      if (m.timeoutHeight.revisionHeight === 0n && m.timeoutHeight.revisionNumber === 0n && m.timeoutTimestamp === 0n) {
        throw transferError(TransferCode.InvalidPacketTimeout, "timeout height and timeout timestamp cannot both be 0");
      }
    },
    execute: (ctx, m) => {
      const sequence = transfer.transfer(ctx, m);
      return Any.fromPartial({ typeUrl: "/ibc.applications.transfer.v1.MsgTransferResponse", value: MsgTransferResponse.encode({ sequence }).finish() });
    },
  };
}
