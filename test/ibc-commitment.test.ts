// ICS-23 Merkle proofs as IBC verifies a counterparty's state (modules/ibc/commitment/merkle.ts):
// proofs of ICS-24 paths from the project's own store (abci_query ProofOps → MerkleProof) verified
// against the app hash by our chained verifier, step by step by @confio/ics23 and by the store's
// own Go-faithful verifier (app/store/ics23.ts); then tampered and misused proofs, each refused
// with ibc-go's commitment code.
import fs from "node:fs";
import path from "node:path";
import {
  calculateExistenceRoot,
  iavlSpec,
  ics23,
  tendermintSpec,
  verifyMembership as confioVerifyMembership,
  verifyNonMembership as confioVerifyNonMembership,
} from "@confio/ics23";
import { CommitmentProof, HashOp, ProofSpec } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { MerkleProof } from "cosmjs-types/ibc/core/commitment/v1/commitment";
import t from "tap";
import type { Test } from "tap";
import { ChainError } from "../app/core/errors";
import { MultiStore } from "../app/store";
import { IAVL_SPEC, TENDERMINT_SPEC, verifyChainedProof } from "../app/store/ics23";
import { COMMITMENT_CODESPACE, CommitmentCode } from "../modules/ibc/commitment/errors";
import {
  decodeMerkleProof,
  encodeMerkleProof,
  IBC_KEY_PREFIX,
  isSdkProofSpecs,
  merklePath,
  proofOpsToMerkleProof,
  proofSpecEqual,
  proofSpecsEqual,
  SDK_PROOF_SPECS,
  sdkProofSpecs,
  verifyMembership,
  verifyNonMembership,
} from "../modules/ibc/commitment/merkle";
import { acknowledgementCommitment, packetCommitment, packetReceiptValue } from "../modules/ibc/host/commitments";
import {
  channelPath,
  clientConnectionsPath,
  clientStatePath,
  connectionPath,
  consensusStatePath,
  nextSequenceSendPath,
  packetAcknowledgementPath,
  packetCommitmentPath,
  packetReceiptPath,
  pathKey,
} from "../modules/ibc/host/paths";
import { tempDir } from "./helpers/tmp";

const PREFIX = Buffer.from(IBC_KEY_PREFIX);
const PORT = "transfer";
const CHANNEL = "channel-0";

function toConfio(p: CommitmentProof): ics23.CommitmentProof {
  return ics23.CommitmentProof.decode(CommitmentProof.encode(p).finish());
}

function clone(p: CommitmentProof): CommitmentProof {
  return CommitmentProof.decode(CommitmentProof.encode(p).finish());
}

/** What the "ibc" substore holds after the first commit: ICS-24 path → value. */
function firstState(): Map<string, Uint8Array> {
  const state = new Map<string, Uint8Array>();
  state.set(clientStatePath("07-tendermint-0"), Buffer.from("client state of 07-tendermint-0"));
  state.set(consensusStatePath("07-tendermint-0", 1, 42), Buffer.from("consensus state at 1-42"));
  state.set(clientConnectionsPath("07-tendermint-0"), Buffer.from("connection-0"));
  state.set(connectionPath("connection-0"), Buffer.from("connection end"));
  state.set(channelPath(PORT, CHANNEL), Buffer.from("channel end"));
  state.set(nextSequenceSendPath(PORT, CHANNEL), Buffer.from([0, 0, 0, 0, 0, 0, 0, 21]));
  for (let seq = 1; seq <= 20; seq++) {
    const data = Buffer.from(JSON.stringify({ amount: String(seq * 100), denom: "umira" }));
    state.set(packetCommitmentPath(PORT, CHANNEL, seq), packetCommitment(0n, { revisionNumber: 1n, revisionHeight: BigInt(1000 + seq) }, data));
  }
  for (const seq of [1, 2, 3, 5, 8, 13]) state.set(packetReceiptPath(PORT, "channel-7", seq), packetReceiptValue());
  for (const seq of [1, 2, 3]) state.set(packetAcknowledgementPath(PORT, "channel-7", seq), acknowledgementCommitment(Buffer.from('{"result":"AQ=="}')));
  return state;
}

