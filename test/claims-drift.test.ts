// Verifier drift (#17): the integer averages and band check of modules/claims/drift.ts, their
// false-alarm rate and detection on the simulation of bench/drift-sim.ts, and the keeper on a
// 4-validator app: a validator that disagrees with every certified verdict gets one verifier_drift
// event and VerifierStats shows it, without a slash; agreeing again clears it.
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import t from "tap";
import { DEFAULT_DRIFT_PARAMS, honestSet, simulate, type SimValidator } from "../bench/drift-sim";
import { findDrift, observe, PPM, setView, type DriftParams, type Track, type Tracks } from "../modules/claims/drift";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import type { Wallet } from "./helpers/app-driver";
import { injected, run, startChain, tx, validators, verifierStats } from "./helpers/chain";
import { valoper } from "./helpers/staking";

const P: DriftParams = DEFAULT_DRIFT_PARAMS;
const feed = (xs: number[], p: DriftParams = P): Track => xs.reduce((tr, x) => observe(tr, x, p), { samples: 0n, fast: 0, slow: 0 } as Track);
const tracks = (agreement: Track, confidence: Track = { samples: 0n, fast: 0, slow: 0 }): Tracks => ({ agreement, confidence });
const at = (samples: bigint, fast: number, slow = fast): Track => ({ samples, fast, slow });

t.test("the averages: a running mean for the first 2^shift samples, then an integer moving average", async (t) => {
  const p = { ...P, fastShift: 2, slowShift: 3 };
  const first = feed([PPM, 0, 0], p);
  t.same(first, { samples: 3n, fast: 333_333, slow: 333_333 }, "three samples: both are their mean, rounded down");
  const later = observe(first, PPM, p);
  t.same(later, { samples: 4n, fast: 333_333 + ((PPM - 333_333) >> 2), slow: 333_333 + Math.floor((PPM - 333_333) / 4) });
  const long = feed(Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? PPM : 0)));
  t.ok(Number.isInteger(long.fast) && Number.isInteger(long.slow), "integers");
  t.ok(Math.abs(long.slow - PPM / 3) < 40_000, `a third agreed: the slow average ${long.slow} is near 333,333`);
  t.throws(() => observe(first, PPM + 1, p), RangeError);
  t.throws(() => observe(first, 0.5, p), RangeError);
});

t.test("the band: the set's median, the validator's own history, both sides of confidence, and hysteresis", async (t) => {
  const ok = tracks(at(100n, 950_000), at(100n, 850_000));
  t.same(setView([ok, ok], P), {}, "two judged validators are no set");
  t.same(setView([ok, ok, tracks(at(15n, 0))], P), {}, "a track under drift_min_samples does not count");
  const set = setView([ok, ok, ok, tracks(at(100n, 0), at(100n, 850_000))], P);
  t.same(set.agreement, { fast: 950_000, slow: 950_000 }, "the upper median: one outlier of four does not move it");

  const below = tracks(at(100n, 490_000), at(100n, 850_000));
  t.match(findDrift(below, set, P, false), { reason: "agreement_below_set", valueBp: 4900, lowBp: 5000, highBp: 10_000 });
  const inside = tracks(at(100n, 510_000), at(100n, 850_000));
  t.equal(findDrift(inside, set, P, false), undefined, "4,500 bp margin (room for honest models that differ): 5,100 bp is inside");
  t.match(findDrift(inside, set, P, true), { reason: "agreement_below_set", lowBp: 6125 }, "a drifting validator must come back within 3/4 of the margin");
  t.equal(findDrift(tracks(at(15n, 0), at(15n, 850_000)), set, P, false), undefined, "under drift_min_samples: not judged");

  // Its own history: it used to agree 99%, the set stayed at 80%, it fell to 62%: inside the set's band, not its own.
  const lowSet = { agreement: { fast: 800_000, slow: 800_000 }, confidence: { fast: 850_000, slow: 850_000 } };
  const fell = tracks(at(600n, 620_000, 990_000), at(600n, 850_000));
  t.match(findDrift(fell, lowSet, P, false), { reason: "agreement_below_own_history", valueBp: 6200, lowBp: 7400 });
  t.equal(findDrift(tracks(at(500n, 620_000, 990_000), at(500n, 850_000)), lowSet, P, false), undefined, "under 2^slow_shift samples: no history yet");
  const allFell = { ...lowSet, agreement: { fast: 800_000, slow: 1_000_000 } };
  t.equal(findDrift(fell, allFell, P, false), undefined, "the whole set fell as much: not its own drift");

  const unsure = { ...set, confidence: { fast: 700_000, slow: 700_000 } };
  t.match(
    findDrift(tracks(at(100n, 950_000), at(100n, 960_000)), unsure, P, false),
    { reason: "confidence_outside_set", lowBp: 4500, highBp: 9500 },
    "too sure",
  );
  t.match(findDrift(tracks(at(100n, 950_000), at(100n, 590_000)), set, P, false), { reason: "confidence_outside_set", lowBp: 6000 }, "too unsure");
  const shifted = tracks(at(600n, 950_000), at(600n, 460_000, 900_000));
  t.match(findDrift(shifted, { ...set, confidence: { fast: 700_000, slow: 850_000 } }, P, false), {
    reason: "confidence_outside_own_history",
  });
});

