// Drift rule figures (docs/drift.md): its false-alarm rate on honest validators and how fast it
// catches bad ones, on the simulation in bench/drift-sim.ts (the chain's own tally and the same
// integer averages and band check the claims keeper runs). Prints one JSON object per figure.
//
//   npx tsc -p tsconfig.json && node dist/bench/drift.js [--blocks N] [--seeds N]
//       [--fast-shift N] [--slow-shift N] [--min-samples N] [--agreement-margin BP] [--history-margin BP]
//   (the flags try other params than the defaults; docs/drift.md has the figures and the trade-offs)
//
// Scenarios (claims per block, verifiers per claim, threshold 6667 bp, 1% of verdicts missed, 20% hard claims):
//   localnet   4 validators, every claim to all four, 16 claims a block: the localnet's load
//   set21      21 validators, 7 per claim, 8 claims a block, honest accuracies 0.80-0.97 and
//              calibrations +-800 bp (different models)
//   localnet_models  the localnet's four real reference models (bench/drift-models.ts) answering 1,500 of the
//              sidecar's labelled evaluation claims, replayed (each block draws its claims from them)
//   shift21    set21, and at block 1000 every validator's calibration drops 2,000 bp (a model upgrade
//              for the whole set): no validator should drift
// Each: honest false alarms (drift events per 1,000 validator-blocks and per 10,000 samples), and the
// blocks and samples until the first event of a random, an inverting, a validator whose model breaks
// at block 1000 (accuracy 0.5) and one whose confidence drops by 3,000 bp at block 1000.
import { localnetModelAnswers, type ModelAnswers } from "./drift-models";
import { DEFAULT_DRIFT_PARAMS, honestSet, simulate, type SimValidator } from "./drift-sim";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const BLOCKS = arg("--blocks", 20_000);
const FAST = arg("--fast-shift", 0);
const MARGIN = arg("--agreement-margin", 0);
const HISTORY = arg("--history-margin", 0);
const SLOW = arg("--slow-shift", 0);
const MIN = arg("--min-samples", 0);
const SEEDS = arg("--seeds", 5);
const CHANGE = 1000;
const POOL = 1500;
const accuracy = (m: ModelAnswers, labels: string[]): number => m.answers.filter((a, i) => a.vote === labels[i]).length / labels.length;
const params = {
  ...DEFAULT_DRIFT_PARAMS,
  ...(FAST > 0 ? { fastShift: FAST } : {}),
  ...(MARGIN > 0 ? { agreementMarginBp: MARGIN } : {}),
  ...(HISTORY > 0 ? { historyMarginBp: HISTORY } : {}),
  ...(SLOW > 0 ? { slowShift: SLOW } : {}),
  ...(MIN > 0 ? { minSamples: BigInt(MIN) } : {}),
};

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + "\n");
}

