// Checks app/store/ics23.ts byte for byte against the cosmos/ics23 reference test vectors
// (test/fixtures/ics23), cross-checks the iavl/tendermint vectors with the independent
// @confio/ics23 verifier, and makes sure both verifiers reject tampered proofs.
import t from "tap";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as confio from "@confio/ics23";
import { CommitmentProof, ExistenceProof, HashOp, InnerOp, InnerSpec, LeafOp, LengthOp, ProofSpec } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { StoreError, StoreErrorCode } from "../app/store/errors";
import {
  IAVL_SPEC,
  TENDERMINT_SPEC,
  applyInnerOp,
  applyLeafOp,
  calculateExistenceRoot,
  calculateNonExistenceRoot,
  checkExistenceAgainstSpec,
  checkInnerOpAgainstSpec,
  checkLeafOpAgainstSpec,
  doHash,
  leftBranchesAreEmpty,
  rightBranchesAreEmpty,
  verifyChainedProof,
  verifyMembership,
  verifyNonMembership,
  type ProofOpLike,
} from "../app/store/ics23";

// Tests run compiled from dist/test/, the fixtures stay in the source tree.
const FIXTURES = path.join(__dirname, "..", "..", "test", "fixtures", "ics23");

// ---------------------------------------------------------------------------------------------
// fixture shapes: Go's encoding/json of the ics23 structs (snake_case, base64 bytes)

interface LeafOpJson {
  hash?: number;
  prehash_key?: number;
  prehash_value?: number;
  length?: number;
  prefix?: string;
}
interface InnerOpJson {
  hash?: number;
  prefix?: string;
  suffix?: string;
}
interface ExistenceProofJson {
  key?: string;
  value?: string;
  leaf?: LeafOpJson | null;
  path?: InnerOpJson[] | null;
}
interface InnerSpecJson {
  child_order?: number[];
  child_size?: number;
  min_prefix_length?: number;
  max_prefix_length?: number;
  empty_child?: string;
  hash?: number;
}
interface ProofSpecJson {
  leaf_spec?: LeafOpJson | null;
  inner_spec?: InnerSpecJson | null;
  max_depth?: number;
  min_depth?: number;
}
interface DoHashCase {
  HashOp: number;
  Preimage?: string;
  PreImage?: string; // one case spells it so; Go's json matches field names case-insensitively
  ExpectedHash: string;
}
interface LeafOpCase {
  Op: LeafOpJson;
  Key: string | null;
  Value: string | null;
  IsErr: boolean;
  Expected: string | null;
}
interface InnerOpCase {
  Op: InnerOpJson;
  Child: string | null;
  IsErr: boolean;
  Expected: string | null;
}
interface ExistenceProofCase {
  Proof: ExistenceProofJson;
  IsErr: boolean;
  Expected: string | null;
}
interface CheckLeafCase {
  Leaf: LeafOpJson;
  Spec: LeafOpJson;
  IsErr: boolean;
}
interface CheckAgainstSpecCase {
  Proof: ExistenceProofJson;
  Spec: ProofSpecJson;
  Err: string;
}
interface EmptyBranchCase {
  Op: InnerOpJson;
  Spec: ProofSpecJson;
  IsLeft: boolean;
  IsRight: boolean;
}
interface VectorFile {
  key: string;
  value: string;
  proof: string;
  root: string;
}

function readFixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8")) as T;
}

function b64(s: string | null | undefined): Uint8Array {
  return new Uint8Array(Buffer.from(s ?? "", "base64"));
}

function hex(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, "hex"));
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

function leafOpFromJson(j: LeafOpJson): LeafOp {
  return {
    hash: (j.hash ?? 0) as HashOp,
    prehashKey: (j.prehash_key ?? 0) as HashOp,
    prehashValue: (j.prehash_value ?? 0) as HashOp,
    length: (j.length ?? 0) as LengthOp,
    prefix: b64(j.prefix),
  };
}

function innerOpFromJson(j: InnerOpJson): InnerOp {
  return { hash: (j.hash ?? 0) as HashOp, prefix: b64(j.prefix), suffix: b64(j.suffix) };
}

