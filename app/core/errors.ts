/**
 * The chain's one error type for tx and query failures, with the Cosmos SDK's codespace and codes
 * so that CosmJS, relayers and explorers read them as they read any SDK chain's.
 */
export const SDK_CODESPACE = "sdk";

const registry = new Map<string, ReadonlyMap<number, string>>();

/**
 * Registers a codespace's codes, once, as the SDK's `errors.Register` does: a codespace registered
 * twice, a code below 2 (1 is the SDK's "internal"), or two names with one code throws when the
 * module loads, so a clash can never reach a client as an ambiguous code. Returns the codes.
 */
export function registerCodes<T extends Record<string, number>>(codespace: string, codes: T): Readonly<T> {
  if (registry.has(codespace)) throw new Error(`error codespace "${codespace}" is registered twice`);
  const names = new Map<number, string>();
  for (const [name, code] of Object.entries(codes)) {
    if (!Number.isSafeInteger(code) || code < 2) throw new Error(`error codespace "${codespace}": ${name} has code ${code}; codes start at 2`);
    const other = names.get(code);
    if (other !== undefined) throw new Error(`error codespace "${codespace}": ${other} and ${name} both have code ${code}`);
    names.set(code, name);
  }
  registry.set(codespace, names);
  return Object.freeze(codes);
}

/** Every registered codespace with its codes and their names (for tests and the docs). */
export function registeredCodes(): ReadonlyMap<string, ReadonlyMap<number, string>> {
  return registry;
}

export const SdkCode = registerCodes(SDK_CODESPACE, {
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
} as const);

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
