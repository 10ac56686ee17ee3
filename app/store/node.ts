import { hash } from "node:crypto";
import { putUvarint, zzvarint } from "./encoding";

/**
 * One node of a versioned AVL tree, hashed exactly as IAVL hashes it (ICS-23 `iavl` spec).
 * A leaf holds a key and a value; an inner node holds the smallest key of its right subtree and,
 * for each child, its id, hash, height and size, so that rebalancing and hashing a path never
 * need to load the siblings along it. Saved nodes are immutable and refer to children by id; a
 * node of the working version (no id yet) may change in place and holds its new children as objects.
 */
export class Node {
  /** Id in the node table once saved; undefined while the node belongs to the working version. */
  id: number | undefined = undefined;
  hash: Buffer | undefined = undefined;
  leftId: number | undefined = undefined;
  rightId: number | undefined = undefined;
  leftNode: Node | undefined = undefined;
  rightNode: Node | undefined = undefined;
  leftHash: Buffer | undefined = undefined;
  rightHash: Buffer | undefined = undefined;
  leftHeight = 0;
  rightHeight = 0;
  leftSize = 0;
  rightSize = 0;

  constructor(
    public key: Buffer,
    public value: Buffer | undefined,
    public height: number,
    public size: number,
    public version: number,
  ) {}

  static leaf(key: Buffer, value: Buffer, version: number): Node {
    return new Node(key, value, 0, 1, version);
  }

  get isLeaf(): boolean {
    return this.height === 0;
  }

  /** Left height minus right height. */
  get balance(): number {
    return this.leftHeight - this.rightHeight;
  }

  /** A working-version copy of a saved node, pointing at the same children. */
  cloneAt(version: number): Node {
    const n = new Node(this.key, this.value, this.height, this.size, version);
    if (!this.isLeaf) {
      n.takeLeftOf(this);
      n.takeRightOf(this);
    }
    return n;
  }

  setLeft(child: Node): void {
    this.leftNode = child;
    this.leftId = child.id;
    this.leftHash = child.hash;
    this.leftHeight = child.height;
    this.leftSize = child.size;
  }

  setRight(child: Node): void {
    this.rightNode = child;
    this.rightId = child.id;
    this.rightHash = child.hash;
    this.rightHeight = child.height;
    this.rightSize = child.size;
  }

  /** Makes `other`'s left child this node's left child (without loading it). */
  takeLeftOf(other: Node): void {
    this.leftNode = other.leftNode;
    this.leftId = other.leftId;
    this.leftHash = other.leftHash;
    this.leftHeight = other.leftHeight;
    this.leftSize = other.leftSize;
  }

  takeRightOf(other: Node): void {
    this.rightNode = other.rightNode;
    this.rightId = other.rightId;
    this.rightHash = other.rightHash;
    this.rightHeight = other.rightHeight;
    this.rightSize = other.rightSize;
  }

  /** Makes `other`'s right child this node's left child. */
  takeLeftFromRightOf(other: Node): void {
    this.leftNode = other.rightNode;
    this.leftId = other.rightId;
    this.leftHash = other.rightHash;
    this.leftHeight = other.rightHeight;
    this.leftSize = other.rightSize;
  }

  takeRightFromLeftOf(other: Node): void {
    this.rightNode = other.leftNode;
    this.rightId = other.leftId;
    this.rightHash = other.leftHash;
    this.rightHeight = other.leftHeight;
    this.rightSize = other.leftSize;
  }

  /** Height and size from the children's. */
  resize(): void {
    this.height = 1 + Math.max(this.leftHeight, this.rightHeight);
    this.size = this.leftSize + this.rightSize;
  }
}

const LEAF_HEIGHT_SIZE = Buffer.concat([zzvarint(0), zzvarint(1)]);

// Hash preimages are assembled in one reusable buffer: one allocation-free write, one sha256 call.
let scratch = Buffer.alloc(4096);

function ensureScratch(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.alloc(Math.max(n, scratch.length * 2));
  return scratch;
}

function putZigzag(buf: Buffer, off: number, n: number): number {
  return putUvarint(buf, off, n >= 0 ? n * 2 : -n * 2 - 1);
}

function sha256Of(buf: Buffer, len: number): Buffer {
  return hash("sha256", buf.subarray(0, len), "buffer");
}

/** sha256(zz(0) ‖ zz(1) ‖ zz(version) ‖ uvarint(len k) ‖ k ‖ uvarint(32) ‖ sha256(v)). */
export function leafHash(key: Uint8Array, value: Uint8Array, version: number): Buffer {
  const valueHash = hash("sha256", value, "buffer");
  const buf = ensureScratch(key.length + 64);
  buf[0] = 0; // zz(height 0)
  buf[1] = 2; // zz(size 1)
  let off = putZigzag(buf, 2, version);
  off = putUvarint(buf, off, key.length);
  buf.set(key, off);
  off += key.length;
  buf[off++] = 32;
  valueHash.copy(buf, off);
  return sha256Of(buf, off + 32);
}

