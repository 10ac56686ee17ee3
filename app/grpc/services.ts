// The one registry of query methods, as the Cosmos SDK's GRPCQueryRouter is: every query method the
// app routes, plus the Cosmos tx, tendermint and node services that clients expect from any SDK
// chain. The gRPC server serves it on :9090 and the app's ABCI Query answers abci_query from it, so a
// method added here answers on both, with the same bytes. Those that need the chain's history or the
// mempool ask the node's CometBFT RPC.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { TxResponse } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { ConfigRequest, ConfigResponse, StatusRequest, StatusResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import {
  ABCIQueryRequest,
  ABCIQueryResponse,
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetLatestBlockRequest,
  GetLatestBlockResponse,
  GetLatestValidatorSetRequest,
  GetLatestValidatorSetResponse,
  GetNodeInfoRequest,
  GetNodeInfoResponse,
  GetSyncingRequest,
  GetSyncingResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
  VersionInfo,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import type { Block as SdkBlock } from "cosmjs-types/cosmos/base/tendermint/v1beta1/types";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  BroadcastMode,
  broadcastModeToJSON,
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetBlockWithTxsRequest,
  GetBlockWithTxsResponse,
  GetTxRequest,
  GetTxResponse,
  GetTxsEventRequest,
  GetTxsEventResponse,
  OrderBy,
  SimulateRequest,
  SimulateResponse,
  TxDecodeRequest,
  TxDecodeResponse,
  TxEncodeRequest,
  TxEncodeResponse,
} from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { Block } from "cosmjs-types/tendermint/types/block";
import type { BlockID } from "cosmjs-types/tendermint/types/types";
import { bech32Address, VALCONS_PREFIX } from "../core/address";
import { chainError, SDK_CODESPACE, SdkCode } from "../core/errors";
import { decodeTx } from "../core/tx-decode";
import type { GrpcBackend } from "./backend";
import {
  blockIdFromRpc,
  type CometRpc,
  cometRpc,
  commitFromRpc,
  eventFromRpc,
  headerFromRpc,
  rfc3339Seconds,
  type RpcBlockResult,
  type RpcBroadcast,
  type RpcHeader,
  type RpcNodeInfo,
  type RpcTx,
  timestampFromRfc3339,
} from "./comet-rpc";
import { CometRpcError, GrpcStatusError } from "./errors";

/**
 * One query method over raw protobuf bytes, whichever transport asked: the request, and the height
 * to answer at (0n = latest).
 */
export type QueryMethod = (request: Uint8Array, height: bigint) => Promise<QueryAnswer>;

export interface QueryAnswer {
  value: Uint8Array;
  /** The state height it was answered at (gRPC's x-cosmos-block-height); absent when no state was read. */
  height?: bigint;
}

/** Every query method by its full path, "/cosmos.bank.v1beta1.Query/Balance". */
export type QueryServices = ReadonlyMap<string, QueryMethod>;

/**
 * The built-in services, then `backend.queryMethods()`; a built-in wins over a query method of the
 * same path. As the SDK does (RegisterTxService, RegisterTendermintService and RegisterNodeService
 * all register on its GRPCQueryRouter), the whole tx service is here, BroadcastTx included, so it
 * also answers over abci_query; abci/server.ts lets such a Query wait on CheckTx without deadlock.
 */
export function queryServices(backend: GrpcBackend): QueryServices {
  const methods = builtinMethods(backend);
  for (const method of backend.queryMethods()) {
    if (!methods.has(method)) methods.set(method, moduleQuery(backend, method));
  }
  return methods;
}

function moduleQuery(backend: GrpcBackend, method: string): QueryMethod {
  return async (request, height) => {
    const { value, height: at } = await backend.query(method, request, height);
    return { value, height: at };
  };
}

