// The REST API (what Keplr, explorers and plain `fetch` use), on :1317: the Cosmos SDK's gRPC-gateway
// routes over the same query registry that serves gRPC and abci_query (services.ts), so a method
// answers the same on all three. Requests and answers are JSON as the gateway writes them
// (rest-json.ts); errors are {"code","message","details"} with the gRPC code and the HTTP status the
// gateway maps it to. CORS is open; request bodies, URLs and page sizes are limited.
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import type * as protobuf from "protobufjs";
import { ChainError } from "../core/errors";
import { grpcStatusOf } from "./errors";
import { bytesToJson, type Json, jsonToObject, objectToBytes, RestInputError } from "./rest-json";
import { type RestRoute, routesOf, setFieldPath } from "./rest-routes";
import { loadSchema } from "./protos";
import { BLOCK_HEIGHT_HEADER, parseBlockHeightHeader } from "./server";
import type { QueryServices } from "./services";

/** Request bodies above this are refused with 413 before they are read further (a tx is at most 1 MiB, base64 4/3 of it). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** pagination.limit above this is lowered to it: one request never makes a page bigger. */
export const MAX_PAGE_LIMIT = 1000;
/** URLs (path and query) above this are refused with 414. */
export const MAX_URL_BYTES = 8 * 1024;

export interface RestServer {
  port: number;
  routes: readonly RestRoute[];
  close(): Promise<void>;
}

export interface RestOptions {
  /** Extra handler for paths no route takes (the certificate page's static files); returns false when it has none. */
  fallback?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
}

