/**
 * The store's own ICS-23 proof verifier. It follows the cosmos/ics23 Go reference (go/ops.go,
 * go/proof.go, go/ics23.go) step for step, including its error texts for the spec checks, so that
 * the reference test vectors can be checked against it byte for byte. It is deliberately
 * independent of the @confio/ics23 package, which the tests use as a second opinion.
 *
 * Every failure is a StoreError with code InvalidProof.
 */
import { createHash } from "node:crypto";
import {
  CommitmentProof,
  ExistenceProof,
  HashOp,
  InnerOp,
  InnerSpec,
  LeafOp,
  LengthOp,
  NonExistenceProof,
  ProofSpec,
} from "cosmjs-types/cosmos/ics23/v1/proofs";
import { StoreError, StoreErrorCode } from "./errors";

/** HashOp numbers from proofs.proto that the cosmjs-types 0.11 enum does not list. */
export const HASH_OP_BLAKE2B_512 = 7 as HashOp;
export const HASH_OP_BLAKE2S_256 = 8 as HashOp;
export const HASH_OP_BLAKE3 = 9 as HashOp;

/** Used when a spec sets no max_depth, as the reference does. */
const DEFAULT_MAX_DEPTH = 128;

/** CometBFT ProofOp types written by the Cosmos SDK multistore. */
export const PROOF_OP_IAVL = "ics23:iavl";
export const PROOF_OP_SIMPLE = "ics23:simple";

/** The reference `iavl` spec (cosmos/iavl trees). */
export const IAVL_SPEC: ProofSpec = {
  leafSpec: {
    hash: HashOp.SHA256,
    prehashKey: HashOp.NO_HASH,
    prehashValue: HashOp.SHA256,
    length: LengthOp.VAR_PROTO,
    prefix: Uint8Array.of(0),
  },
  innerSpec: {
    childOrder: [0, 1],
    childSize: 33, // a 32-byte hash plus its length byte
    minPrefixLength: 4,
    maxPrefixLength: 12,
    emptyChild: new Uint8Array(),
    hash: HashOp.SHA256,
  },
  maxDepth: 0,
  minDepth: 0,
};

/** The reference `tendermint` spec (CometBFT crypto/merkle simple trees, used for the multistore root). */
export const TENDERMINT_SPEC: ProofSpec = {
  leafSpec: {
    hash: HashOp.SHA256,
    prehashKey: HashOp.NO_HASH,
    prehashValue: HashOp.SHA256,
    length: LengthOp.VAR_PROTO,
    prefix: Uint8Array.of(0),
  },
  innerSpec: {
    childOrder: [0, 1],
    childSize: 32,
    minPrefixLength: 1,
    maxPrefixLength: 1,
    emptyChild: new Uint8Array(),
    hash: HashOp.SHA256,
  },
  maxDepth: 0,
  minDepth: 0,
};

// ---------------------------------------------------------------------------------------------
// errors and byte helpers

function invalid(message: string): never {
  throw new StoreError(StoreErrorCode.InvalidProof, message);
}

/** Runs fn; a failure is rethrown as InvalidProof with `context, ` in front of its message. */
function withContext<T>(context: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return invalid(`${context}, ${message}`);
  }
}

function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function hasPrefix(data: Uint8Array, prefix: Uint8Array): boolean {
  return data.length >= prefix.length && bytesEqual(data.subarray(0, prefix.length), prefix);
}

/** Lexicographic byte order, like Go's bytes.Compare. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

function upperHex(data: Uint8Array): string {
  return Buffer.from(data).toString("hex").toUpperCase();
}

/** Formats bytes the way Go's %v prints a []byte, e.g. [1 32]. */
function goBytes(data: Uint8Array): string {
  return `[${Array.from(data).join(" ")}]`;
}

// ---------------------------------------------------------------------------------------------
// hashing and length prefixes

