/**
 * ICS-23 Merkle proofs of a counterparty chain's state, verified the way ibc-go v8's MerkleProof is
 * (modules/core/23-commitment/types/merkle.go): a chain of proofs, one per proof spec, lowest
 * subtree first, each proving the previous subtree's root in the next one, ending at the root of
 * a consensus state. For a Cosmos SDK chain the chain is [the key in the "ibc" substore (iavl
 * spec), the substore's root under its name in the app hash (tendermint spec)]. The ICS-23 checks
 * of a single proof against its spec are @confio/ics23's.
 */
import { calculateExistenceRoot, iavlSpec, ics23, tendermintSpec, verifyExistence, verifyNonExistence } from "@confio/ics23";
import { CommitmentProof, ProofSpec } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { MerkleProof } from "cosmjs-types/ibc/core/commitment/v1/commitment";
import type { ProofOp } from "cosmjs-types/tendermint/crypto/proof";
import { CommitmentCode, commitmentError } from "./errors";

/** The prefix of every IBC key path on an SDK chain: the IBC module's store key, "ibc". */
export const IBC_KEY_PREFIX = "ibc";

function toProofSpec(spec: ics23.IProofSpec): ProofSpec {
  return ProofSpec.decode(ics23.ProofSpec.encode(spec).finish());
}

/**
 * The proof specs of a Cosmos SDK chain, lowest subtree first (ibc-go's GetSDKSpecs): the ICS-23
 * `iavl` spec for a substore, then the `tendermint` spec for the multistore. Shared: do not mutate;
 * use sdkProofSpecs() for copies to put in a client state.
 */
export const SDK_PROOF_SPECS: readonly ProofSpec[] = Object.freeze([toProofSpec(iavlSpec), toProofSpec(tendermintSpec)]);

/** Fresh copies of SDK_PROOF_SPECS, e.g. for a new Tendermint client state. */
export function sdkProofSpecs(): ProofSpec[] {
  return SDK_PROOF_SPECS.map((spec) => ProofSpec.decode(ProofSpec.encode(spec).finish()));
}

/** True when two proof specs are the same in every field (compared by their protobuf encoding). */
export function proofSpecEqual(a: ProofSpec, b: ProofSpec): boolean {
  return bytesEqual(ProofSpec.encode(a).finish(), ProofSpec.encode(b).finish());
}

/** True when two lists of proof specs are the same, in the same order. */
export function proofSpecsEqual(a: readonly ProofSpec[], b: readonly ProofSpec[]): boolean {
  return a.length === b.length && a.every((spec, i) => proofSpecEqual(spec, b[i]!));
}

/** True when a client's proof specs are exactly the SDK's [iavl, tendermint]. */
export function isSdkProofSpecs(specs: readonly ProofSpec[]): boolean {
  return proofSpecsEqual(specs, SDK_PROOF_SPECS);
}

/**
 * The key path of an ICS-24 path under a commitment prefix, highest subtree first: [prefix, path]
 * as bytes, as ibc-go v8's ApplyPrefix(prefix, MerklePath{path}) with its string keys as UTF-8.
 * Throws InvalidPrefix for an empty prefix.
 */
export function merklePath(prefix: Uint8Array, path: string): Uint8Array[] {
  if (prefix.length === 0) throw commitmentError(CommitmentCode.InvalidPrefix, 'the commitment prefix is empty: an SDK chain\'s is "ibc"');
  return [Uint8Array.from(prefix), new TextEncoder().encode(path)];
}

/** The protobuf encoding of an ibc.core.commitment.v1.MerkleProof, as a relayer sends it in a message. */
export function encodeMerkleProof(proof: MerkleProof): Uint8Array {
  return MerkleProof.encode(proof).finish();
}

/** Decodes an ibc.core.commitment.v1.MerkleProof; throws InvalidProof when the bytes are not one. */
export function decodeMerkleProof(bytes: Uint8Array): MerkleProof {
  try {
    return MerkleProof.decode(bytes);
  } catch (err) {
    return fail(CommitmentCode.InvalidProof, `the proof bytes are not an ibc.core.commitment.v1.MerkleProof: ${reason(err)}`);
  }
}

/**
 * What a relayer does with the ProofOps of an abci_query with prove=true (ibc-go's ConvertProofs):
 * each op's data is a CommitmentProof, kept in order ([substore proof, root proof] on an SDK chain).
 * Throws InvalidMerkleProof when an op's data is not a CommitmentProof or holds no proof.
 */
export function proofOpsToMerkleProof(ops: readonly ProofOp[]): MerkleProof {
  const proofs = ops.map((op, i) => {
    let proof: CommitmentProof;
    try {
      proof = CommitmentProof.decode(op.data);
    } catch (err) {
      return fail(CommitmentCode.InvalidMerkleProof, `proof op ${i} (${op.type}): its data is not an ICS-23 CommitmentProof: ${reason(err)}`);
    }
    const kind = proofKind(proof);
    if (kind === undefined) return fail(CommitmentCode.InvalidMerkleProof, `proof op ${i} (${op.type}) holds no ICS-23 proof`);
    if (kind === "ambiguous") return fail(CommitmentCode.InvalidMerkleProof, `proof op ${i} (${op.type}) sets more than one kind of ICS-23 proof`);
    return proof;
  });
  return { proofs };
}