/** A store with several substores; "ibc" holds firstState() at version 1, then one more packet at version 2. */
function openStore(t: Test): { ms: MultiStore; state: Map<string, Uint8Array> } {
  const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores: ["acc", "bank", "ibc", "staking"], pruning: { keepRecent: "all" } });
  const state = firstState();
  for (const [p, value] of state) ms.working.store("ibc").set(pathKey(p), value);
  for (let i = 0; i < 30; i++) ms.working.store("bank").set(Buffer.from(`balance/${i}`), Buffer.from(`${i * 7}umira`));
  ms.working.store("staking").set(Buffer.from("validator/1"), Buffer.from("v1"));
  ms.commit();
  ms.working.store("ibc").set(pathKey(packetCommitmentPath(PORT, CHANNEL, 21)), Buffer.alloc(32, 21));
  ms.commit();
  t.teardown(() => ms.close());
  return { ms, state };
}

function storeRoot(ms: MultiStore, name: string, version: number): Buffer {
  return ms.commitInfoAt(version).stores.find((s) => s.name === name)!.root;
}

function expectCode(t: Test, fn: () => void, code: number, what: string, message?: RegExp): void {
  try {
    fn();
    t.fail(`${what}: accepted`);
  } catch (err) {
    const ok = err instanceof ChainError && err.codespace === COMMITMENT_CODESPACE && err.code === code && (message === undefined || message.test(err.message));
    t.ok(
      ok,
      `${what}: refused with commitment code ${code}${ok ? `: ${(err as Error).message}` : `, got ${String((err as ChainError).codespace)}/${String((err as ChainError).code)}: ${(err as Error).message}`}`,
    );
  }
}

t.test("SDK proof specs are ICS-23's iavl and tendermint specs, in that order", async (t) => {
  t.equal(SDK_PROOF_SPECS.length, 2);
  t.ok(proofSpecEqual(SDK_PROOF_SPECS[0]!, ProofSpec.decode(ics23.ProofSpec.encode(iavlSpec).finish())), "[0] is @confio/ics23's iavlSpec");
  t.ok(proofSpecEqual(SDK_PROOF_SPECS[1]!, ProofSpec.decode(ics23.ProofSpec.encode(tendermintSpec).finish())), "[1] is @confio/ics23's tendermintSpec");
  t.ok(proofSpecsEqual(SDK_PROOF_SPECS, [IAVL_SPEC, TENDERMINT_SPEC]), "and the store verifier's own definitions (app/store/ics23.ts)");
  t.equal(SDK_PROOF_SPECS[0]!.innerSpec!.childSize, 33);
  t.equal(SDK_PROOF_SPECS[1]!.innerSpec!.childSize, 32);
  t.ok(isSdkProofSpecs(sdkProofSpecs()), "copies are the SDK's specs");
  t.notOk(isSdkProofSpecs([SDK_PROOF_SPECS[1]!, SDK_PROOF_SPECS[0]!]), "swapped: not the SDK's");
  t.notOk(isSdkProofSpecs([SDK_PROOF_SPECS[0]!]), "one spec: not the SDK's");
  const changed = sdkProofSpecs();
  changed[0]!.leafSpec!.prehashValue = HashOp.NO_HASH;
  t.notOk(isSdkProofSpecs(changed), "a changed leaf op: not the SDK's");
  const deeper = sdkProofSpecs();
  deeper[1]!.maxDepth = 10;
  t.notOk(isSdkProofSpecs(deeper), "a max depth: not the SDK's");
  t.not(sdkProofSpecs()[0], SDK_PROOF_SPECS[0], "sdkProofSpecs() gives copies");
});

