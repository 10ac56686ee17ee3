// The load harness shared by every network: pre-built txs broadcast with broadcast_tx_sync over
// HTTP (one in-order stream per sender, all streams at once), and a watcher that follows the new
// blocks' metas until all txs are committed, then checks every block's results off the clock.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { INJECTED_COMMIT_RESULT_LOG } from "../../app/chain/vote-extensions";

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
    const req = http.request(
      rpcUrl,
      { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
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

interface BlockchainInfo {
  block_metas: { header: { height: string }; num_txs: string }[];
}

/** Txs in a block that are not the load's: the Mira proposer's injected extended commit (one per block from height 2). */
export type OverheadTxs = (height: number) => number;

/**
 * Follows the chain from `fromHeight` until `expected` of the load's txs are in blocks the app has
 * committed, and returns when that was seen. While the clock runs it reads only block metas
 * (`blockchain`: the header and num_txs of each block) and `abci_info`, both small: reading every
 * block's results (`block_results`) as the blocks came cost node0 an eighth of its CPU serializing
 * every tx's events to JSON, and this process as much again parsing them, and it cost Mira (many
 * events per tx) more than kvstore (one small event). The results are checked afterwards
 * (`checkResults`), off the clock.
 */
async function watchCommits(
  rpcUrl: string,
  fromHeight: number,
  expected: number,
  overhead: OverheadTxs,
  deadline: number,
  abort: { reason?: Error },
): Promise<{ at: number; lastHeight: number }> {
  let height = fromHeight; // the next block to count
  let counted = 0;
  let lastError = "";
  // 1. Until blocks holding every tx are stored (CometBFT stores a block just before the app executes it).
  while (counted < expected) {
    if (abort.reason !== undefined) throw abort.reason;
    if (performance.now() > deadline) {
      throw new Error(`only ${counted} of ${expected} txs were in blocks before the deadline (waiting for height ${height}: ${lastError})`);
    }
    let info: BlockchainInfo;
    try {
      info = await postRpc<BlockchainInfo>(rpcUrl, "blockchain", { minHeight: String(height), maxHeight: String(height + 19) });
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      lastError = err.message;
      await sleep(10);
      continue;
    }
    // Metas come newest first; count them in height order, stopping at a gap (none is expected).
    const metas = [...info.block_metas].sort((a, b) => Number(a.header.height) - Number(b.header.height));
    let advanced = false;
    for (const m of metas) {
      if (Number(m.header.height) !== height) break;
      const ours = Number(m.num_txs) - overhead(height);
      if (ours > 0) process.stderr.write(`  height ${height}: ${ours} txs (${counted + ours}/${expected})\n`);
      counted += Math.max(0, ours);
      height++;
      advanced = true;
      if (counted >= expected) break;
    }
    if (!advanced) await sleep(10);
  }
  const lastHeight = height - 1;
  // 2. Until the app has committed that block (its Info says so).
  for (;;) {
    if (abort.reason !== undefined) throw abort.reason;
    if (performance.now() > deadline) throw new Error(`the app did not commit height ${lastHeight} before the deadline`);
    const info = await postRpc<{ response: { last_block_height?: string } }>(rpcUrl, "abci_info", {});
    if (Number(info.response.last_block_height ?? "0") >= lastHeight) break;
    await sleep(5);
  }
  if (counted > expected) throw new Error(`${counted} txs were committed but only ${expected} were sent: another client is using this network`);
  return { at: performance.now(), lastHeight };
}

/** Every block's results from `fromHeight` to `toHeight`, read after the clock stopped: the load's txs, their codes. */
async function checkResults(
  rpcUrl: string,
  fromHeight: number,
  toHeight: number,
  overhead: OverheadTxs,
): Promise<{ txs: number; blocks: number; maxTxsPerBlock: number; failed: number; firstFailure: string | undefined }> {
  let txs = 0;
  let blocks = 0;
  let maxTxsPerBlock = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  for (let height = fromHeight; height <= toHeight; height++) {
    // kvstore's Info reports a height as soon as it has finalized it, a moment before CometBFT has
    // stored that block's results: wait for them a little.
    let res: BlockResults | undefined;
    for (let attempt = 0; res === undefined; attempt++) {
      try {
        res = await postRpc<BlockResults>(rpcUrl, "block_results", { height: String(height) });
      } catch (err) {
        if (!(err instanceof RpcError) || attempt >= 200) throw err;
        await sleep(10);
      }
    }
    const all = res.txs_results ?? [];
    const skip = overhead(height);
    // A Mira block's first tx is the proposer's injected extended commit, not one of ours: its result says so.
    for (let i = 0; i < skip; i++) {
      const r = all[i];
      if (r === undefined || r.code !== 0 || !r.log.startsWith(INJECTED_COMMIT_RESULT_LOG)) {
        throw new Error(`block ${height}: tx ${i} was expected to be the injected extended commit, but its result is ${JSON.stringify(r)}`);
      }
    }
    const results = all.slice(skip);
    if (results.length > 0) {
      blocks++;
      maxTxsPerBlock = Math.max(maxTxsPerBlock, results.length);
    }
    for (const r of results) {
      if (r.code !== 0) {
        failed++;
        firstFailure ??= `code ${r.code} (${r.codespace}) at height ${height}: ${r.log}`;
      }
    }
    txs += results.length;
  }
  return { txs, blocks, maxTxsPerBlock, failed, firstFailure };
}

/**
 * Sends every stream (one per sender, in order) with broadcast_tx_sync, all streams at once (stream
 * i to `broadcastUrls[i % n]`, node0 alone by default), and measures from the first broadcast
 * until every tx is in a committed block (followed on `rpcUrl`).
 */
export async function runLoad(
  rpcUrl: string,
  streams: readonly (readonly Uint8Array[])[],
  overhead: OverheadTxs,
  broadcastUrls: readonly string[] = [rpcUrl],
  timeoutMs = 300_000,
): Promise<LoadResult> {
  const total = streams.reduce((n, s) => n + s.length, 0);
  const status = await postRpc<{ sync_info: { latest_block_height: string } }>(rpcUrl, "status", {});
  const fromHeight = Number(status.sync_info.latest_block_height) + 1;
  const stats = { retries: 0 };
  const abort: { reason?: Error } = {};
  const t0 = performance.now();
  let broadcastDone = t0;
  const senders = Promise.all(streams.map((s, i) => runStream(broadcastUrls[i % broadcastUrls.length]!, s, stats, abort))).then(
    () => {
      broadcastDone = performance.now();
    },
    (err: Error) => {
      abort.reason = err;
      throw err;
    },
  );
  const watched = watchCommits(rpcUrl, fromHeight, total, overhead, t0 + timeoutMs, abort).catch((err: Error) => {
    abort.reason ??= err; // stop the senders too
    throw err;
  });
  const [, w] = await Promise.all([senders, watched]);
  const checked = await checkResults(rpcUrl, fromHeight, w.lastHeight, overhead);
  if (checked.txs !== total) throw new Error(`block results from height ${fromHeight} to ${w.lastHeight} hold ${checked.txs} txs, not the ${total} sent`);
  return {
    txs: total,
    seconds: (w.at - t0) / 1000,
    broadcastSeconds: (broadcastDone - t0) / 1000,
    blocks: checked.blocks,
    maxTxsPerBlock: checked.maxTxsPerBlock,
    failed: checked.failed,
    firstFailure: checked.firstFailure,
    mempoolFullRetries: stats.retries,
  };
}
