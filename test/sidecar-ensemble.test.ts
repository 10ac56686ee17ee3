// An ensemble sidecar (`mirad sidecar --model A --model B ...`, app/sidecar/ensemble.ts): a verdict only
// when more than half of the models give one and all that do agree, at the lowest of their confidences; a
// disagreement is an abstention (VERDICT_ABSTAIN), too few answers no answer. Its hash covers every member,
// whatever the order of the flags.
import path from "node:path";
import t from "tap";
import { SidecarClient, type VerifyItem } from "../app/chain/sidecar-client";
import { combineVerdicts, EnsembleModel, ensembleSha256 } from "../app/sidecar/ensemble";
import type { Verification } from "../app/sidecar/model";
import { NliModel } from "../app/sidecar/nli";
import { startSidecar, type SidecarModel } from "../app/sidecar/service";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { startSidecarProcess } from "./helpers/sidecar-cli";
import { writeTinyNli } from "./helpers/tiny-nli";
import { tempDir } from "./helpers/tmp";

const H = "e".repeat(64);
const v = (verdict: Verification["verdict"], confidenceBp: number): Verification => ({ verdict, confidenceBp, modelSha256: "m" });

t.test("the combination rule: agreement of more than half, else no verdict", async (t) => {
  t.same(
    combineVerdicts([v("SUPPORTED", 9000), v("SUPPORTED", 7000)], H),
    { verdict: "SUPPORTED", confidenceBp: 7000, modelSha256: H },
    "both agree: the lower confidence",
  );
  t.same(
    combineVerdicts([v("SUPPORTED", 9000), v("REFUTED", 9900)], H),
    { verdict: "SUPPORTED", confidenceBp: 9000, modelSha256: H, abstain: true },
    "a disagreement is an abstention, however confident one side is",
  );
  t.equal(combineVerdicts([v("SUPPORTED", 9000), undefined], H), undefined, "one of two is not more than half");
  t.same(
    combineVerdicts([v("REFUTED", 8000), undefined, v("REFUTED", 8500)], H),
    { verdict: "REFUTED", confidenceBp: 8000, modelSha256: H },
    "two of three agree, one abstains",
  );
  t.same(
    combineVerdicts([v("REFUTED", 8000), v("UNVERIFIABLE", 8000), v("REFUTED", 8500)], H),
    { verdict: "REFUTED", confidenceBp: 8000, modelSha256: H, abstain: true },
    "two of three agree, one disagrees: an abstention",
  );
  t.same(combineVerdicts([v("REFUTED", 8000), { ...v("REFUTED", 9000), abstain: true }], H)?.abstain, true, "a member's abstention makes the ensemble abstain");
  t.equal(combineVerdicts([undefined, undefined], H), undefined);
});

t.test("the ensemble hash covers every member, in any order", async (t) => {
  const [a, b, c] = ["a".repeat(64), "b".repeat(64), "c".repeat(64)];
  t.equal(ensembleSha256([a, b]), ensembleSha256([b, a]), "the order of the flags does not matter");
  t.not(ensembleSha256([a, b]), ensembleSha256([a, c]), "another member is another hash");
  t.not(ensembleSha256([a, b]), a, "not a member's hash");
  const stub = (sha256: string, answers: (Verification | undefined)[]): SidecarModel => ({ sha256, verify: async () => answers });
  const e = new EnsembleModel([stub(a, [v("SUPPORTED", 9000), v("REFUTED", 9000)]), stub(b, [v("SUPPORTED", 8000), v("SUPPORTED", 9000)])]);
  t.same(
    await e.verify([
      { claim: "x", source: "y" },
      { claim: "z", source: "w" },
    ]),
    [
      { verdict: "SUPPORTED", confidenceBp: 8000, modelSha256: e.sha256 },
      { verdict: "REFUTED", confidenceBp: 9000, modelSha256: e.sha256, abstain: true },
    ],
  );
  t.throws(() => new EnsembleModel([stub(a, [])]), /at least two/);
});

