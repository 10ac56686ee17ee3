// Child process of test/store-crash.test.ts: commits deterministic blocks to a MultiStore forever,
// announcing each commit on stdout, until the test kills it with SIGKILL.
//
//   node dist/test/helpers/crash-writer.js <db path> <seed>
//
// Prints "resumed <version>" once opened, then "committed <version> <appHashHex>" after each commit.
// A block depends only on (seed, version), so the test can replay the exact same history.
import { MultiStore } from "../../app/store";
import type { Branch, PruningOptions } from "../../app/store";
import { Rng } from "./rng";

export const CRASH_STORES: readonly string[] = ["auth", "bank", "staking"];
export const CRASH_KEEP_RECENT = 4;
export const CRASH_KEEP_EVERY = 10;
/** Small windows so that commits also prune (and crash while pruning). */
export const CRASH_PRUNING: PruningOptions = { keepRecent: CRASH_KEEP_RECENT, keepEvery: CRASH_KEEP_EVERY };
const KEYS_PER_STORE = 3000;
const DELETE_SHARE = 0.3;
const BIG_VALUE_SHARE = 0.15;
const MAX_BIG_VALUE = 4096;
/** A writer whose parent has vanished stops by itself after this long. */
const MAX_RUN_MS = 120_000;

export interface BlockWrite {
  store: string;
  key: Buffer;
  /** null = delete */
  value: Buffer | null;
}

function blockRng(seed: number, version: number): Rng {
  return new Rng((seed ^ Math.imul(version, 0x9e3779b1)) >>> 0);
}

/** 2 or 3 of the substores, in a block-specific order. */
function storesOfBlock(rng: Rng): string[] {
  const shuffled = [...CRASH_STORES];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled.slice(0, 2 + rng.int(2));
}

function randomKey(rng: Rng): Buffer {
  return Buffer.from(`key/${rng.int(KEYS_PER_STORE).toString(36)}`, "utf8");
}

/** Mostly short values; some big ones (a random head, then a repeated pattern) so commits take a few ms. */
function randomValue(rng: Rng): Buffer {
  if (rng.next() >= BIG_VALUE_SHARE) return rng.bytes(1 + rng.int(64));
  const head = rng.bytes(16);
  return Buffer.alloc(256 + rng.int(MAX_BIG_VALUE - 255), head);
}

/** The writes of block `version`: a pure function of (seed, version). */
export function blockWrites(seed: number, version: number): BlockWrite[] {
  const rng = blockRng(seed, version);
  const stores = storesOfBlock(rng);
  const count = 50 + rng.int(251);
  const writes: BlockWrite[] = [];
  for (let i = 0; i < count; i++) {
    const store = rng.pick(stores);
    const key = randomKey(rng);
    const value = rng.next() < DELETE_SHARE ? null : randomValue(rng);
    writes.push({ store, key, value });
  }
  return writes;
}

export function applyBlock(branch: Branch, writes: readonly BlockWrite[]): void {
  for (const w of writes) {
    const store = branch.store(w.store);
    if (w.value === null) store.delete(w.key);
    else store.set(w.key, w.value);
  }
}

export function openCrashStore(path: string): MultiStore {
  return MultiStore.open(path, { stores: CRASH_STORES, pruning: CRASH_PRUNING, sync: "full" });
}

function parseArgs(argv: readonly string[]): { dbPath: string; seed: number } {
  const [dbPath, seedArg] = argv;
  const seed = Number(seedArg);
  if (dbPath === undefined || !Number.isSafeInteger(seed)) {
    throw new Error("usage: crash-writer.js <db path> <seed>");
  }
  return { dbPath, seed };
}

function main(): void {
  const { dbPath, seed } = parseArgs(process.argv.slice(2));
  const parentPid = process.ppid;
  const started = Date.now();
  const ms = openCrashStore(dbPath);
  // stdout is a pipe: on Linux its writes are synchronous, so an announced line is never lost.
  process.stdout.write(`resumed ${ms.version}\n`);
  while (process.ppid === parentPid && Date.now() - started < MAX_RUN_MS) {
    const version = ms.version + 1;
    applyBlock(ms.working, blockWrites(seed, version));
    const info = ms.commit();
    if (info.version !== version) throw new Error(`committed version ${info.version}, expected ${version}`);
    process.stdout.write(`committed ${info.version} ${info.appHash.toString("hex")}\n`);
  }
  ms.close();
}

if (require.main === module) main();
