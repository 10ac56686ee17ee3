/**
 * The chain's one error type for tx and query failures, with the Cosmos SDK's codespace and codes
 * so that CosmJS, relayers and explorers read them as they read any SDK chain's.
 */
export const SDK_CODESPACE = "sdk";

export const SdkCode = {
  TxDecode: 2,
  InvalidSequence: 3,
  Unauthorized: 4,
  InsufficientFunds: 5,
  UnknownRequest: 6,
  InvalidAddress: 7,
  InvalidPubKey: 8,
  UnknownAddress: 9,
  InvalidCoins: 10,
  OutOfGas: 11,
  MemoTooLarge: 12,
  InsufficientFee: 13,
  TooManySignatures: 14,
  NoSignatures: 15,
  InvalidRequest: 18,
  TxInMempoolCache: 19,
  MempoolIsFull: 20,
  TxTooLarge: 21,
  KeyNotFound: 22,
  InvalidChainId: 28,
  InvalidType: 29,
  TxTimeoutHeight: 30,
  UnknownExtensionOptions: 31,
  WrongSequence: 32,
  UnpackAny: 34,
  NotFound: 38,
  InvalidGasLimit: 41,
} as const;

export class ChainError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly codespace: string = SDK_CODESPACE,
  ) {
    super(message);
    this.name = "ChainError";
  }
}

export function chainError(code: (typeof SdkCode)[keyof typeof SdkCode], message: string): ChainError {
  return new ChainError(code, message);
}
