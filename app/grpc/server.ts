// The chain's gRPC server (what Hermes, grpcurl and the CLI use): every method of the query registry
// (services.ts), served through one generic handler over raw protobuf bytes, with the query height
// carried in the x-cosmos-block-height header both ways.
import * as grpc from "@grpc/grpc-js";
import { chainError, SdkCode } from "../core/errors";
import { grpcStatusOf } from "./errors";
import type { QueryMethod, QueryServices } from "./services";

/** The metadata key that carries a query's height both ways, as in the Cosmos SDK. */
export const BLOCK_HEIGHT_HEADER = "x-cosmos-block-height";

export interface GrpcServer {
  port: number;
  close(): Promise<void>;
}

/** Serves every method of `services` (see queryServices) on `address` ("host:port"; port 0 picks a free one). */
export async function startGrpcServer(services: QueryServices, address = "127.0.0.1:9090"): Promise<GrpcServer> {
  const server = new grpc.Server({
    // As the SDK's gRPC server: requests up to 10 MiB, responses (blocks, pages of state) unbounded.
    "grpc.max_receive_message_length": 10 * 1024 * 1024,
    "grpc.max_send_message_length": -1,
  });
  addServices(server, services);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  return { port, close: () => shutdown(server) };
}

// ---- One generic unary handler over raw bytes -------------------------------------------------

const passThrough = (bytes: Buffer): Buffer => bytes;

/** Groups methods by service ("/pkg.Service/Method") and adds one hand-built definition per service. */
function addServices(server: grpc.Server, methods: QueryServices): void {
  type Service = { definition: Record<string, grpc.MethodDefinition<Buffer, Buffer>>; implementation: grpc.UntypedServiceImplementation };
  const services = new Map<string, Service>();
  for (const [methodPath, method] of methods) {
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
    service.implementation[methodName] = serveUnary(method);
  }
  for (const { definition, implementation } of services.values()) server.addService(definition, implementation);
}

/** The method at the height the client asked for; the height it was answered at, if any, goes back in the response headers. */
function serveUnary(method: QueryMethod): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => method(call.request, requestedHeight(call.metadata)))
      .then(
        ({ value, height }) => {
          if (height !== undefined) call.sendMetadata(heightMetadata(height));
          callback(null, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        },
        (err: unknown) => callback(grpcStatusOf(err)),
      );
  };
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
  return values.length === 0 ? 0n : parseBlockHeightHeader(values.length === 1 ? String(values[0]) : values.join(","));
}

/** An `x-cosmos-block-height` value (gRPC metadata or an HTTP header): one non-negative int64, or InvalidRequest. */
export function parseBlockHeightHeader(text: string): bigint {
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