function existenceProofFromJson(j: ExistenceProofJson): ExistenceProof {
  return {
    key: b64(j.key),
    value: b64(j.value),
    leaf: j.leaf ? leafOpFromJson(j.leaf) : undefined,
    path: (j.path ?? []).map(innerOpFromJson),
  };
}

function innerSpecFromJson(j: InnerSpecJson): InnerSpec {
  return {
    childOrder: j.child_order ?? [],
    childSize: j.child_size ?? 0,
    minPrefixLength: j.min_prefix_length ?? 0,
    maxPrefixLength: j.max_prefix_length ?? 0,
    emptyChild: b64(j.empty_child),
    hash: (j.hash ?? 0) as HashOp,
  };
}

function proofSpecFromJson(j: ProofSpecJson): ProofSpec {
  return {
    leafSpec: j.leaf_spec ? leafOpFromJson(j.leaf_spec) : undefined,
    innerSpec: j.inner_spec ? innerSpecFromJson(j.inner_spec) : undefined,
    maxDepth: j.max_depth ?? 0,
    minDepth: j.min_depth ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// assertion helpers

function caughtError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** Asserts fn throws StoreError(InvalidProof), with exactly `message` when given. */
function assertInvalidProof(tt: tap.Test, fn: () => unknown, what: string, message?: string): void {
  const err = caughtError(fn);
  const ok = err instanceof StoreError && err.code === StoreErrorCode.InvalidProof;
  tt.ok(ok, `${what}: throws StoreError(InvalidProof)`, { found: err instanceof Error ? err.message : err });
  if (ok && message !== undefined) tt.equal(err.message, message, `${what}: error message`);
}

function assertValid(tt: tap.Test, fn: () => unknown, what: string): void {
  const err = caughtError(fn);
  tt.equal(err instanceof Error ? err.message : err, undefined, `${what}: accepted`);
}

function assertBytes(tt: tap.Test, actual: Uint8Array, expected: Uint8Array, what: string): void {
  tt.equal(toHex(actual), toHex(expected), what);
}

function cloneProof(proof: CommitmentProof): CommitmentProof {
  return CommitmentProof.decode(CommitmentProof.encode(proof).finish());
}

function toConfio(proof: CommitmentProof): confio.ics23.CommitmentProof {
  return confio.ics23.CommitmentProof.decode(CommitmentProof.encode(proof).finish());
}

function flipByte(data: Uint8Array, index: number): Uint8Array {
  const out = Uint8Array.from(data);
  out[index] = out[index]! ^ 0x01;
  return out;
}

function flipLast(data: Uint8Array): Uint8Array {
  return flipByte(data, data.length - 1);
}

// ---------------------------------------------------------------------------------------------
// op-level vectors

t.test("TestDoHashData: every hash op matches the expected digest", (tt) => {
  const cases = readFixture<Record<string, DoHashCase>>("TestDoHashData.json");
  tt.ok(Object.keys(cases).length >= 7, "fixture has its cases");
  for (const [name, c] of Object.entries(cases)) {
    const preimage = c.Preimage ?? c.PreImage;
    tt.type(preimage, "string", `${name}: has a preimage`);
    const digest = doHash(c.HashOp as HashOp, new TextEncoder().encode(preimage ?? ""));
    tt.equal(toHex(digest), c.ExpectedHash, name);
  }
  tt.end();
});

t.test("TestLeafOpData: leaf op output or error", (tt) => {
  const cases = readFixture<Record<string, LeafOpCase>>("TestLeafOpData.json");
  tt.ok(Object.keys(cases).length >= 11, "fixture has its cases");
  for (const [name, c] of Object.entries(cases)) {
    const run = (): Uint8Array => applyLeafOp(leafOpFromJson(c.Op), b64(c.Key), b64(c.Value));
    if (c.IsErr) assertInvalidProof(tt, run, name);
    else assertBytes(tt, run(), b64(c.Expected), name);
  }
  tt.end();
});

t.test("TestInnerOpData: inner op output or error", (tt) => {
  const cases = readFixture<Record<string, InnerOpCase>>("TestInnerOpData.json");
  tt.ok(Object.keys(cases).length >= 4, "fixture has its cases");
  for (const [name, c] of Object.entries(cases)) {
    const run = (): Uint8Array => applyInnerOp(innerOpFromJson(c.Op), b64(c.Child));
    if (c.IsErr) assertInvalidProof(tt, run, name);
    else assertBytes(tt, run(), b64(c.Expected), name);
  }
  tt.end();
});

t.test("TestExistenceProofData: root calculation or error", (tt) => {
  const cases = readFixture<Record<string, ExistenceProofCase>>("TestExistenceProofData.json");
  tt.ok(Object.keys(cases).length >= 6, "fixture has its cases");
  for (const [name, c] of Object.entries(cases)) {
    const run = (): Uint8Array => calculateExistenceRoot(existenceProofFromJson(c.Proof));
    if (c.IsErr) assertInvalidProof(tt, run, name);
    else assertBytes(tt, run(), b64(c.Expected), name);
  }
  tt.end();
});

t.test("TestCheckLeafData: leaf op against a leaf spec", (tt) => {
  const cases = readFixture<Record<string, CheckLeafCase>>("TestCheckLeafData.json");
  tt.ok(Object.keys(cases).length >= 10, "fixture has its cases");
  for (const [name, c] of Object.entries(cases)) {
    const spec: ProofSpec = { leafSpec: leafOpFromJson(c.Spec), innerSpec: undefined, maxDepth: 0, minDepth: 0 };
    const run = (): void => checkLeafOpAgainstSpec(leafOpFromJson(c.Leaf), spec);
    if (c.IsErr) assertInvalidProof(tt, run, name);
    else assertValid(tt, run, name);
  }
  tt.end();
});

t.test("TestCheckAgainstSpecData: existence proof against a spec, with the reference's error text", (tt) => {
  const cases = readFixture<Record<string, CheckAgainstSpecCase>>("TestCheckAgainstSpecData.json");
  tt.ok(Object.keys(cases).length >= 11, "fixture has its cases");
  for (const [name, c] of Object.entries(cases)) {
    const run = (): void => checkExistenceAgainstSpec(existenceProofFromJson(c.Proof), proofSpecFromJson(c.Spec));
    if (c.Err !== "") assertInvalidProof(tt, run, name, c.Err);
    else assertValid(tt, run, name);
  }
  tt.end();
});

t.test("TestEmptyBranchData: placeholder (empty child) detection", (tt) => {
  // All cases apply: the checks are generic over InnerSpec. Our own IAVL and Tendermint specs
  // have no empty child, so for them a placeholder never counts; the last two cases (no
  // empty_child, a spec equal to TENDERMINT_SPEC) show exactly that.
  const cases = readFixture<EmptyBranchCase[]>("TestEmptyBranchData.json");
  tt.equal(cases.length, 8, "fixture has its cases");
  cases.forEach((c, i) => {
    const op = innerOpFromJson(c.Op);
    const spec = proofSpecFromJson(c.Spec);
    const innerSpec = spec.innerSpec;
    if (innerSpec === undefined) {
      tt.fail(`case ${i}: spec has an inner spec`);
      return;
    }
    assertValid(tt, () => checkInnerOpAgainstSpec(op, spec, 1), `case ${i}: inner op fits the spec`);
    tt.equal(leftBranchesAreEmpty(innerSpec, op), c.IsLeft, `case ${i}: leftBranchesAreEmpty`);
    tt.equal(rightBranchesAreEmpty(innerSpec, op), c.IsRight, `case ${i}: rightBranchesAreEmpty`);
  });
  tt.end();
});

// ---------------------------------------------------------------------------------------------
// iavl / tendermint proof vectors

interface Vector {
  name: string;
  spec: ProofSpec;
  confioSpec: confio.ics23.IProofSpec;
  otherSpec: ProofSpec;
  key: Uint8Array;
  value: Uint8Array | undefined;
  proof: CommitmentProof;
  proofBytes: Uint8Array;
  root: Uint8Array;
}

const VECTOR_FILES = ["exist_left", "exist_middle", "exist_right", "nonexist_left", "nonexist_middle", "nonexist_right"];

function loadVectors(): Vector[] {
  const dirs = [
    { dir: "iavl", spec: IAVL_SPEC, confioSpec: confio.iavlSpec, otherSpec: TENDERMINT_SPEC },
    { dir: "tendermint", spec: TENDERMINT_SPEC, confioSpec: confio.tendermintSpec, otherSpec: IAVL_SPEC },
  ];
  return dirs.flatMap(({ dir, spec, confioSpec, otherSpec }) =>
    VECTOR_FILES.map((file) => {
      const v = readFixture<VectorFile>(path.join(dir, `${file}.json`));
      const proofBytes = hex(v.proof);
      return {
        name: `${dir}/${file}`,
        spec,
        confioSpec,
        otherSpec,
        key: hex(v.key),
        value: v.value === "" ? undefined : hex(v.value),
        proof: CommitmentProof.decode(proofBytes),
        proofBytes,
        root: hex(v.root),
      };
    }),
  );
}

const VECTORS = loadVectors();

function ourVerify(v: Vector, proof: CommitmentProof, root: Uint8Array, value: Uint8Array | undefined): void {
  if (value === undefined) verifyNonMembership(proof, v.spec, root, v.key);
  else verifyMembership(proof, v.spec, root, v.key, value);
}

function confioVerify(v: Vector, proof: CommitmentProof, root: Uint8Array, value: Uint8Array | undefined): boolean {
  const p = toConfio(proof);
  return value === undefined ? confio.verifyNonMembership(p, v.confioSpec, root, v.key) : confio.verifyMembership(p, v.confioSpec, root, v.key, value);
}

/** The existence proof a tamper test should alter: the proof itself or a non-existence neighbour. */
function targetExistence(proof: CommitmentProof): ExistenceProof {
  const target = proof.exist ?? proof.nonexist?.left ?? proof.nonexist?.right;
  if (target === undefined) throw new Error("vector proof holds no existence proof");
  return target;
}

t.test("iavl and tendermint vectors verify with both verifiers", (tt) => {
  tt.equal(VECTORS.length, 12, "12 vector files");
  for (const v of VECTORS) {
    tt.equal(v.proof.exist !== undefined, v.value !== undefined, `${v.name}: proof kind matches the vector`);
    tt.equal(v.proof.nonexist !== undefined, v.value === undefined, `${v.name}: proof kind matches the vector`);
    const nonexist = v.proof.nonexist;
    const calculated = nonexist ? calculateNonExistenceRoot(nonexist) : calculateExistenceRoot(targetExistence(v.proof));
    assertBytes(tt, calculated, v.root, `${v.name}: calculated root`);
    assertValid(tt, () => ourVerify(v, v.proof, v.root, v.value), `${v.name}: our verifier`);
    tt.equal(confioVerify(v, v.proof, v.root, v.value), true, `${v.name}: @confio/ics23 accepts`);
    const otherSpec = { ...v, spec: v.otherSpec };
    assertInvalidProof(tt, () => ourVerify(otherSpec, v.proof, v.root, v.value), `${v.name}: ours, other spec`);
  }
  tt.end();
});

t.test("both verifiers reject a wrong value or a wrong proof kind", (tt) => {
  for (const v of VECTORS) {
    const value = v.value;
    if (value !== undefined) {
      const wrong = flipLast(value);
      assertInvalidProof(tt, () => ourVerify(v, v.proof, v.root, wrong), `${v.name}: ours, flipped value`);
      tt.equal(confioVerify(v, v.proof, v.root, wrong), false, `${v.name}: confio, flipped value`);
      assertInvalidProof(tt, () => ourVerify(v, v.proof, v.root, undefined), `${v.name}: ours, asked for absence`);
      tt.equal(confioVerify(v, v.proof, v.root, undefined), false, `${v.name}: confio, asked for absence`);
    } else {
      const neighbour = targetExistence(v.proof);
      const present = neighbour.value;
      const existing = { ...v, key: neighbour.key };
      const what = `${v.name}: absence of a present key`;
      assertInvalidProof(tt, () => ourVerify(existing, v.proof, v.root, undefined), `ours, ${what}`);
      tt.equal(confioVerify(existing, v.proof, v.root, undefined), false, `confio, ${what}`);
      assertInvalidProof(tt, () => ourVerify(v, v.proof, v.root, present), `${v.name}: ours, asked for presence`);
      tt.equal(confioVerify(v, v.proof, v.root, present), false, `${v.name}: confio, asked for presence`);
    }
  }
  tt.end();
});

t.test("both verifiers reject tampered proofs", (tt) => {
  for (const v of VECTORS) {
    const badRoot = flipByte(v.root, 0);
    assertInvalidProof(tt, () => ourVerify(v, v.proof, badRoot, v.value), `${v.name}: ours, flipped root`);
    tt.equal(confioVerify(v, v.proof, badRoot, v.value), false, `${v.name}: confio, flipped root`);

    // The value inside the proof changed, and the caller asks for that same changed value.
    const valueTampered = cloneProof(v.proof);
    const tamperedLeaf = targetExistence(valueTampered);
    tamperedLeaf.value = flipLast(tamperedLeaf.value);
    const askedValue = v.value === undefined ? undefined : tamperedLeaf.value;
    const what = `${v.name}: value in proof flipped`;
    assertInvalidProof(tt, () => ourVerify(v, valueTampered, v.root, askedValue), `ours, ${what}`);
    tt.equal(confioVerify(v, valueTampered, v.root, askedValue), false, `confio, ${what}`);

    for (const where of ["first", "last"] as const) {
      const prefixTampered = cloneProof(v.proof);
      const steps = targetExistence(prefixTampered).path;
      tt.ok(steps.length > 0, `${v.name}: proof has inner ops`);
      const step = where === "first" ? steps[0]! : steps[steps.length - 1]!;
      step.prefix = flipLast(step.prefix);
      const what = `${v.name}: ${where} inner op prefix flipped`;
      assertInvalidProof(tt, () => ourVerify(v, prefixTampered, v.root, v.value), `ours, ${what}`);
      tt.equal(confioVerify(v, prefixTampered, v.root, v.value), false, `confio, ${what}`);
    }
  }
  tt.end();
});

// ---------------------------------------------------------------------------------------------
// multistore proofs: an iavl vector as the substore proof, under a two-store simple Merkle tree
// built here directly with node:crypto (CometBFT: leaf 0x00 || len || key || len || sha256(value),
// inner 0x01 || left || right).

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

function simpleLeafHash(key: Uint8Array, value: Uint8Array): Uint8Array {
  const valueHash = sha256(value);
  return sha256(Uint8Array.of(0, key.length), key, Uint8Array.of(valueHash.length), valueHash);
}

interface Multistore {
  appHash: Uint8Array;
  storeProof: Uint8Array;
}

/** Stores "acc" (some root) and `name` (substoreRoot); proves `name` → substoreRoot. */
function buildMultistore(name: string, substoreRoot: Uint8Array): Multistore {
  const storeKey = new TextEncoder().encode(name);
  const accLeaf = simpleLeafHash(new TextEncoder().encode("acc"), sha256(Uint8Array.of(7)));
  const ownLeaf = simpleLeafHash(storeKey, substoreRoot);
  const appHash = sha256(Uint8Array.of(1), accLeaf, ownLeaf);
  const proof: CommitmentProof = {
    exist: {
      key: storeKey,
      value: substoreRoot,
      leaf: TENDERMINT_SPEC.leafSpec,
      path: [{ hash: HashOp.SHA256, prefix: new Uint8Array([1, ...accLeaf]), suffix: new Uint8Array() }],
    },
  };
  return { appHash, storeProof: CommitmentProof.encode(proof).finish() };
}

function chainedOps(v: Vector, store: Multistore, storeName: string): ProofOpLike[] {
  return [
    { type: "ics23:iavl", key: v.key, data: v.proofBytes },
    { type: "ics23:simple", key: new TextEncoder().encode(storeName), data: store.storeProof },
  ];
}

t.test("verifyChainedProof: iavl vectors under a multistore root", (tt) => {
  const iavlVectors = VECTORS.filter((v) => v.name.startsWith("iavl/"));
  tt.equal(iavlVectors.length, 6, "6 iavl vectors");
  for (const v of iavlVectors) {
    const store = buildMultistore("mira", v.root);
    const ops = chainedOps(v, store, "mira");
    const storeProof = confio.ics23.CommitmentProof.decode(store.storeProof);
    const storeKey = new TextEncoder().encode("mira");
    tt.equal(
      confio.verifyMembership(storeProof, confio.tendermintSpec, store.appHash, storeKey, v.root),
      true,
      `${v.name}: @confio/ics23 accepts the store proof built here`,
    );
    assertValid(tt, () => verifyChainedProof(ops, store.appHash, "mira", v.key, v.value), `${v.name}: chained proof`);

    const reject = (what: string, fn: () => void): void => assertInvalidProof(tt, fn, `${v.name}: ${what}`);
    reject("flipped app hash", () => verifyChainedProof(ops, flipByte(store.appHash, 3), "mira", v.key, v.value));
    reject("other store name", () => verifyChainedProof(ops, store.appHash, "bank", v.key, v.value));
    reject("ops swapped", () => verifyChainedProof([ops[1]!, ops[0]!], store.appHash, "mira", v.key, v.value));
    reject("one op only", () => verifyChainedProof(ops.slice(0, 1), store.appHash, "mira", v.key, v.value));
    // For absence, another key in the same gap would still be proven absent; take a present one.
    const otherKey = v.value !== undefined ? flipLast(v.key) : targetExistence(v.proof).key;
    reject("op and asked key both another key", () => verifyChainedProof([{ ...ops[0]!, key: otherKey }, ops[1]!], store.appHash, "mira", otherKey, v.value));
    reject("asked key differs from op key", () => verifyChainedProof(ops, store.appHash, "mira", flipLast(v.key), v.value));
    const garbage = [{ ...ops[0]!, data: Uint8Array.of(0xff, 0xff, 0xff) }, ops[1]!];
    reject("garbage op data", () => verifyChainedProof(garbage, store.appHash, "mira", v.key, v.value));
    const truncated = [ops[0]!, { ...ops[1]!, data: Uint8Array.of(0x0a, 0x05, 0x01) }];
    reject("truncated store op data", () => verifyChainedProof(truncated, store.appHash, "mira", v.key, v.value));
    const value = v.value;
    if (value !== undefined) {
      reject("flipped value", () => verifyChainedProof(ops, store.appHash, "mira", v.key, flipLast(value)));
      reject("asked for absence", () => verifyChainedProof(ops, store.appHash, "mira", v.key, undefined));
    } else {
      reject("asked for presence", () => verifyChainedProof(ops, store.appHash, "mira", v.key, Uint8Array.of(1)));
    }
    // A substore proof that is valid for a different substore root than the one committed.
    const otherStore = buildMultistore("mira", flipByte(v.root, 0));
    reject("store commits another root", () => verifyChainedProof(chainedOps(v, otherStore, "mira"), otherStore.appHash, "mira", v.key, v.value));
  }
  tt.end();
});

// ---------------------------------------------------------------------------------------------
// neighbour checks of non-existence proofs

t.test("non-existence: a lone neighbour must be the outermost leaf", (tt) => {
  for (const v of VECTORS.filter((x) => x.name.endsWith("/nonexist_middle"))) {
    const nonexist = v.proof.nonexist;
    tt.ok(nonexist?.left !== undefined && nonexist.right !== undefined, `${v.name}: has both neighbours`);
    const leftOnly = cloneProof(v.proof);
    leftOnly.nonexist!.right = undefined;
    const rightOnly = cloneProof(v.proof);
    rightOnly.nonexist!.left = undefined;
    for (const [what, proof] of [
      ["right neighbour dropped", leftOnly],
      ["left neighbour dropped", rightOnly],
    ] as const) {
      assertInvalidProof(tt, () => ourVerify(v, proof, v.root, undefined), `${v.name}: ours, ${what}`);
      tt.equal(confioVerify(v, proof, v.root, undefined), false, `${v.name}: confio, ${what}`);
    }
  }
  tt.end();
});

/** A CometBFT simple Merkle tree over a power-of-two number of sorted keys, with existence proofs. */
function buildSimpleTree(keys: Uint8Array[], values: Uint8Array[]): { root: Uint8Array; proofs: ExistenceProof[] } {
  let level = keys.map((k, i) => simpleLeafHash(k, values[i]!));
  const paths: InnerOp[][] = keys.map(() => []);
  let positions = keys.map((_, i) => i);
  while (level.length > 1) {
    const parents: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) parents.push(sha256(Uint8Array.of(1), level[i]!, level[i + 1]!));
    positions.forEach((pos, leaf) => {
      const sibling = level[pos ^ 1]!;
      const isLeft = pos % 2 === 0;
      paths[leaf]!.push({
        hash: HashOp.SHA256,
        prefix: isLeft ? Uint8Array.of(1) : new Uint8Array([1, ...sibling]),
        suffix: isLeft ? sibling : new Uint8Array(),
      });
    });
    positions = positions.map((pos) => pos >> 1);
    level = parents;
  }
  const proofs = keys.map((key, i) => ({ key, value: values[i]!, leaf: TENDERMINT_SPEC.leafSpec, path: paths[i]! }));
  return { root: level[0]!, proofs };
}

t.test("non-existence: left and right proofs must be adjacent leaves", (tt) => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const keys = ["b", "d", "f", "h"].map(enc);
  const { root, proofs } = buildSimpleTree(keys, ["1", "2", "3", "4"].map(enc));
  const v: Vector = { ...VECTORS.find((x) => x.name === "tendermint/nonexist_middle")!, root };
  proofs.forEach((p, i) => {
    const proof: CommitmentProof = { exist: p };
    const run = (): void => verifyMembership(proof, TENDERMINT_SPEC, root, p.key, p.value);
    assertValid(tt, run, `tree built here: leaf ${i} verifies`);
  });
  const cases: { what: string; key: string; left?: number; right?: number; valid: boolean }[] = [
    { what: "neighbours under one node", key: "c", left: 0, right: 1, valid: true },
    { what: "neighbours across the root", key: "e", left: 1, right: 2, valid: true },
    { what: "left of everything", key: "a", right: 0, valid: true },
    { what: "right of everything", key: "i", left: 3, valid: true },
    { what: "a leaf skipped", key: "c", left: 0, right: 2, valid: false },
    { what: "a leaf skipped across the root", key: "e", left: 0, right: 2, valid: false },
    { what: "lone right neighbour not left-most", key: "c", right: 1, valid: false },
    { what: "lone left neighbour not right-most", key: "g", left: 2, valid: false },
  ];
  for (const c of cases) {
    const proof: CommitmentProof = {
      nonexist: {
        key: enc(c.key),
        left: c.left === undefined ? undefined : proofs[c.left],
        right: c.right === undefined ? undefined : proofs[c.right],
      },
    };
    const vc = { ...v, key: enc(c.key) };
    if (c.valid) assertValid(tt, () => ourVerify(vc, proof, root, undefined), `ours, ${c.what}`);
    else assertInvalidProof(tt, () => ourVerify(vc, proof, root, undefined), `ours, ${c.what}`);
    tt.equal(confioVerify(vc, proof, root, undefined), c.valid, `confio agrees, ${c.what}`);
  }
  tt.end();
});

