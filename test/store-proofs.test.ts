// Proofs from the store checked by the independent @confio/ics23 verifier and by the project's own
// verification path (app/store/ics23.ts), for random keys across random versions and edge cases.
import path from "node:path";
import { ics23, iavlSpec, tendermintSpec, verifyMembership, verifyNonMembership } from "@confio/ics23";
import { CommitmentProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import t from "tap";
import type { Test } from "tap";
import { MultiStore, ProvenQuery, StoreErrorCode } from "../app/store";
import { verifyChainedProof } from "../app/store/ics23";
import { Rng } from "./helpers/rng";
import { tempDir } from "./helpers/tmp";

const STORES = ["acc", "auth", "bank", "ibc", "staking"];

function toConfio(p: CommitmentProof): ics23.CommitmentProof {
  return ics23.CommitmentProof.decode(CommitmentProof.encode(p).finish());
}

function storeRoot(ms: MultiStore, name: string, version: number): Buffer {
  return ms.commitInfoAt(version).stores.find((s) => s.name === name)!.root;
}

/** Checks one proven query with both verifiers; returns false (and records a failure) if any rejects. */
function checkProof(t: Test, ms: MultiStore, name: string, key: Buffer, q: ProvenQuery, expected: Buffer | undefined): boolean {
  const root = storeRoot(ms, name, q.version);
  try {
    if (expected === undefined) {
      if (q.value !== undefined) throw new Error("value returned for an absent key");
      if (!verifyNonMembership(toConfio(q.storeProof), iavlSpec, root, key)) throw new Error("confio: non-membership rejected");
    } else {
      if (q.value === undefined || !q.value.equals(expected)) throw new Error("wrong value returned");
      if (!verifyMembership(toConfio(q.storeProof), iavlSpec, root, key, expected)) throw new Error("confio: membership rejected");
    }
    if (!verifyMembership(toConfio(q.rootProof), tendermintSpec, q.appHash, Buffer.from(name), root)) {
      throw new Error("confio: store root not in app hash");
    }
    verifyChainedProof(q.proofOps, q.appHash, name, key, expected);
    return true;
  } catch (err) {
    t.fail(`${name}/${key.toString("hex")} at ${q.version}: ${(err as Error).message}`);
    return false;
  }
}

t.test("thousands of random keys across random versions verify with @confio/ics23 and our verifier", async (t) => {
  const rng = new Rng(2024);
  const dir = tempDir(t);
  const ms = MultiStore.open(path.join(dir, "s.db"), { stores: STORES, pruning: { keepRecent: "all" } });
  const snapshots = new Map<number, Map<string, Map<string, Buffer>>>();
  const live = new Map(STORES.map((s) => [s, new Map<string, Buffer>()]));
  for (let version = 1; version <= 25; version++) {
    for (let i = 0; i < 200; i++) {
      const name = rng.pick(STORES.slice(1)); // "acc" stays empty: absence proofs there are the store root proof
      const key = rng.bytes(1 + rng.int(12));
      if (rng.int(5) === 0 && live.get(name)!.size > 0) {
        const victim = rng.pick([...live.get(name)!.keys()]);
        ms.working.store(name).delete(Buffer.from(victim, "hex"));
        live.get(name)!.delete(victim);
      } else {
        const value = rng.bytes(1 + rng.int(64));
        ms.working.store(name).set(key, value);
        live.get(name)!.set(key.toString("hex"), value);
      }
    }
    ms.commit();
    snapshots.set(version, new Map([...live].map(([s, m]) => [s, new Map(m)])));
  }
  let checked = 0;
  let ok = 0;
  for (let i = 0; i < 3000; i++) {
    const version = 1 + rng.int(25);
    const name = rng.pick(STORES.slice(1));
    const state = snapshots.get(version)!.get(name)!;
    const present = rng.int(2) === 0 && state.size > 0;
    const key = present ? Buffer.from(rng.pick([...state.keys()]), "hex") : rng.bytes(1 + rng.int(12));
    const expected = state.get(key.toString("hex"));
    checked++;
    if (checkProof(t, ms, name, key, ms.prove(name, key, version), expected)) ok++;
  }
  t.equal(ok, checked, `${checked} random proofs verified`);
  ms.close();
});

t.test("edge cases: empty tree, single key, left-most, right-most, beyond both ends", async (t) => {
  const dir = tempDir(t);
  const ms = MultiStore.open(path.join(dir, "s.db"), { stores: ["bank", "empty"] });
  t.throws(() => ms.prove("bank", Buffer.from("a")), { code: StoreErrorCode.VersionNotFound }, "nothing committed yet");

  ms.working.store("bank").set(Buffer.from("m"), Buffer.from("only"));
  ms.commit();
  // Empty substore: no ICS-23 non-existence proof exists, but its root (sha256 of nothing) is proven in the app hash.
  t.throws(() => ms.prove("empty", Buffer.from("x")), { code: StoreErrorCode.ProofUnavailable });
  const emptyRoot = storeRoot(ms, "empty", 1);
  t.equal(emptyRoot.toString("hex"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const bankProof = ms.prove("bank", Buffer.from("m"));
  t.ok(checkProof(t, ms, "bank", Buffer.from("m"), bankProof, Buffer.from("only")), "single key: membership");
  t.ok(checkProof(t, ms, "bank", Buffer.from("a"), ms.prove("bank", Buffer.from("a")), undefined), "single key: absent key to its left");
  t.ok(checkProof(t, ms, "bank", Buffer.from("z"), ms.prove("bank", Buffer.from("z")), undefined), "single key: absent key to its right");

  for (let i = 0; i < 64; i++) ms.working.store("bank").set(Buffer.from([0x10, i * 3]), Buffer.from([i]));
  ms.commit();
  const first = Buffer.from([0x10, 0]);
  const last = Buffer.from([0x10, 63 * 3]);
  t.ok(checkProof(t, ms, "bank", first, ms.prove("bank", first), Buffer.from([0])), "left-most key");
  t.ok(checkProof(t, ms, "bank", last, ms.prove("bank", last), Buffer.from([63])), "right-most key");
  t.ok(checkProof(t, ms, "bank", Buffer.from([0x01]), ms.prove("bank", Buffer.from([0x01])), undefined), "absent, before every key");
  t.ok(checkProof(t, ms, "bank", Buffer.from([0xff, 0xff]), ms.prove("bank", Buffer.from([0xff, 0xff])), undefined), "absent, after every key");
  t.ok(checkProof(t, ms, "bank", Buffer.from([0x10, 1]), ms.prove("bank", Buffer.from([0x10, 1])), undefined), "absent, between neighbours");
  ms.close();
});

t.test("tampered proofs and wrong claims are rejected by both verifiers", async (t) => {
  const dir = tempDir(t);
  const ms = MultiStore.open(path.join(dir, "s.db"), { stores: ["bank", "staking"] });
  for (let i = 0; i < 100; i++) ms.working.store("bank").set(Buffer.from(`key${i}`), Buffer.from(`value${i}`));
  ms.working.store("staking").set(Buffer.from("v"), Buffer.from("1"));
  ms.commit();
  const key = Buffer.from("key42");
  const q = ms.prove("bank", key);
  const root = storeRoot(ms, "bank", ms.version);

  t.notOk(
    safe(() => verifyMembership(toConfio(q.storeProof), iavlSpec, root, key, Buffer.from("value43"))),
    "confio: wrong value",
  );
  t.throws(() => verifyChainedProof(q.proofOps, q.appHash, "bank", key, Buffer.from("value43")), "ours: wrong value");
  t.throws(() => verifyChainedProof(q.proofOps, q.appHash, "staking", key, Buffer.from("value42")), "ours: wrong store");
  const badHash = Buffer.from(q.appHash);
  badHash[0]! ^= 1;
  t.throws(() => verifyChainedProof(q.proofOps, badHash, "bank", key, Buffer.from("value42")), "ours: wrong app hash");
  t.throws(() => verifyChainedProof(q.proofOps, q.appHash, "bank", key, undefined), "ours: absence claimed for a present key");
  const tampered = CommitmentProof.decode(q.proofOps[0]!.data);
  tampered.exist!.path[0]!.prefix[0]! ^= 2;
  const tamperedOps = [{ ...q.proofOps[0]!, data: CommitmentProof.encode(tampered).finish() }, q.proofOps[1]!];
  t.throws(() => verifyChainedProof(tamperedOps, q.appHash, "bank", key, Buffer.from("value42")), "ours: altered inner op");
  t.notOk(
    safe(() => verifyMembership(toConfio(tampered), iavlSpec, root, key, Buffer.from("value42"))),
    "confio: altered inner op",
  );
  t.ok(verifyChainedProof(q.proofOps, q.appHash, "bank", key, Buffer.from("value42")) === undefined, "the untouched proof still verifies");
  ms.close();
});

function safe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}
