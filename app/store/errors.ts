/**
 * The store's one error type. Codes follow the SDK convention of a codespace plus a small integer
 * so that callers (ABCI query, CLI) can surface them unchanged.
 */
export const STORE_CODESPACE = "store";

export const StoreErrorCode = {
  /** The key is empty or not a byte array. */
  InvalidKey: 1,
  /** The value is not a byte array. */
  InvalidValue: 2,
  /** No such substore in this multistore. */
  UnknownStore: 3,
  /** The version was never committed (in the future, or before the first version). */
  VersionNotFound: 4,
  /** The version was committed once but has been pruned. */
  VersionPruned: 5,
  /** A proof cannot be built (for example absence in an empty tree). */
  ProofUnavailable: 6,
  /** A proof failed verification. */
  InvalidProof: 7,
  /** A write to a read-only view, or to a branch that was already written or discarded. */
  ReadOnly: 8,
  /** The database on disk is inconsistent or from an incompatible format. */
  Corrupt: 9,
  /** Invalid options (pruning settings, store names). */
  InvalidOptions: 10,
} as const;

export type StoreErrorCodeValue = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  readonly codespace = STORE_CODESPACE;
  constructor(
    readonly code: StoreErrorCodeValue,
    message: string,
  ) {
    super(message);
    this.name = "StoreError";
  }
}
