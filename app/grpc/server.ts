// The chain's gRPC server (what Hermes, grpcurl and the CLI use): every query method the app routes,
// served through one generic handler over raw protobuf bytes, plus the Cosmos tx, tendermint and
// node services that clients expect from any SDK chain. Those that need the chain's history or the
// mempool ask the node's CometBFT RPC.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { ConfigRequest, ConfigResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import {
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockRequest,
  GetLatestBlockResponse,
  GetNodeInfoRequest,
  GetNodeInfoResponse,
  VersionInfo,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import {
  BroadcastMode,
  broadcastModeToJSON,
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetTxRequest,
  GetTxResponse,
  SimulateRequest,
  SimulateResponse,
} from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { BlockID, Commit, Header } from "cosmjs-types/tendermint/types/types";
import { ChainError, chainError, SDK_CODESPACE, SdkCode } from "../core/errors";
import { decodeTx } from "../core/tx-decode";
import type { GrpcBackend } from "./backend";

/** The metadata key that carries a query's height both ways, as in the Cosmos SDK. */
export const BLOCK_HEIGHT_HEADER = "x-cosmos-block-height";

export interface GrpcServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `backend.queryMethods()` and the built-in services on `address` ("host:port"; port 0 picks
 * a free one). The built-in services win over a query method of the same path.
 */
export async function startGrpcServer(backend: GrpcBackend, address = "127.0.0.1:9090"): Promise<GrpcServer> {
  const methods = builtinMethods(backend);
  for (const method of backend.queryMethods()) {
    if (!methods.has(method)) methods.set(method, queryHandler(backend, method));
  }
  const server = new grpc.Server({
    // As the SDK's gRPC server: requests up to 10 MiB, responses (blocks, pages of state) unbounded.
    "grpc.max_receive_message_length": 10 * 1024 * 1024,
    "grpc.max_send_message_length": -1,
  });
  addServices(server, methods);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return { port, close: () => shutdown(server) };
}

// ---- One generic unary handler over raw bytes -------------------------------------------------

/** A unary method over raw protobuf bytes; `height`, when set, goes back in the response metadata. */
type UnaryHandler = (request: Buffer, metadata: grpc.Metadata) => Promise<{ response: Uint8Array; height?: bigint }>;

const passThrough = (bytes: Buffer): Buffer => bytes;

/** Groups methods by service ("/pkg.Service/Method") and adds one hand-built definition per service. */
function addServices(server: grpc.Server, methods: Map<string, UnaryHandler>): void {
  type Service = { definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>>; implementation: grpc.UntypedServiceImplementation };
  const services = new Map<string, Service>();
  for (const [methodPath, handler] of methods) {
    const parts = /^\/([^/]+)\/([^/]+)$/.exec(methodPath);
    if (!parts) throw new Error(`gRPC method path ${JSON.stringify(methodPath)} is not of the form /package.Service/Method`);
    const [, serviceName, methodName] = parts;
    let service = services.get(serviceName);
    if (!service) {
      service = { definition: {}, implementation: {} };
      services.set(serviceName, service);
    }
    service.definition[methodName] = {
      path: methodPath,
      requestStream: false,
      responseStream: false,
      requestSerialize: passThrough,
      requestDeserialize: passThrough,
      responseSerialize: passThrough,
      responseDeserialize: passThrough,
    };
    service.implementation[methodName] = serveUnary(handler);
  }
  for (const { definition, implementation } of services.values()) server.addService(definition, implementation);
}

function serveUnary(handler: UnaryHandler): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    handler(call.request, call.metadata).then(
      ({ response, height }) => {
        if (height !== undefined) call.sendMetadata(heightMetadata(height));
        callback(null, Buffer.from(response.buffer, response.byteOffset, response.byteLength));
      },
      (err: unknown) => callback(grpcStatusOf(err)),
    );
  };
}

function queryHandler(backend: GrpcBackend, method: string): UnaryHandler {
  return async (request, metadata) => {
    const { value, height } = await backend.query(method, request, requestedHeight(metadata));
    return { response: value, height };
  };
}