/** Serves every route of the schema whose gRPC method `services` has on `address` ("host:port"). */
export async function startRestServer(services: QueryServices, address = "127.0.0.1:1317", options: RestOptions = {}): Promise<RestServer> {
  const gateway = restGateway(services, loadSchema());
  const server = http.createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    if (options.fallback && (req.method === "GET" || req.method === "HEAD") && !gateway.matches(req) && options.fallback(req, res)) return;
    gateway.handle(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 60_000;
  const { host, port } = splitAddress(address);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    routes: gateway.routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function splitAddress(address: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(address.replace(/^tcp:\/\//, ""));
  if (!m) throw new Error(`REST address ${JSON.stringify(address)} is not host:port`);
  return { host: m[1].replace(/^\[|\]$/g, "") || "127.0.0.1", port: Number(m[2]) };
}

export interface RestGateway {
  routes: readonly RestRoute[];
  matches(req: http.IncomingMessage): boolean;
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
}

/** The gateway over `services`, apart from the socket (tests drive it with any http server). */
export function restGateway(services: QueryServices, schema: protobuf.Root): RestGateway {
  const routes = routesOf(schema);
  const byMethod = new Map<string, RestRoute[]>();
  for (const route of routes) {
    const list = byMethod.get(route.httpMethod) ?? [];
    list.push(route);
    byMethod.set(route.httpMethod, list);
  }
  const find = (method: string, path: string): { route: RestRoute; captures: string[] } | undefined => {
    for (const route of byMethod.get(method) ?? []) {
      const m = route.pattern.exec(path);
      if (m) return { route, captures: m.slice(1) };
    }
    return undefined;
  };
  return {
    routes,
    matches: (req) => {
      const path = (req.url ?? "/").split("?")[0];
      return routes.some((r) => r.pattern.test(path));
    },
    handle: (req, res) => {
      void serve(req, res).catch((err: unknown) => {
        if (!res.headersSent) writeError(res, statusOf(err));
        else res.destroy();
      });
    },
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    setCors(res);
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-max-age": "600" }).end();
      return;
    }
    const url = req.url ?? "/";
    if (Buffer.byteLength(url) > MAX_URL_BYTES) {
      writeError(res, { http: 414, code: grpc.status.INVALID_ARGUMENT, message: `URL longer than ${MAX_URL_BYTES} bytes` });
      req.resume();
      return;
    }
    const [path, queryString = ""] = url.split("?", 2) as [string, string | undefined];
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const found = find(method, path);
    if (!found) {
      req.resume();
      const otherMethod = [...byMethod.keys()].some((m) => m !== method && find(m, path));
      if (otherMethod) writeError(res, { http: 405, code: grpc.status.UNIMPLEMENTED, message: "Method Not Allowed" });
      else writeError(res, { http: 404, code: grpc.status.NOT_FOUND, message: "Not Found" });
      return;
    }
    const { route, captures } = found;
    const query = services.get(route.grpcPath);
    if (!query) {
      req.resume();
      const [, service, name] = route.grpcPath.split("/");
      writeError(res, { http: 501, code: grpc.status.UNIMPLEMENTED, message: `unknown method ${name} for service ${service}: this chain does not serve it` });
      return;
    }
    const body = route.body !== "" ? await readBody(req) : (req.resume(), undefined);
    const request = buildRequest(route, captures, new URLSearchParams(queryString), body);
    const height = heightOf(req.headers[BLOCK_HEIGHT_HEADER]);
    const answer = await query(request, height);
    const json = bytesToJson(route.responseType, answer.value);
    const headers: http.OutgoingHttpHeaders = { "content-type": "application/json" };
    if (answer.height !== undefined) {
      headers[BLOCK_HEIGHT_HEADER] = answer.height.toString();
      headers[`grpc-metadata-${BLOCK_HEIGHT_HEADER}`] = answer.height.toString();
    }
    const text = JSON.stringify(json);
    headers["content-length"] = Buffer.byteLength(text);
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : text);
  }
}

function setCors(res: http.ServerResponse): void {
  res.setHeader("access-control-allow-origin", "*");
  res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
  res.setHeader("access-control-allow-headers", `content-type, ${BLOCK_HEIGHT_HEADER}`);
  res.setHeader("access-control-expose-headers", `${BLOCK_HEIGHT_HEADER}, grpc-metadata-${BLOCK_HEIGHT_HEADER}`);
}

/** The request's protobuf bytes: the body (for a body rule), then the query string, then the path's variables. */
function buildRequest(route: RestRoute, captures: string[], params: URLSearchParams, body: Buffer | undefined): Uint8Array {
  const type = route.requestType;
  let obj: Record<string, unknown> = {};
  if (body !== undefined) {
    let parsed: unknown;
    try {
      parsed = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
    } catch (err) {
      throw new RestInputError(`request body is not JSON: ${(err as Error).message}`);
    }
    if (route.body === "*") obj = jsonToObject(type, parsed, "body");
    else obj = jsonToObject(type, { [route.body]: parsed }, "body");
  }
  const bound = new Set(route.variables);
  if (route.body !== "*") {
    for (const [key, value] of params) if (!bound.has(key)) setFieldPath(type, obj, key, value);
  }
  route.variables.forEach((variable, i) => {
    let text: string;
    try {
      text = captures[i].split("/").map(decodeURIComponent).join("/");
    } catch {
      throw new RestInputError(`${variable}: malformed percent-encoding in the path`);
    }
    setFieldPath(type, obj, variable, text);
  });
  capPageLimit(type, obj);
  try {
    return objectToBytes(type, obj);
  } catch (err) {
    throw new RestInputError(`cannot encode ${type.fullName.slice(1)}: ${(err as Error).message}`);
  }
}

function capPageLimit(type: protobuf.Type, obj: Record<string, unknown>): void {
  if (!type.fields.pagination?.type.endsWith("PageRequest")) return;
  const page = obj.pagination as Record<string, unknown> | undefined;
  if (page?.limit !== undefined && BigInt(String(page.limit)) > BigInt(MAX_PAGE_LIMIT)) page.limit = String(MAX_PAGE_LIMIT);
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

class BodyTooLarge extends Error {
  constructor() {
    super(`request body larger than ${MAX_BODY_BYTES} bytes`);
  }
}

function heightOf(header: string | string[] | undefined): bigint {
  return header === undefined ? 0n : parseBlockHeightHeader(Array.isArray(header) ? header.join(",") : header);
}

// ---- Errors ------------------------------------------------------------------------------------

interface RestError {
  http: number;
  code: grpc.status;
  message: string;
}

// grpc-gateway's HTTPStatusFromCode.
const HTTP_STATUS: Record<number, number> = {
  [grpc.status.OK]: 200,
  [grpc.status.CANCELLED]: 408,
  [grpc.status.UNKNOWN]: 500,
  [grpc.status.INVALID_ARGUMENT]: 400,
  [grpc.status.DEADLINE_EXCEEDED]: 504,
  [grpc.status.NOT_FOUND]: 404,
  [grpc.status.ALREADY_EXISTS]: 409,
  [grpc.status.PERMISSION_DENIED]: 403,
  [grpc.status.UNAUTHENTICATED]: 401,
  [grpc.status.RESOURCE_EXHAUSTED]: 429,
  [grpc.status.FAILED_PRECONDITION]: 400,
  [grpc.status.ABORTED]: 409,
  [grpc.status.OUT_OF_RANGE]: 400,
  [grpc.status.UNIMPLEMENTED]: 501,
  [grpc.status.INTERNAL]: 500,
  [grpc.status.UNAVAILABLE]: 503,
  [grpc.status.DATA_LOSS]: 500,
};

function statusOf(err: unknown): RestError {
  if (err instanceof BodyTooLarge) return { http: 413, code: grpc.status.RESOURCE_EXHAUSTED, message: err.message };
  if (err instanceof RestInputError) return { http: 400, code: grpc.status.INVALID_ARGUMENT, message: err.message };
  const { code, details } = grpcStatusOf(err instanceof ChainError || err instanceof Error ? err : new Error(String(err)));
  return { http: HTTP_STATUS[code] ?? 500, code, message: details };
}

function writeError(res: http.ServerResponse, err: RestError): void {
  const body: Json = { code: err.code, message: err.message, details: [] };
  const text = JSON.stringify(body);
  res.writeHead(err.http, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...(err.http === 413 ? { connection: "close" } : {}),
  });
  res.end(text);
}
