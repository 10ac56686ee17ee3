import { StoreError, StoreErrorCode } from "./errors";
import { CacheKV, KVReader, KVStore } from "./kv";

/** Something that names substores and gives a reader (and maybe a writer) for each. */
export interface StoreSource {
  readonly storeNames: readonly string[];
  reader(name: string): KVReader;
  /** Where `write()` of a branch over this source sends its changes; undefined = read-only. */
  writer?(name: string): KVStore;
}

/**
 * A branch of the working state: one write-back cache per substore over a parent. Reads see the
 * branch's own writes; `write()` hands them to the parent in key order, `discard()` drops them.
 * Either ends the branch: using it afterwards throws, so a failed tx cannot leak writes later.
 */
export class Branch implements StoreSource {
  private readonly caches = new Map<string, CacheKV>();
  private closed: "written" | "discarded" | undefined;
  private frozenBecause: string | undefined;
  private readonly guard = (): void => {
    if (this.closed !== undefined) {
      throw new StoreError(StoreErrorCode.ReadOnly, `this branch was already ${this.closed}; open a new branch`);
    }
  };

  private readonly writeGuard = (): void => {
    this.guard();
    if (this.frozenBecause !== undefined) throw new StoreError(StoreErrorCode.ReadOnly, this.frozenBecause);
  };

  constructor(private readonly parent: StoreSource) {}

  get storeNames(): readonly string[] {
    return this.parent.storeNames;
  }

  /** The substore `name` as seen in this branch. */
  store(name: string): KVStore {
    this.guard();
    let c = this.caches.get(name);
    if (c === undefined) {
      if (!this.parent.storeNames.includes(name)) {
        throw new StoreError(StoreErrorCode.UnknownStore, `unknown substore "${name}" (known: ${this.parent.storeNames.join(", ")})`);
      }
      c = new CacheKV(this.parent.reader(name), this.guard, this.writeGuard);
      this.caches.set(name, c);
    }
    return c;
  }

  reader(name: string): KVReader {
    return this.store(name);
  }

  writer(name: string): KVStore {
    return this.store(name);
  }

  /** Refuses further writes (reads stay allowed), saying why. */
  freeze(reason: string): void {
    this.frozenBecause = reason;
  }

  /** A nested branch over this one (for one tx, one message, a simulation...). */
  branch(): Branch {
    this.guard();
    return new Branch(this);
  }

  /** The writes of each substore in key order, for the owner of a top-level branch. */
  pendingWrites(name: string): [Buffer, Buffer | null][] {
    return this.caches.get(name)?.pending() ?? [];
  }

  /** Applies this branch's writes to its parent and ends the branch. */
  write(): void {
    this.guard();
    const writer = this.parent.writer;
    if (writer === undefined) {
      throw new StoreError(StoreErrorCode.ReadOnly, "this branch is over a read-only view (e.g. a past version or the CheckTx state); discard it instead");
    }
    for (const [name, cache] of this.caches) {
      if (!cache.dirty) continue;
      const target = writer.call(this.parent, name);
      if (target instanceof CacheKV) {
        target.absorb(cache);
        continue;
      }
      for (const [k, v] of cache.pending()) {
        if (v === null) target.delete(k);
        else target.set(k, v);
      }
    }
    this.closed = "written";
  }

  /** Drops this branch's writes and ends the branch. */
  discard(): void {
    this.closed ??= "discarded";
  }

  /** Marks the branch as ended without checks (used by the owner when it commits). */
  close(reason: "written" | "discarded"): void {
    this.closed = reason;
  }
}
