import { compareBytes, copyOf, keyFromString, keyString, prefixEnd, toBuffer } from "./encoding";
import { StoreError, StoreErrorCode } from "./errors";

export type KV = [key: Buffer, value: Buffer];

/** A key range: start ≤ key < end, optionally narrowed to keys with `prefix`; `reverse` for descending order. */
export interface IterateOptions {
  start?: Uint8Array;
  end?: Uint8Array;
  prefix?: Uint8Array;
  reverse?: boolean;
  /**
   * The entries may be the store's own bytes rather than copies: for a caller that only reads them
   * (a scan over thousands of entries, where the copies cost more than the walk). Never write into them.
   */
  view?: boolean;
}

export interface KVReader {
  get(key: Uint8Array): Buffer | undefined;
  has(key: Uint8Array): boolean;
  iterate(opts?: IterateOptions): Generator<KV>;
}

export interface KVStore extends KVReader {
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

/** The [start, end) bounds an IterateOptions selects; `empty` when nothing can match. */
export function resolveRange(opts: IterateOptions): { start?: Buffer; end?: Buffer; empty: boolean } {
  let start = opts.start === undefined ? undefined : toBuffer(opts.start);
  let end = opts.end === undefined ? undefined : toBuffer(opts.end);
  if (opts.prefix !== undefined && opts.prefix.length > 0) {
    const p = toBuffer(opts.prefix);
    if (start === undefined || compareBytes(start, p) < 0) start = p;
    const pEnd = prefixEnd(p);
    if (pEnd !== undefined && (end === undefined || compareBytes(pEnd, end) < 0)) end = pEnd;
  }
  const empty = start !== undefined && end !== undefined && compareBytes(start, end) >= 0;
  return { start, end, empty };
}

export function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array)) throw new StoreError(StoreErrorCode.InvalidKey, "key must be a Uint8Array");
  if (key.length === 0) throw new StoreError(StoreErrorCode.InvalidKey, "key must not be empty");
}

export function checkValue(value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) {
    throw new StoreError(StoreErrorCode.InvalidValue, "value must be a Uint8Array (use delete to remove a key)");
  }
  // ICS-23 cannot prove an empty value, so the store does not hold one.
  if (value.length === 0) throw new StoreError(StoreErrorCode.InvalidValue, "value must not be empty (ICS-23 cannot prove an empty value)");
}

function* nothing(): Generator<KV> {}

function lowerBound(sorted: string[], s: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A write-back cache over a parent reader: reads see its own writes first, iteration merges both
 * in key order, and nothing reaches the parent until `pending()` is applied by the owner.
 */
export class CacheKV implements KVStore {
  /** keyString(key) → value, or null for a deletion. */
  private readonly writes = new Map<string, Buffer | null>();
  private sortedKeys: string[] | undefined = [];

  constructor(
    private readonly parent: KVReader,
    private readonly guard: () => void,
    private readonly writeGuard: () => void = guard,
  ) {}

  get(key: Uint8Array): Buffer | undefined {
    this.guard();
    checkKey(key);
    // Down the chain of nested caches with one key conversion (branches nest 3-4 deep per tx).
    const k = keyString(key);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts at this cache and moves up its parents
    let cache: CacheKV = this;
    for (;;) {
      const w = cache.writes.get(k);
      if (w !== undefined) return w === null ? undefined : copyOf(w); // a copy: the cache keeps its own
      const parent = cache.parent;
      if (!(parent instanceof CacheKV)) return parent.get(key);
      parent.guard();
      cache = parent;
    }
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.writeGuard();
    checkKey(key);
    checkValue(value);
    this.put(keyString(key), Buffer.from(value));
  }

  delete(key: Uint8Array): void {
    this.writeGuard();
    checkKey(key);
    this.put(keyString(key), null);
  }

  private put(k: string, v: Buffer | null): void {
    if (!this.writes.has(k)) this.sortedKeys = undefined;
    this.writes.set(k, v);
  }

  private sorted(): string[] {
    if (this.sortedKeys === undefined) this.sortedKeys = [...this.writes.keys()].sort();
    return this.sortedKeys;
  }

  /**
   * Takes over every write of `child`, a cache over this one that has ended (its values are its
   * own copies and nobody reads them again): no re-validation, no copies.
   */
  absorb(child: CacheKV): void {
    this.writeGuard();
    for (const [k, v] of child.writes) this.put(k, v);
  }

  /** The writes in key order (value null = delete). */
  pending(): [Buffer, Buffer | null][] {
    return this.sorted().map((k) => [keyFromString(k), this.writes.get(k)!]);
  }

  get dirty(): boolean {
    return this.writes.size > 0;
  }

  iterate(opts: IterateOptions = {}): Generator<KV> {
    this.guard();
    const { start, end, empty } = resolveRange(opts);
    if (empty) return nothing();
    const keys = this.sorted();
    const s = start === undefined ? undefined : keyString(start);
    const e = end === undefined ? undefined : keyString(end);
    const lo = s === undefined ? 0 : lowerBound(keys, s);
    const hi = e === undefined ? keys.length : lowerBound(keys, e);
    const theirs = this.parent.iterate({ start, end, reverse: opts.reverse, view: opts.view });
    // Nothing of this cache in range: the parent's own iterator, without a merging step per entry (a long scan
    // through a block's caches pays for each layer it walks). Writes made while iterating are not seen either way.
    if (lo === hi) return theirs;
    // Snapshot the cached entries in range so that writes made while iterating do not disturb it.
    const mine: [string, Buffer | null][] = keys.slice(lo, hi).map((k) => [k, this.writes.get(k)!]);
    if (opts.reverse) mine.reverse();
    return this.merge(mine, theirs, opts);
  }

  private *merge(mine: [string, Buffer | null][], theirs: Generator<KV>, opts: IterateOptions): Generator<KV> {
    let p = theirs.next();
    let i = 0;
    const before = opts.reverse ? (a: string, b: string) => a > b : (a: string, b: string) => a < b;
    while (i < mine.length || !p.done) {
      const m = mine[i];
      if (p.done || (m !== undefined && !before(keyString(p.value[0]), m[0]))) {
        // The cached entry comes first, or shadows the parent's entry with the same key.
        if (!p.done && keyString(p.value[0]) === m![0]) p = theirs.next();
        i++;
        if (m![1] !== null) yield [keyFromString(m![0]), opts.view === true ? m![1] : copyOf(m![1])];
      } else {
        yield p.value;
        p = theirs.next();
      }
    }
  }
}
