// ICS-20's gRPC queries (ibc.applications.transfer.v1.Query). Both generations are answered: ibc-go v8's
// DenomTrace/DenomTraces (what Hermes and v8 clients ask) and ibc-go v10's Denom/Denoms (what CosmJS 0.39's
// setupIbcExtension asks). v8's request messages have the same fields as v10's; v8's responses, which
// cosmjs-types no longer ships, are written here field by field.
import { BinaryWriter } from "cosmjs-types/binary";
import { PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { DenomTrace } from "cosmjs-types/ibc/applications/transfer/v1/denomtrace";
import {
  QueryDenomHashRequest,
  QueryDenomHashResponse,
  QueryDenomRequest,
  QueryDenomResponse,
  QueryDenomsRequest,
  QueryDenomsResponse,
  QueryEscrowAddressRequest,
  QueryEscrowAddressResponse,
  QueryParamsResponse,
  QueryTotalEscrowForDenomRequest,
  QueryTotalEscrowForDenomResponse,
} from "cosmjs-types/ibc/applications/transfer/v1/query";
import type { Denom } from "cosmjs-types/ibc/applications/transfer/v1/token";
import { bech32Address } from "../../app/core/address";
import type { Context } from "../../app/core/context";
import { paginate } from "../../app/core/pagination";
import { notFound, type QueryRouter } from "../../app/core/router";
import { TransferCode, transferError } from "./errors";
import { escrowAddress } from "./keys";
import { fullDenomPath, ibcDenom, parseDenomTrace, type TransferKeeper } from "./keeper";

const Q = "/ibc.applications.transfer.v1.Query/";

/** The trace of "ibc/HASH" or "HASH". */
function traceByHash(ctx: Context, transfer: TransferKeeper, hashOrDenom: string): DenomTrace {
  const hex = hashOrDenom.startsWith("ibc/") ? hashOrDenom.slice(4) : hashOrDenom;
  if (!/^[0-9A-Fa-f]{64}$/.test(hex)) throw transferError(TransferCode.InvalidDenomForTransfer, `invalid denom trace hash: ${hashOrDenom}`);
  const trace = transfer.denomTrace(ctx, Buffer.from(hex, "hex"));
  if (trace === undefined) throw notFound(`denomination trace ${hex}`);
  return trace;
}

/** v10's Denom: the base and the hops (port, channel pairs) of a v8 trace path. */
function toDenom(t: DenomTrace): Denom {
  const parts = t.path === "" ? [] : t.path.split("/");
  const trace = [];
  for (let i = 0; i + 1 < parts.length; i += 2) trace.push({ portId: parts[i]!, channelId: parts[i + 1]! });
  return { base: t.baseDenom, trace };
}

export function registerTransferQueries(router: QueryRouter, transfer: TransferKeeper): void {
  router.register(`${Q}Params`, (ctx) => QueryParamsResponse.encode({ params: transfer.params(ctx) }).finish());
  router.register(`${Q}DenomTrace`, (ctx, bytes) => {
    const trace = traceByHash(ctx, transfer, QueryDenomRequest.decode(bytes).hash);
    const w = BinaryWriter.create();
    w.uint32(10).bytes(DenomTrace.encode(trace).finish());
    return w.finish();
  });
  router.register(`${Q}DenomTraces`, (ctx, bytes) => {
    const { items, pagination } = paginate(transfer.denomTraces(ctx), QueryDenomsRequest.decode(bytes).pagination);
    const w = BinaryWriter.create();
    for (const t of items) w.uint32(10).bytes(DenomTrace.encode(t).finish());
    w.uint32(18).bytes(PageResponse.encode(pagination).finish());
    return w.finish();
  });
  router.register(`${Q}Denom`, (ctx, bytes) => {
    const trace = traceByHash(ctx, transfer, QueryDenomRequest.decode(bytes).hash);
    return QueryDenomResponse.encode({ denom: toDenom(trace) }).finish();
  });
  router.register(`${Q}Denoms`, (ctx, bytes) => {
    const { items, pagination } = paginate(transfer.denomTraces(ctx), QueryDenomsRequest.decode(bytes).pagination);
    return QueryDenomsResponse.encode({ denoms: items.map(toDenom), pagination }).finish();
  });
  router.register(`${Q}DenomHash`, (ctx, bytes) => {
    const path = QueryDenomHashRequest.decode(bytes).trace;
    const trace = parseDenomTrace(path);
    if (trace.path === "") throw transferError(TransferCode.InvalidDenomForTransfer, `${path} has no trace path: it is a base denom`);
    const denom = ibcDenom(fullDenomPath(trace));
    if (transfer.denomTrace(ctx, Buffer.from(denom.slice(4), "hex")) === undefined) throw notFound(`denomination trace ${path}`);
    return QueryDenomHashResponse.encode({ hash: denom.slice(4) }).finish();
  });
  router.register(`${Q}EscrowAddress`, (_ctx, bytes) => {
    const req = QueryEscrowAddressRequest.decode(bytes);
    return QueryEscrowAddressResponse.encode({ escrowAddress: bech32Address(escrowAddress(req.portId, req.channelId)) }).finish();
  });
  router.register(`${Q}TotalEscrowForDenom`, (ctx, bytes) => {
    const { denom } = QueryTotalEscrowForDenomRequest.decode(bytes);
    return QueryTotalEscrowForDenomResponse.encode({ amount: { denom, amount: transfer.totalEscrow(ctx, denom).toString() } }).finish();
  });
}
