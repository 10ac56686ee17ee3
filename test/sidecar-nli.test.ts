// The NLI cross-encoder backend of the sidecar (app/sidecar/nli.ts), on a tiny seeded BERT-style model of the
// test's own (test/helpers/tiny-nli.ts): the ids fed to onnxruntime are tokenizers.js's own pair encoding,
// batching changes no answer, a long source is read in windows where the decisive one wins, labels follow
// config.json's id2label, the hash covers all three files, and the gRPC service and `mirad sidecar --model DIR`
// serve it (with one-line errors for a bad folder).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type * as ort from "onnxruntime-node";
import t, { type Test } from "tap";
import { run as runSidecarCommand } from "../app/cli/sidecar";
import { SidecarClient, type VerifyItem } from "../app/chain/sidecar-client";
import { decide, nliModelSha256, NliModel, parseNliConfig, type NliInput } from "../app/sidecar/nli";
import { startSidecar } from "../app/sidecar/service";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { Rng } from "./helpers/rng";
import { tinyConfigJson, tinyTokenizerJson, TINY_WORDS, writeTinyNli, type TinyNliOptions } from "./helpers/tiny-nli";
import { runSidecarProcess, startSidecarProcess } from "./helpers/sidecar-cli";
import { tempDir } from "./helpers/tmp";

const VERDICT_OF = { SUPPORTED: Verdict.VERDICT_SUPPORTED, REFUTED: Verdict.VERDICT_REFUTED, UNVERIFIABLE: Verdict.VERDICT_UNVERIFIABLE } as const;
const PLAIN = TINY_WORDS.filter((w) => !w.startsWith("##") && w !== "confirmed" && w !== "denied");

/** The hash as docs/sidecar-models.md describes it, computed here on its own. */
function documentedHash(dir: string): string {
  const h = crypto.createHash("sha256");
  for (const f of ["model.onnx", "tokenizer.json", "config.json"]) {
    const bytes = fs.readFileSync(path.join(dir, f));
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(bytes.length));
    h.update(len).update(bytes);
  }
  return h.digest("hex");
}

function words(rng: Rng, n: number, extra: readonly string[] = []): string {
  return Array.from({ length: n }, () => rng.pick([...PLAIN, ...extra])).join(" ");
}

/** Pairs of varied text: capitals, punctuation, unknown words, accents, markers, a special token's text. */
function samplePairs(rng: Rng, count: number): { claim: string; source: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const marker = ["", " confirmed", " denied", " confirmed confirmed confirmed", " denied denied denied"][i % 5]!;
    const source = `${words(rng, 3 + rng.int(12))}${marker}. ${i % 7 === 0 ? "The CAFÉ is Unknownword, [SEP] really!" : ""}`;
    return { claim: `${words(rng, 2 + rng.int(4))}${i % 3 === 0 ? " walking?" : ""}`, source };
  });
}

async function load(t: Test, dir: string, options: Parameters<typeof NliModel.load>[1] = {}): Promise<NliModel> {
  const model = await NliModel.load(dir, options);
  t.teardown(() => model.release());
  return model;
}

/** The unpadded rows of one onnxruntime run. */
function rowsOf(feeds: Readonly<Record<string, ort.Tensor>>): NliInput[] {
  const [n, length] = feeds.input_ids!.dims as [number, number];
  const ids = feeds.input_ids!.data as BigInt64Array;
  const mask = feeds.attention_mask!.data as BigInt64Array;
  const types = feeds.token_type_ids?.data as BigInt64Array | undefined;
  return Array.from({ length: n }, (_, r) => {
    const row: NliInput = { ids: [], typeIds: [] };
    for (let k = 0; k < length; k++) {
      if (mask[r * length + k] === 0n) continue;
      row.ids.push(Number(ids[r * length + k]));
      row.typeIds.push(types ? Number(types[r * length + k]) : 0);
    }
    return row;
  });
}

