import { CommitmentProof, ExistenceProof, HashOp, InnerOp, LeafOp, LengthOp } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { compareBytes, uvarint } from "./encoding";
import { StoreError, StoreErrorCode } from "./errors";
import { innerPrefix, leafPrefix } from "./node";
import { Aunt } from "./simple-merkle";
import type { TreeView } from "./tree";

const HASH_LEN = uvarint(32);

function iavlLeafOp(version: number): LeafOp {
  return {
    hash: HashOp.SHA256,
    prehashKey: HashOp.NO_HASH,
    prehashValue: HashOp.SHA256,
    length: LengthOp.VAR_PROTO,
    prefix: leafPrefix(version),
  };
}

/** ICS-23 existence proof of `key` in the tree, or undefined when the key is absent. */
export function existenceProof(tree: TreeView, key: Uint8Array): ExistenceProof | undefined {
  const path = tree.pathTo(key);
  const leaf = path[path.length - 1];
  if (leaf === undefined || compareBytes(leaf.key, key) !== 0) return undefined;
  const ops: InnerOp[] = [];
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = path[i]!;
    const head = innerPrefix(parent.height, parent.size, parent.version);
    if (compareBytes(key, parent.key) < 0) {
      ops.push({ hash: HashOp.SHA256, prefix: Buffer.concat([head, HASH_LEN]), suffix: Buffer.concat([HASH_LEN, parent.rightHash!]) });
    } else {
      ops.push({ hash: HashOp.SHA256, prefix: Buffer.concat([head, HASH_LEN, parent.leftHash!, HASH_LEN]), suffix: new Uint8Array() });
    }
  }
  return { key: leaf.key, value: leaf.value!, leaf: iavlLeafOp(leaf.version), path: ops };
}

function neighbour(tree: TreeView, key: Uint8Array, ascending: boolean): ExistenceProof | undefined {
  const it = ascending ? tree.range(key, undefined, true) : tree.range(undefined, key, false);
  const first = it.next();
  if (first.done) return undefined;
  return existenceProof(tree, first.value[0]);
}

/**
 * A `CommitmentProof` that `key` is in the tree (exist) or is not (nonexist, with the closest
 * neighbours on each side). Absence in an empty tree has no ICS-23 proof: the store root proof
 * then shows the empty root.
 */
export function commitmentProof(tree: TreeView, key: Uint8Array): CommitmentProof {
  const exist = existenceProof(tree, key);
  if (exist !== undefined) return CommitmentProof.fromPartial({ exist });
  if (tree.root === null) {
    throw new StoreError(
      StoreErrorCode.ProofUnavailable,
      `substore is empty at version ${tree.version}: absence is shown by the store root proof (empty root), not by an ICS-23 non-existence proof`,
    );
  }
  const left = neighbour(tree, key, false);
  const right = neighbour(tree, key, true);
  return CommitmentProof.fromPartial({ nonexist: { key, left, right } });
}

/** ICS-23 existence proof of one (name → root) entry of the multistore's simple Merkle map. */
export function simpleExistenceProof(name: Uint8Array, root: Uint8Array, aunts: Aunt[]): CommitmentProof {
  const leaf: LeafOp = {
    hash: HashOp.SHA256,
    prehashKey: HashOp.NO_HASH,
    prehashValue: HashOp.SHA256,
    length: LengthOp.VAR_PROTO,
    prefix: Buffer.of(0),
  };
  const path: InnerOp[] = aunts.map((a) =>
    a.siblingIsLeft
      ? { hash: HashOp.SHA256, prefix: Buffer.concat([Buffer.of(1), a.sibling]), suffix: new Uint8Array() }
      : { hash: HashOp.SHA256, prefix: Buffer.of(1), suffix: a.sibling },
  );
  return CommitmentProof.fromPartial({ exist: { key: name, value: root, leaf, path } });
}