const NODE_HASH_NAMES: ReadonlyMap<number, string> = new Map([
  [HashOp.SHA256, "sha256"],
  [HashOp.SHA512, "sha512"],
  [HashOp.RIPEMD160, "ripemd160"],
  [HashOp.SHA512_256, "sha512-256"],
  [HASH_OP_BLAKE2B_512, "blake2b512"],
  [HASH_OP_BLAKE2S_256, "blake2s256"],
]);

function nodeHash(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

/**
 * Hashes data with op. NO_HASH is refused, as in the reference: a leaf or inner op must hash.
 * KECCAK and BLAKE3 are valid ICS-23 ops but none of our specs or vectors use them, and
 * node:crypto has neither, so they are refused as unsupported rather than pulling in a library.
 */
export function doHash(op: HashOp, data: Uint8Array): Uint8Array {
  if (op === HashOp.BITCOIN) return nodeHash("ripemd160", nodeHash("sha256", data));
  const algorithm = NODE_HASH_NAMES.get(op);
  if (algorithm === undefined) return invalid(`unsupported hashop: ${op}`);
  return nodeHash(algorithm, data);
}

/** Prehash step of a leaf op: NO_HASH leaves the data as it is. */
function prehash(op: HashOp, data: Uint8Array): Uint8Array {
  return op === HashOp.NO_HASH ? data : doHash(op, data);
}

function encodeVarintProto(n: number): Uint8Array {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return Uint8Array.from(out);
}

function fixedLength(bytes: 4 | 8, littleEndian: boolean, n: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  if (bytes === 4) view.setUint32(0, n, littleEndian);
  else view.setBigUint64(0, BigInt(n), littleEndian);
  return out;
}

function requireLength(data: Uint8Array, expected: number): Uint8Array {
  if (data.length !== expected) invalid(`data was ${data.length} bytes, not ${expected}`);
  return data;
}

/** Returns length(data) || data for the given length op. */
export function doLength(op: LengthOp, data: Uint8Array): Uint8Array {
  switch (op) {
    case LengthOp.NO_PREFIX:
      return data;
    case LengthOp.VAR_PROTO:
      return concatBytes(encodeVarintProto(data.length), data);
    case LengthOp.REQUIRE_32_BYTES:
      return requireLength(data, 32);
    case LengthOp.REQUIRE_64_BYTES:
      return requireLength(data, 64);
    case LengthOp.FIXED32_BIG:
      return concatBytes(fixedLength(4, false, data.length), data);
    case LengthOp.FIXED32_LITTLE:
      return concatBytes(fixedLength(4, true, data.length), data);
    case LengthOp.FIXED64_BIG:
      return concatBytes(fixedLength(8, false, data.length), data);
    case LengthOp.FIXED64_LITTLE:
      return concatBytes(fixedLength(8, true, data.length), data);
    default:
      // VAR_RLP is not implemented by the reference either.
      return invalid(`unsupported lengthop: ${op}`);
  }
}

function prepareLeafData(hashOp: HashOp, lengthOp: LengthOp, data: Uint8Array): Uint8Array {
  return doLength(lengthOp, prehash(hashOp, data));
}

// ---------------------------------------------------------------------------------------------
// applying ops

/** hash(prefix || length(prehashKey(key)) || length(prehashValue(value))) */
export function applyLeafOp(op: LeafOp, key: Uint8Array, value: Uint8Array): Uint8Array {
  if (key.length === 0) invalid("leaf op needs key");
  if (value.length === 0) invalid("leaf op needs value");
  const pkey = withContext("prehash key", () => prepareLeafData(op.prehashKey, op.length, key));
  const pvalue = withContext("prehash value", () => prepareLeafData(op.prehashValue, op.length, value));
  return doHash(op.hash, concatBytes(op.prefix, pkey, pvalue));
}

/** hash(prefix || child || suffix) */
export function applyInnerOp(op: InnerOp, child: Uint8Array): Uint8Array {
  if (child.length === 0) invalid("inner op needs child value");
  return doHash(op.hash, concatBytes(op.prefix, child, op.suffix));
}

function calculateRoot(proof: ExistenceProof, spec: ProofSpec | undefined): Uint8Array {
  const leaf = proof.leaf;
  if (leaf === undefined) return invalid("existence Proof needs defined LeafOp");
  let hash = withContext("leaf", () => applyLeafOp(leaf, proof.key, proof.value));
  for (const step of proof.path) {
    const child = hash;
    hash = withContext("inner", () => applyInnerOp(step, child));
    // With a spec, an intermediate hash may not be longer than a child slot (for hash-sized slots).
    const childSize = spec?.innerSpec?.childSize ?? 0;
    if (childSize >= 32 && hash.length > childSize) {
      invalid(`inner, hash of ${hash.length} bytes exceeds child size ${childSize}`);
    }
  }
  return hash;
}

/** The root an existence proof commits to, without any spec checks. */
export function calculateExistenceRoot(proof: ExistenceProof): Uint8Array {
  return calculateRoot(proof, undefined);
}

/** The root a non-existence proof commits to, from whichever neighbour is present. */
export function calculateNonExistenceRoot(proof: NonExistenceProof): Uint8Array {
  const neighbour = proof.left ?? proof.right;
  if (neighbour === undefined) return invalid("nonexistence proof has empty Left and Right proof");
  return calculateExistenceRoot(neighbour);
}

// ---------------------------------------------------------------------------------------------
// spec checks

/** Field-wise spec identity as the reference defines it (prefixes and empty child are not compared). */
export function specEquals(a: ProofSpec, b: ProofSpec): boolean {
  return leafSpecsEqual(a.leafSpec, b.leafSpec) && innerSpecsEqual(a.innerSpec, b.innerSpec);
}

function leafSpecsEqual(a: LeafOp | undefined, b: LeafOp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.hash === b.hash && a.prehashKey === b.prehashKey && a.prehashValue === b.prehashValue && a.length === b.length;
}

function innerSpecsEqual(a: InnerSpec | undefined, b: InnerSpec | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.hash === b.hash &&
    a.minPrefixLength === b.minPrefixLength &&
    a.maxPrefixLength === b.maxPrefixLength &&
    a.childSize === b.childSize &&
    a.childOrder.length === b.childOrder.length
  );
}

