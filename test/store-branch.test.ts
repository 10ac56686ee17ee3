// Working state: the block layer, nested branches (tx, message, CheckTx), read-your-writes,
// write/discard, and clear errors for misuse.
import path from "node:path";
import t from "tap";
import { MultiStore, StoreErrorCode } from "../app/store";
import { tempDir } from "./helpers/tmp";

const b = (s: string): Buffer => Buffer.from(s);
const str = (v: Buffer | undefined): string | undefined => v?.toString();

function openStore(t: Parameters<typeof tempDir>[0]): MultiStore {
  const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores: ["auth", "bank"] });
  t.teardown(() => ms.close());
  return ms;
}

t.test("nested branches read their own writes and reach the block only when written", async (t) => {
  const ms = openStore(t);
  ms.working.store("bank").set(b("alice"), b("100"));
  const tx = ms.working.branch();
  const msg = tx.branch();
  msg.store("bank").set(b("alice"), b("40"));
  msg.store("bank").set(b("bob"), b("60"));
  t.equal(str(msg.store("bank").get(b("alice"))), "40", "the message branch reads its own write");
  t.equal(str(tx.store("bank").get(b("alice"))), "100", "the tx branch does not see it yet");
  msg.write();
  t.equal(str(tx.store("bank").get(b("bob"))), "60", "written into the tx branch");
  t.equal(ms.working.store("bank").get(b("bob")), undefined, "not yet in the block");
  tx.write();
  t.equal(str(ms.working.store("bank").get(b("bob"))), "60", "now in the block layer");
  const info = ms.commit();
  t.equal(info.version, 1);
  t.equal(str(ms.viewAt("bank", 1).get(b("alice"))), "40");
});

t.test("a failed tx leaves no trace", async (t) => {
  const ms = openStore(t);
  ms.working.store("bank").set(b("alice"), b("100"));
  ms.commit();
  const before = ms.appHash;
  const tx = ms.working.branch();
  tx.store("bank").set(b("alice"), b("0"));
  tx.store("bank").delete(b("alice"));
  tx.store("auth").set(b("seq/alice"), b("1"));
  tx.discard();
  t.throws(() => tx.store("bank").get(b("alice")), { code: StoreErrorCode.ReadOnly }, "a discarded branch cannot be used again");
  t.throws(() => tx.write(), { code: StoreErrorCode.ReadOnly }, "nor written later");
  t.equal(str(ms.working.store("bank").get(b("alice"))), "100");
  t.equal(ms.working.store("auth").get(b("seq/alice")), undefined);
  const info = ms.commit();
  t.same(info.appHash, before, "an empty block keeps the app hash");
});

t.test("deletes shadow the parent, in reads and in iteration, both directions", async (t) => {
  const ms = openStore(t);
  for (const k of ["a", "b", "c", "d", "e"]) ms.working.store("bank").set(b(k), b(k.toUpperCase()));
  ms.commit();
  const br = ms.working.branch();
  const s = br.store("bank");
  s.delete(b("b"));
  s.set(b("bb"), b("BB"));
  s.set(b("d"), b("D2"));
  s.delete(b("zz")); // deleting an absent key is fine
  t.equal(s.has(b("b")), false);
  const keys = (rev: boolean, start?: string, end?: string): string[] =>
    [...s.iterate({ reverse: rev, start: start ? b(start) : undefined, end: end ? b(end) : undefined })].map(([k, v]) => `${k}=${v}`);
  t.same(keys(false), ["a=A", "bb=BB", "c=C", "d=D2", "e=E"]);
  t.same(keys(true), ["e=E", "d=D2", "c=C", "bb=BB", "a=A"]);
  t.same(keys(false, "b", "d"), ["bb=BB", "c=C"], "start inclusive, end exclusive");
  t.same(keys(true, "b", "d"), ["c=C", "bb=BB"]);
  t.same(
    [...s.iterate({ prefix: b("b") })].map(([k]) => k.toString()),
    ["bb"],
    "prefix",
  );
  t.same([...s.iterate({ start: b("d"), end: b("b") })], [], "an empty range");
  // Writes made while iterating do not disturb the iteration in progress.
  const seen: string[] = [];
  for (const [k] of s.iterate()) {
    seen.push(k.toString());
    s.set(Buffer.concat([k, b("x")]), b("new"));
  }
  t.same(seen, ["a", "bb", "c", "d", "e"]);
});

t.test("the CheckTx branch reads the committed state and can never be written back", async (t) => {
  const ms = openStore(t);
  ms.working.store("bank").set(b("alice"), b("100"));
  ms.commit();
  ms.working.store("bank").set(b("alice"), b("1")); // in the block being built, not committed
  const check = ms.branchCommitted();
  t.equal(str(check.store("bank").get(b("alice"))), "100", "CheckTx sees the committed value");
  const tx = check.branch();
  tx.store("bank").set(b("alice"), b("90"));
  tx.write(); // into the CheckTx state
  t.equal(str(check.store("bank").get(b("alice"))), "90");
  t.throws(() => check.write(), { code: StoreErrorCode.ReadOnly }, "the CheckTx state itself is never written back");
  t.equal(str(ms.working.store("bank").get(b("alice"))), "1", "the block layer is untouched");
  ms.commit();
  t.equal(str(ms.viewAt("bank", 2).get(b("alice"))), "1");
  t.equal(str(check.store("bank").get(b("alice"))), "90", "an old CheckTx state stays a snapshot until replaced");
});

