// The node's CometBFT RPC as the gRPC services use it: JSON-RPC over HTTP, and the JSON shapes of
// v0.38 (int64 as strings, bytes as base64, hashes as hex) converted to the protobuf types.
import * as grpc from "@grpc/grpc-js";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { BlockID, Commit, Header } from "cosmjs-types/tendermint/types/types";
import { CometRpcError, GrpcStatusError } from "./errors";

export type CometRpc = <T>(method: string, params: Record<string, unknown>) => Promise<T>;

const RPC_TIMEOUT_MS = 10_000;

/**
 * JSON-RPC over HTTP POST rather than GET: a GET carries the tx hex-encoded in the URL, and Go's
 * default header limit (1 MiB) would refuse txs near the mempool's 1 MiB size limit.
 */
export function cometRpc(baseUrl: string | undefined): CometRpc {
  return async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
    if (baseUrl === undefined) throw new GrpcStatusError(grpc.status.UNAVAILABLE, `no CometBFT RPC to ask for ${method}: this app runs without a node`);
    let body: { result?: T; error?: { message: string; data?: string } };
    try {
      const res = await fetch(baseUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
      });
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new GrpcStatusError(grpc.status.UNAVAILABLE, `CometBFT RPC at ${baseUrl} (${method}) did not answer: ${(err as Error).message}`);
    }
    if (body.error) throw new CometRpcError(method, body.error.data || body.error.message);
    return body.result as T;
  };
}

interface RpcEvent {
  type: string;
  attributes?: { key?: string; value?: string; index?: boolean }[];
}

export interface RpcTx {
  hash: string;
  height: string;
  tx: string;
  tx_result: {
    code?: number;
    data?: string | null;
    log?: string;
    info?: string;
    gas_wanted?: string;
    gas_used?: string;
    events?: RpcEvent[];
    codespace?: string;
  };
}

export interface RpcBroadcast {
  code: number;
  data: string;
  log: string;
  codespace: string;
  hash: string;
}

export interface RpcNodeInfo {
  protocol_version: { p2p: string; block: string; app: string };
  id: string;
  listen_addr: string;
  network: string;
  version: string;
  channels: string;
  moniker: string;
  other: { tx_index: string; rpc_address: string };
}

interface RpcBlockId {
  hash: string;
  parts: { total: number; hash: string };
}

export interface RpcHeader {
  version: { block: string; app?: string };
  chain_id: string;
  height: string;
  time: string;
  last_block_id: RpcBlockId;
  last_commit_hash: string;
  data_hash: string;
  validators_hash: string;
  next_validators_hash: string;
  consensus_hash: string;
  app_hash: string;
  last_results_hash: string;
  evidence_hash: string;
  proposer_address: string;
}

interface RpcCommit {
  height: string;
  round: number;
  block_id: RpcBlockId;
  signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[];
}

export interface RpcBlockResult {
  block_id: RpcBlockId;
  block: { header: RpcHeader; data: { txs: string[] }; evidence: { evidence: unknown[] }; last_commit: RpcCommit | null };
}

export function eventFromRpc(event: RpcEvent): Event {
  return {
    type: event.type,
    attributes: (event.attributes ?? []).map((a) => ({ key: a.key ?? "", value: a.value ?? "", index: a.index ?? false })),
  };
}

const fromHex = (hex: string): Uint8Array => Buffer.from(hex, "hex");

export function blockIdFromRpc(id: RpcBlockId): BlockID {
  return { hash: fromHex(id.hash), partSetHeader: { total: id.parts.total, hash: fromHex(id.parts.hash) } };
}

export function headerFromRpc(h: RpcHeader): Header {
  return {
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? "0") },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: timestampFromRfc3339(h.time),
    lastBlockId: blockIdFromRpc(h.last_block_id),
    lastCommitHash: fromHex(h.last_commit_hash),
    dataHash: fromHex(h.data_hash),
    validatorsHash: fromHex(h.validators_hash),
    nextValidatorsHash: fromHex(h.next_validators_hash),
    consensusHash: fromHex(h.consensus_hash),
    appHash: fromHex(h.app_hash),
    lastResultsHash: fromHex(h.last_results_hash),
    evidenceHash: fromHex(h.evidence_hash),
    proposerAddress: fromHex(h.proposer_address),
  };
}

export function commitFromRpc(c: RpcCommit): Commit {
  return {
    height: BigInt(c.height),
    round: c.round,
    blockId: blockIdFromRpc(c.block_id),
    signatures: c.signatures.map((s) => ({
      blockIdFlag: s.block_id_flag,
      validatorAddress: fromHex(s.validator_address),
      timestamp: timestampFromRfc3339(s.timestamp),
      signature: Buffer.from(s.signature ?? "", "base64"),
    })),
  };
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** CometBFT's RFC 3339 time with nanoseconds, as a protobuf Timestamp (Date would drop the nanos). */
export function timestampFromRfc3339(time: string): Timestamp {
  const m = RFC3339.exec(time);
  if (!m) throw new Error(`CometBFT sent a time that is not RFC 3339: ${JSON.stringify(time)}`);
  const millis = Date.parse(`${m[1]}${m[3]}`);
  return { seconds: BigInt(millis / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

/** The time as the SDK writes TxResponse.timestamp (Go's time.RFC3339: whole seconds). */
export function rfc3339Seconds(time: string): string {
  const m = RFC3339.exec(time);
  return m ? `${m[1]}${m[3]}` : time;
}
