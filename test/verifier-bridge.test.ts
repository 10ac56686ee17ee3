// The node's side of the sidecar (app/chain/verifier-bridge.ts) with a slow model, as an LLM judge is:
// under the default 2 s request limit (mirad start --sidecar-timeout-ms) its verdicts never arrive and the
// claim is asked again after the next commit; with a longer limit they arrive and go out in the extension.
import { spawnSync } from "node:child_process";
import path from "node:path";
import t from "tap";
import { SidecarClient } from "../app/chain/sidecar-client";
import { VerifierBridge, type BridgeView } from "../app/chain/verifier-bridge";
import type { Context } from "../app/core/context";
import { startSidecar, type SidecarModel } from "../app/sidecar/service";
import { Verdict, VoteExtension } from "../proto/gen/mira/claims/v1/claims";

const runMirad = (args: string[]) =>
  spawnSync(process.execPath, [path.join(__dirname, "..", "app", "cli", "main.js"), ...args], { encoding: "utf8", timeout: 60_000, input: "" });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHA = "a".repeat(64);

t.test("a sidecar slower than the request limit gives no verdict; a longer limit lets it answer", async (t) => {
  let calls = 0;
  const slow: SidecarModel = {
    sha256: SHA,
    verify: async (pairs) => {
      calls++;
      await sleep(600);
      return pairs.map(() => ({ verdict: "REFUTED" as const, confidenceBp: 9000, modelSha256: SHA }));
    },
  };
  const sidecar = await startSidecar({ model: slow, listen: "127.0.0.1:0" });
  t.teardown(() => sidecar.close());
  const client = new SidecarClient(sidecar.address);
  t.teardown(() => client.close());
  const view: BridgeView = {
    committedContext: () => ({}) as Context,
    myValoper: () => "miravaloper1x",
    pendingFor: () => [{ id: 7n, text: "claim", source: "source", voted: false }],
    stillOpen: () => true,
    maxExtensionBytes: () => 4096,
    allowedModelHashes: () => [],
  };
  const logs: string[] = [];
  /** Waits for the model's n-th call; `nudge` (a commit) runs each time round, since a request still in flight is not sent again. */
  const waitForCalls = async (n: number, nudge?: () => void) => {
    for (const until = Date.now() + 60_000; calls < n; await sleep(20)) {
      if (Date.now() > until) throw new Error(`the sidecar got ${calls} calls, not ${n}, in 60 s`);
      nudge?.();
    }
  };

  const short = new VerifierBridge(client, view, { deadlineMs: 200, maxBatch: 256, log: (l) => logs.push(l) });
  short.afterCommit();
  await waitForCalls(1);
  await sleep(900); // the model's answer has come back by now, after the request gave up
  t.equal(short.extension(5n).length, 0, "no verdict from a request that timed out");
  t.match(logs.join("\n"), /DEADLINE_EXCEEDED.*1 claims left without a verdict/);
  // Asked again after a later commit, once the timed-out request has let go of the claim (on a busy machine the
  // deadline's callback can come after the sleep above).
  await waitForCalls(2, () => short.afterCommit());
  t.pass("the claim is asked again after the next commit");

  const long = new VerifierBridge(client, view, { deadlineMs: 5_000, maxBatch: 256, log: (l) => logs.push(l) });
  long.afterCommit();
  let ext: Uint8Array = new Uint8Array();
  for (const until = Date.now() + 10_000; ext.length === 0 && Date.now() < until; await sleep(50)) ext = long.extension(5n);
  const decoded = VoteExtension.decode(ext);
  t.same(
    decoded.verdicts.map((v) => [v.claimId, v.verdict]),
    [[7n, Verdict.VERDICT_REFUTED]],
    "with a longer limit the verdict goes out",
  );
  t.equal(Buffer.from(decoded.modelHash).toString("hex"), SHA);
});

t.test("mirad start --sidecar-timeout-ms: documented and checked", async (t) => {
  t.match(runMirad(["start", "--help"]).stdout, /--sidecar-timeout-ms N/);
  for (const bad of ["0", "-5", "1.5", "soon"]) {
    const run = runMirad(["start", "--sidecar", "127.0.0.1:1", `--sidecar-timeout-ms=${bad}`]);
    t.not(run.status, 0, `--sidecar-timeout-ms ${bad} is refused`);
    t.match(run.stderr, /--sidecar-timeout-ms must be a positive integer/);
  }
  const alone = runMirad(["start", "--sidecar-timeout-ms", "60000"]);
  t.not(alone.status, 0);
  t.match(alone.stderr, /--sidecar-timeout-ms is for --sidecar ADDR/);
});