t.test("config.json: labels by id2label, any case and order; anything else refused", async (t) => {
  t.same(parseNliConfig(tinyConfigJson()).labels, ["REFUTED", "SUPPORTED", "UNVERIFIABLE"]);
  t.same(parseNliConfig({ id2label: { "0": "CONTRADICTION", "1": "NEUTRAL", "2": "ENTAILMENT" } }).labels, ["REFUTED", "UNVERIFIABLE", "SUPPORTED"]);
  t.same(parseNliConfig({ id2label: { "2": "Neutral", "0": "Entailment", "1": "Contradiction" } }).labels, ["SUPPORTED", "REFUTED", "UNVERIFIABLE"]);
  const bad: unknown[] = [
    {},
    { id2label: { "0": "LABEL_0", "1": "LABEL_1", "2": "LABEL_2" } },
    { id2label: { "0": "entailment", "1": "contradiction" } },
    { id2label: { "0": "entailment", "1": "contradiction", "2": "entailment" } },
    { id2label: { "0": "entailment", "1": "contradiction", "2": "neutral", "3": "other" } },
    { id2label: { "0": "entailment", "1": "contradiction", "5": "neutral" } },
    [],
  ];
  for (const json of bad)
    t.throws(
      () => parseNliConfig(json),
      /config\.json: (no id2label; )?.*id2label must name entailment, contradiction and neutral|not a JSON object/,
      JSON.stringify(json),
    );
});

t.test("the decision rule: the strongest leaning window wins; neutral only when no window leans", async (t) => {
  const labels = ["REFUTED", "SUPPORTED", "UNVERIFIABLE"] as const;
  t.same(decide([[0.1, 0.2, 0.7]], labels), { verdict: "UNVERIFIABLE", probability: 0.7, window: 0 });
  t.same(
    decide(
      [
        [0.1, 0.2, 0.7],
        [0.1, 0.6, 0.3],
        [0.05, 0.15, 0.8],
      ],
      labels,
    ),
    { verdict: "SUPPORTED", probability: 0.6, window: 1 },
  );
  t.same(
    decide(
      [
        [0.5, 0.1, 0.4],
        [0.1, 0.6, 0.3],
        [0.2, 0.1, 0.7],
      ],
      labels,
    ),
    { verdict: "SUPPORTED", probability: 0.6, window: 1 },
  );
  t.same(
    decide(
      [
        [0.7, 0.1, 0.2],
        [0.1, 0.6, 0.3],
      ],
      labels,
    ),
    { verdict: "REFUTED", probability: 0.7, window: 0 },
  );
  // A window whose entailment is high but not its top label does not count as leaning.
  t.same(
    decide(
      [
        [0.05, 0.45, 0.5],
        [0.1, 0.2, 0.7],
      ],
      labels,
    ),
    { verdict: "UNVERIFIABLE", probability: 0.5, window: 0 },
  );
});

t.test("the model hash covers model.onnx, tokenizer.json and config.json, length-prefixed", async (t) => {
  const root = tempDir(t, "mira-nli-hash-");
  const base = writeTinyNli(path.join(root, "base"));
  const model = await load(t, base);
  t.equal(model.sha256, documentedHash(base), "sha256 as documented");
  const read = (f: string) => fs.readFileSync(path.join(base, f));
  t.equal(nliModelSha256(read("model.onnx"), read("tokenizer.json"), read("config.json")), model.sha256);
  t.not(
    nliModelSha256(Buffer.concat([read("model.onnx"), Buffer.from("{")]), read("tokenizer.json").subarray(1), read("config.json")),
    model.sha256,
    "bytes moved between files change it",
  );

  const hashes = new Set([model.sha256]);
  const changes: [string, (dir: string) => void][] = [
    ["model.onnx", (dir) => writeTinyNli(dir, { seed: 8 })],
    ["tokenizer.json", (dir) => fs.appendFileSync(path.join(dir, "tokenizer.json"), " ")],
    ["config.json", (dir) => writeTinyNli(dir, { id2label: { "0": "entailment", "1": "contradiction", "2": "neutral" } })],
  ];
  for (const [file, change] of changes) {
    const dir = writeTinyNli(path.join(root, file));
    change(dir);
    const other = await load(t, dir);
    t.equal(other.sha256, documentedHash(dir));
    t.notOk(hashes.has(other.sha256), `a change to ${file} changes the hash`);
    hashes.add(other.sha256);
  }
});

