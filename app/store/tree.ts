import { compareBytes, copyOf, EMPTY_HASH } from "./encoding";
import { StoreError, StoreErrorCode } from "./errors";
import { innerHash, leafHash, Node } from "./node";
import { checkKey, IterateOptions, KV, KVReader, resolveRange } from "./kv";
import type { NodeDb } from "./nodedb";

/** A read-only view of one version of a substore's tree. */
export class TreeView implements KVReader {
  constructor(
    readonly ndb: NodeDb,
    readonly root: Node | null,
    readonly version: number,
    /** Whether this version is still on disk; a view outliving its version fails with VersionPruned. */
    private readonly retained: () => boolean = () => true,
  ) {}

  private load(id: number, leaf: boolean): Node {
    try {
      return this.ndb.get(id, leaf);
    } catch (err) {
      if (err instanceof StoreError && err.code === StoreErrorCode.Corrupt && !this.retained()) {
        throw new StoreError(StoreErrorCode.VersionPruned, `version ${this.version} was pruned while this view was in use`);
      }
      throw err;
    }
  }

  get rootHash(): Buffer {
    return this.root === null ? EMPTY_HASH : this.root.hash!;
  }

  get size(): number {
    return this.root === null ? 0 : this.root.size;
  }

  left(n: Node): Node {
    return n.leftNode ?? this.load(n.leftId!, n.leftHeight === 0);
  }

  right(n: Node): Node {
    return n.rightNode ?? this.load(n.rightId!, n.rightHeight === 0);
  }

  get(key: Uint8Array): Buffer | undefined {
    checkKey(key);
    let n = this.root;
    if (n === null) return undefined;
    while (!n.isLeaf) n = compareBytes(key, n.key) < 0 ? this.left(n) : this.right(n);
    // Callers get copies: the node's buffers are shared by the tree and the node cache.
    return compareBytes(key, n.key) === 0 ? copyOf(n.value!) : undefined;
  }

  /** The inner nodes from the root down to the leaf where `key` is or would be, then that leaf. */
  pathTo(key: Uint8Array): Node[] {
    const path: Node[] = [];
    let n = this.root;
    while (n !== null) {
      path.push(n);
      if (n.isLeaf) break;
      n = compareBytes(key, n.key) < 0 ? this.left(n) : this.right(n);
    }
    return path;
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  iterate(opts: IterateOptions = {}): Generator<KV> {
    const { start, end } = resolveRange(opts);
    return this.range(start, end, !opts.reverse, opts.view === true);
  }

  /** Entries with start ≤ key < end (either bound optional), in key order or reversed. */
  *range(start: Uint8Array | undefined, end: Uint8Array | undefined, ascending: boolean, view = false): Generator<KV> {
    if (this.root === null) return;
    if (start !== undefined && end !== undefined && compareBytes(start, end) >= 0) return;
    yield* ascending ? this.ascend(start, end, view) : this.descend(start, end, view);
  }

  /** `view`: hand out the nodes' own key and value bytes (see IterateOptions.view) rather than copies. */
  private *ascend(start: Uint8Array | undefined, end: Uint8Array | undefined, view: boolean): Generator<KV> {
    const pending: Node[] = []; // inner nodes whose right subtree is still to visit
    let n = this.root!;
    while (!n.isLeaf) {
      if (start !== undefined && compareBytes(start, n.key) >= 0) n = this.right(n);
      else {
        pending.push(n);
        n = this.left(n);
      }
    }
    // Only the first leaf can be below start: every later one lies in the right subtree of a node whose key is above start.
    let first = start !== undefined;
    for (;;) {
      if (end !== undefined && compareBytes(n.key, end) >= 0) return;
      if (!first || compareBytes(n.key, start!) >= 0) yield view ? [n.key, n.value!] : [copyOf(n.key), copyOf(n.value!)];
      first = false;
      const p = pending.pop();
      if (p === undefined) return;
      if (end !== undefined && compareBytes(p.key, end) >= 0) return;
      n = this.right(p);
      while (!n.isLeaf) {
        pending.push(n);
        n = this.left(n);
      }
    }
  }

  private *descend(start: Uint8Array | undefined, end: Uint8Array | undefined, view: boolean): Generator<KV> {
    const pending: Node[] = []; // inner nodes whose left subtree is still to visit
    let n = this.root!;
    while (!n.isLeaf) {
      if (end !== undefined && compareBytes(end, n.key) <= 0) n = this.left(n);
      else {
        pending.push(n);
        n = this.right(n);
      }
    }
    // Only the first leaf can be at or above end: every later one lies in the left subtree of a node whose key is below end.
    let first = end !== undefined;
    for (;;) {
      if (start !== undefined && compareBytes(n.key, start) < 0) return;
      if (!first || compareBytes(n.key, end!) < 0) yield view ? [n.key, n.value!] : [copyOf(n.key), copyOf(n.value!)];
      first = false;
      const p = pending.pop();
      if (p === undefined) return;
      if (start !== undefined && compareBytes(p.key, start) <= 0) return;
      n = this.left(p);
      while (!n.isLeaf) {
        pending.push(n);
        n = this.right(n);
      }
    }
  }
}

/** What saving a new version of one tree produced, for the caller to persist in one transaction. */
export interface SavedTree {
  root: Node | null;
  /** Nodes created by this version, children before parents, ids assigned. */
  newNodes: Node[];
  /** Saved nodes that the new version no longer uses. */
  orphans: Node[];
}

/**
 * Applies a block's writes (in key order, so that every replica builds the same shape) to the tree
 * of `base` and hashes the result as `version`. Nothing saved is changed: replaced nodes are copied
 * (copy-on-write) and reported as orphans. `nextId` gives ids to the new nodes.
 */
export function buildVersion(base: TreeView, writes: Iterable<[Buffer, Buffer | null]>, version: number, nextId: () => number): SavedTree {
  const b = new TreeBuilder(base, version);
  for (const [key, value] of writes) {
    if (value === null) b.remove(key);
    else b.set(key, value);
  }
  const newNodes: Node[] = [];
  if (b.root !== null) b.hashNew(b.root, newNodes, nextId);
  return { root: b.root, newNodes, orphans: b.orphans };
}

class TreeBuilder {
  root: Node | null;
  readonly orphans: Node[] = [];