/** Reads bytes the way Go's binary.ReadVarint does (zigzag signed varint, at most 10 bytes). */
class VarintReader {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  /** Returns the value, or an error text in Go's words. */
  readVarint(): bigint | string {
    let unsigned = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.data.length) return i === 0 ? "EOF" : "unexpected EOF";
      const byte = this.data[this.offset++]!;
      if (byte < 0x80) {
        if (i === 9 && byte > 1) return "varint overflows a 64-bit integer";
        unsigned |= BigInt(byte) << BigInt(7 * i);
        return unsigned & 1n ? -(unsigned >> 1n) - 1n : unsigned >> 1n;
      }
      unsigned |= BigInt(byte & 0x7f) << BigInt(7 * i);
    }
    return "varint overflows a 64-bit integer";
  }
}

function readIavlVarint(reader: VarintReader, field: string): bigint {
  const result = reader.readVarint();
  if (typeof result === "string") return invalid(`failed to read IAVL ${field} varint: ${result}`);
  return result;
}

/**
 * An IAVL node prefix starts with the zigzag varints height, size and version; what follows must
 * match the node kind. layerNum is 0 for the leaf and counts up towards the root.
 */
function validateIavlOp(prefix: Uint8Array, hash: HashOp, layerNum: number): void {
  const reader = new VarintReader(prefix);
  const height = readIavlVarint(reader, "height");
  if (height < 0n || height < BigInt(layerNum)) {
    invalid(`IAVL height (${height}) must be non-negative and greater than or equal to the layer number (${layerNum})`);
  }
  const size = readIavlVarint(reader, "size");
  if (size < 0n) invalid("IAVL size must be non-negative");
  const version = readIavlVarint(reader, "version");
  if (version < 0n) invalid("IAVL version must be non-negative");

  const rest = reader.remaining;
  if (layerNum === 0) {
    if (rest !== 0) invalid(`expected remaining prefix length to be 0, got: ${rest}`);
    if (height !== 0n) invalid(`expected leaf node height to be 0, got: ${height}`);
    if (size !== 1n) invalid(`expected leaf node size to be 1, got: ${size}`);
    return;
  }
  // An inner prefix ends with the left child's length byte (child on the left: 1 byte left over)
  // or with length byte, left hash and the right child's length byte (child on the right: 34).
  if (rest !== 1 && rest !== 34) invalid(`remainder of prefix must be of length 1 or 34, got: ${rest}`);
  if (hash !== HashOp.SHA256) invalid(`IAVL hash op must be ${HashOp[HashOp.SHA256]}`);
}

