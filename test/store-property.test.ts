// Random sequences of set / delete / branch / commit / reopen against a plain in-memory model.
import path from "node:path";
import t from "tap";
import type { Test } from "tap";
import { IterateOptions, MultiStore, StoreErrorCode } from "../app/store";
import { Rng } from "./helpers/rng";
import { tempDir } from "./helpers/tmp";

type Model = Map<string, Map<string, Buffer>>; // store → hex key → value
const STORES = ["auth", "bank", "claims"];

function cloneModel(m: Model): Model {
  return new Map([...m].map(([s, kv]) => [s, new Map(kv)]));
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

/** What iterate(opts) must return, computed from the model. */
function expectedRange(kv: Map<string, Buffer>, opts: IterateOptions): string[] {
  const inRange = (k: Buffer): boolean =>
    (opts.start === undefined || Buffer.compare(k, opts.start) >= 0) &&
    (opts.end === undefined || Buffer.compare(k, opts.end) < 0) &&
    (opts.prefix === undefined || k.subarray(0, opts.prefix.length).equals(opts.prefix));
  const keys = [...kv.keys()]
    .map((h) => Buffer.from(h, "hex"))
    .filter(inRange)
    .sort(Buffer.compare);
  if (opts.reverse) keys.reverse();
  return keys.map((k) => `${hex(k)}=${hex(kv.get(hex(k))!)}`);
}

function actualRange(it: Iterable<[Buffer, Buffer]>): string[] {
  return [...it].map(([k, v]) => `${hex(k)}=${hex(v)}`);
}

function randomKey(rng: Rng): Buffer {
  // A small alphabet and short keys so that updates, deletes, shared prefixes and neighbours are frequent.
  const len = 1 + rng.int(3);
  const k = Buffer.alloc(len);
  for (let i = 0; i < len; i++) k[i] = rng.pick([0x00, 0x01, 0x41, 0x42, 0x7f, 0x80, 0xfe, 0xff]);
  return k;
}

function randomRange(rng: Rng): IterateOptions {
  const opts: IterateOptions = { reverse: rng.int(2) === 1 };
  if (rng.int(3) === 0) opts.prefix = randomKey(rng).subarray(0, 1 + rng.int(2));
  if (rng.int(2) === 0) opts.start = randomKey(rng);
  if (rng.int(2) === 0) opts.end = randomKey(rng);
  return opts;
}

function runSequence(t: Test, seed: number, steps: number): void {
  const rng = new Rng(seed);
  const dir = tempDir(t);
  const file = path.join(dir, "state.db");
  const opts = { stores: STORES, pruning: { keepRecent: 5, keepEvery: 7 } };
  let ms = MultiStore.open(file, opts);
  // A second store fed the same writes, never reopened: every replica must reach the same roots.
  const twin = MultiStore.open(path.join(dir, "twin.db"), opts);
  let committed: Model = new Map(STORES.map((s) => [s, new Map()]));
  let working = cloneModel(committed);
  const history = new Map<number, Model>();
  let mismatches = 0;

  for (let step = 0; step < steps; step++) {
    const op = rng.int(100);
    const store = rng.pick(STORES);
    if (op < 45) {
      const k = randomKey(rng);
      const v = rng.bytes(1 + rng.int(40));
      ms.working.store(store).set(k, v);
      twin.working.store(store).set(k, v);
      working.get(store)!.set(hex(k), v);
    } else if (op < 60) {
      const k = randomKey(rng);
      ms.working.store(store).delete(k);
      twin.working.store(store).delete(k);
      working.get(store)!.delete(hex(k));
    } else if (op < 70) {
      // A tx branch: random writes, then written or discarded as a whole.
      const branch = ms.working.branch();
      const tb = twin.working.branch();
      const shadow = new Map(working.get(store)!);
      for (let i = rng.int(6); i > 0; i--) {
        const k = randomKey(rng);
        if (rng.int(3) === 0) {
          branch.store(store).delete(k);
          tb.store(store).delete(k);
          shadow.delete(hex(k));
        } else {
          const v = rng.bytes(1 + rng.int(8));
          branch.store(store).set(k, v);
          tb.store(store).set(k, v);
          shadow.set(hex(k), v);
        }
      }
      const r = randomRange(rng);
      if (actualRange(branch.store(store).iterate(r)).join() !== expectedRange(shadow, r).join()) mismatches++;
      if (rng.int(2) === 0) {
        branch.write();
        tb.write();
        working.set(store, shadow);
      } else {
        branch.discard();
        tb.discard();
      }
    } else if (op < 80) {
      const r = randomRange(rng);
      const got = actualRange(ms.working.store(store).iterate(r));
      if (got.join() !== expectedRange(working.get(store)!, r).join()) {
        mismatches++;
        t.fail(`seed ${seed} step ${step}: iterate ${JSON.stringify(r)} differs`);
      }
      const k = randomKey(rng);
      const want = working.get(store)!.get(hex(k));
      const have = ms.working.store(store).get(k);
      if ((want === undefined) !== (have === undefined) || (want && !want.equals(have!))) mismatches++;
    } else if (op < 92) {
      const info = ms.commit();
      const twinInfo = twin.commit();
      if (!info.appHash.equals(twinInfo.appHash)) t.fail(`seed ${seed}: replicas disagree at version ${info.version}`);
      committed = cloneModel(working);
      history.set(info.version, committed);
      // Reads at a random retained past version match the model as it was then.
      const v = rng.pick(ms.versions);
      const view = ms.viewAt(store, v);
      const r = randomRange(rng);
      if (actualRange(view.iterate(r)).join() !== expectedRange(history.get(v)!.get(store)!, r).join()) {
        mismatches++;
        t.fail(`seed ${seed}: version ${v} of ${store} differs from the model`);
      }
    } else if (op < 97) {
      // Reopen: uncommitted writes are lost, the committed state and its root come back exactly.
      const before = { version: ms.version, appHash: ms.appHash };
      ms.close();
      ms = MultiStore.open(file, opts);
      t.equal(ms.version, before.version, "reopen gives the last committed version");
      t.same(hex(ms.appHash), hex(before.appHash), "reopen gives the same app hash");
      working = cloneModel(committed);
      twin.resetWorking();
      for (const s of STORES) {
        const got = actualRange(ms.working.store(s).iterate());
        if (got.join() !== expectedRange(committed.get(s)!, {}).join()) t.fail(`seed ${seed}: ${s} differs after reopen`);
        if (ms.version >= 1 && !ms.recomputeRoot(s).equals(ms.commitInfoAt(ms.version).stores.find((x) => x.name === s)!.root)) {
          t.fail(`seed ${seed}: ${s} root does not recompute after reopen`);
        }
      }
    } else {
      ms.resetWorking();
      twin.resetWorking();
      working = cloneModel(committed);
    }
  }
  const final = ms.commit();
  twin.commit();
  history.set(final.version, cloneModel(working));
  t.equal(mismatches, 0, `seed ${seed}: no read or iteration differed from the model`);
  for (const s of STORES) {
    t.same(actualRange(ms.working.store(s).iterate()), expectedRange(working.get(s)!, {}), `seed ${seed}: final ${s} matches the model`);
  }
  t.same(hex(ms.appHash), hex(twin.appHash), `seed ${seed}: final app hash equals the never-reopened replica's`);
  // Pruned versions are gone with a clear error; retained ones are exactly the recent window plus every 7th.
  for (let v = 1; v <= final.version; v++) {
    const kept = v > final.version - 5 || v % 7 === 0;
    t.equal(ms.versions.includes(v), kept, `seed ${seed}: version ${v} ${kept ? "kept" : "pruned"}`);
    if (!kept) t.throws(() => ms.viewAt("bank", v), { code: StoreErrorCode.VersionPruned });
  }
  ms.close();
  twin.close();
}

t.test("random set/delete/branch/commit/reopen sequences match a plain model", async (t) => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) runSequence(t, seed, 1500);
});

t.test("a larger key space keeps roots identical across reopen", async (t) => {
  const rng = new Rng(99);
  const dir = tempDir(t);
  const file = path.join(dir, "s.db");
  let ms = MultiStore.open(file, { stores: ["bank"] });
  const model = new Map<string, Buffer>();
  for (let block = 0; block < 30; block++) {
    const s = ms.working.store("bank");
    for (let i = 0; i < 300; i++) {
      const k = rng.bytes(1 + rng.int(6));
      if (rng.int(4) === 0) {
        s.delete(k);
        model.delete(hex(k));
      } else {
        const v = rng.bytes(1 + rng.int(50));
        s.set(k, v);
        model.set(hex(k), v);
      }
    }
    const info = ms.commit();
    if (block % 5 === 4) {
      ms.close();
      ms = MultiStore.open(file, { stores: ["bank"] });
      t.same(hex(ms.appHash), hex(info.appHash));
    }
  }
  t.same(actualRange(ms.working.store("bank").iterate()), expectedRange(model, {}));
  t.equal(ms.viewAt("bank", ms.version).size, model.size, "tree size counts the keys");
  t.same(hex(ms.recomputeRoot("bank")), hex(ms.viewAt("bank", ms.version).rootHash));
  ms.close();
});