function scenario(
  name: string,
  base: SimValidator[],
  claimsPerBlock: number,
  verifiers: number,
  bad: Record<string, SimValidator & { at?: number }>,
  pool?: number,
): void {
  const run = (validators: SimValidator[], blocks: number, seed: number) =>
    simulate({ validators, blocks, claimsPerBlock, verifiersPerClaim: verifiers, thresholdBp: 6667, missRate: 0.01, hardShare: 0.2, seed, params, pool });
  // Honest only: false alarms.
  let events = 0;
  let validatorBlocks = 0;
  let samples = 0n;
  const reasons: Record<string, number> = {};
  for (let seed = 1; seed <= SEEDS; seed++) {
    const r = run(base, BLOCKS, seed);
    events += r.events.reduce((a, b) => a + b, 0);
    validatorBlocks += base.length * BLOCKS;
    samples += r.samples.reduce((a, b) => a + b, 0n);
    for (const [k, v] of Object.entries(r.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
  }
  emit({
    name: `drift_false_alarms_per_1000_validator_blocks`,
    scenario: name,
    value: (1000 * events) / validatorBlocks,
    params: {
      events,
      validator_blocks: validatorBlocks,
      per_10000_samples: Number((10_000n * BigInt(events) * 1000n) / samples) / 1000,
      reasons,
      blocks: BLOCKS,
      seeds: SEEDS,
    },
  });
  // One bad validator in place of the first honest one: detection.
  for (const [kind, v] of Object.entries(bad)) {
    const blocks: number[] = [];
    const samplesAt: number[] = [];
    let missedDetections = 0;
    let otherEvents = 0;
    let earlyEvents = 0;
    for (let seed = 1; seed <= SEEDS * 4; seed++) {
      const validators = base.map((b, i) => (i === (v.at ?? 0) ? v : b));
      const r = run(validators, CHANGE + 400, seed);
      const me = v.at ?? 0;
      const at = r.firstDriftBlock[me];
      otherEvents += r.events.reduce((a, b, i) => a + (i === me ? 0 : b), 0);
      if (r.eventsBeforeChange[me]! > 0) earlyEvents++;
      if (at === undefined) missedDetections++;
      else {
        blocks.push(at - (v.changeAt ?? 0) + 1);
        samplesAt.push(Number(r.firstDriftSamples[me]));
      }
    }
    blocks.sort((a, b) => a - b);
    emit({
      name: "drift_blocks_to_detect",
      scenario: name,
      bad: kind,
      value: blocks.length > 0 ? blocks[blocks.length >> 1] : null,
      params: {
        max_blocks: blocks.length > 0 ? blocks[blocks.length - 1] : null,
        median_samples_at_detection: samplesAt.length > 0 ? samplesAt.sort((a, b) => a - b)[samplesAt.length >> 1] : null,
        runs: SEEDS * 4,
        undetected_runs: missedDetections,
        events_on_honest_validators: otherEvents,
        runs_with_an_event_before_the_change: earlyEvents,
      },
    });
  }
}

async function main(): Promise<void> {
  const localnet = honestSet(4, 0.9, 0.9, 0).map((v) => ({ ...v, accuracy: 1 })); // the localnet: one model, same verdicts
  const set21 = honestSet(21, 0.8, 0.97, 800);
  const bad = (first: SimValidator): Record<string, SimValidator> => ({
    random: { kind: "random", accuracy: 0, calibrationBp: 0 },
    invert: { ...first, kind: "invert" },
    broken_model_at_1000: { ...first, changeAt: CHANGE, changeTo: { accuracy: 0.5 } },
    underconfident_at_1000: { ...first, changeAt: CHANGE, changeTo: { calibrationBp: first.calibrationBp - 3000 } },
  });
  scenario("localnet", localnet, 16, 4, bad(localnet[0]!));
  const real = await localnetModelAnswers(POOL);
  for (const m of real.models) {
    const right = m.answers.filter((a, i) => a.vote === real.labels[i]).length;
    const meanConf = m.answers.reduce((a, b) => a + b.confidenceBp, 0) / m.answers.length;
    emit({
      name: "drift_model",
      variant: m.variant,
      value: Math.round((10_000 * right) / m.answers.length),
      params: { accuracy_bp_on_pool: true, mean_confidence_bp: Math.round(meanConf), pool: POOL },
    });
  }
  const best = real.models.reduce((b, m, i, all) => (accuracy(m, real.labels) > accuracy(all[b]!, real.labels) ? i : b), 0);
  const models: SimValidator[] = real.models.map((m) => ({ kind: "table", accuracy: 0, calibrationBp: 0, answers: m.answers }));
  scenario(
    "localnet_models",
    models,
    16,
    4,
    {
      random: { kind: "random", accuracy: 0, calibrationBp: 0 },
      random_in_place_of_the_best: { kind: "random", accuracy: 0, calibrationBp: 0, at: best },
    },
    POOL,
  );
  scenario("set21", set21, 8, 7, bad(set21[0]!));
  const shifted = set21.map((v) => ({ ...v, changeAt: CHANGE, changeTo: { calibrationBp: v.calibrationBp - 2000 } }));
  scenario("shift21", shifted, 8, 7, {});
}

void main();
