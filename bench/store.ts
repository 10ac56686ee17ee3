// Store benchmark: commit time of 1,000-write blocks as one substore grows to 10k, 100k and 1M keys,
// and, at 1M keys, point reads, proofs and disk use. Prints one JSON object per line on stdout
// (progress goes to stderr).
//
//   npx tsc -p tsconfig.json && node dist/bench/store.js [--quick]   (--quick: 10k and 100k only)
import { randomFillSync, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { MultiStore } from "../app/store";

const KEY_LEN = 32;
const GROW_BATCH = 50_000;
const BLOCK_WRITES = 1_000;
const INSERT_SHARE = 0.8;
const WARMUP_COMMITS = 3;
const TIMED_COMMITS = 20;
const READS = 200_000;
const PROOFS = 5_000;
const STORE = "bank";
const STORES = ["auth", "bank", "staking"];
const SYNC = "full";

interface Params {
  [name: string]: string | number | boolean;
}

function emit(metric: string, value: number, unit: string, params: Params): void {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  console.log(JSON.stringify({ bench: "store", metric, value: rounded, unit, params }));
}

function progress(msg: string): void {
  process.stderr.write(`[bench:store] ${msg}\n`);
}

/** Every key inserted so far, packed in one buffer (1M keys = 32 MB). */
class KeyPool {
  private buf = Buffer.alloc(KEY_LEN * 1024);
  count = 0;

  /** Appends a fresh random key and returns it. */
  next(): Buffer {
    if ((this.count + 1) * KEY_LEN > this.buf.length) {
      const bigger = Buffer.alloc(this.buf.length * 2);
      this.buf.copy(bigger);
      this.buf = bigger;
    }
    const key = this.buf.subarray(this.count * KEY_LEN, (this.count + 1) * KEY_LEN);
    randomFillSync(key);
    this.count++;
    return key;
  }

  random(): Buffer {
    const i = randomInt(this.count);
    return this.buf.subarray(i * KEY_LEN, (i + 1) * KEY_LEN);
  }
}

function randomValue(): Buffer {
  return randomFillSync(Buffer.alloc(64 + randomInt(37)));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Grows the store to `target` keys with big blocks of inserts. */
function growTo(ms: MultiStore, keys: KeyPool, target: number): void {
  while (keys.count < target) {
    const n = Math.min(GROW_BATCH, target - keys.count);
    const store = ms.working.store(STORE);
    for (let i = 0; i < n; i++) store.set(keys.next(), randomValue());
    const t0 = performance.now();
    ms.commit();
    progress(`grew to ${keys.count} keys (commit of ${n} writes: ${(performance.now() - t0).toFixed(0)} ms)`);
  }
}

/** One block of ~80% new keys and ~20% updates; returns the time of commit() alone. */
function timedBlock(ms: MultiStore, keys: KeyPool): number {
  const store = ms.working.store(STORE);
  for (let i = 0; i < BLOCK_WRITES; i++) {
    store.set(Math.random() < INSERT_SHARE ? keys.next() : keys.random(), randomValue());
  }
  const t0 = performance.now();
  ms.commit();
  return performance.now() - t0;
}

function benchCommits(ms: MultiStore, keys: KeyPool, size: number): number {
  for (let i = 0; i < WARMUP_COMMITS; i++) timedBlock(ms, keys);
  const times: number[] = [];
  for (let i = 0; i < TIMED_COMMITS; i++) times.push(timedBlock(ms, keys));
  times.sort((a, b) => a - b);
  const median = quantile(times, 0.5);
  const params: Params = {
    keys: size,
    writes_per_commit: BLOCK_WRITES,
    insert_share: INSERT_SHARE,
    commits: TIMED_COMMITS,
    warmup_commits: WARMUP_COMMITS,
    sync: SYNC,
    pruning: "default",
    timed: "ms.commit() only",
  };
  emit("commit_ms", median, "ms", { ...params, stat: "median", p90_ms: Number(quantile(times, 0.9).toFixed(2)) });
  emit("commit_ms_p90", quantile(times, 0.9), "ms", { ...params, stat: "p90" });
  return median;
}

function benchReads(ms: MultiStore, keys: KeyPool): void {
  const store = ms.working.store(STORE);
  const t0 = performance.now();
  for (let i = 0; i < READS; i++) {
    if (store.get(keys.random()) === undefined) throw new Error("an inserted key is missing");
  }
  const s = (performance.now() - t0) / 1000;
  emit("reads_per_s", READS / s, "reads/s", { keys: keys.count, reads: READS, via: "ms.working.store().get" });
}

function benchProofs(ms: MultiStore, keys: KeyPool): void {
  const t0 = performance.now();
  for (let i = 0; i < PROOFS; i++) {
    if (ms.prove(STORE, keys.random()).value === undefined) throw new Error("an inserted key has no proof of existence");
  }
  const s = (performance.now() - t0) / 1000;
  emit("proofs_per_s", PROOFS / s, "proofs/s", { keys: keys.count, proofs: PROOFS, via: "ms.prove (latest version)" });
}

function fileSize(p: string): number {
  return fs.existsSync(p) ? fs.statSync(p).size : 0;
}

function benchDisk(dbPath: string, keys: KeyPool, ms: MultiStore): void {
  const db = fileSize(dbPath);
  const wal = fileSize(`${dbPath}-wal`);
  emit("db_bytes_per_key", (db + wal) / keys.count, "bytes/key", {
    keys: keys.count,
    db_bytes: db,
    wal_bytes: wal,
    versions_kept: ms.versions.length,
    node_rows: ms.nodeCount(),
    value_bytes: "64-100",
    key_bytes: KEY_LEN,
  });
}

function main(): void {
  const quick = process.argv.includes("--quick");
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-store-"));
  const dbPath = path.join(dir, "state.db");
  const ms = MultiStore.open(dbPath, { stores: STORES, sync: SYNC });
  const keys = new KeyPool();
  const medians = new Map<number, number>();
  try {
    for (const size of sizes) {
      growTo(ms, keys, size);
      medians.set(size, benchCommits(ms, keys, size));
    }
    const largest = sizes[sizes.length - 1]!;
    if (largest === 1_000_000) {
      benchReads(ms, keys);
      benchProofs(ms, keys);
      benchDisk(dbPath, keys, ms);
    }
    const ratio = medians.get(largest)! / medians.get(10_000)!;
    const label = largest === 1_000_000 ? "commit_ratio_1m_vs_10k" : "commit_ratio_100k_vs_10k";
    emit(label, ratio, "x", { numerator_keys: largest, denominator_keys: 10_000, stat: "median commit_ms" });
  } finally {
    ms.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
