// The load harness shared by every network: pre-built txs broadcast with broadcast_tx_sync over
// HTTP (one in-order stream per sender, all streams at once), and a watcher that reads every new
// block's results until all txs are committed.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { INJECTED_COMMIT_RESULT_LOG } from "../../app/vote-extensions";

export interface LoadResult {
  txs: number;
  /** From the first broadcast to the moment the block holding the last tx was seen committed. */
  seconds: number;
  /** Until the last broadcast_tx_sync answered (every tx passed CheckTx on node0). */
  broadcastSeconds: number;
  /** Blocks that carried the txs, and the most txs in one of them. */
  blocks: number;
  maxTxsPerBlock: number;
  /** Committed txs whose result code was not 0, and the first one's log. */
  failed: number;
  firstFailure: string | undefined;
  /** broadcast_tx_sync calls repeated because the mempool was full. */
  mempoolFullRetries: number;
}

interface RpcAnswer<T> {
  result?: T;
  error?: { code: number; message: string; data?: string };
}

class RpcError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Kept-alive connections, reused by every call: the client's own cost must stay small next to the nodes'. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP POST with node:http (lighter than fetch per call); resolves with the status and body. */
function post(rpcUrl: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(rpcUrl, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * One JSON-RPC call over HTTP POST. A request that never got an answer (a kept-alive connection the
 * node had closed) is sent again: the callers cope with a repeat (see runStream).
 */
async function postRpc<T>(rpcUrl: string, method: string, params: Record<string, string>): Promise<T> {
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
  let res: { status: number; text: string };
  for (let attempt = 1; ; attempt++) {
    try {
      res = await post(rpcUrl, body);
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(20 * attempt);
    }
  }
  let answer: RpcAnswer<T>;
  try {
    answer = JSON.parse(res.text) as RpcAnswer<T>;
  } catch {
    throw new RpcError(`${method}: HTTP ${res.status} with a body that is not JSON: ${res.text.slice(0, 200)}`);
  }
  if (answer.error !== undefined) throw new RpcError(`${method}: ${answer.error.message} ${answer.error.data ?? ""}`.trim());
  if (answer.result === undefined) throw new RpcError(`${method}: HTTP ${res.status} with no result`);
  return answer.result;
}

interface BroadcastResult {
  code: number;
  log: string;
  codespace: string;
  hash: string;
}

interface BlockResults {
  height: string;
  txs_results: { code: number; log: string; codespace: string }[] | null;
}

/** Broadcasts one stream's txs in order, each after the previous one passed CheckTx. */
async function runStream(rpcUrl: string, txs: readonly Uint8Array[], stats: { retries: number }, abort: { reason?: Error }): Promise<void> {
  for (const tx of txs) {
    const b64 = Buffer.from(tx).toString("base64");
    for (;;) {
      if (abort.reason !== undefined) return;
      try {
        const r = await postRpc<BroadcastResult>(rpcUrl, "broadcast_tx_sync", { tx: b64 });
        if (r.code !== 0) throw new Error(`CheckTx refused a tx (code ${r.code}, codespace "${r.codespace}"): ${r.log}`);
        break;
      } catch (err) {
        // A repeated request (see postRpc) whose first copy reached the mempool: done.
        if (err instanceof RpcError && /already exists in cache/.test(err.message)) break;
        if (err instanceof RpcError && /mempool is full/.test(err.message)) {
          stats.retries++;
          await sleep(50);
          continue;
        }
        throw err;
      }
    }
  }
}

/** Reads block results from `fromHeight` on until `expected` txs were committed; returns when. */
async function watchCommits(
  rpcUrl: string,
  fromHeight: number,
  expected: number,
  deadline: number,
  abort: { reason?: Error },
): Promise<{ at: number; blocks: number; maxTxsPerBlock: number; failed: number; firstFailure: string | undefined }> {
  let height = fromHeight;
  let committed = 0;
  let blocks = 0;
  let maxTxsPerBlock = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  let lastError = "";
  while (committed < expected) {
    if (abort.reason !== undefined) throw abort.reason;
    if (performance.now() > deadline) {
      throw new Error(`only ${committed} of ${expected} txs were committed before the deadline (waiting for height ${height}: ${lastError})`);
    }
    let res: BlockResults;
    try {
      res = await postRpc<BlockResults>(rpcUrl, "block_results", { height: String(height) });
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      lastError = err.message;
      await sleep(10); // not committed yet
      continue;
    }
    // A Mira block's first tx is the proposer's injected extended commit, not one of ours: its
    // result says so (MiraApp.finalizeBlock), which spares fetching every block's txs.
    const results = (res.txs_results ?? []).filter((r, i) => !(i === 0 && r.code === 0 && r.log.startsWith(INJECTED_COMMIT_RESULT_LOG)));
    if (results.length > 0) {
      blocks++;
      maxTxsPerBlock = Math.max(maxTxsPerBlock, results.length);
      process.stderr.write(`  height ${height}: ${results.length} txs (${committed + results.length}/${expected})\n`);
    }
    for (const r of results) {
      if (r.code !== 0) {
        failed++;
        firstFailure ??= `code ${r.code} (${r.codespace}) at height ${height}: ${r.log}`;
      }
    }
    committed += results.length;
    height++;
  }
  if (committed > expected) throw new Error(`${committed} txs were committed but only ${expected} were sent: another client is using this network`);
  return { at: performance.now(), blocks, maxTxsPerBlock, failed, firstFailure };
}

/**
 * Sends every stream (one per sender, in order) to node0 with broadcast_tx_sync, all streams at
 * once, and measures from the first broadcast until every tx is in a committed block.
 */
export async function runLoad(rpcUrl: string, streams: readonly (readonly Uint8Array[])[], timeoutMs = 300_000): Promise<LoadResult> {
  const total = streams.reduce((n, s) => n + s.length, 0);
  const status = await postRpc<{ sync_info: { latest_block_height: string } }>(rpcUrl, "status", {});
  const fromHeight = Number(status.sync_info.latest_block_height) + 1;
  const stats = { retries: 0 };
  const abort: { reason?: Error } = {};
  const t0 = performance.now();
  let broadcastDone = t0;
  const senders = Promise.all(streams.map((s) => runStream(rpcUrl, s, stats, abort))).then(
    () => {
      broadcastDone = performance.now();
    },
    (err: Error) => {
      abort.reason = err;
      throw err;
    },
  );
  const watched = watchCommits(rpcUrl, fromHeight, total, t0 + timeoutMs, abort).catch((err: Error) => {
    abort.reason ??= err; // stop the senders too
    throw err;
  });
  const [, w] = await Promise.all([senders, watched]);
  return {
    txs: total,
    seconds: (w.at - t0) / 1000,
    broadcastSeconds: (broadcastDone - t0) / 1000,
    blocks: w.blocks,
    maxTxsPerBlock: w.maxTxsPerBlock,
    failed: w.failed,
    firstFailure: w.firstFailure,
    mempoolFullRetries: stats.retries,
  };
}
