// How a query method's failure reads on each transport: a gRPC status for the gRPC server, an SDK
// code and codespace for abci_query. Both start from the same thrown error, so the two agree.
import * as grpc from "@grpc/grpc-js";
import { ChainError, chainError, SDK_CODESPACE, SdkCode } from "../core/errors";

/** A failure that is about the call itself rather than the chain (a mode we don't serve, RPC down). */
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
export class CometRpcError extends Error {
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

/**
 * The chain error an abci_query answers with: a chain error as it is (its own codespace and code);
 * any other failure by its gRPC status, mapped as the SDK's gRPCErrorToSDKError maps it.
 */
export function abciQueryErrorOf(err: unknown): ChainError {
  if (err instanceof ChainError) return err;
  const { code, details } = grpcStatusOf(err);
  switch (code) {
    case grpc.status.NOT_FOUND:
      return chainError(SdkCode.KeyNotFound, details);
    case grpc.status.INVALID_ARGUMENT:
    case grpc.status.FAILED_PRECONDITION:
      return chainError(SdkCode.InvalidRequest, details);
    case grpc.status.UNAUTHENTICATED:
      return chainError(SdkCode.Unauthorized, details);
    default:
      return chainError(SdkCode.UnknownRequest, details);
  }
}
