// Confidence calibration (app/sidecar/calibration.ts, `mirad sidecar --calibration FILE`): an isotonic map
// fitted on held-out answers, applied to every verdict before --abstain-below, refused when fitted for another
// model, and covered by the model hash.
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { SidecarClient, type VerifyItem } from "../app/chain/sidecar-client";
import { calibrate, calibratedSha256, CalibratedModel, calibrationMap, fitIsotonic, parseCalibration, type CalibrationPoint } from "../app/sidecar/calibration";
import { startSidecar, type SidecarModel } from "../app/sidecar/service";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { runSidecarProcess, startSidecarProcess } from "./helpers/sidecar-cli";
import { writeTinyNli } from "./helpers/tiny-nli";
import { tempDir } from "./helpers/tmp";

const pts = (spec: [number, boolean][]): CalibrationPoint[] => spec.map(([confidenceBp, correct]) => ({ confidenceBp, correct }));

t.test("pool-adjacent-violators: a non-decreasing map, smoothed, one value per confidence", async (t) => {
  // Already monotone: each distinct confidence is its own step, (right + 1) / (n + 2).
  t.same(
    fitIsotonic(
      pts([
        [6000, false],
        [6000, false],
        [9000, true],
        [9000, true],
      ]),
    ),
    [
      { max_bp: 6000, bp: 2500 },
      { max_bp: 9000, bp: 7500 },
    ],
  );
  // A violation: right at 7000, wrong at 8000 and 9000 pool into one block with the later ones.
  const steps = fitIsotonic(
    pts([
      [9000, false],
      [5000, false],
      [7000, true],
      [8000, false],
      [9500, true],
      [9500, true],
      [9500, true],
    ]),
  );
  t.same(steps, [
    { max_bp: 5000, bp: 3333 },
    { max_bp: 9000, bp: 4000 },
    { max_bp: 9500, bp: 8000 },
  ]);
  for (let i = 1; i < steps.length; i++) t.ok(steps[i]!.bp >= steps[i - 1]!.bp, "never decreases");
  t.equal(calibrate(steps, 0), 3333, "below the first step: the first step");
  t.equal(calibrate(steps, 5001), 4000);
  t.equal(calibrate(steps, 9000), 4000, "max_bp is inclusive");
  t.equal(calibrate(steps, 10000), 8000, "past the last step: the last step");
  t.same(fitIsotonic(pts([[10000, true]])), [{ max_bp: 10000, bp: 6667 }], "one right answer is not certainty");
  t.throws(() => fitIsotonic([]), /at least one/);
  t.throws(() => fitIsotonic(pts([[10001, true]])), /0\.\.10000/);
});

t.test("calibration files: checked field by field", async (t) => {
  const good = calibrationMap("a".repeat(64), "dev", pts([[8000, true]]));
  t.same(parseCalibration(JSON.stringify(good)), good, "a written map reads back");
  const bad = (change: Record<string, unknown>) => JSON.stringify({ ...good, ...change });
  t.throws(() => parseCalibration("{"), /not JSON/);
  t.throws(() => parseCalibration(bad({ format: "other/1" })), /format must be/);
  t.throws(() => parseCalibration(bad({ method: "platt" })), /method must be "isotonic"/);
  t.throws(() => parseCalibration(bad({ model_sha256: "xyz" })), /model_sha256/);
  t.throws(() => parseCalibration(bad({ steps: [] })), /non-empty/);
  t.throws(
    () =>
      parseCalibration(
        bad({
          steps: [
            { max_bp: 9000, bp: 5000 },
            { max_bp: 8000, bp: 6000 },
          ],
        }),
      ),
    /sorted by max_bp/,
  );
  t.throws(
    () =>
      parseCalibration(
        bad({
          steps: [
            { max_bp: 8000, bp: 6000 },
            { max_bp: 9000, bp: 5000 },
          ],
        }),
      ),
    /must not decrease/,
  );
  t.throws(() => parseCalibration(bad({ steps: [{ max_bp: 8000, bp: 1.5 }] })), /steps\[0\]\.bp/);
});

