// A plain @grpc/grpc-js client over raw bytes, as grpcurl or Hermes would call the server, and an
// adapter so that cosmjs-types' generated service clients can run over it.
import * as grpc from "@grpc/grpc-js";
import type { Rpc } from "cosmjs-types/helpers";
import type { Test } from "tap";

const passThrough = (bytes: Buffer): Buffer => bytes;

export interface UnaryAnswer {
  response: Buffer;
  /** The response headers (initial metadata), where the server puts x-cosmos-block-height. */
  headers: grpc.Metadata;
}

/** A client for 127.0.0.1:port, closed when the test ends. */
export function grpcClient(t: Test, port: number): grpc.Client {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  t.teardown(() => client.close());
  return client;
}

export function callUnary(client: grpc.Client, method: string, request: Uint8Array, metadata = new grpc.Metadata()): Promise<UnaryAnswer> {
  return new Promise((resolve, reject) => {
    let headers = new grpc.Metadata();
    const call = client.makeUnaryRequest<Buffer, Buffer>(method, passThrough, passThrough, Buffer.from(request), metadata, (err, response) => {
      if (err) reject(err);
      else resolve({ response: response ?? Buffer.alloc(0), headers });
    });
    call.on("metadata", (md: grpc.Metadata) => {
      headers = md;
    });
  });
}

/** cosmjs-types' `Rpc`, so that e.g. `new ServiceClientImpl(rpcOver(client))` calls the server. */
export function rpcOver(client: grpc.Client): Rpc {
  return { request: async (service, method, data) => (await callUnary(client, `/${service}/${method}`, data)).response };
}

/** The gRPC error a call failed with (code and details), or a failure of the test when it did not fail. */
export async function grpcFailure(t: Test, call: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  t.fail("the call was expected to fail");
  return Object.assign(new Error("did not fail"), { code: grpc.status.OK, details: "", metadata: new grpc.Metadata() });
}
