// A raw ABCI client for tests: a server on a free port, and a connection that collects decoded responses.
import net from "node:net";
import type { DeepPartial } from "cosmjs-types/helpers";
import { Request, Response } from "cosmjs-types/tendermint/abci/types";
import type { Test } from "tap";
import { AbciServer, Application, encodeFrame, FrameDecoder } from "../../abci";

export function frame(req: DeepPartial<Request>): Buffer {
  return encodeFrame(Request.encode(Request.fromPartial(req)).finish());
}

/** Serves `app` on 127.0.0.1 (a free port, closed at teardown); returns the port. */
export async function startServer(t: Test, app: Application, logs: string[] = []): Promise<number> {
  const server = new AbciServer(app, { log: (l) => logs.push(l) });
  const addr = await server.listen("tcp://127.0.0.1:0");
  t.teardown(() => server.close());
  return (addr as net.AddressInfo).port;
}

/** A client connection that collects decoded responses. */
export async function connect(t: Test, port: number): Promise<{ send: (b: Buffer) => void; responses: Response[]; closed: Promise<void> }> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((r) => socket.once("connect", () => r()));
  t.teardown(() => socket.destroy());
  const decoder = new FrameDecoder();
  const responses: Response[] = [];
  socket.on("data", (c: Buffer) => {
    for (const f of decoder.push(c)) responses.push(Response.decode(f));
  });
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  return { send: (b) => socket.write(b), responses, closed };
}

export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 2));
  }
}
