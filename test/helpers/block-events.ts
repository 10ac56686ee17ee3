// Follows every block's FinalizeBlock events over CometBFT's websocket (/websocket, JSON-RPC
// `subscribe` to tm.event='NewBlockEvents'), as an app would to stream a verification live.
// `ws` is the WebSocket client CosmJS itself runs on in Node (Node 20 has no global WebSocket);
// CosmJS's own WebsocketClient never resolves its subscriptions against CometBFT 0.38 here.
import type { Test } from "tap";

interface Socket {
  on(event: "open", listener: () => void): void;
  on(event: "message", listener: (data: Buffer) => void): void;
  on(event: "error", listener: (err: Error) => void): void;
  send(data: string): void;
  close(): void;
}
const WebSocket = require("ws") as new (url: string) => Socket;

export interface BlockEvent {
  height: number;
  type: string;
  attrs: Record<string, string>;
}

/** Subscribes; resolves once CometBFT confirmed the subscription. The returned array fills as blocks come. */
export async function followBlockEvents(t: Test, rpcUrl: string): Promise<BlockEvent[]> {
  const events: BlockEvent[] = [];
  const socket = new WebSocket(`${rpcUrl.replace(/^http/, "ws")}/websocket`);
  t.teardown(() => socket.close());
  await new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("open", () => socket.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='NewBlockEvents'" } })));
    socket.on("message", (data) => {
      const msg = JSON.parse(data.toString("utf8")) as {
        error?: unknown;
        result?: { data?: { value?: { height: string; events?: { type: string; attributes?: { key: string; value: string }[] }[] } } };
      };
      if (msg.error !== undefined) return reject(new Error(`subscribe: ${JSON.stringify(msg.error)}`));
      const value = msg.result?.data?.value;
      if (value === undefined) return resolve(); // the subscription's confirmation
      for (const ev of value.events ?? [])
        events.push({ height: Number(value.height), type: ev.type, attrs: Object.fromEntries((ev.attributes ?? []).map((a) => [a.key, a.value])) });
    });
  });
  return events;
}
