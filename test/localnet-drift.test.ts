// Verifier drift on the real 4-validator localnet (#17). With node2's sidecar answering at random
// (MIRA_LOCALNET_SIDECAR_MODES=honest,honest,random,honest), the same load of claims brings a
// verifier_drift event for node2 within DRIFT_BLOCKS blocks of the first submission, VerifierStats shows
// it, and the MiraVerifierDrift alert of localnet/prometheus/alerts.yml fires on the series scraped from
// node0's metrics during the run (promtool test rules). With four honest sidecars and the same load over
// the same blocks, no drift event and no alert.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import t, { type Test } from "tap";
import { REPO_ROOT } from "../app/cli/cometbft";
import { generateExamples } from "../app/sidecar/dataset";
import { ClaimStatus, type VerifierStats } from "../proto/gen/mira/claims/v1/claims";
import { localnetModelAnswers } from "../bench/drift-models";
import { QueryClaimRequest, QueryClaimResponse, QueryMethods, QueryVerifierStatsRequest, QueryVerifierStatsResponse } from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContent, MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import { startLocalnet } from "./helpers/localnet";

/** Blocks from the first submission within which node2's drift must be seen (docs/drift.md). */
const DRIFT_BLOCKS = 20;
/** A batch of claims every BATCH_EVERY blocks, the last one early enough to settle inside the window. */
const BATCH = 16;
const BATCH_EVERY = 3;
const PROMTOOL = process.env["MIRA_PROMTOOL"] ?? "promtool";
const RULES = path.join(REPO_ROOT, "localnet", "prometheus", "alerts.yml");
const MIRAD = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
const OUT = path.join(REPO_ROOT, ".test-output", "drift");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  operators: { valoper: string }[];
  firstHeight: number;
  events: { height: number; attrs: Record<string, string> }[];
  /** mira_verifier_drifting of each validator, one value per block, scraped from node0. */
  series: Map<string, number[]>;
  stats: (i: number, height?: number) => Promise<VerifierStats>;
  /** node0's last scrape. */
  lastScrape: string;
  /** Submits one claim with its passage at a threshold; the tx's height and the claim's id. */
  submitOne: (claim: string, source: string, thresholdBp: number) => Promise<{ height: number; claimId: bigint }>;
  comet: Comet38Client;
  appHeight: () => Promise<number>;
  scrape: () => Promise<string>;
  rpc: string;
}

/** The same load on a fresh localnet: BATCH claims every BATCH_EVERY blocks over DRIFT_BLOCKS blocks. */
async function drive(t: Test, offset: number, modes: string): Promise<Run> {
  const net = startLocalnet(t, offset, { MIRA_LOCALNET_SIDECAR_MODES: modes });
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as { valoper: string }[];
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[0]!.mnemonic, { prefix: "mira" });
  const me = net.accounts[0]!.address;
  const registry = new Registry([...defaultRegistryTypes, ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent]]);
  const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice: GasPrice.fromString("0.025umira"), registry });
  t.teardown(() => client.disconnect());
  const comet = await Comet38Client.connect(net.rpc(0));
  t.teardown(() => comet.disconnect());
  const appHeight = async (): Promise<number> => (await comet.abciInfo()).lastBlockHeight ?? 0;
  const stats = async (i: number, height?: number): Promise<VerifierStats> => {
    const res = await comet.abciQuery({
      path: "/mira.claims.v1.Query/VerifierStats",
      data: QueryVerifierStatsRequest.encode({ validator: operators[i]!.valoper }).finish(),
      height,
    });
    return QueryVerifierStatsResponse.decode(res.value).stats!;
  };
  const metricsPort = offset + 26661;
  const series = new Map<string, number[]>(operators.map((o) => [o.valoper, []]));
  let scrapedAt = 0;
  let lastScrape = "";
  /** One scrape of node0's metrics per new committed block. */
  const record = async (): Promise<void> => {
    const h = await appHeight();
    if (h === scrapedAt) return;
    scrapedAt = h;
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    lastScrape = text;
    for (const o of operators) {
      const m = new RegExp(`^mira_verifier_drifting\\{[^}]*validator="${o.valoper}"[^}]*\\} (\\S+)$`, "m").exec(text);
      series.get(o.valoper)!.push(m === null ? 0 : Number(m[1]));
    }
  };

  // Claims the honest models agree on: supported or refuted by their passage; the same ones in every run.
  const examples = generateExamples("eval", 400).filter((e) => e.label !== "UNVERIFIABLE");
  let next = 0;
  const submit = async (): Promise<number> => {
    const msgs = examples.slice(next, next + BATCH).map((e) => ({
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: me, content: "", claims: [e.claim], sourceContext: e.source, thresholdBp: 0, verifiersPerClaim: 0 },
    }));
    next += BATCH;
    const res = await client.signAndBroadcast(me, msgs, "auto");
    t.equal(res.code, 0, res.rawLog ?? "");
    return res.height;
  };
  await record();
  const firstHeight = await submit();
  for (let batch = 1; ;) {
    await record();
    const h = await appHeight();
    if (h >= firstHeight + DRIFT_BLOCKS) break;
    if (h >= firstHeight + batch * BATCH_EVERY && firstHeight + batch * BATCH_EVERY <= firstHeight + DRIFT_BLOCKS - 6) {
      await submit();
      batch++;
    } else await sleep(150);
  }
  const events: Run["events"] = [];
  for (let h = firstHeight; h <= firstHeight + DRIFT_BLOCKS; h++) {
    const r = await comet.blockResults(h);
    for (const e of r.finalizeBlockEvents)
      if (e.type === "verifier_drift") events.push({ height: h, attrs: Object.fromEntries(e.attributes.map((a) => [a.key, a.value])) });
  }
  t.comment(`${modes}: ${next} claims from height ${firstHeight}; drift events: ${JSON.stringify(events)}`);
  const submitOne: Run["submitOne"] = async (claim, source, thresholdBp) => {
    const msg = {
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: me, content: "", claims: [claim], sourceContext: source, thresholdBp, verifiersPerClaim: 0 },
    };
    const res = await client.signAndBroadcast(me, [msg], "auto");
    t.equal(res.code, 0, res.rawLog ?? "");
    return { height: res.height, claimId: MsgSubmitContentResponse.decode(res.msgResponses[0]!.value).claimIds[0]! };
  };
  const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return { operators, firstHeight, events, series, stats, lastScrape, submitOne, comet, appHeight, scrape, rpc: net.rpc(0) };
}