for (const postProcessor of ["template", "bert"] as const) {
  t.test(`the ids fed to the model are tokenizers.js's own encoding of (source, claim) (${postProcessor})`, async (t) => {
    const options: TinyNliOptions = { postProcessor, maxPositions: 128 };
    const dir = writeTinyNli(tempDir(t, "mira-nli-ids-"), options);
    const runs: NliInput[][] = [];
    const lengths: number[] = [];
    const model = await load(t, dir, { onRun: (feeds) => (runs.push(rowsOf(feeds)), lengths.push(feeds.input_ids!.dims[1]!)) });
    t.equal(model.encoder.maxLength, 128, "max length from config.json");

    const { Tokenizer } = await import("@huggingface/tokenizers");
    const library = new Tokenizer(tinyTokenizerJson(options), {});
    const pairs = [...samplePairs(new Rng(3), 30), { claim: "the sky is blue", source: "" }];
    await model.verify(pairs);
    const fed = runs.flat();
    t.equal(fed.length, pairs.length, "one input per pair (all fit in one window)");
    const expected = pairs.map(({ source, claim }) => {
      const e = library.encode(source, { text_pair: claim, return_token_type_ids: true });
      return { ids: e.ids, typeIds: e.token_type_ids };
    });
    // Runs are grouped by padded length; compare as sets of rows, then each pair's own window.
    const key = (r: NliInput) => JSON.stringify(r);
    t.same(fed.map(key).sort(), expected.map(key).sort(), "every fed row is the library's encoding");
    pairs.forEach(({ source, claim }, i) => t.same(model.encoder.windows(source, claim), [expected[i]], `pair ${i}`));
    t.ok(
      expected.some((e) => e.ids.includes(1)),
      "some pairs have unknown words",
    );
    t.ok(
      lengths.every((l) => [16, 32, 64, 128].includes(l)),
      `padded lengths ${[...new Set(lengths)].join(",")}`,
    );
  });
}

t.test("a config with type_vocab_size 1 (RoBERTa-style) gets token type ids 0", async (t) => {
  const dir = writeTinyNli(tempDir(t, "mira-nli-types-"));
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ ...tinyConfigJson(), type_vocab_size: 1 }));
  const types: bigint[] = [];
  const model = await load(t, dir, { onRun: (feeds) => types.push(...(feeds.token_type_ids!.data as BigInt64Array)) });
  await model.verify([{ claim: "the sky is blue", source: "the sun is hot" }]);
  t.ok(types.length > 0 && types.every((v) => v === 0n), "all zero");
});

t.test("batching gives the same answers as one claim at a time", async (t) => {
  const dir = writeTinyNli(tempDir(t, "mira-nli-batch-"));
  const model = await load(t, dir);
  const small = await load(t, dir, { maxTokensPerRun: 40 });
  const pairs = samplePairs(new Rng(11), 60);
  pairs.push({ claim: "the cat sat", source: `${words(new Rng(5), 70)} confirmed confirmed confirmed confirmed ${words(new Rng(6), 40)}` });
  const batched = await model.verify(pairs);
  const single = [];
  for (const p of pairs) single.push(...(await model.verify([p])));
  t.same(batched, single, "all at once = one by one");
  t.same(await small.verify(pairs), single, "many small runs = one by one");
  t.same(await model.verify([...pairs].reverse()), [...single].reverse(), "order of the batch changes nothing");
  t.ok(
    batched.every((v) => v !== undefined && v.modelSha256 === model.sha256),
    "every pair has a verdict naming the model",
  );
  const verdicts = new Set(batched.map((v) => v!.verdict));
  t.same([...verdicts].sort(), ["REFUTED", "SUPPORTED", "UNVERIFIABLE"], "all three verdicts occur");
  t.ok(new Set(batched.map((v) => v!.confidenceBp)).size > 10, "confidences vary");
});