t.test("merklePath applies the prefix as ibc-go's ApplyPrefix does", async (t) => {
  const keys = merklePath(PREFIX, "clients/07-tendermint-0/clientState");
  t.same(
    keys.map((k) => Buffer.from(k).toString()),
    ["ibc", "clients/07-tendermint-0/clientState"],
  );
  expectCode(t, () => merklePath(new Uint8Array(), "connections/connection-0"), CommitmentCode.InvalidPrefix, "an empty prefix");
});

t.test("proofs of present ICS-24 paths verify: ours, @confio/ics23 step by step, and the store's verifier", async (t) => {
  const { ms, state } = openStore(t);
  const version = 1;
  const appHash = ms.commitInfoAt(version).appHash;
  const ibcRoot = storeRoot(ms, "ibc", version);
  let checked = 0;
  for (const [p, value] of state) {
    const key = pathKey(p);
    const q = ms.prove("ibc", key, version);
    t.same(q.appHash, appHash);
    t.same(
      q.proofOps.map((op) => op.type),
      ["ics23:iavl", "ics23:simple"],
    );
    const proof = proofOpsToMerkleProof(q.proofOps);
    t.equal(proof.proofs.length, 2);
    // ours, with the proof as an object and as the bytes a relayer sends
    verifyMembership(SDK_PROOF_SPECS, appHash, proof, merklePath(PREFIX, p), value);
    verifyMembership(SDK_PROOF_SPECS, appHash, encodeMerkleProof(proof), merklePath(PREFIX, p), value);
    // @confio/ics23 step by step: the key in the substore, then the substore root in the app hash
    const [storeProof, rootProof] = proof.proofs.map(toConfio);
    const substoreRoot = calculateExistenceRoot(storeProof!.exist!);
    t.same(Buffer.from(substoreRoot), ibcRoot, `${p}: proof 0 leads to the ibc substore root`);
    t.ok(confioVerifyMembership(storeProof!, iavlSpec, substoreRoot, key, value), `${p}: confio: key in the substore (iavl spec)`);
    const top = calculateExistenceRoot(rootProof!.exist!);
    t.same(Buffer.from(top), appHash, `${p}: proof 1 leads to the app hash`);
    t.ok(confioVerifyMembership(rootProof!, tendermintSpec, top, PREFIX, substoreRoot), `${p}: confio: substore root in the app hash (tendermint spec)`);
    // the store's own verifier, which follows cosmos/ics23's Go code
    t.equal(verifyChainedProof(q.proofOps, appHash, "ibc", key, value), undefined, `${p}: app/store/ics23 agrees`);
    checked++;
  }
  t.equal(checked, state.size, `${checked} paths proven`);
});