const ANNOTATIONS = (validator: string) => ({
  summary: `validator ${validator}'s verdicts drifted outside their expected range`,
  description:
    "Its agreement with certified verdicts or its confidence left the band its own history and the active set define (a verifier_drift event; mirad query claims verifier-stats shows drift_reason). Drift never slashes by itself: check its sidecar's model hash, model files and logs before its faults get it slashed.",
});

/** promtool test rules over the recorded series: one block per 15 s step; MiraVerifierDrift fires for exactly `firing`. */
function promtoolOnRun(t: Test, name: string, run: Run, firing: string[]): void {
  fs.mkdirSync(OUT, { recursive: true });
  const steps = Math.min(...[...run.series.values()].map((v) => v.length));
  const lines = [
    `# Recorded by test/localnet-drift.test.ts: node0's mira_verifier_drifting, one scrape per block, one block per 15 s step.`,
    `rule_files:`,
    `  - ${JSON.stringify(RULES)}`,
    `evaluation_interval: 15s`,
    `tests:`,
    `  - interval: 15s`,
    `    input_series:`,
    ...[...run.series].flatMap(([validator, values]) => [
      `      - series: 'mira_verifier_drifting{instance="node0", job="mirad", validator="${validator}"}'`,
      `        values: '${values.slice(0, steps).join(" ")}'`,
    ]),
    `    alert_rule_test:`,
    `      - eval_time: ${(steps - 1) * 15}s`,
    `        alertname: MiraVerifierDrift`,
    firing.length === 0 ? `        exp_alerts: []` : `        exp_alerts:`,
    ...firing.flatMap((v) => [
      `          - exp_labels: { severity: warning, validator: ${v} }`,
      `            exp_annotations:`,
      ...Object.entries(ANNOTATIONS(v)).map(([k, s]) => `              ${k}: ${JSON.stringify(s)}`),
    ]),
  ];
  const file = path.join(OUT, `${name}.test.yml`);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  const res = spawnSync(PROMTOOL, ["test", "rules", file], { encoding: "utf8" });
  if (res.error) throw new Error(`${PROMTOOL}: ${res.error.message} (scripts/setup-promtool.sh installs Debian's prometheus package)`);
  t.equal(res.status, 0, `promtool test rules ${path.relative(REPO_ROOT, file)} (${steps} blocks):\n${res.stdout}${res.stderr}`);
}

