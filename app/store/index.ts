export { Branch } from "./branch";
export type { StoreSource } from "./branch";
export { EMPTY_HASH, prefixEnd } from "./encoding";
export { STORE_CODESPACE, StoreError, StoreErrorCode } from "./errors";
export type { IterateOptions, KV, KVReader, KVStore } from "./kv";
export { appHashOf, MultiStore } from "./multistore";
export type { CommitInfo, MultiStoreOptions, ProvenQuery, PruningOptions, StoreRoot } from "./multistore";
export { TreeView } from "./tree";