/** A protobuf codec as cosmjs-types generates them. */
interface Codec<T> {
  decode(input: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

/** A method with typed request and response, for the services the server implements itself. */
function typedMethod<Req, Res>(requestCodec: Codec<Req>, responseCodec: Codec<Res>, run: (request: Req) => Promise<Res>): UnaryHandler {
  return async (bytes) => {
    let request: Req;
    try {
      request = requestCodec.decode(bytes);
    } catch (err) {
      throw chainError(SdkCode.InvalidRequest, `malformed request: ${(err as Error).message}`);
    }
    return { response: responseCodec.encode(await run(request)).finish() };
  };
}

function builtinMethods(backend: GrpcBackend): Map<string, UnaryHandler> {
  const rpc = cometRpc(backend.cometRpcUrl);
  return new Map<string, UnaryHandler>([
    ["/cosmos.tx.v1beta1.Service/Simulate", typedMethod(SimulateRequest, SimulateResponse, (r) => simulate(backend, r))],
    ["/cosmos.tx.v1beta1.Service/GetTx", typedMethod(GetTxRequest, GetTxResponse, (r) => getTx(rpc, r))],
    ["/cosmos.tx.v1beta1.Service/BroadcastTx", typedMethod(BroadcastTxRequest, BroadcastTxResponse, (r) => broadcastTx(rpc, r))],
    ["/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo", typedMethod(GetNodeInfoRequest, GetNodeInfoResponse, () => getNodeInfo(rpc))],
    ["/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock", typedMethod(GetLatestBlockRequest, GetLatestBlockResponse, () => getBlock(rpc))],
    [
      "/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight",
      typedMethod(GetBlockByHeightRequest, GetBlockByHeightResponse, (r) => getBlock(rpc, r.height)),
    ],
    ["/cosmos.base.node.v1beta1.Service/Config", typedMethod(ConfigRequest, ConfigResponse, async () => config(backend))],
  ]);
}

async function shutdown(server: grpc.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    // Let calls in flight finish, but never wait on a stuck client for long.
    const force = setTimeout(() => server.forceShutdown(), 2_000);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });
}

// ---- Height header ---------------------------------------------------------------------------------

const MAX_INT64 = (1n << 63n) - 1n;

/** The height a client asked for in `x-cosmos-block-height`; 0n (latest) when absent. */
function requestedHeight(metadata: grpc.Metadata): bigint {
  const values = metadata.get(BLOCK_HEIGHT_HEADER);
  if (values.length === 0) return 0n;
  const text = values.length === 1 ? String(values[0]) : values.join(",");
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > MAX_INT64) {
    throw chainError(SdkCode.InvalidRequest, `invalid ${BLOCK_HEIGHT_HEADER} header ${JSON.stringify(text)}: want one non-negative integer`);
  }
  return BigInt(text);
}

function heightMetadata(height: bigint): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(BLOCK_HEIGHT_HEADER, height.toString());
  return md;
}

// ---- Errors -------------------------------------------------------------------------------------------

/** A failure that is about the gRPC call itself rather than the chain (a mode we don't serve, RPC down). */
export class GrpcStatusError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
    this.name = "GrpcStatusError";
  }
}

/** A JSON-RPC error answered by CometBFT; `data` holds its explanation ("tx (…) not found"). */
class CometRpcError extends Error {
  constructor(
    method: string,
    readonly data: string,
  ) {
    super(`CometBFT RPC ${method}: ${data}`);
    this.name = "CometRpcError";
  }
}