t.test("a validator answering at random drifts within DRIFT_BLOCKS blocks, and the alert fires on the scraped series", async (t) => {
  const run = await drive(t, -5_000, "honest,honest,random,honest");
  const node2 = run.operators[2]!.valoper;
  const mine = run.events.filter((e) => e.attrs["validator"] === node2);
  t.equal(mine.length, 1, `one verifier_drift event for node2 within ${DRIFT_BLOCKS} blocks of the first submission`);
  t.equal(run.events.length, mine.length, "none for the honest validators");
  const at = mine[0]!;
  t.ok(at.height <= run.firstHeight + DRIFT_BLOCKS, `at height ${at.height}: ${at.height - run.firstHeight} blocks after the first submission`);
  t.match(at.attrs, { reason: /^(agreement_below_set|confidence_outside_set)$/, height: String(at.height) });
  const s = await run.stats(2, at.height);
  t.match(s, { drifting: true, driftHeight: BigInt(at.height), driftEvents: 1n }, "VerifierStats shows it from that block");
  t.equal(s.driftReason, at.attrs["reason"]);
  for (const i of [0, 1, 3]) t.match(await run.stats(i), { drifting: false, driftEvents: 0n }, `honest node${i} is not drifting`);
  t.ok(run.series.get(node2)!.includes(1), "node0's metrics showed mira_verifier_drifting 1 for node2");
  t.match(run.lastScrape, new RegExp(`^mira_verifier_drift_total\\{[^}]*validator="${node2}"[^}]*\\} [1-9]`, "m"), "and counted the event by reason");
  t.match(run.lastScrape, new RegExp(`^mira_verifier_drift_events\\{[^}]*validator="${node2}"[^}]*\\} 1$`, "m"), "and VerifierStats' drift_events");
  promtoolOnRun(t, "random", run, [node2]);

  // The runbook's query of a validator's latest verdicts: `mirad query claims verdicts`, from the blocks' events.
  const recorded = [];
  for (let h = run.firstHeight; h <= (await run.appHeight()); h++)
    for (const e of (await run.comet.blockResults(h)).finalizeBlockEvents)
      if (e.type === "claim_verified" && e.attributes.some((a) => a.key === "validator" && a.value === node2)) recorded.push(h);
  const cli = spawnSync(process.execPath, [MIRAD, "query", "claims", "verdicts", node2, "--limit", "1000", "--node", run.rpc, "-o", "json"], {
    encoding: "utf8",
  });
  t.equal(cli.status, 0, cli.stderr);
  const listed = (JSON.parse(cli.stdout) as { verdicts: { height: string; claim_id: string; verdict: string; confidence_bp: string }[] }).verdicts;
  t.ok(listed.length >= recorded.length && recorded.length >= 16, `node2's ${recorded.length} recorded verdicts since the first claims are listed`);
  t.ok(
    listed.every((v, i) => i === 0 || Number(v.height) <= Number(listed[i - 1]!.height)),
    "newest first",
  );
  t.ok(
    listed.every((v) => /^(SUPPORTED|REFUTED|UNVERIFIABLE|ABSTAIN)$/.test(v.verdict) && /^\d+$/.test(v.confidence_bp) && /^\d+$/.test(v.claim_id)),
    "each with its claim, verdict and confidence",
  );
});

t.test("four honest validators under the same load over the same blocks: no drift event, no alert", async (t) => {
  const run = await drive(t, -5_000, "honest,honest,honest,honest");
  t.same(run.events, [], `no verifier_drift event in the ${DRIFT_BLOCKS} blocks`);
  for (const i of [0, 1, 2, 3]) {
    const s = await run.stats(i);
    t.match(s, { drifting: false, driftEvents: 0n }, `node${i} is not drifting`);
    t.ok(s.agreementSamples >= 32n, `node${i}'s averages saw the load (${s.agreementSamples} agreement samples)`);
  }
  promtoolOnRun(t, "honest", run, []);

  // After the window: a claim the four honest models do not all agree on, at a 10000 bp threshold, cannot be
  // certified; it is UNRESOLVED once all four have voted, and node0's metrics count it by status.
  const { models, labels } = await localnetModelAnswers(400);
  const examples = generateExamples("eval", 400);
  const split = examples.findIndex((_, i) => i >= 200 && labels[i] !== "UNVERIFIABLE" && new Set(models.map((m) => m.answers[i]!.vote)).size > 1);
  t.ok(split >= 0, `a claim the localnet's models split on: "${examples[split]!.claim}" (${models.map((m) => m.answers[split]!.vote).join(", ")})`);
  const unresolvedBefore = metricValue(await run.scrape(), "mira_claims_settled_total", 'status="unresolved"');
  const { claimId } = await run.submitOne(examples[split]!.claim, examples[split]!.source, 10_000);
  let claim;
  for (const until = Date.now() + 120_000; ; await sleep(300)) {
    const r = await run.comet.abciQuery({ path: QueryMethods.Claim, data: QueryClaimRequest.encode({ id: claimId }).finish() });
    claim = QueryClaimResponse.decode(r.value).claim!;
    if (claim.status !== ClaimStatus.CLAIM_STATUS_PENDING || Date.now() > until) break;
  }
  t.equal(claim.status, ClaimStatus.CLAIM_STATUS_UNRESOLVED, "UNRESOLVED");
  t.ok(
    metricValue(await run.scrape(), "mira_claims_settled_total", 'status="unresolved"') >= unresolvedBefore + 1,
    'mira_claims_settled_total{status="unresolved"} counted it',
  );
});

/** The sum of a family's samples in Prometheus text whose labels contain `label`. */
function metricValue(text: string, name: string, label: string): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(label))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}
