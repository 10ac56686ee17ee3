// The verification sidecar as a gRPC service: Info, verdicts equal to the model's own, batching of concurrent
// callers, the dishonest modes, INVALID_ARGUMENT for bad requests, a client that resolves (never rejects) when
// the sidecar is down, and a port that close() frees.
import net from "node:net";
import * as grpc from "@grpc/grpc-js";
import t from "tap";
import { run as runSidecarCommand } from "../app/cli/sidecar";
import { SidecarClient, type VerifyItem } from "../app/chain/sidecar-client";
import { generateExamples } from "../app/sidecar/dataset";
import { VerificationModel } from "../app/sidecar/model";
import { startSidecar } from "../app/sidecar/service";
import { trainVariant, writeVariant, type TrainBudget } from "../app/sidecar/train";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { runSidecarProcess, startSidecarProcess } from "./helpers/sidecar-cli";
import { tempDir } from "./helpers/tmp";

// A small budget: the model need not be good, only a real ONNX model with varied answers.
const BUDGET: TrainBudget = { trainSize: 600, epochs: 4, evalSize: 60, batchSize: 32 };
const VERDICT_OF = { SUPPORTED: Verdict.VERDICT_SUPPORTED, REFUTED: Verdict.VERDICT_REFUTED, UNVERIFIABLE: Verdict.VERDICT_UNVERIFIABLE } as const;