/** A CometBFT inner node hashes 0x01 || left || right. */
function validateTendermintInnerOp(op: InnerOp): void {
  const innerPrefix = Uint8Array.of(1);
  if (op.prefix.length === 0) invalid("inner op prefix must not be empty");
  if (op.suffix.length > 0 && !bytesEqual(op.prefix, innerPrefix)) {
    invalid(`expected inner op prefix: ${goBytes(innerPrefix)}, got: ${goBytes(op.prefix)}`);
  }
  if (!hasPrefix(op.prefix, innerPrefix)) {
    const first = goBytes(op.prefix.subarray(0, 1));
    invalid(`expected inner op prefix to begin with: ${goBytes(innerPrefix)}, got: ${first}`);
  }
}

/** Checks a leaf op against spec.leafSpec (and the IAVL leaf prefix layout for the IAVL spec). */
export function checkLeafOpAgainstSpec(op: LeafOp, spec: ProofSpec): void {
  const leafSpec = spec.leafSpec;
  if (leafSpec === undefined) return invalid("spec.LeafSpec must be non-nil");
  if (specEquals(spec, IAVL_SPEC)) validateIavlOp(op.prefix, op.hash, 0);
  if (op.hash !== leafSpec.hash) invalid(`unexpected HashOp: ${op.hash}`);
  if (op.prehashKey !== leafSpec.prehashKey) invalid(`unexpected PrehashKey: ${op.prehashKey}`);
  if (op.prehashValue !== leafSpec.prehashValue) invalid(`unexpected PrehashValue: ${op.prehashValue}`);
  if (op.length !== leafSpec.length) invalid(`unexpected LengthOp: ${op.length}`);
  if (!hasPrefix(op.prefix, leafSpec.prefix)) invalid(`leaf Prefix doesn't start with ${upperHex(leafSpec.prefix)}`);
}

/** Checks an inner op at layer layerNum (1 = just above the leaf) against spec. */
export function checkInnerOpAgainstSpec(op: InnerOp, spec: ProofSpec, layerNum: number): void {
  const { innerSpec, leafSpec } = spec;
  if (innerSpec === undefined) return invalid("spec.InnerSpec must be non-nil");
  if (leafSpec === undefined) return invalid("spec.LeafSpec must be non-nil");
  if (op.hash !== innerSpec.hash) invalid(`unexpected HashOp: ${op.hash}`);
  if (specEquals(spec, IAVL_SPEC)) validateIavlOp(op.prefix, op.hash, layerNum);
  if (specEquals(spec, TENDERMINT_SPEC)) validateTendermintInnerOp(op);

  // Leaf and inner preimages must be told apart by their first bytes; like the reference, an
  // empty leaf prefix therefore rejects every inner op.
  if (hasPrefix(op.prefix, leafSpec.prefix)) invalid(`inner Prefix starts with ${upperHex(leafSpec.prefix)}`);
  if (op.prefix.length < innerSpec.minPrefixLength) invalid(`innerOp prefix too short (${op.prefix.length})`);
  const maxLeftChildBytes = (innerSpec.childOrder.length - 1) * innerSpec.childSize;
  if (op.prefix.length > innerSpec.maxPrefixLength + maxLeftChildBytes) {
    invalid(`innerOp prefix too long (${op.prefix.length})`);
  }
  if (innerSpec.childSize <= 0) invalid("spec.InnerSpec.ChildSize must be >= 1");
  if (innerSpec.maxPrefixLength >= innerSpec.minPrefixLength + innerSpec.childSize) {
    invalid("spec.InnerSpec.MaxPrefixLength must be < spec.InnerSpec.MinPrefixLength + spec.InnerSpec.ChildSize");
  }
  // Otherwise a suffix could hide part of a sibling and shift the child's position.
  if (op.suffix.length % innerSpec.childSize !== 0) invalid("InnerOp suffix malformed");
}

