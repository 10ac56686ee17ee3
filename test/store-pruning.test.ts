// Pruning: keep the last N versions plus every K-th; orphaned nodes of pruned versions are deleted,
// nothing a retained version uses is; pruned versions fail with a clear error.
import path from "node:path";
import t from "tap";
import { MultiStore, PruningOptions, StoreErrorCode, TreeView } from "../app/store";
import type { Node } from "../app/store/node";
import { Rng } from "./helpers/rng";
import { tempDir } from "./helpers/tmp";

/** Ids of every node reachable from the retained versions' roots. */
function reachableNodes(ms: MultiStore, stores: string[]): Set<number> {
  const seen = new Set<number>();
  const walk = (view: TreeView, n: Node): void => {
    if (seen.has(n.id!)) return;
    seen.add(n.id!);
    if (!n.isLeaf) {
      walk(view, view.left(n));
      walk(view, view.right(n));
    }
  };
  for (const v of ms.versions) {
    for (const s of stores) {
      const view = ms.viewAt(s, v);
      if (view.root !== null) walk(view, view.root);
    }
  }
  return seen;
}

function churn(ms: MultiStore, rng: Rng, versions: number): Map<number, string> {
  const hashes = new Map<number, string>();
  for (let i = 0; i < versions; i++) {
    for (let j = 0; j < 40; j++) {
      const store = rng.pick(["bank", "staking"]);
      const key = Buffer.from([rng.int(40)]);
      if (rng.int(4) === 0) ms.working.store(store).delete(key);
      else ms.working.store(store).set(key, rng.bytes(8));
    }
    const info = ms.commit();
    hashes.set(info.version, ms.viewAt("bank", info.version).rootHash.toString("hex"));
  }
  return hashes;
}

for (const pruning of [
  { keepRecent: 1, keepEvery: 0 },
  { keepRecent: 3, keepEvery: 0 },
  { keepRecent: 4, keepEvery: 10 },
  { keepRecent: 100, keepEvery: 0 },
] satisfies PruningOptions[]) {
  t.test(`keepRecent=${pruning.keepRecent} keepEvery=${pruning.keepEvery}`, async (t) => {
    const stores = ["bank", "staking"];
    const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores, pruning });
    t.teardown(() => ms.close());
    const rng = new Rng(pruning.keepRecent * 31 + pruning.keepEvery);
    const hashes = churn(ms, rng, 60);
    const expected = [...hashes.keys()].filter((v) => v > 60 - pruning.keepRecent || (pruning.keepEvery > 0 && v % pruning.keepEvery === 0));
    t.same(ms.versions, expected, "exactly the recent window and every K-th version are kept");
    t.equal(ms.nodeCount(), reachableNodes(ms, stores).size, "no node is kept that no retained version uses");
    for (const v of ms.versions) {
      t.equal(ms.viewAt("bank", v).rootHash.toString("hex"), hashes.get(v), `version ${v} still reads its own root`);
      t.equal(ms.recomputeRoot("bank", v).toString("hex"), hashes.get(v), `version ${v} is complete on disk`);
    }
    const pruned = [...hashes.keys()].find((v) => !expected.includes(v));
    if (pruned !== undefined) {
      t.throws(() => ms.viewAt("bank", pruned), { code: StoreErrorCode.VersionPruned, message: /has been pruned/ });
      t.throws(() => ms.prove("bank", Buffer.from([1]), pruned), { code: StoreErrorCode.VersionPruned });
    }
  });
}

t.test('keepRecent "all" never prunes', async (t) => {
  const ms = MultiStore.open(path.join(tempDir(t), "s.db"), { stores: ["bank", "staking"], pruning: { keepRecent: "all" } });
  t.teardown(() => ms.close());
  churn(ms, new Rng(5), 30);
  t.equal(ms.versions.length, 30);
  t.equal(ms.nodeCount(), reachableNodes(ms, ["bank", "staking"]).size);
});

t.test("pruning settings can change between runs: the backlog is pruned at the next commit", async (t) => {
  const file = path.join(tempDir(t), "s.db");
  let ms = MultiStore.open(file, { stores: ["bank", "staking"], pruning: { keepRecent: "all" } });
  churn(ms, new Rng(7), 20);
  ms.close();
  ms = MultiStore.open(file, { stores: ["bank", "staking"], pruning: { keepRecent: 2 } });
  t.teardown(() => ms.close());
  churn(ms, new Rng(8), 1);
  t.same(ms.versions, [20, 21]);
  t.equal(ms.nodeCount(), reachableNodes(ms, ["bank", "staking"]).size);
});