/** A protobuf codec as cosmjs-types generates them. */
interface Codec<T> {
  decode(input: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
}

/** A method with typed request and response, for the services implemented here; they read no state height. */
function typedMethod<Req, Res>(requestCodec: Codec<Req>, responseCodec: Codec<Res>, run: (request: Req) => Promise<Res>): QueryMethod {
  return async (bytes) => {
    let request: Req;
    try {
      request = requestCodec.decode(bytes);
    } catch (err) {
      throw chainError(SdkCode.InvalidRequest, `malformed request: ${(err as Error).message}`);
    }
    return { value: responseCodec.encode(await run(request)).finish() };
  };
}

function builtinMethods(backend: GrpcBackend): Map<string, QueryMethod> {
  const rpc = cometRpc(backend.cometRpcUrl);
  return new Map<string, QueryMethod>([
    ["/cosmos.tx.v1beta1.Service/Simulate", typedMethod(SimulateRequest, SimulateResponse, (r) => simulate(backend, r))],
    ["/cosmos.tx.v1beta1.Service/GetTx", typedMethod(GetTxRequest, GetTxResponse, (r) => getTx(rpc, r))],
    ["/cosmos.tx.v1beta1.Service/BroadcastTx", typedMethod(BroadcastTxRequest, BroadcastTxResponse, (r) => broadcastTx(rpc, r))],
    ["/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo", typedMethod(GetNodeInfoRequest, GetNodeInfoResponse, () => getNodeInfo(rpc))],
    ["/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock", typedMethod(GetLatestBlockRequest, GetLatestBlockResponse, () => getBlock(rpc))],
    [
      "/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight",
      typedMethod(GetBlockByHeightRequest, GetBlockByHeightResponse, (r) => getBlock(rpc, r.height)),
    ],
    ["/cosmos.tx.v1beta1.Service/GetTxsEvent", typedMethod(GetTxsEventRequest, GetTxsEventResponse, (r) => getTxsEvent(rpc, r))],
    ["/cosmos.tx.v1beta1.Service/GetBlockWithTxs", typedMethod(GetBlockWithTxsRequest, GetBlockWithTxsResponse, (r) => getBlockWithTxs(rpc, r))],
    ["/cosmos.tx.v1beta1.Service/TxDecode", typedMethod(TxDecodeRequest, TxDecodeResponse, async (r) => txDecode(r))],
    ["/cosmos.tx.v1beta1.Service/TxEncode", typedMethod(TxEncodeRequest, TxEncodeResponse, async (r) => txEncode(r))],
    ["/cosmos.base.tendermint.v1beta1.Service/GetSyncing", typedMethod(GetSyncingRequest, GetSyncingResponse, () => getSyncing(rpc))],
    [
      "/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet",
      typedMethod(GetLatestValidatorSetRequest, GetLatestValidatorSetResponse, (r) => getValidatorSet(rpc, undefined, r.pagination)),
    ],
    [
      "/cosmos.base.tendermint.v1beta1.Service/GetValidatorSetByHeight",
      typedMethod(GetValidatorSetByHeightRequest, GetValidatorSetByHeightResponse, (r) => getValidatorSet(rpc, r.height, r.pagination)),
    ],
    ["/cosmos.base.tendermint.v1beta1.Service/ABCIQuery", typedMethod(ABCIQueryRequest, ABCIQueryResponse, (r) => abciQuery(backend, r))],
    ["/cosmos.base.node.v1beta1.Service/Config", typedMethod(ConfigRequest, ConfigResponse, async () => config(backend))],
    ["/cosmos.base.node.v1beta1.Service/Status", typedMethod(StatusRequest, StatusResponse, () => nodeStatus(rpc))],
  ]);
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

/** The txs a CometBFT event query finds (tx_search), as the SDK's GetTxsEvent pages them: page from 1, limit 100 by default. */
async function getTxsEvent(rpc: CometRpc, request: GetTxsEventRequest): Promise<GetTxsEventResponse> {
  // `events` is the form before SDK 0.50: its conditions joined by AND.
  const query = request.events.length > 0 ? request.events.join(" AND ") : request.query;
  if (query.trim() === "") throw chainError(SdkCode.InvalidRequest, "query cannot be empty");
  const page = request.page === 0n ? 1n : request.page;
  const limit = request.limit === 0n ? 100n : request.limit;
  if (page > 1_000_000n || limit > 1_000_000n) throw chainError(SdkCode.InvalidRequest, "page and limit must be below 1000000");
  let found: { txs: RpcTx[]; total_count: string };
  try {
    found = await rpc("tx_search", {
      query,
      prove: false,
      page: page.toString(),
      per_page: limit.toString(),
      order_by: request.orderBy === OrderBy.ORDER_BY_DESC ? "desc" : "asc",
    });
  } catch (err) {
    if (err instanceof CometRpcError) throw chainError(SdkCode.InvalidRequest, err.data);
    throw err;
  }
  const times = new Map<string, Promise<string>>();
  const blockTime = (height: string): Promise<string> => {
    let time = times.get(height);
    if (!time) {
      time = rpc<{ header: RpcHeader }>("header", { height }).then((r) => r.header.time);
      times.set(height, time);
    }
    return time;
  };
  const txs: Tx[] = [];
  const txResponses: TxResponse[] = [];
  for (const item of found.txs) {
    const bytes = Buffer.from(item.tx, "base64");
    const tx = cosmosTxOrUndefined(bytes);
    txs.push(tx ?? Tx.fromPartial({}));
    txResponses.push(txResponseFromRpc(item, await blockTime(item.height), tx ? bytes : undefined));
  }
  return GetTxsEventResponse.fromPartial({ txs, txResponses, total: BigInt(found.total_count) });
}

async function getBlockWithTxs(rpc: CometRpc, request: GetBlockWithTxsRequest): Promise<GetBlockWithTxsResponse> {
  const { blockId, block, txs } = await blockAt(rpc, request.height);
  const { offset, limit } = pageWindow(request.pagination, txs.length);
  const page = txs.slice(offset, offset + limit).map((bytes) => cosmosTxOrUndefined(bytes) ?? Tx.fromPartial({}));
  return GetBlockWithTxsResponse.fromPartial({ txs: page, blockId, block, pagination: { total: BigInt(txs.length) } });
}

/** Offset and limit of a page request (the key form is not supported for lists that are not in the store). */
function pageWindow(page: PageRequest | undefined, total: number): { offset: number; limit: number } {
  if (page && page.key.length > 0) throw chainError(SdkCode.InvalidRequest, "pagination.key is not supported here: use pagination.offset");
  const offset = page ? Number(page.offset) : 0;
  const limit = page && page.limit > 0n ? Number(page.limit) : 100;
  return { offset: Math.min(offset, total), limit: Math.min(limit, 1000) };
}

function txDecode(request: TxDecodeRequest): TxDecodeResponse {
  if (request.txBytes.length === 0) throw chainError(SdkCode.InvalidRequest, "invalid empty tx bytes");
  const { raw, body, authInfo } = decodeTx(request.txBytes);
  return { tx: { body, authInfo, signatures: raw.signatures } };
}

function txEncode(request: TxEncodeRequest): TxEncodeResponse {
  if (!request.tx) throw chainError(SdkCode.InvalidRequest, "invalid empty tx");
  return { txBytes: encodeTx(request.tx) };
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
    // dist/app/grpc/services.js → the repository's package.json
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
    // build_deps names the consensus engine the node runs (relayers such as Hermes read its version here);
    // Mira is not built from the Cosmos SDK or ibc-go, so it names neither.
    applicationVersion: VersionInfo.fromPartial({
      name: "mira",
      appName: "mirad",
      version: APP_VERSION,
      buildDeps: [{ path: "github.com/cometbft/cometbft", version: `v${info.version}`, sum: "" }],
    }),
  };
}

/**
 * The block at `height`, or the latest: `block` as CometBFT's, and `sdk_block` as the SDK 0.50 writes it
 * (the same, with the proposer as a valcons bech32 address).
 */
async function getBlock(rpc: CometRpc, height?: bigint): Promise<{ blockId: BlockID; block: Block; sdkBlock: SdkBlock }> {
  const { blockId, block } = await blockAt(rpc, height);
  const { proposerAddress, ...header } = block.header;
  const sdkBlock: SdkBlock = { ...block, header: { ...header, proposerAddress: bech32Address(proposerAddress, VALCONS_PREFIX) } };
  return { blockId, block, sdkBlock };
}

async function blockAt(rpc: CometRpc, height?: bigint): Promise<{ blockId: BlockID; block: Block; txs: Uint8Array[] }> {
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
  const txs = res.block.data.txs.map((tx) => new Uint8Array(Buffer.from(tx, "base64")));
  return {
    txs,
    blockId: blockIdFromRpc(res.block_id),
    block: {
      header: headerFromRpc(res.block.header),
      data: { txs },
      evidence: { evidence: [] },
      lastCommit: res.block.last_commit ? commitFromRpc(res.block.last_commit) : undefined,
    },
  };
}

async function getSyncing(rpc: CometRpc): Promise<GetSyncingResponse> {
  const status = await rpc<{ sync_info: { catching_up: boolean } }>("status", {});
  return { syncing: status.sync_info.catching_up };
}

interface RpcValidators {
  block_height: string;
  validators: { address: string; pub_key: { type: string; value: string }; voting_power: string; proposer_priority: string }[];
  total: string;
}

/** The CometBFT validator set at `height` (or the latest), a page of it, addresses in the chain's valcons form. */
async function getValidatorSet(rpc: CometRpc, height: bigint | undefined, pagination: PageRequest | undefined): Promise<GetLatestValidatorSetResponse> {
  const { offset, limit } = pageWindow(pagination, Number.MAX_SAFE_INTEGER);
  // CometBFT pages by page number and at most 100 per page: fetch the pages that cover the window.
  const perPage = 100;
  const params = (page: number): Record<string, unknown> => ({
    page: String(page),
    per_page: String(perPage),
    ...(height ? { height: height.toString() } : {}),
  });
  let res: RpcValidators;
  try {
    res = await rpc<RpcValidators>("validators", params(Math.floor(offset / perPage) + 1));
  } catch (err) {
    if (err instanceof CometRpcError) throw chainError(SdkCode.InvalidRequest, err.data);
    throw err;
  }
  const total = Number(res.total);
  const all = [...res.validators];
  let page = Math.floor(offset / perPage) + 1;
  while (all.length < (offset % perPage) + limit && page * perPage < total) {
    page++;
    all.push(...(await rpc<RpcValidators>("validators", params(page))).validators);
  }
  const window = all.slice(offset % perPage, (offset % perPage) + limit);
  return GetLatestValidatorSetResponse.fromPartial({
    blockHeight: BigInt(res.block_height),
    validators: window.map((v) => ({
      address: bech32Address(Buffer.from(v.address, "hex"), VALCONS_PREFIX),
      pubKey:
        v.pub_key.type === "tendermint/PubKeyEd25519"
          ? { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: Buffer.from(v.pub_key.value, "base64") }).finish() }
          : undefined,
      votingPower: BigInt(v.voting_power),
      proposerPriority: BigInt(v.proposer_priority),
    })),
    pagination: { total: BigInt(total) },
  });
}

