import type { Database, Statement } from "better-sqlite3";
import { StoreError, StoreErrorCode } from "./errors";
import { decodeNode, Node } from "./node";

/**
 * Saved tree nodes, read by id through a two-generation cache (an LRU approximation that costs
 * one Map lookup per hit). Nodes are shared by every substore; ids only grow.
 */
export class NodeDb {
  private young = new Map<number, Node>();
  private old = new Map<number, Node>();
  private readonly getStmt: Statement<[number], { data: Buffer }>;

  constructor(
    db: Database,
    private readonly cacheSize: number,
  ) {
    this.getStmt = db.prepare<[number], { data: Buffer }>("SELECT data FROM nodes WHERE id = ?");
  }

  get(id: number): Node {
    let n = this.young.get(id);
    if (n !== undefined) return n;
    n = this.old.get(id);
    if (n === undefined) {
      const row = this.getStmt.get(id);
      if (row === undefined) throw new StoreError(StoreErrorCode.Corrupt, `node ${id} is missing from the database`);
      n = decodeNode(id, row.data);
    }
    this.remember(n);
    return n;
  }

  /** Puts a node just saved into the cache. */
  remember(n: Node): void {
    if (this.young.size >= this.cacheSize / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(n.id!, n);
  }

  forget(id: number): void {
    this.young.delete(id);
    this.old.delete(id);
  }

  clearCache(): void {
    this.young = new Map();
    this.old = new Map();
  }
}
