// Bugs found once, kept found.
import path from "node:path";
import t from "tap";
import { MultiStore, StoreErrorCode } from "../app/store";
import { tempDir } from "./helpers/tmp";

t.test("a commit that orphans more than ~120k nodes does not overflow the call stack", async (t) => {
  // commit() once spread the orphan list into push(...), which throws RangeError past ~120k items.
  const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores: ["bank"], pruning: { keepRecent: 1 } });
  t.teardown(() => ms.close());
  for (const value of ["a", "b"]) {
    const s = ms.working.store("bank");
    for (let i = 0; i < 100_000; i++) s.set(Buffer.from(`k${i}`), Buffer.from(value));
    ms.commit();
  }
  t.equal(ms.version, 2);
  t.equal(ms.viewAt("bank", 2).get(Buffer.from("k99999"))?.toString(), "b");
  t.equal(ms.nodeCount(), 199_999, "version 1's nodes were all pruned");
});

t.test("buffers handed to callers are copies: changing them changes nothing stored", async (t) => {
  // Found in review: get()/iterate() returned the tree's own buffers, so a caller could corrupt state.
  const file = path.join(tempDir(t), "s.db");
  let ms = MultiStore.open(file, { stores: ["bank"] });
  for (const k of ["a", "b", "c"]) ms.working.store("bank").set(Buffer.from(k), Buffer.from("100"));
  ms.commit();
  ms.working.store("bank").get(Buffer.from("a"))![0] = 0x39;
  for (const [k] of ms.working.store("bank").iterate()) k[0] = 0x7a;
  ms.working.store("bank").set(Buffer.from("d"), Buffer.from("1"));
  ms.working.store("bank").get(Buffer.from("d"))![0] = 0x39; // an uncommitted write, read back and changed
  ms.commit();
  t.equal(ms.working.store("bank").get(Buffer.from("a"))?.toString(), "100");
  t.equal(ms.working.store("bank").get(Buffer.from("d"))?.toString(), "1");
  ms.close();
  ms = MultiStore.open(file, { stores: ["bank"] });
  t.same(
    [...ms.working.store("bank").iterate()].map(([k, v]) => `${k}=${v}`),
    ["a=100", "b=100", "c=100", "d=1"],
  );
  ms.close();
});

t.test("empty values are refused: ICS-23 cannot prove them", async (t) => {
  const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores: ["bank"] });
  t.teardown(() => ms.close());
  t.throws(() => ms.working.store("bank").set(Buffer.from("k"), new Uint8Array()), { code: StoreErrorCode.InvalidValue });
});

t.test("a view that outlives its pruned version says VersionPruned, not Corrupt", async (t) => {
  const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores: ["bank"], pruning: { keepRecent: 1 }, cacheNodes: 16 });
  t.teardown(() => ms.close());
  for (let i = 0; i < 200; i++) ms.working.store("bank").set(Buffer.from(`k${i}`), Buffer.from("v1"));
  ms.commit();
  const check = ms.branchCommitted();
  for (let i = 0; i < 200; i++) ms.working.store("bank").set(Buffer.from(`k${i}`), Buffer.from("v2"));
  ms.commit(); // prunes version 1, which the CheckTx branch still reads
  t.throws(
    () => {
      for (let i = 0; i < 200; i++) check.store("bank").get(Buffer.from(`k${i}`));
    },
    { code: StoreErrorCode.VersionPruned },
  );
});

t.test("reopening without a substore that holds data is refused", async (t) => {
  const file = path.join(tempDir(t), "s.db");
  const ms = MultiStore.open(file, { stores: ["auth", "bank"] });
  ms.working.store("auth").set(Buffer.from("x"), Buffer.from("1"));
  ms.commit();
  ms.close();
  t.throws(() => MultiStore.open(file, { stores: ["bank"] }), { code: StoreErrorCode.InvalidOptions, message: /auth/ });
  t.throws(() => MultiStore.open(file, { stores: ["bank"], cacheNodes: Number.NaN }), { code: StoreErrorCode.InvalidOptions });
  const again = MultiStore.open(file, { stores: ["auth", "bank", "staking"] });
  t.equal(again.version, 1, "adding a new, empty substore is fine");
  again.close();
});
