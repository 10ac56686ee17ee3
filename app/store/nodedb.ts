import type { Database, Statement } from "better-sqlite3";
import { StoreError, StoreErrorCode } from "./errors";
import { decodeNode, Node } from "./node";

/**
 * An LRU approximation that costs one Map lookup per hit: entries live in a young and an old
 * generation; a hit in the old one moves the entry to the young one; when the young one is full
 * it becomes the old one and the previous old one is dropped.
 */
class GenerationalCache {
  private young = new Map<number, Node>();
  private old = new Map<number, Node>();

  constructor(private readonly capacity: number) {}

  get(id: number): Node | undefined {
    const n = this.young.get(id);
    if (n !== undefined) return n;
    const o = this.old.get(id);
    if (o !== undefined) this.set(id, o);
    return o;
  }

  set(id: number, n: Node): void {
    if (this.young.size >= this.capacity / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(id, n);
  }

  delete(id: number): void {
    this.young.delete(id);
    this.old.delete(id);
  }
}

/**
 * Saved tree nodes, read by id through a cache. Inner nodes get most of the cache: every write
 * walks a path of them from the root, while it touches only one leaf.
 */
export class NodeDb {
  private readonly inner: GenerationalCache;
  private readonly leaves: GenerationalCache;
  private readonly getStmt: Statement<[number], Buffer>;

  constructor(db: Database, cacheNodes: number) {
    this.inner = new GenerationalCache(Math.max(16, Math.floor(cacheNodes * 0.8)));
    this.leaves = new GenerationalCache(Math.max(16, Math.floor(cacheNodes * 0.2)));
    // pluck: the one column itself, without a row object per read.
    this.getStmt = db.prepare<[number], Buffer>("SELECT data FROM nodes WHERE id = ?").pluck();
  }

  /** The saved node `id`; `leaf`, when the caller knows it (a parent knows its children's heights), looks in that cache alone. */
  get(id: number, leaf?: boolean): Node {
    const cached = leaf === undefined ? (this.inner.get(id) ?? this.leaves.get(id)) : (leaf ? this.leaves : this.inner).get(id);
    if (cached !== undefined) return cached;
    const data = this.getStmt.get(id);
    if (data === undefined) throw new StoreError(StoreErrorCode.Corrupt, `node ${id} is missing from the database`);
    const n = decodeNode(id, data);
    this.remember(n);
    return n;
  }

  /** Puts a saved node into the cache. */
  remember(n: Node): void {
    (n.isLeaf ? this.leaves : this.inner).set(n.id!, n);
  }

  forget(id: number): void {
    this.inner.delete(id);
    this.leaves.delete(id);
  }
}
