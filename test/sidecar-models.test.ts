// The sidecar's reference models: hand-encoded ONNX files that onnxruntime-node runs with the same numbers as
// the training code, held-out accuracy well above chance, byte-reproducible training, and card/file agreement.
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { evalOnlyVocabulary, generateExamples, LABELS, templateVocabulary } from "../app/sidecar/dataset";
import { CONCEPTS, extractBatch, featureSize, NEGATIONS, STOPWORDS } from "../app/sidecar/features";
import { VerificationModel } from "../app/sidecar/model";
import { ProtoWriter } from "../app/sidecar/onnx-writer";
import { argmaxRows, forward, sha256Hex, trainAll, trainVariant, VARIANTS, type TrainBudget } from "../app/sidecar/train";
import { tempDir } from "./helpers/tmp";

// Small enough to keep the whole file well under 20 s, large enough for stable accuracy.
const BUDGET: TrainBudget = { trainSize: 2000, epochs: 12, evalSize: 900, batchSize: 32 };
const PARITY_EXAMPLES = 300;
// Chance is 1/3 on the balanced split; demand a wide margin above it.
const MIN_ACCURACY_BP = 6500;

t.test("protobuf writer encodes varints and length-delimited fields per the wire format", async (t) => {
  const w = new ProtoWriter();
  w.int(1, 300);
  w.int(2, -1);
  w.string(8, "ab");
  t.same([...w.finish()], [0x08, 0xac, 0x02, 0x10, ...Array<number>(9).fill(0xff), 0x01, 0x42, 0x02, 0x61, 0x62]);
});

t.test("dataset is deterministic, balanced, and keeps evaluation claims apart from training", async (t) => {
  const a = generateExamples("train", 300);
  t.same(a, generateExamples("train", 300), "same seed, same examples");
  const evalSet = generateExamples("eval", 300);
  for (const label of LABELS) t.equal(a.filter((e) => e.label === label).length, 100, `${label} is a third of the split`);
  const trainClaims = new Set(generateExamples("train", 3000).map((e) => e.claim));
  t.equal(evalSet.filter((e) => trainClaims.has(e.claim)).length, 0, "no evaluation claim appears in training");
});

t.test("hand-written lexicons use only training words: the evaluation split's wording stays held out", async (t) => {
  const trainWords = templateVocabulary("train");
  const evalOnly = evalOnlyVocabulary();
  // The evaluation claims must keep phrasing the training text never shows, or there is nothing to hold out.
  for (const w of ["workforce", "manufactures", "comes", "located"]) t.ok(evalOnly.has(w), `"${w}" is evaluation-only wording`);
  const conceptWords = Object.entries(CONCEPTS).flatMap(([c, ws]) => ws.map((w) => ({ c, w })));
  t.ok(conceptWords.length >= 20, "the concept list is not empty");
  const notInTraining = conceptWords.filter(({ w }) => !trainWords.has(w));
  t.same(notInTraining, [], "every concept word occurs in the training templates");
  const lists: [string, Iterable<string>][] = [
    ["CONCEPTS", conceptWords.map(({ w }) => w)],
    ["STOPWORDS", STOPWORDS],
    ["NEGATIONS", NEGATIONS],
  ];
  for (const [name, words] of lists) {
    const leaked = [...words].filter((w) => evalOnly.has(w));
    t.same(leaked, [], `${name} contains no evaluation-only word`);
  }
});

t.test("four variants, one per localnet validator, with distinct feature options, seeds or architectures", async (t) => {
  const specs = Object.entries(VARIANTS);
  t.equal(specs.length, 4, "four variants");
  const keys = specs.map(([, s]) => JSON.stringify({ f: s.features, h: s.hidden, seed: s.seed }));
  t.equal(new Set(keys).size, 4, "no two variants share features, width and seed");
  t.equal(new Set(specs.map(([, s]) => s.seed)).size, 4, "distinct training seeds");
  t.ok(new Set(specs.map(([, s]) => s.features.set)).size >= 3, "at least three feature sets");
  t.ok(specs.some(([, s]) => s.hidden === 0) && specs.some(([, s]) => s.hidden > 0), "both logistic regression and MLPs");
});

