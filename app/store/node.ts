import { hash } from "node:crypto";
import { readUvarint, zzvarint } from "./encoding";

/**
 * One node of a versioned AVL tree, hashed exactly as IAVL hashes it (ICS-23 `iavl` spec).
 * A leaf holds a key and a value; an inner node holds the smallest key of its right subtree.
 * Saved nodes are immutable and refer to their children by id; a node made in the working
 * version (no id yet) may be changed in place and holds its children as objects until saved.
 */
export class Node {
  /** Id in the node table once saved; undefined while the node belongs to the working version. */
  id: number | undefined;
  hash: Buffer | undefined;
  leftId: number | undefined;
  rightId: number | undefined;
  leftNode: Node | undefined;
  rightNode: Node | undefined;

  constructor(
    public key: Buffer,
    public value: Buffer | undefined,
    public height: number,
    public size: number,
    public version: number,
  ) {
    this.id = undefined;
    this.hash = undefined;
    this.leftId = undefined;
    this.rightId = undefined;
    this.leftNode = undefined;
    this.rightNode = undefined;
  }

  static leaf(key: Buffer, value: Buffer, version: number): Node {
    return new Node(key, value, 0, 1, version);
  }

  get isLeaf(): boolean {
    return this.height === 0;
  }

  /** A working-version copy of a saved node, pointing at the same children. */
  cloneAt(version: number): Node {
    const n = new Node(this.key, this.value, this.height, this.size, version);
    n.leftId = this.leftId;
    n.rightId = this.rightId;
    n.leftNode = this.leftNode;
    n.rightNode = this.rightNode;
    return n;
  }

  setLeft(child: Node): void {
    this.leftNode = child;
    this.leftId = child.id;
  }

  setRight(child: Node): void {
    this.rightNode = child;
    this.rightId = child.id;
  }
}

const LEAF_HEIGHT_SIZE = Buffer.concat([zzvarint(0), zzvarint(1)]);

// Hash preimages are assembled in one reusable buffer: one allocation-free write, one sha256 call.
let scratch = Buffer.alloc(4096);

function ensureScratch(n: number): Buffer {
  if (scratch.length < n) scratch = Buffer.alloc(Math.max(n, scratch.length * 2));
  return scratch;
}

/** Writes an unsigned varint at `off`; returns the offset after it. */
function putUvarint(buf: Buffer, off: number, n: number): number {
  while (n >= 0x80) {
    buf[off++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[off++] = n;
  return off;
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

// Row format of a saved node:
//   u8 height ‖ uvarint size ‖ uvarint version ‖ uvarint len(key) ‖ key ‖ hash[32] ‖
//   leaf: value (the rest) | inner: uvarint leftId ‖ uvarint rightId
export function encodeNode(n: Node): Buffer {
  if (n.hash === undefined) throw new Error("encodeNode: node has no hash");
  const tailLen = n.isLeaf ? n.value!.length : 20;
  const buf = ensureScratch(1 + 30 + n.key.length + 32 + tailLen);
  buf[0] = n.height;
  let off = putUvarint(buf, 1, n.size);
  off = putUvarint(buf, off, n.version);
  off = putUvarint(buf, off, n.key.length);
  buf.set(n.key, off);
  off += n.key.length;
  buf.set(n.hash, off);
  off += 32;
  if (n.isLeaf) {
    buf.set(n.value!, off);
    off += n.value!.length;
  } else {
    off = putUvarint(buf, off, n.leftId!);
    off = putUvarint(buf, off, n.rightId!);
  }
  return Buffer.from(buf.subarray(0, off));
}

export function decodeNode(id: number, row: Buffer): Node {
  const height = row[0]!;
  let off = 1;
  let size: number, version: number, keyLen: number;
  [size, off] = readUvarint(row, off);
  [version, off] = readUvarint(row, off);
  [keyLen, off] = readUvarint(row, off);
  const key = row.subarray(off, off + keyLen);
  off += keyLen;
  const hash = row.subarray(off, off + 32);
  off += 32;
  const n = new Node(key, height === 0 ? row.subarray(off) : undefined, height, size, version);
  n.id = id;
  n.hash = hash;
  if (height !== 0) {
    [n.leftId, off] = readUvarint(row, off);
    [n.rightId] = readUvarint(row, off);
  }
  return n;
}