t.test("proofs of absent ICS-24 paths verify as non-membership", async (t) => {
  const { ms } = openStore(t);
  const version = 1;
  const appHash = ms.commitInfoAt(version).appHash;
  const absent = [
    packetReceiptPath(PORT, "channel-7", 4), // between receipts 3 and 5
    packetReceiptPath(PORT, "channel-7", 100),
    packetAcknowledgementPath(PORT, CHANNEL, 1), // "acks/..." sorts before every key: left-most
    "zzz/after/every/key", // right-most
    packetCommitmentPath(PORT, CHANNEL, 21), // written only at version 2
    clientStatePath("07-tendermint-1"),
    connectionPath("connection-1"),
  ];
  for (const p of absent) {
    const key = pathKey(p);
    const q = ms.prove("ibc", key, version);
    t.equal(q.value, undefined, `${p} is absent at version ${version}`);
    const proof = proofOpsToMerkleProof(q.proofOps);
    verifyNonMembership(SDK_PROOF_SPECS, appHash, proof, merklePath(PREFIX, p));
    verifyNonMembership(SDK_PROOF_SPECS, appHash, encodeMerkleProof(proof), merklePath(PREFIX, p));
    const [storeProof, rootProof] = proof.proofs.map(toConfio);
    const nonexist = storeProof!.nonexist!;
    const substoreRoot = calculateExistenceRoot((nonexist.left ?? nonexist.right)!);
    t.same(Buffer.from(substoreRoot), storeRoot(ms, "ibc", version), `${p}: the neighbour leads to the ibc substore root`);
    t.ok(confioVerifyNonMembership(storeProof!, iavlSpec, substoreRoot, key), `${p}: confio: key absent from the substore`);
    t.ok(confioVerifyMembership(rootProof!, tendermintSpec, appHash, PREFIX, substoreRoot), `${p}: confio: substore root in the app hash`);
    t.equal(verifyChainedProof(q.proofOps, appHash, "ibc", key, undefined), undefined, `${p}: app/store/ics23 agrees`);
  }
  // The packet written at version 2 is present there, and its version-1 absence proof is refused against version 2's root.
  const later = packetCommitmentPath(PORT, CHANNEL, 21);
  const q2 = ms.prove("ibc", pathKey(later), 2);
  verifyMembership(SDK_PROOF_SPECS, q2.appHash, proofOpsToMerkleProof(q2.proofOps), merklePath(PREFIX, later), Buffer.alloc(32, 21));
  const q1 = ms.prove("ibc", pathKey(later), 1);
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, q2.appHash, proofOpsToMerkleProof(q1.proofOps), merklePath(PREFIX, later)),
    CommitmentCode.InvalidProof,
    "an absence proof of version 1 against version 2's app hash",
    /expected root/,
  );
});

