import { lengthPrefixed, sha256 } from "./encoding";

/**
 * CometBFT's simple Merkle tree (crypto/merkle): leaf = sha256(0x00 ‖ leaf bytes),
 * inner = sha256(0x01 ‖ left ‖ right), split at the largest power of two below the count.
 */
const LEAF_PREFIX = Buffer.of(0);
const INNER_PREFIX = Buffer.of(1);

export function leafHashOf(leaf: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, leaf);
}

export function innerHashOf(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(INNER_PREFIX, left, right);
}

function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function simpleRoot(leaves: Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leafHashOf(leaves[0]!);
  const k = splitPoint(leaves.length);
  return innerHashOf(simpleRoot(leaves.slice(0, k)), simpleRoot(leaves.slice(k)));
}

/** One step from a node up to its parent: the sibling hash and on which side it sits. */
export interface Aunt {
  sibling: Buffer;
  siblingIsLeft: boolean;
}

/** The steps from leaf `index` up to the root, lowest first. */
export function simpleProof(leaves: Uint8Array[], index: number): Aunt[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  if (index < k) {
    return [...simpleProof(leaves.slice(0, k), index), { sibling: simpleRoot(leaves.slice(k)), siblingIsLeft: false }];
  }
  return [...simpleProof(leaves.slice(k), index - k), { sibling: simpleRoot(leaves.slice(0, k)), siblingIsLeft: true }];
}

/**
 * The leaf bytes of one (key → value) pair of a CometBFT/SDK Merkle map: the value is hashed,
 * then both are length-prefixed. The multistore commits (store name → store root) this way.
 */
export function mapLeaf(key: Uint8Array, value: Uint8Array): Buffer {
  return Buffer.concat([lengthPrefixed(key), lengthPrefixed(sha256(value))]);
}
