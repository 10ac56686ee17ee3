// ICS-20 transfer's error codes, in ibc-go v8's "transfer" codespace and numbers; the exposure limit is Mira's own.
import { ChainError, registerCodes } from "../../app/core/errors";

export const CODESPACE = "transfer";

export const TransferCode = registerCodes(CODESPACE, {
  InvalidPacketTimeout: 2,
  InvalidDenomForTransfer: 3,
  InvalidVersion: 4,
  InvalidAmount: 5,
  TraceNotFound: 6,
  SendDisabled: 7,
  ReceiveDisabled: 8,
  MaxTransferChannels: 9,
  InvalidAuthorization: 10,
  InvalidMemo: 11,
  /** Mira's own: the transfer would take the channel's net flow of the denom past its exposure limit in the current window. */
  RateLimitExceeded: 50,
} as const);

export type TransferCodeValue = (typeof TransferCode)[keyof typeof TransferCode];

export function transferError(code: TransferCodeValue, message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}