t.test("tampered and misused proofs are refused with ibc-go's codes", async (t) => {
  const { ms, state } = openStore(t);
  const version = 1;
  const appHash = ms.commitInfoAt(version).appHash;
  const p = packetCommitmentPath(PORT, CHANNEL, 7);
  const value = state.get(p)!;
  const keys = merklePath(PREFIX, p);
  const q = ms.prove("ibc", pathKey(p), version);
  const proof = proofOpsToMerkleProof(q.proofOps);
  const [storeProof, rootProof] = proof.proofs;
  const absentPath = packetReceiptPath(PORT, "channel-7", 4);
  const absentProof = proofOpsToMerkleProof(ms.prove("ibc", pathKey(absentPath), version).proofOps);
  const { InvalidProof, InvalidMerkleProof } = CommitmentCode;

  verifyMembership(SDK_PROOF_SPECS, appHash, proof, keys, value);
  t.pass("the untouched proof verifies");

  // shape of the Merkle proof
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [] }, keys, value), InvalidMerkleProof, "an empty proof", /empty/);
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, appHash, new Uint8Array(), keys, value), InvalidMerkleProof, "empty proof bytes");
  expectCode(t, () => verifyNonMembership(SDK_PROOF_SPECS, appHash, { proofs: [] }, keys), InvalidMerkleProof, "an empty non-membership proof");
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, proofOpsToMerkleProof([q.proofOps[0]!]), keys, value),
    InvalidMerkleProof,
    "one op missing (substore proof only)",
    /1 proofs/,
  );
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, proofOpsToMerkleProof([q.proofOps[1]!]), keys, value),
    InvalidMerkleProof,
    "one op missing (root proof only)",
  );
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [storeProof!, rootProof!, rootProof!] }, keys, value),
    InvalidMerkleProof,
    "three proofs",
  );
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, new Uint8Array(), proof, keys, value), InvalidMerkleProof, "an empty root");
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, Uint8Array.of(0xff, 0xff, 0xff), keys, value),
    InvalidProof,
    "bytes that are not a MerkleProof",
  );
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [storeProof!, CommitmentProof.fromPartial({})] }, keys, value),
    InvalidProof,
    "an empty CommitmentProof in the chain",
    /holds no ICS-23 proof/,
  );

  // specs and key path
  expectCode(
    t,
    () => verifyMembership([SDK_PROOF_SPECS[1]!, SDK_PROOF_SPECS[0]!], appHash, proof, keys, value),
    InvalidProof,
    "the specs swapped",
    /proof spec 0/,
  );
  const noPrehash = sdkProofSpecs();
  noPrehash[0]!.leafSpec!.prehashValue = HashOp.NO_HASH;
  expectCode(t, () => verifyMembership(noPrehash, appHash, proof, keys, value), InvalidProof, "a substore spec the proof does not satisfy");
  expectCode(
    t,
    () => verifyMembership([SDK_PROOF_SPECS[0]!, undefined as unknown as ProofSpec], appHash, proof, keys, value),
    InvalidProof,
    "a missing spec",
    /missing/,
  );
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, proof, [keys[1]!], value),
    InvalidProof,
    "a key path without the prefix",
    /key path has 1 keys/,
  );
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, appHash, proof, [PREFIX, PREFIX, keys[1]!], value), InvalidProof, "a key path of 3 keys");
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, proof, merklePath(Buffer.from("bank"), p), value),
    InvalidProof,
    "another store prefix",
    /proof 1 is for key "ibc"/,
  );

  // value, key, root
  const flipped = Buffer.from(value);
  flipped[5]! ^= 0x01;
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, appHash, proof, keys, flipped), InvalidProof, "a flipped byte in the value", /proves the value/);
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, appHash, proof, keys, new Uint8Array()), InvalidProof, "an empty value", /empty/);
  const otherPath = packetCommitmentPath(PORT, CHANNEL, 8);
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, proof, merklePath(PREFIX, otherPath), state.get(otherPath)!),
    InvalidProof,
    "another key",
    /is for key/,
  );
  const badRoot = Buffer.from(appHash);
  badRoot[0]! ^= 0x80;
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, badRoot, proof, keys, value), InvalidProof, "another root", /expected root/);
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, ms.commitInfoAt(2).appHash, proof, keys, value),
    InvalidProof,
    "the app hash of another height",
    /expected root/,
  );
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, storeRoot(ms, "ibc", version), proof, keys, value),
    InvalidProof,
    "the substore root instead of the app hash",
  );

  // tampered proofs
  expectCode(t, () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [rootProof!, storeProof!] }, keys, value), InvalidProof, "the two proofs swapped");
  const valueTampered = clone(storeProof!);
  valueTampered.exist!.value[0]! ^= 0x01;
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [valueTampered, rootProof!] }, keys, value),
    InvalidProof,
    "a flipped byte in the proof's value",
  );
  const retargeted = clone(storeProof!);
  retargeted.exist!.value = Buffer.from(flipped);
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [retargeted, rootProof!] }, keys, flipped),
    InvalidProof,
    "a proof whose value was swapped for another",
    /proof 1 proves the value/,
  );
  const innerTampered = clone(storeProof!);
  innerTampered.exist!.path[1]!.prefix[innerTampered.exist!.path[1]!.prefix.length - 1]! ^= 0x01;
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [innerTampered, rootProof!] }, keys, value),
    InvalidProof,
    "a flipped byte in an inner op",
  );
  const rootTampered = clone(rootProof!);
  const lowest = rootTampered.exist!.path[0]!;
  // The sibling hash is the suffix when the sibling is on the right, else the prefix after 0x01.
  if (lowest.suffix.length > 0) lowest.suffix[0]! ^= 0x01;
  else lowest.prefix[1]! ^= 0x01;
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, { proofs: [storeProof!, rootTampered] }, keys, value),
    InvalidProof,
    "a flipped byte in the root proof's sibling hash",
  );

  // existence and non-existence in the wrong places
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, appHash, proof, keys),
    InvalidProof,
    "an existence proof offered as non-existence",
    /existence proof/,
  );
  expectCode(
    t,
    () => verifyMembership(SDK_PROOF_SPECS, appHash, absentProof, merklePath(PREFIX, absentPath), packetReceiptValue()),
    InvalidProof,
    "a non-existence proof offered as membership",
    /non-existence proof/,
  );
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, appHash, absentProof, merklePath(PREFIX, packetReceiptPath(PORT, "channel-7", 5))),
    InvalidProof,
    "an absence proof reused for a present neighbour",
    /does not lie between/,
  );
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, appHash, absentProof, merklePath(PREFIX, "acks/other")),
    InvalidProof,
    "an absence proof reused for another key",
    /does not lie between/,
  );
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, appHash, { proofs: [absentProof.proofs[0]!, absentProof.proofs[0]!] }, merklePath(PREFIX, absentPath)),
    InvalidProof,
    "a non-existence proof in place of the root proof",
  );
  const lonely = clone(absentProof.proofs[0]!);
  lonely.nonexist!.left = undefined;
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, appHash, { proofs: [lonely, absentProof.proofs[1]!] }, merklePath(PREFIX, absentPath)),
    InvalidProof,
    "a middle absence proof without its left neighbour",
    /left-most|leftmost|absent/,
  );
  expectCode(
    t,
    () => verifyNonMembership(SDK_PROOF_SPECS, badRoot, absentProof, merklePath(PREFIX, absentPath)),
    InvalidProof,
    "an absence proof against another root",
    /expected root/,
  );

  // ProofOps conversion
  expectCode(
    t,
    () => proofOpsToMerkleProof([{ type: "ics23:iavl", key: pathKey(p), data: Uint8Array.of(0x0a, 0xff) }]),
    InvalidMerkleProof,
    "an op whose data is not a CommitmentProof",
  );
  expectCode(
    t,
    () => proofOpsToMerkleProof([{ type: "ics23:iavl", key: pathKey(p), data: new Uint8Array() }]),
    InvalidMerkleProof,
    "an op with no proof",
    /holds no ICS-23 proof/,
  );
  t.same(proofOpsToMerkleProof([]).proofs, [], "no ops give an empty Merkle proof, refused at verification");
  t.same(decodeMerkleProof(encodeMerkleProof(proof)), proof, "encode/decode round trip");
  t.same(MerkleProof.decode(encodeMerkleProof(proof)).proofs.length, 2);
});