t.test("resetWorking drops the uncommitted block; commit ends the old block layer", async (t) => {
  const ms = openStore(t);
  const block = ms.working;
  block.store("bank").set(b("x"), b("1"));
  ms.resetWorking();
  t.throws(() => block.store("bank").get(b("x")), { code: StoreErrorCode.ReadOnly });
  t.equal(ms.working.store("bank").get(b("x")), undefined);
  const block2 = ms.working;
  block2.store("bank").set(b("y"), b("2"));
  ms.commit();
  t.throws(() => block2.store("bank").set(b("z"), b("3")), { code: StoreErrorCode.ReadOnly }, "a committed block layer is closed");
  t.throws(() => ms.working.write(), { code: StoreErrorCode.ReadOnly }, "the block layer is persisted only by commit()");
});

t.test("bad input gets a clear error with a code and changes nothing", async (t) => {
  const ms = openStore(t);
  const s = ms.working.store("bank");
  t.throws(() => s.set(new Uint8Array(), b("v")), { code: StoreErrorCode.InvalidKey, codespace: "store" });
  t.throws(() => s.set("k" as unknown as Uint8Array, b("v")), { code: StoreErrorCode.InvalidKey });
  t.throws(() => s.set(b("k"), null as unknown as Uint8Array), { code: StoreErrorCode.InvalidValue });
  t.throws(() => ms.working.store("nosuch"), { code: StoreErrorCode.UnknownStore, message: /unknown substore "nosuch"/ });
  t.throws(() => ms.viewAt("bank", 1), { code: StoreErrorCode.VersionNotFound });
  ms.commit();
  t.throws(() => ms.viewAt("bank", 2), { code: StoreErrorCode.VersionNotFound, message: /never committed/ });
  t.throws(() => ms.viewAt("bank", 0), { code: StoreErrorCode.VersionNotFound });
  t.equal(ms.working.store("bank").has(b("k")), false, "the rejected writes left nothing");
  t.throws(() => MultiStore.open(path.join(tempDir(t), "x.db"), { stores: ["bank", "bank"] }), { code: StoreErrorCode.InvalidOptions });
  t.throws(() => MultiStore.open(path.join(tempDir(t), "y.db"), { stores: ["bank"], pruning: { keepRecent: 0 } }), { code: StoreErrorCode.InvalidOptions });
  // Values are copied on write: changing the caller's buffer later changes nothing.
  const v = b("abc");
  ms.working.store("bank").set(b("copy"), v);
  v[0] = 0x7a;
  t.equal(str(ms.working.store("bank").get(b("copy"))), "abc");
});

t.test("initialVersion: the first commit is that version and survives reopen", async (t) => {
  const file = path.join(tempDir(t), "s.db");
  let ms = MultiStore.open(file, { stores: ["bank"], initialVersion: 1000 });
  t.equal(ms.version, 999);
  t.equal(ms.appHash.length, 0, "no app hash before the first commit");
  ms.working.store("bank").set(b("a"), b("1"));
  t.equal(ms.commit().version, 1000);
  ms.close();
  ms = MultiStore.open(file, { stores: ["bank"] });
  t.equal(ms.version, 1000);
  t.throws(() => ms.viewAt("bank", 999), { code: StoreErrorCode.VersionNotFound });
  t.equal(ms.commit().version, 1001);
  ms.close();
});

t.test("workingHash: FinalizeBlock's app hash is exactly what Commit persists", async (t) => {
  const ms = openStore(t);
  ms.working.store("bank").set(b("alice"), b("100"));
  const hash = ms.workingHash();
  t.same(ms.workingHash(), hash, "asking twice gives the same hash");
  t.equal(str(ms.working.store("bank").get(b("alice"))), "100", "reads still work");
  t.throws(() => ms.working.store("bank").set(b("bob"), b("1")), { code: StoreErrorCode.ReadOnly, message: /was hashed/ });
  const tx = ms.working.branch();
  tx.store("bank").set(b("carol"), b("5"));
  t.throws(() => tx.write(), { code: StoreErrorCode.ReadOnly }, "a tx cannot slip in after the hash");
  const info = ms.commit();
  t.same(info.appHash, hash);
  t.equal(info.version, 1);
  t.equal(ms.viewAt("bank", 1).get(b("carol")), undefined);
  ms.working.store("bank").set(b("bob"), b("1"));
  const h2 = ms.workingHash();
  ms.resetWorking();
  ms.working.store("bank").set(b("dave"), b("2"));
  const info2 = ms.commit();
  t.notSame(info2.appHash, h2, "after a reset the block is built again from the new writes");
  t.equal(ms.viewAt("bank", 2).get(b("bob")), undefined);
  t.equal(str(ms.viewAt("bank", 2).get(b("dave"))), "2");
  t.equal(ms.recomputeRoot("bank", 2).toString("hex"), ms.viewAt("bank", 2).rootHash.toString("hex"));
});