/** Checks the leaf, the depth bounds and every inner op of an existence proof against spec. */
export function checkExistenceAgainstSpec(proof: ExistenceProof, spec: ProofSpec): void {
  const leaf = proof.leaf;
  if (leaf === undefined) return invalid("existence Proof needs defined LeafOp");
  withContext("leaf", () => checkLeafOpAgainstSpec(leaf, spec));
  const depth = proof.path.length;
  if (spec.minDepth > 0 && depth < spec.minDepth) invalid(`innerOps depth too short: ${depth}`);
  const maxDepth = spec.maxDepth > 0 ? spec.maxDepth : DEFAULT_MAX_DEPTH;
  if (depth > maxDepth) invalid(`innerOps depth too long: ${depth}`);
  proof.path.forEach((step, i) => withContext("inner", () => checkInnerOpAgainstSpec(step, spec, i + 1)));
}

// ---------------------------------------------------------------------------------------------
// neighbour checks for non-existence

interface Padding {
  minPrefix: number;
  maxPrefix: number;
  suffix: number;
}

/** Index of branch within childOrder. */
function getPosition(order: number[], branch: number): number {
  if (branch < 0 || branch >= order.length) invalid(`invalid branch: ${branch}`);
  const idx = order.indexOf(branch);
  if (idx < 0) invalid(`branch ${branch} not found in order [${order.join(" ")}]`);
  return idx;
}

/** Prefix and suffix lengths an inner op has when its child sits at `branch`. */
function getPadding(spec: InnerSpec, branch: number): Padding {
  const idx = getPosition(spec.childOrder, branch);
  const prefix = idx * spec.childSize;
  return {
    minPrefix: prefix + spec.minPrefixLength,
    maxPrefix: prefix + spec.maxPrefixLength,
    suffix: (spec.childOrder.length - 1 - idx) * spec.childSize,
  };
}

function hasPadding(op: InnerOp, padding: Padding): boolean {
  const prefixLength = op.prefix.length;
  return prefixLength >= padding.minPrefix && prefixLength <= padding.maxPrefix && op.suffix.length === padding.suffix;
}

/** Which branch the child of this inner op sits in, judged by its padding. */
function orderFromPadding(spec: InnerSpec, op: InnerOp): number {
  for (let branch = 0; branch < spec.childOrder.length; branch++) {
    if (hasPadding(op, getPadding(spec, branch))) return branch;
  }
  return invalid("cannot find any valid spacing for this node");
}

/** True when every sibling left of the child is the spec's empty-child placeholder. */
export function leftBranchesAreEmpty(spec: InnerSpec, op: InnerOp): boolean {
  const leftBranches = orderFromPadding(spec, op);
  if (leftBranches === 0) return false;
  const ownPrefix = op.prefix.length - leftBranches * spec.childSize;
  if (ownPrefix < 0) return false;
  for (let i = 0; i < leftBranches; i++) {
    const from = ownPrefix + getPosition(spec.childOrder, i) * spec.childSize;
    if (!bytesEqual(spec.emptyChild, op.prefix.subarray(from, from + spec.childSize))) return false;
  }
  return true;
}