// The inverse of the SDK's gRPCErrorToSDKError (baseapp), so that a query fails the same way over
// abci_query and gRPC; registered SDK errors without a gRPC code are UNKNOWN there too.
const GRPC_STATUS_BY_SDK_CODE = new Map<number, grpc.status>([
  [SdkCode.KeyNotFound, grpc.status.NOT_FOUND],
  [SdkCode.NotFound, grpc.status.NOT_FOUND],
  [SdkCode.TxDecode, grpc.status.INVALID_ARGUMENT],
  [SdkCode.InvalidRequest, grpc.status.INVALID_ARGUMENT],
  [SdkCode.InvalidAddress, grpc.status.INVALID_ARGUMENT],
  [SdkCode.InvalidPubKey, grpc.status.INVALID_ARGUMENT],
  [SdkCode.InvalidCoins, grpc.status.INVALID_ARGUMENT],
  [SdkCode.InvalidType, grpc.status.INVALID_ARGUMENT],
  [SdkCode.UnpackAny, grpc.status.INVALID_ARGUMENT],
  [SdkCode.Unauthorized, grpc.status.UNAUTHENTICATED],
]);

/**
 * The gRPC status for a failure. Chain errors read like the SDK's ("codespace sdk code 22: key not
 * found: …"); anything that is not a chain error is a bug or an outage: INTERNAL.
 */
export function grpcStatusOf(err: unknown): { code: grpc.status; details: string } {
  if (err instanceof GrpcStatusError) return { code: err.code, details: err.message };
  if (err instanceof CometRpcError) return { code: grpc.status.UNKNOWN, details: err.message };
  if (!(err instanceof ChainError)) return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
  const code = (err.codespace === SDK_CODESPACE ? GRPC_STATUS_BY_SDK_CODE.get(err.code) : undefined) ?? grpc.status.UNKNOWN;
  const kind = code === grpc.status.NOT_FOUND ? "key not found: " : "";
  return { code, details: `codespace ${err.codespace} code ${err.code}: ${kind}${err.message}` };
}

// ---- cosmos.tx.v1beta1.Service --------------------------------------------------------------------

async function simulate(backend: GrpcBackend, request: SimulateRequest): Promise<SimulateResponse> {
  // `tx` is the deprecated form of the request; `tx_bytes` wins when both are set, as in the SDK.
  const txBytes = request.txBytes.length > 0 ? request.txBytes : request.tx ? encodeTx(request.tx) : undefined;
  if (txBytes === undefined) throw chainError(SdkCode.InvalidRequest, "empty txBytes is not allowed");
  const { gasWanted, gasUsed, result } = await backend.simulate(txBytes);
  return { gasInfo: { gasWanted, gasUsed }, result };
}

function encodeTx(tx: Tx): Uint8Array {
  return TxRaw.encode({
    bodyBytes: TxBody.encode(tx.body ?? TxBody.fromPartial({})).finish(),
    authInfoBytes: AuthInfo.encode(tx.authInfo ?? AuthInfo.fromPartial({})).finish(),
    signatures: tx.signatures,
  }).finish();
}

async function getTx(rpc: CometRpc, request: GetTxRequest): Promise<GetTxResponse> {
  if (!/^[0-9a-fA-F]{64}$/.test(request.hash)) {
    throw chainError(SdkCode.InvalidRequest, `tx hash ${JSON.stringify(request.hash)} is not 32 bytes of hex`);
  }
  const hashHex = request.hash.toUpperCase();
  let found: RpcTx;
  try {
    found = await rpc<RpcTx>("tx", { hash: Buffer.from(hashHex, "hex").toString("base64"), prove: false });
  } catch (err) {
    if (err instanceof CometRpcError && /not found/.test(err.data)) throw chainError(SdkCode.NotFound, `tx ${hashHex} not found`);
    throw err;
  }
  const { header } = await rpc<{ header: RpcHeader }>("header", { height: found.height });
  const txBytes = Buffer.from(found.tx, "base64");
  const tx = cosmosTxOrUndefined(txBytes);
  const txResponse = txResponseFromRpc(found, header.time, tx ? txBytes : undefined);
  return { tx, txResponse };
}

/** The decoded tx, or undefined for bytes that are not a Cosmos tx (another app's, or garbage). */
function cosmosTxOrUndefined(bytes: Uint8Array): Tx | undefined {
  try {
    const { raw, body, authInfo } = decodeTx(bytes);
    return { body, authInfo, signatures: raw.signatures };
  } catch {
    return undefined;
  }
}