t.test("startSidecar with several models and `mirad sidecar --model A --model B` answer as the ensemble", async (t) => {
  const root = tempDir(t, "mira-ensemble-");
  const dirs = [writeTinyNli(path.join(root, "a"), { seed: 1 }), writeTinyNli(path.join(root, "b"), { seed: 2 })];
  const members = await Promise.all(dirs.map((d) => NliModel.load(d, { executionProviders: ["cpu"] })));
  t.teardown(async () => {
    for (const m of members) await m.release();
  });
  const expectedHash = ensembleSha256(members.map((m) => m.sha256));
  const items: VerifyItem[] = ["alpha beta", "gamma delta", "beta gamma", "delta alpha", "alpha gamma", "beta delta"].map((claim, i) => ({
    claimId: BigInt(i + 1),
    claim,
    source: "alpha beta gamma delta",
  }));
  const ensemble = new EnsembleModel(members);
  const direct = await ensemble.verify(items);

  t.same(
    direct.map((d) => d?.verdict),
    items.map(() => "UNVERIFIABLE"),
    "these two tiny models agree on every item",
  );
  const sidecar = await startSidecar({ modelPaths: dirs, listen: "127.0.0.1:0", log: () => {} });
  t.teardown(() => sidecar.close());
  t.equal(sidecar.modelSha256, expectedHash, "the sidecar's hash is the ensemble's");
  const client = new SidecarClient(sidecar.address);
  t.teardown(() => client.close());
  const res = await client.verify(items, 5_000);
  t.ok(res.ok, "verify succeeds");
  if (res.ok) {
    t.same(
      res.value.map((r) => [r.claimId, r.verdict]),
      items.map((it) => [it.claimId, Verdict.VERDICT_UNVERIFIABLE]),
      "a verdict for every item they agree on",
    );
    t.ok(direct.every((d) => d !== undefined && d.abstain !== true));
    t.ok(
      res.value.every((r) => Buffer.from(r.modelHash).toString("hex") === expectedHash),
      "each result carries the ensemble's hash",
    );
  }
  // The same graph with its labels in another order says REFUTED where the others say UNVERIFIABLE.
  const relabelled = writeTinyNli(path.join(root, "c"), { seed: 1, id2label: { "0": "neutral", "1": "entailment", "2": "contradiction" } });
  const split = await startSidecar({ modelPaths: [dirs[0]!, relabelled], listen: "127.0.0.1:0", log: () => {} });
  t.teardown(() => split.close());
  const splitClient = new SidecarClient(split.address);
  t.teardown(() => splitClient.close());
  const none = await splitClient.verify(items, 5_000);
  t.ok(
    none.ok && none.value.length === items.length && none.value.every((r) => r.verdict === Verdict.VERDICT_ABSTAIN),
    "members that disagree on every item abstain on every item",
  );

  const proc = await startSidecarProcess(["--model", dirs[1]!, "--model", dirs[0]!, "--listen", "127.0.0.1:0"]);
  t.equal(proc.sha256, expectedHash, "the command serves the same ensemble, flags in another order");
  t.equal(await proc.stop(), 0);
});

t.test("--abstain-below: a verdict below the confidence threshold is answered as VERDICT_ABSTAIN", async (t) => {
  const stub: SidecarModel = {
    sha256: "f".repeat(64),
    verify: async (pairs) => pairs.map((p) => ({ verdict: "SUPPORTED" as const, confidenceBp: Number(p.claim), modelSha256: "f".repeat(64) })),
  };
  const items: VerifyItem[] = ["9000", "7999", "8000"].map((claim, i) => ({ claimId: BigInt(i + 1), claim, source: "s" }));
  for (const [mode, confident] of [
    ["honest", Verdict.VERDICT_SUPPORTED],
    ["invert", Verdict.VERDICT_REFUTED],
  ] as const) {
    const s = await startSidecar({ model: stub, listen: "127.0.0.1:0", abstainBelowBp: 8000, mode });
    const c = new SidecarClient(s.address);
    const res = await c.verify(items, 5_000);
    t.ok(res.ok);
    if (res.ok)
      t.same(
        res.value.map((r) => r.verdict),
        [confident, Verdict.VERDICT_ABSTAIN, confident],
        `${mode}: below 8000 bp abstains, at 8000 it judges`,
      );
    c.close();
    await s.close();
  }
  await t.rejects(startSidecar({ model: stub, listen: "127.0.0.1:0", abstainBelowBp: 10_001 }), /abstainBelowBp/);
});