/** ABCI Query run by the app itself, as the SDK's tendermint service does (no round trip through CometBFT). */
async function abciQuery(backend: GrpcBackend, request: ABCIQueryRequest): Promise<ABCIQueryResponse> {
  if (request.path === "/cosmos.base.tendermint.v1beta1.Service/ABCIQuery") throw chainError(SdkCode.InvalidRequest, "ABCIQuery cannot query itself");
  const r = await backend.abciQuery({ path: request.path, data: request.data, height: request.height, prove: request.prove });
  return ABCIQueryResponse.fromPartial({
    code: r.code ?? 0,
    log: r.log ?? "",
    info: r.info ?? "",
    index: r.index ?? 0n,
    key: r.key ?? new Uint8Array(),
    value: r.value ?? new Uint8Array(),
    proofOps: r.proofOps ? { ops: r.proofOps.ops.map((op) => ({ type: op.type, key: op.key, data: op.data })) } : undefined,
    height: r.height ?? 0n,
    codespace: r.codespace ?? "",
  });
}

// ---- cosmos.base.node.v1beta1.Service -----------------------------------------------------------------

async function nodeStatus(rpc: CometRpc): Promise<StatusResponse> {
  const { sync_info: sync } = await rpc<{
    sync_info: { latest_block_height: string; earliest_block_height: string; latest_block_time: string; latest_app_hash: string };
  }>("status", {});
  const { header } = await rpc<{ header: RpcHeader }>("header", { height: sync.latest_block_height });
  return StatusResponse.fromPartial({
    earliestStoreHeight: BigInt(sync.earliest_block_height),
    height: BigInt(sync.latest_block_height),
    timestamp: timestampFromRfc3339(header.time),
    appHash: Buffer.from(sync.latest_app_hash, "hex"),
    validatorHash: Buffer.from(header.next_validators_hash, "hex"),
  });
}

function config(backend: GrpcBackend): ConfigResponse {
  return ConfigResponse.fromPartial({ minimumGasPrice: backend.minimumGasPrice });
}