t.test("single-tree proofs: the cosmos/ics23 iavl reference vectors with one spec and one key", async (t) => {
  const dir = path.join(__dirname, "..", "..", "test", "fixtures", "ics23", "iavl");
  for (const name of ["exist_left", "exist_middle", "exist_right", "nonexist_left", "nonexist_middle", "nonexist_right"]) {
    const vector = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), "utf8")) as { key: string; value: string; proof: string; root: string };
    const proof = { proofs: [CommitmentProof.decode(Buffer.from(vector.proof, "hex"))] };
    const root = Buffer.from(vector.root, "hex");
    const key = Buffer.from(vector.key, "hex");
    const badRoot = Buffer.from(root);
    badRoot[31]! ^= 1;
    if (vector.value === "") {
      verifyNonMembership([SDK_PROOF_SPECS[0]!], root, proof, [key]);
      expectCode(t, () => verifyNonMembership([SDK_PROOF_SPECS[0]!], badRoot, proof, [key]), CommitmentCode.InvalidProof, `${name}: another root`);
    } else {
      verifyMembership([SDK_PROOF_SPECS[0]!], root, proof, [key], Buffer.from(vector.value, "hex"));
      expectCode(
        t,
        () => verifyMembership([SDK_PROOF_SPECS[0]!], badRoot, proof, [key], Buffer.from(vector.value, "hex")),
        CommitmentCode.InvalidProof,
        `${name}: another root`,
      );
    }
    t.pass(`${name} verifies`);
  }
});