// ---------------------------------------------------------------------------------------------
// inner op spec checks, mirroring the reference's unit cases (go/ops_test.go) with our own data

t.test("inner op checks against the IAVL and Tendermint specs", (tt) => {
  // IAVL inner prefix: zigzag varints height 2, size 3, version 5, then the left child's length byte.
  const iavlPrefix = Uint8Array.of(4, 6, 10, 32);
  const op = (patch: Partial<InnerOp>): InnerOp => ({
    hash: HashOp.SHA256,
    prefix: iavlPrefix,
    suffix: new Uint8Array(),
    ...patch,
  });
  const prefixed = (...bytes: number[]): InnerOp => op({ prefix: Uint8Array.from(bytes) });
  // Same numbers as IAVL_SPEC but another prehash, so the IAVL prefix layout is not enforced.
  const looseSpec: ProofSpec = { ...IAVL_SPEC, leafSpec: { ...IAVL_SPEC.leafSpec!, prehashKey: HashOp.BITCOIN } };
  const withInner = (patch: Partial<InnerSpec>): ProofSpec => ({
    ...IAVL_SPEC,
    innerSpec: { ...IAVL_SPEC.innerSpec!, ...patch },
  });
  const rightChild = Uint8Array.from([...iavlPrefix, ...new Uint8Array(32), 32]);
  const hash32 = new Uint8Array(32);

  assertValid(tt, () => checkInnerOpAgainstSpec(op({}), IAVL_SPEC, 1), "IAVL: child on the left");
  assertValid(tt, () => checkInnerOpAgainstSpec(op({ prefix: rightChild }), IAVL_SPEC, 2), "IAVL: child on the right");

  interface Rejected {
    what: string;
    op: InnerOp;
    spec?: ProofSpec;
    layer?: number;
    error: string;
  }
  const rejected: Rejected[] = [
    { what: "empty prefix", op: prefixed(), error: "failed to read IAVL height varint: EOF" },
    { what: "truncated varint", op: prefixed(0x80), error: "failed to read IAVL height varint: unexpected EOF" },
    {
      what: "negative height",
      op: prefixed(1),
      error: "IAVL height (-1) must be non-negative and greater than or equal to the layer number (1)",
    },
    {
      what: "height below layer",
      op: op({}),
      layer: 3,
      error: "IAVL height (2) must be non-negative and greater than or equal to the layer number (3)",
    },
    { what: "size missing", op: prefixed(4), error: "failed to read IAVL size varint: EOF" },
    { what: "negative size", op: prefixed(4, 1), error: "IAVL size must be non-negative" },
    { what: "version missing", op: prefixed(4, 6), error: "failed to read IAVL version varint: EOF" },
    { what: "negative version", op: prefixed(4, 6, 1), error: "IAVL version must be non-negative" },
    {
      what: "bad remainder",
      op: prefixed(4, 6, 10, 32, 0),
      error: "remainder of prefix must be of length 1 or 34, got: 2",
    },
    { what: "wrong hash", op: op({ hash: HashOp.BITCOIN }), error: "unexpected HashOp: 5" },
    {
      what: "starts with leaf prefix",
      op: prefixed(0, ...iavlPrefix),
      spec: looseSpec,
      error: "inner Prefix starts with 00",
    },
    { what: "prefix too short", op: prefixed(1), spec: looseSpec, error: "innerOp prefix too short (1)" },
    {
      what: "prefix too long",
      op: op({ prefix: new Uint8Array(46).fill(1) }),
      spec: looseSpec,
      error: "innerOp prefix too long (46)",
    },
    {
      what: "child size 0",
      op: op({}),
      spec: withInner({ childSize: 0 }),
      error: "spec.InnerSpec.ChildSize must be >= 1",
    },
    {
      what: "max prefix too large",
      op: op({}),
      spec: withInner({ maxPrefixLength: 37 }),
      error: "spec.InnerSpec.MaxPrefixLength must be < spec.InnerSpec.MinPrefixLength + spec.InnerSpec.ChildSize",
    },
    { what: "suffix malformed", op: op({ suffix: Uint8Array.of(1) }), error: "InnerOp suffix malformed" },
    {
      what: "tendermint: empty prefix",
      op: op({ prefix: new Uint8Array(), suffix: hash32 }),
      spec: TENDERMINT_SPEC,
      error: "inner op prefix must not be empty",
    },
    {
      what: "tendermint: long prefix with suffix",
      op: op({ prefix: Uint8Array.of(1, 2), suffix: hash32 }),
      spec: TENDERMINT_SPEC,
      error: "expected inner op prefix: [1], got: [1 2]",
    },
    {
      what: "tendermint: wrong first byte",
      op: op({ prefix: Uint8Array.from([2, ...hash32]) }),
      spec: TENDERMINT_SPEC,
      error: "expected inner op prefix to begin with: [1], got: [2]",
    },
  ];
  for (const c of rejected) {
    const run = (): void => checkInnerOpAgainstSpec(c.op, c.spec ?? IAVL_SPEC, c.layer ?? 1);
    assertInvalidProof(tt, run, c.what, c.error);
  }
  tt.end();
});
