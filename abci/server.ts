import "../proto/writer";
import net from "node:net";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import type { Application } from "./application";
import { dispatch } from "./dispatch";
import { encodeCheckTxResponse, encodeFinalizeBlockResponse } from "./encode";
import { encodeFrame, FrameDecoder } from "./framing";

export interface AbciServerOptions {
  /** Where diagnostics go (default: stderr). */
  log?: (line: string) => void;
}

/** "tcp://127.0.0.1:26658", "127.0.0.1:26658" or "unix:///path/to/socket". */
export type ListenAddress = string;

/**
 * The ABCI 2.0 socket server. CometBFT opens four connections (consensus, mempool, query,
 * snapshot); every request from every connection goes through one serial queue, so the
 * application never sees two calls at once, and each connection gets its responses in the order
 * of its requests. Flush is answered when every response before it has been written.
 */
export class AbciServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private queue: Promise<void> = Promise.resolve();
  private readonly log: (line: string) => void;

  constructor(
    private readonly app: Application,
    options: AbciServerOptions = {},
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`abci: ${line}\n`));
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Starts listening; resolves with the bound address (the port is useful when 0 was asked for). */
  listen(address: ListenAddress): Promise<net.AddressInfo | string> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      const done = (): void => {
        this.server.off("error", reject);
        const a = this.server.address();
        resolve(a ?? address);
      };
      if (address.startsWith("unix://")) {
        this.server.listen(address.slice("unix://".length), done);
        return;
      }
      const hostPort = address.replace(/^tcp:\/\//, "");
      const i = hostPort.lastIndexOf(":");
      if (i < 0) throw new Error(`ABCI listen address "${address}" has no port (expected tcp://host:port or unix://path)`);
      this.server.listen(Number(hostPort.slice(i + 1)), hostPort.slice(0, i) || "127.0.0.1", done);
    });
  }

  /** Stops accepting, drops open connections and waits for queued work to finish. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.queue;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    socket.on("data", (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.fail(socket, `bad frame: ${(err as Error).message}`);
        return;
      }
      for (const frame of frames) {
        let req: Request;
        try {
          req = Request.decode(frame);
        } catch (err) {
          this.fail(socket, `undecodable request: ${(err as Error).message}`);
          return;
        }
        this.enqueue(socket, req);
      }
    });
    socket.on("error", (err) => this.log(`connection error: ${err.message}`));
    socket.on("close", () => this.sockets.delete(socket));
  }

  private enqueue(socket: net.Socket, req: Request): void {
    this.queue = this.queue.then(async () => {
      let res: Response;
      try {
        res = await dispatch(this.app, req);
      } catch (err) {
        // CometBFT stops on an exception: say why, loudly.
        const e = err as Error;
        this.log(`application error: ${e.stack ?? e.message}`);
        res = { exception: { error: e.message } };
      }
      this.write(socket, res);
    });
  }

  private write(socket: net.Socket, res: Response): void {
    if (socket.destroyed) return;
    // Responses to the requests of one TCP chunk are computed in one run of the microtask queue:
    // write them with one syscall once it is drained (setImmediate), not one each.
    if (!socket.writableCorked) {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
    // The per-tx answers (CheckTx; FinalizeBlock with every tx's result and events) by the direct
    // encoders; the same bytes as Response.encode.
    const bytes =
      res.checkTx !== undefined ? encodeCheckTxResponse(res.checkTx) : res.finalizeBlock !== undefined ? encodeFinalizeBlockResponse(res.finalizeBlock) : Response.encode(res).finish();
    socket.write(encodeFrame(bytes));
  }

  private fail(socket: net.Socket, why: string): void {
    this.log(why);
    this.write(socket, { exception: { error: why } });
    socket.end();
  }
}
