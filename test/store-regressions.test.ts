// Bugs found once, kept found.
import path from "node:path";
import t from "tap";
import { MultiStore } from "../app/store";
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