/** sha256(zz(height) ‖ zz(size) ‖ zz(version) ‖ 0x20 ‖ left ‖ 0x20 ‖ right). */
export function innerHash(height: number, size: number, version: number, left: Uint8Array, right: Uint8Array): Buffer {
  const buf = ensureScratch(128);
  let off = putZigzag(buf, 0, height);
  off = putZigzag(buf, off, size);
  off = putZigzag(buf, off, version);
  buf[off++] = 32;
  buf.set(left, off);
  off += 32;
  buf[off++] = 32;
  buf.set(right, off);
  return sha256Of(buf, off + 32);
}

/** The varint header of an inner node, as it starts the ICS-23 inner op prefix. */
export function innerPrefix(height: number, size: number, version: number): Buffer {
  return Buffer.concat([zzvarint(height), zzvarint(size), zzvarint(version)]);
}

/** The ICS-23 leaf op prefix of a leaf saved at `version`. */
export function leafPrefix(version: number): Buffer {
  return Buffer.concat([LEAF_HEIGHT_SIZE, zzvarint(version)]);
}

/**
 * Encodes node rows into a reusable arena: each row is a view that stays valid until `reset()`,
 * so a batch of rows can be bound to one multi-row INSERT without a copy per row.
 */
export class NodeEncoder {
  private arena = Buffer.alloc(1 << 16);
  private used = 0;

  reset(): void {
    this.used = 0;
  }

  encode(n: Node): Buffer {
    if (n.hash === undefined) throw new Error("encodeNode: node has no hash");
    const max = 1 + 30 + n.key.length + 32 + (n.isLeaf ? n.value!.length : 120);
    if (this.used + max > this.arena.length) {
      // Earlier views keep the old arena alive; the new one serves the rest of the batch.
      this.arena = Buffer.alloc(Math.max(1 << 16, max));
      this.used = 0;
    }
    const end = writeNode(this.arena, this.used, n);
    const row = this.arena.subarray(this.used, end);
    this.used = end;
    return row;
  }
}

// Row format of a saved node:
//   u8 height ‖ uvarint size ‖ uvarint version ‖ uvarint len(key) ‖ key ‖ hash[32] ‖
//   leaf:  value (the rest)
//   inner: uvarint leftId ‖ uvarint rightId ‖ u8 leftHeight ‖ uvarint leftSize ‖ leftHash[32] ‖
//          u8 rightHeight ‖ uvarint rightSize ‖ rightHash[32]
function writeNode(buf: Buffer, start: number, n: Node): number {
  buf[start] = n.height;
  let off = putUvarint(buf, start + 1, n.size);
  off = putUvarint(buf, off, n.version);
  off = putUvarint(buf, off, n.key.length);
  buf.set(n.key, off);
  off += n.key.length;
  buf.set(n.hash!, off);
  off += 32;
  if (n.isLeaf) {
    buf.set(n.value!, off);
    return off + n.value!.length;
  }
  off = putUvarint(buf, off, n.leftId!);
  off = putUvarint(buf, off, n.rightId!);
  buf[off++] = n.leftHeight;
  off = putUvarint(buf, off, n.leftSize);
  buf.set(n.leftHash!, off);
  off += 32;
  buf[off++] = n.rightHeight;
  off = putUvarint(buf, off, n.rightSize);
  buf.set(n.rightHash!, off);
  return off + 32;
}

/** Reads varints from a row without allocating a tuple per field. */
class RowReader {
  constructor(
    readonly row: Buffer,
    public off: number,
  ) {}

  uvarint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.row[this.off++];
      if (b === undefined) throw new RangeError("node row truncated");
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
  }

  bytes(n: number): Buffer {
    const b = this.row.subarray(this.off, this.off + n);
    this.off += n;
    return b;
  }
}

export function decodeNode(id: number, row: Buffer): Node {
  const height = row[0]!;
  const r = new RowReader(row, 1);
  const size = r.uvarint();
  const version = r.uvarint();
  const key = r.bytes(r.uvarint());
  const hash = r.bytes(32);
  const n = new Node(key, height === 0 ? row.subarray(r.off) : undefined, height, size, version);
  n.id = id;
  n.hash = hash;
  if (height !== 0) {
    n.leftId = r.uvarint();
    n.rightId = r.uvarint();
    n.leftHeight = row[r.off++]!;
    n.leftSize = r.uvarint();
    n.leftHash = r.bytes(32);
    n.rightHeight = row[r.off++]!;
    n.rightSize = r.uvarint();
    n.rightHash = r.bytes(32);
  }
  return n;
}