t.test("a long source is read in windows and the decisive window wins", async (t) => {
  const dir = writeTinyNli(tempDir(t, "mira-nli-long-"));
  const model = await load(t, dir);
  t.equal(model.encoder.maxLength, 32);
  const rng = new Rng(21);
  const before = words(rng, 60);
  const after = words(rng, 60);
  const claim = "the cat sat";
  const claimIds = model.encoder.tokens(claim).map((tok) => model.encoder.tokenizer.token_to_id(tok)!);

  const neutralSource = `${before} ${after}`;
  const windows = model.encoder.windows(neutralSource, claim);
  const sourceIds = model.encoder.tokens(neutralSource).map((tok) => model.encoder.tokenizer.token_to_id(tok)!);
  t.ok(windows.length > 3, `${windows.length} windows`);
  const [cls, sep] = [2, 3];
  let covered = 0;
  for (const [i, w] of windows.entries()) {
    t.ok(w.ids.length <= 32, `window ${i} fits`);
    t.same(w.ids.slice(-claimIds.length - 1), [...claimIds, sep], `window ${i} ends with the claim`);
    t.equal(w.ids[0], cls);
    const part = w.ids.slice(1, w.ids.length - claimIds.length - 2);
    const at = sourceIds.findIndex((_, k) => part.every((id, j) => sourceIds[k + j] === id));
    t.ok(at >= 0 && at <= covered, `window ${i} continues the source (at ${at}, covered ${covered})`);
    covered = Math.max(covered, at + part.length);
  }
  t.equal(covered, sourceIds.length, "the windows cover the whole source");

  const neutral = (await model.verify([{ claim, source: neutralSource }]))[0]!;
  const probs = (await model.probabilities(windows)) as number[][];
  t.equal(neutral.verdict, "UNVERIFIABLE");
  t.equal(neutral.confidenceBp, Math.round(Math.min(...probs.map((p) => p[2]!)) * 10000), "neutral: the least sure window's probability");

  const withMarkers = (entail: number, contra: number) =>
    `${before} ${"confirmed ".repeat(entail)} ${words(rng, 40)} ${"denied ".repeat(contra)} ${after}`.replace(/\s+/g, " ");
  const supported = withMarkers(6, 0);
  const supportedWindows = model.encoder.windows(supported, claim);
  const p = (await model.probabilities(supportedWindows)) as number[][];
  const leaning = p.filter((w) => w[1]! > w[0]! && w[1]! > w[2]!);
  t.ok(leaning.length >= 1 && leaning.length < p.length, `${leaning.length} of ${p.length} windows entail, the others not`);
  const first = (await model.verify([{ claim, source: supported.split(" ").slice(0, 20).join(" ") }]))[0]!;
  t.equal(first.verdict, "UNVERIFIABLE", "what fits in one input at the start is neutral");
  const verdict = (await model.verify([{ claim, source: supported }]))[0]!;
  t.equal(verdict.verdict, "SUPPORTED", "the decisive window wins over neutral ones");
  t.equal(verdict.confidenceBp, Math.round(Math.max(...leaning.map((w) => w[1]!)) * 10000), "with its own probability");

  // Evidence both ways: the stronger wins.
  t.equal((await model.verify([{ claim, source: withMarkers(8, 4) }]))[0]!.verdict, "SUPPORTED");
  t.equal((await model.verify([{ claim, source: withMarkers(4, 8) }]))[0]!.verdict, "REFUTED");

  // A claim longer than half the room is cut; windows still fit.
  const longClaim = words(rng, 40);
  t.ok(
    model.encoder.windows(supported, longClaim).every((w) => w.ids.length <= 32),
    "a long claim is cut to fit",
  );
});