function txResponseFromRpc(found: RpcTx, blockTime: string, txBytes: Uint8Array | undefined): TxResponse {
  const result = found.tx_result;
  return TxResponse.fromPartial({
    height: BigInt(found.height),
    txhash: found.hash.toUpperCase(),
    codespace: result.codespace ?? "",
    code: result.code ?? 0,
    data: Buffer.from(result.data ?? "", "base64")
      .toString("hex")
      .toUpperCase(),
    rawLog: result.log ?? "",
    // The SDK fills `logs` only from JSON logs, which SDK 0.50 apps no longer write.
    logs: [],
    info: result.info ?? "",
    gasWanted: BigInt(result.gas_wanted ?? "0"),
    gasUsed: BigInt(result.gas_used ?? "0"),
    // TxRaw bytes are also a valid encoding of Tx (same field numbers), and keep the signed bytes exact.
    tx: txBytes ? { typeUrl: "/cosmos.tx.v1beta1.Tx", value: txBytes } : undefined,
    timestamp: rfc3339Seconds(blockTime),
    events: (result.events ?? []).map(eventFromRpc),
  });
}

// SDK codes for mempool refusals that CometBFT reports as RPC errors (see the SDK's CheckCometError).
const MEMPOOL_REFUSALS: [RegExp, number][] = [
  [/tx already exists in cache/i, 19], // ErrTxInMempoolCache
  [/mempool is (full|still rechecking)/i, 20], // ErrMempoolIsFull
  [/tx too large/i, SdkCode.TxTooLarge],
];

async function broadcastTx(rpc: CometRpc, request: BroadcastTxRequest): Promise<BroadcastTxResponse> {
  if (request.txBytes.length === 0) throw chainError(SdkCode.InvalidRequest, "invalid empty tx");
  const method =
    request.mode === BroadcastMode.BROADCAST_MODE_SYNC
      ? "broadcast_tx_sync"
      : request.mode === BroadcastMode.BROADCAST_MODE_ASYNC
        ? "broadcast_tx_async"
        : undefined;
  if (method === undefined) {
    throw new GrpcStatusError(
      grpc.status.INVALID_ARGUMENT,
      `unsupported broadcast mode ${broadcastModeToJSON(request.mode)}: use BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC (BLOCK is gone since Cosmos SDK 0.47)`,
    );
  }
  const txhash = createHash("sha256").update(request.txBytes).digest("hex").toUpperCase();
  try {
    const res = await rpc<RpcBroadcast>(method, { tx: Buffer.from(request.txBytes).toString("base64") });
    return { txResponse: TxResponse.fromPartial({ txhash: res.hash, code: res.code, codespace: res.codespace, data: res.data, rawLog: res.log }) };
  } catch (err) {
    if (!(err instanceof CometRpcError)) throw err;
    const refusal = MEMPOOL_REFUSALS.find(([pattern]) => pattern.test(err.data));
    if (!refusal) throw err;
    return { txResponse: TxResponse.fromPartial({ txhash, code: refusal[1], codespace: SDK_CODESPACE, rawLog: err.data }) };
  }
}

// ---- cosmos.base.tendermint.v1beta1.Service ----------------------------------------------------------

const APP_VERSION = readAppVersion();