function items(count: number, firstId: number): VerifyItem[] {
  return generateExamples("eval", count).map((e, i) => ({ claimId: BigInt(firstId + i), claim: e.claim, source: e.source }));
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test("sidecar service", async (t) => {
  const dir = tempDir(t, "mira-sidecar-service-");
  const { onnxPath } = writeVariant(dir, trainVariant("logreg-dense", BUDGET));
  const model = await VerificationModel.load(onnxPath);
  t.teardown(() => model.release());
  const direct = async (list: VerifyItem[]) => (await model.verify(list)).map((v) => ({ verdict: VERDICT_OF[v.verdict], confidenceBp: v.confidenceBp }));

  const modelCalls: number[] = [];
  const sidecar = await startSidecar({ modelPath: onnxPath, listen: "127.0.0.1:0", maxBatch: 64, maxWaitMs: 40, onModelCall: (n) => modelCalls.push(n) });
  t.teardown(() => sidecar.close());
  const client = new SidecarClient(sidecar.address);
  t.teardown(() => client.close());

  t.test("Info returns the model's sha256, providers and batch limit", async (t) => {
    const info = await client.info(2_000);
    t.ok(info.ok, "info succeeds");
    if (!info.ok) return;
    t.same(info.value, { modelHashes: [model.sha256], executionProviders: ["cpu"], maxBatch: 64 });
    t.match(sidecar.address, /^127\.0\.0\.1:\d+$/);
  });

  t.test("a batch gets the verdicts of calling the model directly", async (t) => {
    const batch = items(40, 1000);
    const res = await client.verify(batch, 5_000);
    t.ok(res.ok, "verify succeeds");
    if (!res.ok) return;
    t.same(
      res.value.map((r) => r.claimId),
      batch.map((i) => i.claimId),
      "results in item order, by claim id",
    );
    t.same(
      res.value.map((r) => ({ verdict: r.verdict, confidenceBp: r.confidenceBp })),
      await direct(batch),
    );
    t.ok(
      res.value.every((r) => Buffer.from(r.modelHash).toString("hex") === model.sha256),
      "each result names the model",
    );
    t.ok(new Set(res.value.map((r) => r.verdict)).size > 1, "the model gives more than one verdict");
  });

  t.test("concurrent callers share model calls and each gets its own results", async (t) => {
    modelCalls.length = 0;
    const requests = Array.from({ length: 8 }, (_, k) =>
      items(5, 10 * k + 1).map((it, i) => (i % 2 === k % 2 ? it : { ...it, claimId: BigInt(500 + 10 * k + i) })),
    );
    const responses = await Promise.all(requests.map((r) => client.verify(r, 5_000)));
    for (const [k, res] of responses.entries()) {
      t.ok(res.ok, `caller ${k} succeeds`);
      if (!res.ok) continue;
      t.same(
        res.value.map((r) => r.claimId),
        requests[k]!.map((i) => i.claimId),
        `caller ${k} gets its own claim ids`,
      );
      t.same(
        res.value.map((r) => ({ verdict: r.verdict, confidenceBp: r.confidenceBp })),
        await direct(requests[k]!),
        `caller ${k} gets its own verdicts`,
      );
    }
    t.equal(
      modelCalls.reduce((a, b) => a + b, 0),
      40,
      "every item went through the model once",
    );
    t.ok(modelCalls.length < 8, `8 requests took ${modelCalls.length} model calls (${modelCalls.join(",")})`);

    // More than maxBatch items waiting at once: no model call exceeds the limit.
    modelCalls.length = 0;
    const big = await Promise.all(Array.from({ length: 5 }, (_, k) => client.verify(items(30, 100 * k), 5_000)));
    t.ok(
      big.every((r) => r.ok),
      "all five 30-item requests succeed",
    );
    t.ok(
      modelCalls.every((n) => n <= 64),
      `model calls ${modelCalls.join(",")} each within maxBatch`,
    );
    t.equal(
      modelCalls.reduce((a, b) => a + b, 0),
      150,
    );
  });

  t.test("bad requests get INVALID_ARGUMENT with a clear message", async (t) => {
    const cases: [string, VerifyItem[], RegExp][] = [
      ["empty request", [], /no items/],
      ["too many items", items(65, 1), /65 items; the most this sidecar takes is 64/],
      ["claim too long", [{ claimId: 7n, claim: "x".repeat(20_000), source: "s" }], /claim id 7\): claim is 20000 characters/],
      ["source too long", [{ claimId: 8n, claim: "c", source: "y".repeat(20_000) }], /source is 20000 characters/],
    ];
    for (const [name, list, message] of cases) {
      const res = await client.verify(list, 2_000);
      t.notOk(res.ok, `${name} fails`);
      if (res.ok) continue;
      t.equal(res.code, grpc.status.INVALID_ARGUMENT, `${name}: INVALID_ARGUMENT`);
      t.equal(res.codeName, "INVALID_ARGUMENT");
      t.match(res.message, message, `${name}: says why`);
    }
  });

  t.test("invert mode swaps SUPPORTED and REFUTED; random mode answers valid verdicts", async (t) => {
    const inverted = await startSidecar({ model, listen: "127.0.0.1:0", mode: "invert" });
    const random = await startSidecar({ model, listen: "127.0.0.1:0", mode: "random", seed: 9 });
    const c1 = new SidecarClient(inverted.address);
    const c2 = new SidecarClient(random.address);
    t.teardown(async () => {
      c1.close();
      c2.close();
      await Promise.all([inverted.close(), random.close()]);
    });
    const batch = items(40, 1);
    const honest = await direct(batch);
    const res = await c1.verify(batch, 5_000);
    t.ok(res.ok);
    if (res.ok) {
      const flip = (v: Verdict) => (v === Verdict.VERDICT_SUPPORTED ? Verdict.VERDICT_REFUTED : v === Verdict.VERDICT_REFUTED ? Verdict.VERDICT_SUPPORTED : v);
      t.same(
        res.value.map((r) => r.verdict),
        honest.map((h) => flip(h.verdict)),
        "verdicts flipped",
      );
      t.ok(
        honest.some((h) => h.verdict !== Verdict.VERDICT_UNVERIFIABLE),
        "something was there to flip",
      );
    }
    const rnd = await c2.verify(batch, 5_000);
    t.ok(rnd.ok);
    if (rnd.ok) {
      t.ok(
        rnd.value.every((r) => r.verdict >= 1 && r.verdict <= 3 && r.confidenceBp > 0 && r.confidenceBp <= 10_000),
        "valid verdicts and confidences",
      );
      t.ok(new Set(rnd.value.map((r) => r.verdict)).size > 1, "not a constant answer");
    }
  });

  t.test("a client of a dead port resolves to an error within its deadline", async (t) => {
    const dead = new SidecarClient(`127.0.0.1:${await freePort()}`);
    t.teardown(() => dead.close());
    const started = Date.now();
    const [v, i] = await Promise.all([dead.verify(items(2, 1), 800), dead.info(800)]);
    t.ok(Date.now() - started < 1_800, `both resolved in ${Date.now() - started} ms`);
    t.notOk(v.ok, "verify is an error value");
    t.notOk(i.ok, "info is an error value");
    if (!v.ok) t.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(v.code), `code ${v.codeName}`);
    dead.close();
    const afterClose = await dead.info(100);
    t.notOk(afterClose.ok, "a closed client answers an error value too");
  });

  t.test("close() frees the port", async (t) => {
    const s = await startSidecar({ model, listen: "127.0.0.1:0" });
    const c = new SidecarClient(s.address);
    t.ok((await c.info(2_000)).ok, "serving");
    await s.close();
    await s.close();
    const res = await c.info(500);
    t.notOk(res.ok, "no longer serving");
    c.close();
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(s.port, "127.0.0.1", resolve);
    });
    t.pass(`port ${s.port} can be bound again`);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  t.test("mirad sidecar: --help, one-line usage errors, and a process that serves until SIGTERM", async (t) => {
    const ctx = { env: {}, defaultHome: dir };
    await t.rejects(runSidecarCommand([], ctx), /missing a backend: --model FILE, or --llm-endpoint URL with --llm-model NAME \(see 'mirad sidecar --help'\)/);
    await t.rejects(runSidecarCommand(["--model", onnxPath, "--mode", "evil"], ctx), /unknown --mode "evil"/);
    await t.rejects(runSidecarCommand(["--model", onnxPath, "--max-batch", "x"], ctx), /--max-batch must be a non-negative integer/);
    await t.rejects(runSidecarCommand(["--model", onnxPath, "--bogus"], ctx), /unknown option '--bogus'/);

    // The command in a process of its own (stdout is tap's here): main.ts's loader calls run(args, ctx).
    const help = runSidecarProcess(["--help"]);
    t.equal(help.status, 0, "--help exits 0");
    t.match(help.stdout, /--model FILE[\s\S]*--llm-endpoint URL[\s\S]*--llm-model NAME[\s\S]*--mode honest\|invert\|random/);

    const proc = await startSidecarProcess(["--model", onnxPath, "--listen", "127.0.0.1:0", "--max-batch", "32"]);
    t.match(proc.stdout(), model.sha256, "prints the model hash");
    const c = new SidecarClient(proc.address);
    const info = await c.info(3_000);
    t.ok(info.ok && info.value.maxBatch === 32, "the process serves Info with its --max-batch");
    c.close();
    t.equal(await proc.stop(), 0, "SIGTERM stops it with exit 0");
    t.match(proc.stderr(), /stopped cleanly/);
  });
});