/** True when every sibling right of the child is the spec's empty-child placeholder. */
export function rightBranchesAreEmpty(spec: InnerSpec, op: InnerOp): boolean {
  const rightBranches = spec.childOrder.length - 1 - orderFromPadding(spec, op);
  if (rightBranches === 0) return false;
  if (op.suffix.length !== rightBranches * spec.childSize) return false;
  for (let i = 0; i < rightBranches; i++) {
    const from = getPosition(spec.childOrder, i) * spec.childSize;
    if (!bytesEqual(spec.emptyChild, op.suffix.subarray(from, from + spec.childSize))) return false;
  }
  return true;
}

function sameInnerOp(a: InnerOp, b: InnerOp): boolean {
  return bytesEqual(a.prefix, b.prefix) && bytesEqual(a.suffix, b.suffix);
}

function isLeftMost(spec: InnerSpec, path: InnerOp[]): boolean {
  const padding = getPadding(spec, 0);
  return path.every((step) => hasPadding(step, padding) || leftBranchesAreEmpty(spec, step));
}

function isRightMost(spec: InnerSpec, path: InnerOp[]): boolean {
  const padding = getPadding(spec, spec.childOrder.length - 1);
  return path.every((step) => hasPadding(step, padding) || rightBranchesAreEmpty(spec, step));
}

/**
 * True when `right` is the path of the key just after the one at `left`: below their lowest
 * common node, left goes down one branch and right the next, then left always right-most and
 * right always left-most.
 */
function isLeftNeighbor(spec: InnerSpec, left: InnerOp[], right: InnerOp[]): boolean {
  let l = left.length - 1;
  let r = right.length - 1;
  // Skip the shared steps near the root; paths that never diverge are the same leaf.
  while (l >= 0 && r >= 0 && sameInnerOp(left[l]!, right[r]!)) {
    l--;
    r--;
  }
  if (l < 0 || r < 0) return false;
  if (orderFromPadding(spec, right[r]!) !== orderFromPadding(spec, left[l]!) + 1) return false;
  return isRightMost(spec, left.slice(0, l)) && isLeftMost(spec, right.slice(0, r));
}

// ---------------------------------------------------------------------------------------------
// verification

/** Throws unless proof, checked against spec, proves key → value under root. */
export function verifyExistence(proof: ExistenceProof, spec: ProofSpec, root: Uint8Array, key: Uint8Array, value: Uint8Array): void {
  checkExistenceAgainstSpec(proof, spec);
  if (!bytesEqual(key, proof.key)) invalid("provided key doesn't match proof");
  if (!bytesEqual(value, proof.value)) invalid("provided value doesn't match proof");
  const calculated = withContext("error calculating root", () => calculateRoot(proof, spec));
  if (!bytesEqual(root, calculated)) invalid("calculated root doesn't match provided root");
}

/** Throws unless proof shows that key is absent under root. */
export function verifyNonExistence(proof: NonExistenceProof, spec: ProofSpec, root: Uint8Array, key: Uint8Array): void {
  const { left, right } = proof;
  if (left !== undefined) withContext("left proof", () => verifyExistence(left, spec, root, left.key, left.value));
  if (right !== undefined) withContext("right proof", () => verifyExistence(right, spec, root, right.key, right.value));
  if (left === undefined && right === undefined) return invalid("both left and right proofs missing");
  // Our specs do not set prehash_key_before_comparison (cosmjs-types 0.11 lacks the field), so
  // keys compare as they are.
  if (right !== undefined && compareBytes(key, right.key) >= 0) invalid("key is not left of right proof");
  if (left !== undefined && compareBytes(key, left.key) <= 0) invalid("key is not right of left proof");

  const innerSpec = spec.innerSpec;
  if (innerSpec === undefined) return invalid("spec.InnerSpec must be non-nil");
  if (left === undefined) {
    if (right !== undefined && !isLeftMost(innerSpec, right.path)) {
      invalid("left proof missing, right proof must be left-most");
    }
  } else if (right === undefined) {
    if (!isRightMost(innerSpec, left.path)) invalid("right proof missing, left proof must be right-most");
  } else if (!isLeftNeighbor(innerSpec, left.path, right.path)) {
    invalid("left and right proofs are not neighbors");
  }
}