  constructor(
    private readonly view: TreeView,
    private readonly version: number,
  ) {
    this.root = view.root;
  }

  set(key: Buffer, value: Buffer): void {
    this.root = this.root === null ? Node.leaf(key, value, this.version) : (this.setIn(this.root, key, value) ?? this.root);
  }

  remove(key: Buffer): void {
    if (this.root === null) return;
    const r = this.removeFrom(this.root, key);
    if (r !== NOT_FOUND) this.root = r.node;
  }

  private left(n: Node): Node {
    return this.view.left(n);
  }

  private right(n: Node): Node {
    return this.view.right(n);
  }

  private orphan(n: Node): void {
    if (n.id !== undefined) this.orphans.push(n);
  }

  /** The node itself if it belongs to the working version, else a working copy of it. */
  private writable(n: Node): Node {
    if (n.id === undefined) {
      n.hash = undefined;
      return n;
    }
    this.orphan(n);
    return n.cloneAt(this.version);
  }

  /** The subtree with key set to value, or undefined when that value is already there. */
  private setIn(n: Node, key: Buffer, value: Buffer): Node | undefined {
    if (n.isLeaf) {
      const c = compareBytes(key, n.key);
      if (c === 0) {
        if (n.value!.equals(value)) return undefined;
        this.orphan(n);
        return Node.leaf(key, value, this.version);
      }
      const leaf = Node.leaf(key, value, this.version);
      const inner = new Node(c < 0 ? n.key : key, undefined, 1, 2, this.version);
      inner.setLeft(c < 0 ? leaf : n);
      inner.setRight(c < 0 ? n : leaf);
      return inner;
    }
    const goLeft = compareBytes(key, n.key) < 0;
    const child = goLeft ? this.left(n) : this.right(n);
    const updated = this.setIn(child, key, value);
    if (updated === undefined) return undefined;
    const w = this.writable(n);
    if (goLeft) w.setLeft(updated);
    else w.setRight(updated);
    w.resize();
    return this.balance(w);
  }

  private removeFrom(n: Node, key: Buffer): Removed | typeof NOT_FOUND {
    if (n.isLeaf) {
      if (compareBytes(key, n.key) !== 0) return NOT_FOUND;
      this.orphan(n);
      return { node: null, newLeftmost: undefined };
    }
    if (compareBytes(key, n.key) < 0) {
      const r = this.removeFrom(this.left(n), key);
      if (r === NOT_FOUND) return r;
      if (r.node === null) {
        // The left leaf went away: the right subtree takes this node's place; its leftmost key is n.key.
        this.orphan(n);
        return { node: this.right(n), newLeftmost: n.key };
      }
      const w = this.writable(n);
      w.setLeft(r.node);
      w.resize();
      return { node: this.balance(w), newLeftmost: r.newLeftmost };
    }
    const r = this.removeFrom(this.right(n), key);
    if (r === NOT_FOUND) return r;
    if (r.node === null) {
      this.orphan(n);
      return { node: this.left(n), newLeftmost: undefined };
    }
    const w = this.writable(n);
    w.setRight(r.node);
    if (r.newLeftmost !== undefined) w.key = r.newLeftmost;
    w.resize();
    return { node: this.balance(w), newLeftmost: undefined };
  }

  private balance(n: Node): Node {
    const bf = n.balance;
    if (bf > 1) {
      const l = this.left(n);
      if (l.balance < 0) n.setLeft(this.rotateLeft(this.writable(l)));
      return this.rotateRight(n);
    }
    if (bf < -1) {
      const r = this.right(n);
      if (r.balance > 0) n.setRight(this.rotateRight(this.writable(r)));
      return this.rotateLeft(n);
    }
    return n;
  }

  /** Rotations keep every inner key valid: each node keeps its right subtree's leftmost key. */
  private rotateRight(n: Node): Node {
    const l = this.writable(this.left(n));
    n.takeLeftFromRightOf(l);
    n.resize();
    l.setRight(n);
    l.resize();
    return l;
  }

  private rotateLeft(n: Node): Node {
    const r = this.writable(this.right(n));
    n.takeRightFromLeftOf(r);
    n.resize();
    r.setLeft(n);
    r.resize();
    return r;
  }

  /** Hashes the working nodes under `n` (children first) and gives them ids. */
  hashNew(n: Node, out: Node[], nextId: () => number): void {
    if (n.id !== undefined) return;
    if (n.isLeaf) {
      n.hash = leafHash(n.key, n.value!, n.version);
    } else {
      if (n.leftHash === undefined) {
        const l = n.leftNode!;
        this.hashNew(l, out, nextId);
        n.leftHash = l.hash;
        n.leftId = l.id;
      }
      if (n.rightHash === undefined) {
        const r = n.rightNode!;
        this.hashNew(r, out, nextId);
        n.rightHash = r.hash;
        n.rightId = r.id;
      }
      n.hash = innerHash(n.height, n.size, n.version, n.leftHash!, n.rightHash!);
    }
    n.id = nextId();
    out.push(n);
  }
}

interface Removed {
  node: Node | null;
  /** The new smallest key of the subtree, when the removal changed it. */
  newLeftmost: Buffer | undefined;
}
const NOT_FOUND = Symbol("not found");
