import "../proto/writer";
import fs from "node:fs";
import net from "node:net";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import type { Application } from "./application";
import { checkTxResponse, dispatch } from "./dispatch";
import { encodeCheckTxResponse, encodeFinalizeBlockResponse } from "./encode";
import { encodeFrame, FrameDecoder } from "./framing";
import { readUvarint } from "../proto/varint";

/**
 * A socket file left by a process that died without closing it (SIGKILL) would make listen fail
 * with EADDRINUSE: remove it, unless something still accepts connections there.
 */
async function removeStaleSocket(file: string): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return; // nothing there
  }
  if (!stat.isSocket()) throw new Error(`ABCI listen address ${file} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const s = net.connect(file);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
  if (live) throw new Error(`another process already listens on ${file}`);
  fs.rmSync(file, { force: true });
}

/** A framed `Response{flush: {}}` (field 3, empty). */
const FLUSH_RESPONSE_FRAME = encodeFrame(Response.encode({ flush: {} }).finish());

/**
 * The two requests that come per tx, decoded without cosmjs-types' generic reader: `Request{flush}`
 * (bytes 12 00) and `Request{check_tx: {tx = 1, type = 2}}` (field 8). Anything else, or any
 * field or shape not expected here, is left to `Request.decode` (undefined).
 */
export function decodeHotRequest(frame: Buffer): Request | undefined {
  if (frame.length === 2 && frame[0] === 0x12 && frame[1] === 0x00) return { flush: {} } as Request;
  if (frame.length < 2 || frame[0] !== 0x42) return undefined;
  try {
    const [bodyLength, bodyStart] = readUvarint(frame, 1);
    if (bodyStart + bodyLength !== frame.length) return undefined;
    let pos = bodyStart;
    let tx: Uint8Array = new Uint8Array(0);
    let type = 0;
    while (pos < frame.length) {
      const key = frame[pos++]!;
      if (key === 0x0a) {
        const [n, start] = readUvarint(frame, pos);
        if (start + n > frame.length) return undefined;
        tx = Uint8Array.prototype.slice.call(frame, start, start + n); // a copy: the chunk is not kept alive
        pos = start + n;
      } else if (key === 0x10) {
        [type, pos] = readUvarint(frame, pos);
      } else {
        return undefined;
      }
    }
    return { checkTx: { tx, type } } as Request;
  } catch {
    return undefined; // a truncated varint: Request.decode says what is wrong
  }
}

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
 *
 * One exception: a Query is called in its turn, but when it answers with a promise the queue does
 * not wait for it (its answer still goes out in its connection's order). A Query may wait on
 * CometBFT's RPC (abci_query of GetNodeInfo or BroadcastTx), and that RPC may wait on a CheckTx or
 * a Commit queued behind it: holding the queue would deadlock. So a Query must read the state it
 * needs before its first await.
 */
export class AbciServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private queue: Promise<void> = Promise.resolve();
  /** Per connection, its last answer written: the next one goes out after it. */
  private readonly lastWrite = new Map<net.Socket, Promise<void>>();
  /** Requests not answered yet, waiting, running or awaited: until it is 0 a Flush or CheckTx waits its turn. */
  private pending = 0;
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
        const file = address.slice("unix://".length);
        void removeStaleSocket(file).then(
          () => this.server.listen(file, done),
          (err: Error) => {
            this.server.off("error", reject);
            reject(err);
          },
        );
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
    const answers = [...this.lastWrite.values()];
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.queue;
    await Promise.all(answers);
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
          req = decodeHotRequest(frame) ?? Request.decode(frame);
        } catch (err) {
          this.fail(socket, `undecodable request: ${(err as Error).message}`);
          return;
        }
        this.enqueue(socket, req);
      }
    });
    socket.on("error", (err) => this.log(`connection error: ${err.message}`));
    socket.on("close", () => {
      this.sockets.delete(socket);
      this.lastWrite.delete(socket);
    });
  }

  private enqueue(socket: net.Socket, req: Request): void {
    // Flush and CheckTx come once per tx or more (CometBFT's socket client sends a Flush after
    // nearly every CheckTx): with nothing queued before them, they are answered at once, without
    // a turn through the promise queue. Still one at a time: nothing else runs meanwhile.
    if (this.pending === 0 && (req.flush !== undefined || req.checkTx !== undefined)) this.answerNow(socket, req);
    else this.chain(socket, () => dispatch(this.app, req), req.query === undefined);
  }

  /**
   * Starts `job` behind every request before it. With `holdQueue` the next request starts only once
   * its answer is ready; without (a Query), as soon as the application has returned. Either way its
   * answer (or an exception) is written after the answers before it on its connection.
   */
  private chain(socket: net.Socket, job: () => Promise<Response>, holdQueue = true): void {
    this.pending++;
    let answer!: Promise<Response>; // set when its turn comes, before `turn` settles
    const turn = this.queue.then(() => {
      // CometBFT stops on an exception: say why, loudly.
      answer = job().catch((err: unknown) => this.exception(err as Error));
      return holdQueue ? answer.then(() => undefined) : undefined;
    });
    this.queue = turn;
    const written = (this.lastWrite.get(socket) ?? Promise.resolve())
      .then(() => turn)
      .then(() => answer)
      .then((res) => {
        this.write(socket, res);
        this.pending--;
      });
    this.lastWrite.set(socket, written);
  }

  /** Answers a Flush or a CheckTx on the spot (an asynchronous CheckTx's answer goes through the queue). */
  private answerNow(socket: net.Socket, req: Request): void {
    if (req.flush !== undefined) {
      if (!socket.destroyed) {
        this.cork(socket);
        socket.write(FLUSH_RESPONSE_FRAME);
      }
      return;
    }
    let res: Response;
    try {
      const answer = this.app.checkTx(req.checkTx!);
      if (answer instanceof Promise) {
        this.chain(socket, async () => checkTxResponse(await answer));
        return;
      }
      res = checkTxResponse(answer);
    } catch (err) {
      res = this.exception(err as Error);
    }
    this.write(socket, res);
  }

  private exception(e: Error): Response {
    this.log(`application error: ${e.stack ?? e.message}`);
    return { exception: { error: e.message } };
  }

  private cork(socket: net.Socket): void {
    if (!socket.writableCorked) {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
  }

  private write(socket: net.Socket, res: Response): void {
    if (socket.destroyed) return;
    // Responses to the requests of one TCP chunk are computed in one run of the microtask queue:
    // write them with one syscall once it is drained (setImmediate), not one each.
    this.cork(socket);
    // The per-tx answers (CheckTx; FinalizeBlock with every tx's result and events) by the direct
    // encoders; the same bytes as Response.encode.
    const bytes =
      res.checkTx !== undefined
        ? encodeCheckTxResponse(res.checkTx)
        : res.finalizeBlock !== undefined
          ? encodeFinalizeBlockResponse(res.finalizeBlock)
          : Response.encode(res).finish();
    socket.write(encodeFrame(bytes));
  }

  private fail(socket: net.Socket, why: string): void {
    this.log(why);
    this.write(socket, { exception: { error: why } });
    socket.end();
  }
}
