import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "./context";
import { chainError, SdkCode } from "./errors";

/**
 * One message type: decoding, its signers, a stateless check (shape, signs, ranges) and the
 * stateful execution that returns the packed response.
 */
export interface MsgHandler<T> {
  typeUrl: string;
  module: string;
  decode(bytes: Uint8Array): T;
  signers(msg: T): Buffer[];
  validateBasic(msg: T): void;
  execute(ctx: Context, msg: T): Any;
}

/** A decoded message with the handler that owns it. */
export interface RoutedMsg {
  handler: MsgHandler<unknown>;
  msg: unknown;
}

export class MsgRouter {
  private readonly handlers = new Map<string, MsgHandler<unknown>>();

  register<T>(handler: MsgHandler<T>): void {
    this.handlers.set(handler.typeUrl, handler as MsgHandler<unknown>);
  }

  has(typeUrl: string): boolean {
    return this.handlers.has(typeUrl);
  }

  /** Decodes and statelessly validates one `Any` message. */
  route(any: Any): RoutedMsg {
    const handler = this.handlers.get(any.typeUrl);
    if (handler === undefined) throw chainError(SdkCode.UnknownRequest, `unrecognized message type: ${any.typeUrl}`);
    let msg: unknown;
    try {
      msg = handler.decode(any.value);
    } catch (err) {
      throw chainError(SdkCode.TxDecode, `cannot decode ${any.typeUrl}: ${(err as Error).message}`);
    }
    handler.validateBasic(msg);
    return { handler, msg };
  }
}

/** A query method: protobuf request bytes in, protobuf response bytes out, at the context's height. */
export type QueryHandler = (ctx: Context, request: Uint8Array) => Uint8Array;

/** The one query router, keyed by gRPC method name ("/cosmos.bank.v1beta1.Query/Balance"). */
export class QueryRouter {
  private readonly handlers = new Map<string, QueryHandler>();

  register(method: string, handler: QueryHandler): void {
    this.handlers.set(method, handler);
  }

  get(method: string): QueryHandler | undefined {
    return this.handlers.get(method);
  }

  methods(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

/** The not-found error whose text CosmJS recognises (it returns null for `getAccount`). */
export function notFound(what: string): Error {
  return chainError(SdkCode.KeyNotFound, `rpc error: code = NotFound desc = ${what}: key not found`);
}