/**
 * Throws unless `proof` proves `value` at `keyPath` (highest subtree first, e.g. merklePath("ibc",
 * path)) under `root`, each proof checked against the spec at its index. Errors are ChainErrors in
 * codespace "commitment": InvalidMerkleProof for an empty proof, an empty root or a proof count
 * that is not the spec count; InvalidProof for anything else that does not verify.
 */
export function verifyMembership(
  specs: readonly ProofSpec[],
  root: Uint8Array,
  proof: MerkleProof | Uint8Array,
  keyPath: readonly Uint8Array[],
  value: Uint8Array,
): void {
  const merkleProof = checkArguments(specs, root, proof, keyPath);
  if (value.length === 0) fail(CommitmentCode.InvalidProof, "the value to prove is empty: ICS-23 cannot prove an empty value");
  verifyChain(specs, root, merkleProof.proofs, keyPath, value, 0);
}

/**
 * Throws unless `proof` proves that nothing is stored at `keyPath` under `root`: proof 0 is a
 * non-existence proof of the last key in the lowest subtree, and the proofs above it prove that
 * subtree's root up to `root`. Errors as for verifyMembership.
 */
export function verifyNonMembership(specs: readonly ProofSpec[], root: Uint8Array, proof: MerkleProof | Uint8Array, keyPath: readonly Uint8Array[]): void {
  const merkleProof = checkArguments(specs, root, proof, keyPath);
  const first = merkleProof.proofs[0]!;
  const key = keyPath[keyPath.length - 1]!;
  const kind = proofKind(first);
  if (kind === "exist") {
    fail(CommitmentCode.InvalidProof, `proof 0 is an existence proof (of key ${showKey(first.exist!.key)}), not a proof that key ${showKey(key)} is absent`);
  }
  if (kind !== "nonexist") fail(CommitmentCode.InvalidProof, `proof 0 ${describeKind(kind)}: a non-existence proof is needed`);

  const nonexist = toConfio(first).nonexist!;
  const neighbour = nonexist.left ?? nonexist.right;
  if (!neighbour) return fail(CommitmentCode.InvalidProof, "the non-existence proof 0 holds neither a left nor a right neighbour");
  const subroot = attempt(
    () => calculateExistenceRoot(neighbour),
    (why) => `could not calculate the root of proof 0: ${why}`,
  );
  const leftKey = nonexist.left?.key;
  const rightKey = nonexist.right?.key;
  if ((leftKey && compareBytes(leftKey, key) >= 0) || (rightKey && compareBytes(key, rightKey) >= 0)) {
    const between = `${leftKey ? showKey(leftKey) : "(none)"} and ${rightKey ? showKey(rightKey) : "(none)"}`;
    fail(CommitmentCode.InvalidProof, `proof 0 shows the neighbours ${between}, and key ${showKey(key)} does not lie between them`);
  }
  attempt(
    () => verifyNonExistence(nonexist, toConfioSpec(specs[0]!), subroot, key),
    (why) => `proof 0 does not prove that key ${showKey(key)} is absent under proof spec 0: ${why}`,
  );
  verifyChain(specs, root, merkleProof.proofs, keyPath, subroot, 1);
}

// ---------------------------------------------------------------------------------------------

type ProofKind = "exist" | "nonexist" | "batch" | "compressed" | "ambiguous" | undefined;

/** Which proof a CommitmentProof holds (a oneof on the wire; decoded, each case is its own field). */
function proofKind(proof: CommitmentProof): ProofKind {
  const set = (["exist", "nonexist", "batch", "compressed"] as const).filter((k) => proof[k] !== undefined);
  return set.length > 1 ? "ambiguous" : set[0];
}

function describeKind(kind: ProofKind): string {
  if (kind === undefined) return "holds no ICS-23 proof";
  if (kind === "ambiguous") return "sets more than one kind of ICS-23 proof";
  return `is a ${kind === "nonexist" ? "non-existence" : kind} proof`;
}

/** ibc-go's validateVerificationArgs plus the key path length check, in its order. */
function checkArguments(specs: readonly ProofSpec[], root: Uint8Array, proof: MerkleProof | Uint8Array, keyPath: readonly Uint8Array[]): MerkleProof {
  const merkleProof = proof instanceof Uint8Array ? decodeMerkleProof(proof) : proof;
  const count = merkleProof.proofs.length;
  if (count === 0) fail(CommitmentCode.InvalidMerkleProof, "the Merkle proof is empty: it holds no proofs");
  if (root.length === 0) fail(CommitmentCode.InvalidMerkleProof, "the root to verify against is empty");
  if (specs.length !== count) {
    fail(CommitmentCode.InvalidMerkleProof, `the Merkle proof holds ${count} proofs, but there are ${specs.length} proof specs (one proof per spec is needed)`);
  }
  specs.forEach((spec, i) => {
    if (spec === undefined || spec === null) fail(CommitmentCode.InvalidProof, `proof spec ${i} is missing`);
  });
  if (keyPath.length !== specs.length) {
    fail(CommitmentCode.InvalidProof, `the key path has ${keyPath.length} keys, but there are ${specs.length} proof specs (one key per spec is needed)`);
  }
  return merkleProof;
}