t.test("labels follow config.json's id2label, not the output order", async (t) => {
  const root = tempDir(t, "mira-nli-labels-");
  const pairs = [
    { claim: "it is so", source: "the report confirmed confirmed confirmed it" },
    { claim: "it is so", source: "the report denied denied denied it" },
    { claim: "it is so", source: "the sky is blue" },
  ];
  const byDefault = await load(t, writeTinyNli(path.join(root, "a")));
  t.same(
    (await byDefault.verify(pairs)).map((v) => v!.verdict),
    ["SUPPORTED", "REFUTED", "UNVERIFIABLE"],
  );
  // The same graph with outputs 0 and 1 named the other way round (and in capitals).
  const swapped = await load(t, writeTinyNli(path.join(root, "b"), { id2label: { "0": "ENTAILMENT", "1": "CONTRADICTION", "2": "NEUTRAL" } }));
  const a = await byDefault.verify(pairs);
  const b = await swapped.verify(pairs);
  t.same(
    b.map((v) => v!.verdict),
    ["REFUTED", "SUPPORTED", "UNVERIFIABLE"],
  );
  t.same(
    b.map((v) => v!.confidenceBp),
    a.map((v) => v!.confidenceBp),
    "same probabilities, other names",
  );
  const neutralFirst = await load(
    t,
    writeTinyNli(path.join(root, "c"), { id2label: { "0": "contradiction", "1": "entailment", "2": "neutral" }, tokenTypeIds: false }),
  );
  t.same(
    (await neutralFirst.verify(pairs)).map((v) => v!.verdict),
    ["SUPPORTED", "REFUTED", "UNVERIFIABLE"],
    "a graph without token_type_ids (RoBERTa-style) is fed only what it declares",
  );
});