function readAppVersion(): string {
  try {
    // dist/app/grpc/server.js → the repository's package.json
    const file = path.join(__dirname, "..", "..", "..", "package.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string }).version ?? "";
  } catch {
    return "";
  }
}

async function getNodeInfo(rpc: CometRpc): Promise<GetNodeInfoResponse> {
  const { node_info: info } = await rpc<{ node_info: RpcNodeInfo }>("status", {});
  return {
    defaultNodeInfo: {
      protocolVersion: {
        p2p: BigInt(info.protocol_version.p2p),
        block: BigInt(info.protocol_version.block),
        app: BigInt(info.protocol_version.app),
      },
      defaultNodeId: info.id,
      listenAddr: info.listen_addr,
      network: info.network,
      version: info.version,
      channels: Buffer.from(info.channels, "hex"),
      moniker: info.moniker,
      other: { txIndex: info.other.tx_index, rpcAddress: info.other.rpc_address },
    },
    applicationVersion: VersionInfo.fromPartial({ name: "mira", appName: "mirad", version: APP_VERSION }),
  };
}

/** The block at `height`, or the latest. `sdk_block` is left out: clients fall back to `block`. */
async function getBlock(rpc: CometRpc, height?: bigint): Promise<{ blockId: BlockID; block: Block }> {
  let res: RpcBlockResult;
  try {
    res = await rpc<RpcBlockResult>("block", height === undefined ? {} : { height: height.toString() });
  } catch (err) {
    // CometBFT refuses heights above its tip, below its base, or <= 0 with an RPC error.
    if (err instanceof CometRpcError) throw chainError(SdkCode.InvalidRequest, err.data);
    throw err;
  }
  if (res.block.evidence.evidence.length > 0) {
    throw new GrpcStatusError(grpc.status.UNIMPLEMENTED, `block ${res.block.header.height} carries evidence, which this server does not convert yet`);
  }
  return {
    blockId: blockIdFromRpc(res.block_id),
    block: {
      header: headerFromRpc(res.block.header),
      data: { txs: res.block.data.txs.map((tx) => Buffer.from(tx, "base64")) },
      evidence: { evidence: [] },
      lastCommit: res.block.last_commit ? commitFromRpc(res.block.last_commit) : undefined,
    },
  };
}

// ---- cosmos.base.node.v1beta1.Service -----------------------------------------------------------------

function config(backend: GrpcBackend): ConfigResponse {
  return ConfigResponse.fromPartial({ minimumGasPrice: backend.minimumGasPrice });
}

// ---- CometBFT RPC (JSON shapes of v0.38: int64 as strings, bytes as base64, hashes as hex) -------

type CometRpc = <T>(method: string, params: Record<string, unknown>) => Promise<T>;

const RPC_TIMEOUT_MS = 10_000;

/**
 * JSON-RPC over HTTP POST rather than GET: a GET carries the tx hex-encoded in the URL, and Go's
 * default header limit (1 MiB) would refuse txs near the mempool's 1 MiB size limit.
 */
function cometRpc(baseUrl: string): CometRpc {
  return async <T>(method: string, params: Record<string, unknown>): Promise<T> => {
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

interface RpcTx {
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

interface RpcBroadcast {
  code: number;
  data: string;
  log: string;
  codespace: string;
  hash: string;
}

interface RpcNodeInfo {
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

interface RpcHeader {
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

interface RpcBlockResult {
  block_id: RpcBlockId;
  block: { header: RpcHeader; data: { txs: string[] }; evidence: { evidence: unknown[] }; last_commit: RpcCommit | null };
}

function eventFromRpc(event: RpcEvent): Event {
  return {
    type: event.type,
    attributes: (event.attributes ?? []).map((a) => ({ key: a.key ?? "", value: a.value ?? "", index: a.index ?? false })),
  };
}

const fromHex = (hex: string): Uint8Array => Buffer.from(hex, "hex");

function blockIdFromRpc(id: RpcBlockId): BlockID {
  return { hash: fromHex(id.hash), partSetHeader: { total: id.parts.total, hash: fromHex(id.parts.hash) } };
}

function headerFromRpc(h: RpcHeader): Header {
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

function commitFromRpc(c: RpcCommit): Commit {
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
function timestampFromRfc3339(time: string): Timestamp {
  const m = RFC3339.exec(time);
  if (!m) throw new Error(`CometBFT sent a time that is not RFC 3339: ${JSON.stringify(time)}`);
  const millis = Date.parse(`${m[1]}${m[3]}`);
  return { seconds: BigInt(millis / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

/** The time as the SDK writes TxResponse.timestamp (Go's time.RFC3339: whole seconds). */
function rfc3339Seconds(time: string): string {
  const m = RFC3339.exec(time);
  return m ? `${m[1]}${m[3]}` : time;
}