t.test("four variants: ONNX parity with the training forward pass, accuracy, reproducibility, card hashes", async (t) => {
  const dir = tempDir(t, "mira-sidecar-");
  const started = Date.now();
  const trained = trainAll(dir, BUDGET);
  t.equal(trained.length, 4, "four variants trained");
  t.equal(new Set(trained.map((v) => v.card.sha256)).size, 4, "the four models differ");
  const evalSet = generateExamples("eval", BUDGET.evalSize);

  for (const v of trained) {
    const onnxPath = path.join(dir, `${v.variant}.onnx`);
    const cardPath = path.join(dir, `${v.variant}.json`);
    const fileBytes = fs.readFileSync(onnxPath);
    const card = JSON.parse(fs.readFileSync(cardPath, "utf8")) as { sha256: string; input: { shape: [string, number] } };
    t.equal(card.sha256, sha256Hex(fileBytes), `${v.variant}: card sha256 matches the .onnx file`);
    t.equal(card.input.shape[1], featureSize(VARIANTS[v.variant]!.features), `${v.variant}: card input width`);

    const model = await VerificationModel.load(onnxPath, { executionProviders: ["cpu"] });
    t.teardown(() => model.release());
    const x = extractBatch(evalSet, v.card.featureOptions);
    const ortProbs = await model.probabilities(x, evalSet.length);
    const f = featureSize(v.card.featureOptions);
    const parityRows = PARITY_EXAMPLES;
    const ref = forward(v.model, x.subarray(0, parityRows * f), parityRows);
    let maxDiff = 0;
    for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i]! - ortProbs[i]!));
    t.ok(maxDiff <= 1e-5, `${v.variant}: onnxruntime matches the TypeScript forward pass on ${parityRows} examples (max |diff| ${maxDiff.toExponential(2)})`);

    const predicted = argmaxRows(ortProbs, evalSet.length);
    const right = predicted.filter((p, i) => p === evalSet[i]!.labelId).length;
    const accBp = Math.round((right * 10000) / evalSet.length);
    t.comment(`${v.variant}: held-out accuracy ${(accBp / 100).toFixed(2)}% (${right}/${evalSet.length}), features ${f}`);
    t.ok(accBp >= MIN_ACCURACY_BP, `${v.variant}: accuracy ${accBp} bp >= ${MIN_ACCURACY_BP} bp (chance 3333)`);
    // float64 training forward vs float32 runtime may flip one near-tie, so allow a single example of slack.
    const oneExampleBp = Math.ceil(10000 / evalSet.length);
    t.ok(
      Math.abs(accBp - v.card.evaluation.accuracyBp) <= oneExampleBp,
      `${v.variant}: card's accuracy (${v.card.evaluation.accuracyBp} bp) agrees with onnxruntime's`,
    );

    const verdicts = await model.verify(evalSet.slice(0, 12));
    t.equal(verdicts.length, 12);
    for (const r of verdicts) {
      t.ok(
        LABELS.includes(r.verdict) && Number.isInteger(r.confidenceBp) && r.confidenceBp >= 3333 && r.confidenceBp <= 10000,
        "verdict and integer confidence",
      );
      t.equal(r.modelSha256, card.sha256);
    }
  }

  for (const v of trained) {
    const again = trainVariant(v.variant, BUDGET);
    t.ok(
      Buffer.from(again.onnx).equals(fs.readFileSync(path.join(dir, `${v.variant}.onnx`))),
      `${v.variant}: retraining with the same seed gives byte-identical ONNX`,
    );
  }
  t.comment(`training and checks took ${Date.now() - started} ms`);
});

t.test("a model whose bytes differ from its card is refused", async (t) => {
  const dir = tempDir(t, "mira-sidecar-");
  const [v] = trainAll(dir, { ...BUDGET, trainSize: 300, epochs: 2, evalSize: 30 }, ["logreg-dense"]);
  const onnxPath = path.join(dir, `${v!.variant}.onnx`);
  const bytes = fs.readFileSync(onnxPath);
  bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
  fs.writeFileSync(onnxPath, bytes);
  await t.rejects(VerificationModel.load(onnxPath), /does not match card/);
});