/**
 * Verifies proofs[from..] as existence proofs, each of the previous root (first: `value`) under
 * the key at the mirrored index of keyPath, and that the last root is `root`.
 */
function verifyChain(
  specs: readonly ProofSpec[],
  root: Uint8Array,
  proofs: readonly CommitmentProof[],
  keyPath: readonly Uint8Array[],
  value: Uint8Array,
  from: number,
): void {
  let subroot = value;
  for (let i = from; i < proofs.length; i++) {
    const proof = proofs[i]!;
    const key = keyPath[keyPath.length - 1 - i]!;
    const kind = proofKind(proof);
    if (kind === "nonexist") {
      fail(CommitmentCode.InvalidProof, `proof ${i} is a non-existence proof: it shows that key ${showKey(key)} is absent, so it cannot prove a value there`);
    }
    if (kind !== "exist") fail(CommitmentCode.InvalidProof, `proof ${i} ${describeKind(kind)}: an existence proof is needed`);
    subroot = verifyExistenceStep(i, proof, specs[i]!, key, subroot);
  }
  if (!bytesEqual(subroot, root)) {
    fail(
      CommitmentCode.InvalidProof,
      `the proofs lead to root ${hex(subroot)}, not to the expected root ${hex(root)}: the proof is for another height, another chain or another store`,
    );
  }
}

/** Checks that proof i proves key → value under the spec and returns the root it leads to. */
function verifyExistenceStep(index: number, proof: CommitmentProof, spec: ProofSpec, key: Uint8Array, value: Uint8Array): Uint8Array {
  const exist = toConfio(proof).exist!;
  const subroot = attempt(
    () => calculateExistenceRoot(exist),
    (why) => `could not calculate the root of proof ${index}: ${why}`,
  );
  const provenKey = exist.key ?? new Uint8Array();
  const provenValue = exist.value ?? new Uint8Array();
  if (!bytesEqual(provenKey, key)) fail(CommitmentCode.InvalidProof, `proof ${index} is for key ${showKey(provenKey)}, not for key ${showKey(key)}`);
  if (!bytesEqual(provenValue, value)) {
    fail(CommitmentCode.InvalidProof, `proof ${index} proves the value ${hex(provenValue)} at key ${showKey(key)}, not ${hex(value)}`);
  }
  attempt(
    () => verifyExistence(exist, toConfioSpec(spec), subroot, key, value),
    (why) => `proof ${index} (of key ${showKey(key)}) does not satisfy proof spec ${index}: ${why}`,
  );
  return subroot;
}

// ---------------------------------------------------------------------------------------------
// conversions and small helpers

/** @confio/ics23 has its own protobuf classes: convert through the wire encoding. */
function toConfio(proof: CommitmentProof): ics23.CommitmentProof {
  return ics23.CommitmentProof.decode(CommitmentProof.encode(proof).finish());
}

function toConfioSpec(spec: ProofSpec): ics23.ProofSpec {
  return ics23.ProofSpec.decode(ProofSpec.encode(spec).finish());
}

function fail(code: (typeof CommitmentCode)[keyof typeof CommitmentCode], message: string): never {
  throw commitmentError(code, message);
}

/** Runs an @confio/ics23 step; its failure becomes InvalidProof with `describe(reason)`. */
function attempt<T>(step: () => T, describe: (why: string) => string): T {
  try {
    return step();
  } catch (err) {
    return fail(CommitmentCode.InvalidProof, describe(reason(err)));
  }
}

function reason(err: unknown): string {
  if (err instanceof Error) return err.message;
  // @confio/ics23 0.6.8 throws the bare value `true` when an inner op starts with the leaf prefix.
  if (err === true) return "an inner op starts with the spec's leaf prefix";
  return String(err);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Lexicographic byte order, like Go's bytes.Compare. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return a.length - b.length;
}

const SHOWN_BYTES = 64;

function hex(data: Uint8Array): string {
  const shown = Buffer.from(data.subarray(0, SHOWN_BYTES)).toString("hex").toUpperCase();
  return data.length > SHOWN_BYTES ? `${shown}… (${data.length} bytes)` : shown;
}

/** A key as text when it is printable ASCII (ICS-24 paths are), else as hex. */
function showKey(key: Uint8Array): string {
  const printable = key.length > 0 && key.every((b) => b >= 0x20 && b < 0x7f);
  return printable ? JSON.stringify(Buffer.from(key).toString("latin1")) : `0x${hex(key)}`;
}