t.test("bad model folders are refused with one line saying what is wrong", async (t) => {
  const root = tempDir(t, "mira-nli-bad-");
  const good = writeTinyNli(path.join(root, "good"));
  const variant = (name: string, edit: (dir: string) => void): string => {
    const dir = path.join(root, name);
    fs.cpSync(good, dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const cases: [string, string, RegExp][] = [
    ["missing", path.join(root, "nope"), /model folder .*nope: does not exist/],
    ["a file", path.join(good, "config.json"), /is not a folder/],
    [
      "no tokenizer",
      variant("no-tok", (d) => fs.rmSync(path.join(d, "tokenizer.json"))),
      /no tokenizer\.json; a model folder holds model\.onnx, tokenizer\.json, config\.json/,
    ],
    [
      "bad labels",
      variant("labels", (d) => fs.writeFileSync(path.join(d, "config.json"), JSON.stringify({ id2label: { "0": "LABEL_0", "1": "LABEL_1" } }))),
      /id2label must name/,
    ],
    ["bad json", variant("json", (d) => fs.writeFileSync(path.join(d, "config.json"), "{")), /config\.json is not JSON/],
    ["bad tokenizer", variant("tok", (d) => fs.writeFileSync(path.join(d, "tokenizer.json"), JSON.stringify({ model: {} }))), /tokenizer\.json: /],
    ["bad onnx", variant("onnx", (d) => fs.writeFileSync(path.join(d, "model.onnx"), "not a model")), /onnxruntime cannot run model\.onnx/],
    [
      "two labels",
      variant("two", (d) => fs.writeFileSync(path.join(d, "config.json"), JSON.stringify({ id2label: { "0": "contradiction", "1": "entailment" } }))),
      /id2label/,
    ],
  ];
  for (const [name, dir, message] of cases) {
    const err = await NliModel.load(dir).then(
      () => undefined,
      (e: Error) => e,
    );
    t.ok(err, `${name} is refused`);
    t.match(err?.message, message, name);
    t.notMatch(err?.message, /\n/, `${name}: one line`);
  }
  await t.rejects(NliModel.load(good, { executionProviders: ["bogus"] }), /unknown execution provider bogus/);
});

t.test("execution providers: the caller's, and what was used is reported", async (t) => {
  const dir = writeTinyNli(tempDir(t, "mira-nli-ep-"));
  const cpu = await load(t, dir);
  t.same(cpu.executionProviders, ["cpu"]);
  const notices: string[] = [];
  const gpu = await load(t, dir, { executionProviders: ["cuda", "cpu"], log: (l) => notices.push(l) });
  if (gpu.executionProviders[0] === "cuda") t.same(gpu.executionProviders, ["cuda", "cpu"], "CUDA is there and used");
  else {
    t.same(gpu.executionProviders, ["cpu"], "no CUDA here: CPU, reported as such");
    t.match(notices.join("\n"), /execution provider cuda is not available .*; using cpu/);
  }
  const pairs = samplePairs(new Rng(4), 10);
  t.same(
    (await gpu.verify(pairs)).map((v) => v!.verdict),
    (await cpu.verify(pairs)).map((v) => v!.verdict),
  );
});

t.test("the gRPC sidecar and `mirad sidecar --model DIR` serve the model", async (t) => {
  const root = tempDir(t, "mira-nli-grpc-");
  const dir = writeTinyNli(path.join(root, "model"));
  const model = await load(t, dir);
  const items: VerifyItem[] = samplePairs(new Rng(9), 24).map((p, i) => ({ claimId: BigInt(100 + i), ...p }));

  const sidecar = await startSidecar({ modelPath: dir, listen: "127.0.0.1:0", maxBatch: 64, executionProviders: ["cuda", "cpu"], log: () => {} });
  t.teardown(() => sidecar.close());
  const client = new SidecarClient(sidecar.address);
  t.teardown(() => client.close());
  t.equal(sidecar.modelSha256, model.sha256);
  const info = await client.info(3_000);
  t.ok(info.ok);
  if (info.ok) t.same(info.value, { modelHashes: [model.sha256], executionProviders: sidecar.executionProviders, maxBatch: 64 });
  t.ok(["cpu", "cuda,cpu"].includes(sidecar.executionProviders.join(",")), `providers used: ${sidecar.executionProviders.join(",")}`);
  const res = await client.verify(items, 5_000);
  t.ok(res.ok, "verify succeeds");
  if (res.ok) {
    const direct = await model.verify(items);
    t.same(
      res.value.map((r) => [r.claimId, r.verdict, r.confidenceBp]),
      items.map((it, i) => [it.claimId, VERDICT_OF[direct[i]!.verdict], direct[i]!.confidenceBp]),
    );
    t.ok(
      res.value.every((r) => Buffer.from(r.modelHash).toString("hex") === model.sha256),
      "each result carries the model hash",
    );
  }

  // The command in a process of its own, as in sidecar-service.test.ts.
  const ctx = { env: {}, defaultHome: dir };
  await t.rejects(runSidecarCommand(["--model", ""], ctx), /--model needs a DIR or FILE/);
  const help = runSidecarProcess(["--help"]);
  t.match(help.stdout, /--model DIR[\s\S]*tokenizer\.json[\s\S]*--model FILE/);

  const proc = await startSidecarProcess(["--model", dir, "--listen", "127.0.0.1:0", "--max-batch", "16"]);
  t.match(proc.stdout(), /providers cpu/, "says which providers it runs on");
  t.match(proc.stdout(), model.sha256, "prints the model hash");
  const c = new SidecarClient(proc.address);
  const served = await c.verify(items.slice(0, 5), 5_000);
  t.ok(
    served.ok && served.value.length === 5 && served.value.every((r) => Buffer.from(r.modelHash).toString("hex") === model.sha256),
    "the process serves verdicts",
  );
  c.close();
  t.equal(await proc.stop(), 0, "SIGTERM stops it with exit 0");

  const bad = path.join(root, "bad-model");
  fs.mkdirSync(bad);
  fs.copyFileSync(path.join(dir, "model.onnx"), path.join(bad, "model.onnx"));
  for (const folder of [bad, path.join(bad, "missing")]) {
    const run = runSidecarProcess(["--model", folder, "--listen", "127.0.0.1:0"]);
    t.equal(run.status, 1, "exits 1");
    t.match(run.stderr, /^Error: model folder \S+: (no tokenizer\.json, config\.json; a model folder holds|does not exist)/);
    t.equal(run.stderr.trim().split("\n").length, 1, `one line: ${run.stderr.trim()}`);
  }
});