t.test("the sidecar calibrates before it abstains, and its hash covers the file", async (t) => {
  const sha = "f".repeat(64);
  const stub: SidecarModel = {
    sha256: sha,
    verify: async (pairs) => pairs.map((p) => ({ verdict: "SUPPORTED" as const, confidenceBp: Number(p.claim), modelSha256: sha })),
  };
  const dir = tempDir(t, "mira-calibration-");
  const file = path.join(dir, "cal.json");
  const map = {
    ...calibrationMap(sha, "test", pts([[5000, true]])),
    steps: [
      { max_bp: 8999, bp: 4000 },
      { max_bp: 10000, bp: 9200 },
    ],
  };
  fs.writeFileSync(file, JSON.stringify(map));
  const expectedHash = calibratedSha256(sha, fs.readFileSync(file));
  t.not(expectedHash, sha, "a calibrated model is another model");

  const s = await startSidecar({ model: stub, listen: "127.0.0.1:0", calibrationPath: file, abstainBelowBp: 5000 });
  t.teardown(() => s.close());
  t.equal(s.modelSha256, expectedHash);
  const c = new SidecarClient(s.address);
  t.teardown(() => c.close());
  const items: VerifyItem[] = ["9500", "8500", "9000"].map((claim, i) => ({ claimId: BigInt(i + 1), claim, source: "s" }));
  const res = await c.verify(items, 5_000);
  t.ok(res.ok);
  if (res.ok) {
    t.same(
      res.value.map((r) => [r.verdict, r.confidenceBp]),
      [
        [Verdict.VERDICT_SUPPORTED, 9200],
        [Verdict.VERDICT_ABSTAIN, 4000],
        [Verdict.VERDICT_SUPPORTED, 9200],
      ],
      "8500 raw is 4000 calibrated, below the 5000 threshold: an abstention (raw, it would have judged)",
    );
    t.ok(
      res.value.every((r) => Buffer.from(r.modelHash).toString("hex") === expectedHash),
      "each result carries the calibrated hash",
    );
  }

  const other = path.join(dir, "other.json");
  fs.writeFileSync(other, JSON.stringify({ ...map, model_sha256: "e".repeat(64) }));
  await t.rejects(startSidecar({ model: stub, listen: "127.0.0.1:0", calibrationPath: other }), /was fitted for model eeee.*runs model ffff/);
  await t.rejects(startSidecar({ model: stub, listen: "127.0.0.1:0", calibrationPath: path.join(dir, "missing.json") }), /ENOENT/);
  t.throws(() => CalibratedModel.fromBytes(stub, Buffer.from("[]")), /format must be/);
});

t.test("`mirad sidecar --model DIR --calibration FILE` serves the calibrated model", async (t) => {
  const dir = tempDir(t, "mira-calibration-cli-");
  const model = writeTinyNli(path.join(dir, "nli"));
  const plain = await startSidecarProcess(["--model", model, "--listen", "127.0.0.1:0"]);
  t.equal(await plain.stop(), 0);
  const file = path.join(dir, "cal.json");
  fs.writeFileSync(file, JSON.stringify(calibrationMap(plain.sha256, "test", pts([[5000, true]]))));
  const calibrated = await startSidecarProcess(["--model", model, "--calibration", file, "--listen", "127.0.0.1:0"]);
  t.equal(calibrated.sha256, calibratedSha256(plain.sha256, fs.readFileSync(file)), "the start-up line names the calibrated hash");
  t.equal(await calibrated.stop(), 0);
  fs.writeFileSync(file, JSON.stringify(calibrationMap("0".repeat(64), "test", pts([[5000, true]]))));
  const refused = runSidecarProcess(["--model", model, "--calibration", file, "--listen", "127.0.0.1:0"]);
  t.not(refused.status, 0, "a map for another model is refused");
  t.match(refused.stderr, /was fitted for model 0000/);
  t.match(runSidecarProcess(["--help"]).stdout, /--calibration FILE/);
});