/** Throws unless commitmentProof is an existence proof of key → value under root. */
export function verifyMembership(commitmentProof: CommitmentProof, spec: ProofSpec, root: Uint8Array, key: Uint8Array, value: Uint8Array): void {
  const exist = commitmentProof.exist;
  if (exist === undefined) return invalid("membership proof: commitment proof holds no existence proof");
  withContext("membership proof", () => verifyExistence(exist, spec, root, key, value));
}

/** Throws unless commitmentProof is a non-existence proof of key under root. */
export function verifyNonMembership(commitmentProof: CommitmentProof, spec: ProofSpec, root: Uint8Array, key: Uint8Array): void {
  const nonexist = commitmentProof.nonexist;
  if (nonexist === undefined) return invalid("non-membership proof: commitment proof holds no non-existence proof");
  withContext("non-membership proof", () => verifyNonExistence(nonexist, spec, root, key));
}

// ---------------------------------------------------------------------------------------------
// multistore proofs (CometBFT ProofOps as written by the Cosmos SDK)

export interface ProofOpLike {
  type: string;
  key: Uint8Array;
  data: Uint8Array;
}

function decodeCommitmentProof(op: ProofOpLike): CommitmentProof {
  try {
    return CommitmentProof.decode(op.data);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return invalid(`${op.type} proof op data is not a CommitmentProof: ${message}`);
  }
}

function expectOp(op: ProofOpLike | undefined, index: number, type: string, key: Uint8Array): ProofOpLike {
  if (op === undefined) return invalid(`proof op ${index} is missing`);
  if (op.type !== type) {
    invalid(`proof op ${index} has type ${JSON.stringify(op.type)}, expected ${JSON.stringify(type)}`);
  }
  if (!bytesEqual(op.key, key)) {
    invalid(`proof op ${index} (${type}) is for key ${upperHex(op.key)}, expected ${upperHex(key)}`);
  }
  return op;
}

/** Verifies the substore proof and returns the substore root it was checked against. */
function verifySubstoreOp(op: ProofOpLike, key: Uint8Array, value: Uint8Array | undefined): Uint8Array {
  const proof = decodeCommitmentProof(op);
  return withContext(`${op.type} proof op`, () => {
    if (value === undefined) {
      if (proof.nonexist === undefined) invalid("expected a non-existence proof");
      const root = calculateNonExistenceRoot(proof.nonexist);
      verifyNonMembership(proof, IAVL_SPEC, root, key);
      return root;
    }
    if (proof.exist === undefined) return invalid("expected an existence proof");
    const root = calculateExistenceRoot(proof.exist);
    verifyMembership(proof, IAVL_SPEC, root, key, value);
    return root;
  });
}

/**
 * Verifies a multistore proof [ics23:iavl for key in the substore, ics23:simple for storeName in
 * the multistore] against appHash. value undefined asks for proof that key is absent.
 */
export function verifyChainedProof(proofOps: ProofOpLike[], appHash: Uint8Array, storeName: string, key: Uint8Array, value: Uint8Array | undefined): void {
  if (proofOps.length !== 2) {
    invalid(`expected 2 proof ops (${PROOF_OP_IAVL}, ${PROOF_OP_SIMPLE}), got ${proofOps.length}`);
  }
  const storeKey = new TextEncoder().encode(storeName);
  const substoreOp = expectOp(proofOps[0], 0, PROOF_OP_IAVL, key);
  const multistoreOp = expectOp(proofOps[1], 1, PROOF_OP_SIMPLE, storeKey);

  const substoreRoot = verifySubstoreOp(substoreOp, key, value);
  const multistoreProof = decodeCommitmentProof(multistoreOp);
  withContext(`${PROOF_OP_SIMPLE} proof op`, () => verifyMembership(multistoreProof, TENDERMINT_SPEC, appHash, storeKey, substoreRoot));
}