t.test("on the simulation: no false alarm among honest validators, and bad ones caught within a few blocks", async (t) => {
  const base = { claimsPerBlock: 8, verifiersPerClaim: 7, thresholdBp: 6667, missRate: 0.01, hardShare: 0.2 };
  const set21 = honestSet(21, 0.8, 0.97, 800);
  for (const seed of [11, 12]) {
    const honest = simulate({ ...base, validators: set21, blocks: 3000, seed });
    t.equal(
      honest.events.reduce((a, b) => a + b, 0),
      0,
      `21 honest validators of different accuracy and calibration, 3,000 blocks (seed ${seed}): no drift event`,
    );
    const shifted = set21.map((v): SimValidator => ({ ...v, changeAt: 500, changeTo: { calibrationBp: v.calibrationBp - 2000 } }));
    t.equal(
      simulate({ ...base, validators: shifted, blocks: 1500, seed }).events.reduce((a, b) => a + b, 0),
      0,
      "the whole set's confidence drops: no one drifts",
    );
  }
  for (const kind of ["random", "invert"] as const) {
    for (const seed of [1, 2, 3, 4]) {
      const bad: SimValidator = { kind, accuracy: 0.9, calibrationBp: 0 };
      const r = simulate({ ...base, validators: [bad, ...set21.slice(1)], blocks: 60, seed });
      t.ok(r.firstDriftBlock[0] !== undefined && r.firstDriftBlock[0] < 30, `a ${kind} validator drifts within 30 blocks (block ${r.firstDriftBlock[0]})`);
      t.equal(
        r.events.slice(1).reduce((a, b) => a + b, 0),
        0,
        "and no honest one does",
      );
    }
  }
  const breaks: SimValidator = { ...set21[10]!, changeAt: 300, changeTo: { accuracy: 0.5 } };
  const r = simulate({ ...base, validators: [...set21.slice(0, 10), breaks, ...set21.slice(11)], blocks: 600, seed: 5 });
  t.equal(r.eventsBeforeChange[10], 0, "the validator whose model breaks at block 300: nothing before");
  t.ok(r.firstDriftBlock[10] !== undefined && r.firstDriftBlock[10] < 500, `and a drift event after (block ${r.firstDriftBlock[10]})`);
});

t.test("the keeper: a validator against every certified verdict drifts once, is shown and not slashed, and clears when it agrees again", async (t) => {
  // A fault window of 200 (at most 60 faults): the faults below never reach a slash, so what is seen is drift's alone.
  const c = await startChain(t, { validators: 4, voteExtensionsHeight: 1n, extra: { claims: { params: { fault_window: 200 } } } });
  const [v0, , , , user] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const powers = [10n, 11n, 12n, 13n];
  const stats = (w: Wallet) => verifierStats(c, w);
  const tokens = () => validators(c.app).find((v) => v.operatorAddress === valoper(v0.address))!;
  const submitted = async (n: number, from: number) => {
    const claims = Array.from({ length: n }, (_, i) => `Claim number ${from + i} is true.`);
    const res = await tx(c, user, [
      {
        typeUrl: "/mira.claims.v1.MsgSubmitContent",
        value: { submitter: user.address, content: "", claims, sourceContext: "", thresholdBp: 0, verifiersPerClaim: 0 },
      },
    ]);
    t.equal(res.code, 0, res.log ?? "");
    return MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value).claimIds;
  };
  const all = (ids: bigint[], verdict: Verdict) => ids.map((claimId) => ({ claimId, verdict }));
  const events = (b: Awaited<ReturnType<typeof run>>, type: string) =>
    (b.events ?? []).filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));

  const first = await submitted(24, 0);
  const before = tokens();
  const block = await run(c, [
    injected(c, powers, [
      all(first, Verdict.VERDICT_REFUTED),
      all(first, Verdict.VERDICT_SUPPORTED),
      all(first, Verdict.VERDICT_SUPPORTED),
      all(first, Verdict.VERDICT_SUPPORTED),
    ]),
  ]);
  const drift = events(block, "verifier_drift");
  t.equal(drift.length, 1, "one verifier_drift event");
  t.match(drift[0], {
    validator: valoper(v0.address),
    reason: "agreement_below_set",
    value_bp: "0",
    band_low_bp: "5500",
    band_high_bp: "10000",
    samples: "24",
  });
  t.match(stats(v0), { drifting: true, driftReason: "agreement_below_set", driftEvents: 1n, agreementSamples: 24n, agreementFastPpm: 0, disagreed: 24n });
  t.match(stats(c.wallets[1]!), { drifting: false, driftEvents: 0n, agreementSamples: 24n, agreementFastPpm: PPM, confidenceFastPpm: 900_000 });
  t.equal(tokens().tokens, before.tokens, "drift alone slashes nothing");
  t.equal(tokens().jailed, false, "nor jails");

  const again = await submitted(6, 100);
  const b2 = await run(c, [
    injected(c, powers, [
      all(again, Verdict.VERDICT_REFUTED),
      all(again, Verdict.VERDICT_SUPPORTED),
      all(again, Verdict.VERDICT_SUPPORTED),
      all(again, Verdict.VERDICT_SUPPORTED),
    ]),
  ]);
  t.equal(events(b2, "verifier_drift").length, 0, "still drifting: no second event");
  t.match(stats(v0), { drifting: true, driftEvents: 1n, windowFaults: 30n });
  t.equal(tokens().jailed, false);

  const good = [...(await submitted(30, 200)), ...(await submitted(30, 300))];
  const b3 = await run(c, [
    injected(
      c,
      powers,
      [0, 1, 2, 3].map(() => all(good, Verdict.VERDICT_SUPPORTED)),
    ),
  ]);
  t.match(events(b3, "verifier_drift_cleared"), [{ validator: valoper(v0.address) }], "agreeing again clears it");
  t.match(stats(v0), { drifting: false, driftReason: "", driftHeight: 0n, driftEvents: 1n, agreementSamples: 90n });
});
