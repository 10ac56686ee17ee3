// Claims economics on the real 4-validator localnet, one sidecar per validator, driven with CosmJS:
// node2's sidecar inverts its verdicts, so node2 disagrees with what the honest three certify, accrues
// verification faults, and is slashed by exactly slash_fraction_verification and jailed, while the
// honest validators are paid; then node1's sidecar is killed: blocks keep coming and node1 only
// accrues missed-claim faults.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, QueryClient, setupStakingExtension, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import t from "tap";
import { generateExamples } from "../app/sidecar/dataset";
import { CLAIMS_PARAMS } from "../localnet/localnet";
import { ClaimStatus, type VerifierStats } from "../proto/gen/mira/claims/v1/claims";
import { QueryCertificateRequest, QueryCertificateResponse, QueryVerifierStatsRequest, QueryVerifierStatsResponse } from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContent } from "../proto/gen/mira/claims/v1/tx";
import { callUnary, grpcClient } from "./helpers/grpc-client";
import { startLocalnet } from "./helpers/localnet";
import {
  QueryMethods,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPendingClaimsRequest,
  QueryPendingClaimsResponse,
} from "../proto/gen/mira/claims/v1/query";

const OFFSET = 1_500; // its own ports, below the kernel's ephemeral range (32768+)
const gasPrice = GasPrice.fromString("0.025umira");
const SELF_BOND = 100_000_000n;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Prometheus text as series → value ("name{a=\"b\"}" → 3). */
async function scrape(port: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`metrics on ${port}: HTTP ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The sum of a family's series whose labels include every one of `labels`. */
function metric(m: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of m) {
    const brace = series.indexOf("{");
    if ((brace < 0 ? series : series.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

t.test("a lying validator is slashed and jailed, honest ones are paid, a dead sidecar only misses", async (t) => {
  const net = startLocalnet(t, OFFSET, { MIRA_LOCALNET_SIDECAR_MODES: "honest,honest,invert,honest" });
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as { valoper: string; address: string }[];
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[0]!.mnemonic, { prefix: "mira" });
  const me = net.accounts[0]!.address;
  const registry = new Registry([...defaultRegistryTypes, ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent]]);
  const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice, registry });
  t.teardown(() => client.disconnect());
  const reader = await StargateClient.connect(net.rpc(0));
  t.teardown(() => reader.disconnect());
  const comet = await connectComet(net.rpc(0));
  t.teardown(() => comet.disconnect());
  const q = QueryClient.withExtensions(comet, setupStakingExtension);
  /** Node i's VerifierStats: the latest, or the state after block `height`. */
  const stats = async (i: number, height?: number): Promise<VerifierStats> => {
    const res = await comet.abciQuery({
      path: "/mira.claims.v1.Query/VerifierStats",
      data: QueryVerifierStatsRequest.encode({ validator: operators[i]!.valoper }).finish(),
      height,
    });
    return QueryVerifierStatsResponse.decode(res.value).stats!;
  };
  /** The last height the app has committed (CometBFT's status counts a block a moment before the app has committed it). */
  const appHeight = async (): Promise<number> => (await comet.abciInfo()).lastBlockHeight ?? 0;
  const waitForAppHeight = async (h: number, timeoutMs = 180_000): Promise<number> => {
    for (const until = Date.now() + timeoutMs; ; await sleep(200)) {
      const now = await appHeight();
      if (now >= h) return now;
      if (Date.now() > until) throw new Error(`the app did not commit height ${h} in ${timeoutMs} ms (last: ${now})`);
    }
  };
  const pendingAt = async (height: number): Promise<number> => {
    const res = await comet.abciQuery({ path: QueryMethods.PendingClaims, data: QueryPendingClaimsRequest.encode({ validator: "" }).finish(), height });
    if (res.code !== 0) throw new Error(`PendingClaims at height ${height}: code ${res.code} ${res.log ?? ""}`);
    return QueryPendingClaimsResponse.decode(res.value).claims.length;
  };
  const validator = async (i: number) => (await q.staking.validator(operators[i]!.valoper)).validator!;
  const paid = async (i: number) => BigInt((await reader.getBalance(operators[i]!.address, "umira")).amount);

  // Claims the honest models agree on and that the inverter gets backwards: supported or refuted by their passage.
  const examples = generateExamples("eval", 900).filter((e) => e.label !== "UNVERIFIABLE");
  let next = 0;
  const submitBatch = async (n: number, thresholdBp = 0) => {
    const msgs = examples.slice(next, next + n).map((e) => ({
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: me, content: "", claims: [e.claim], sourceContext: e.source, thresholdBp, verifiersPerClaim: 0 },
    }));
    next += n;
    const res = await client.signAndBroadcast(me, msgs, "auto");
    t.equal(res.code, 0, res.rawLog ?? "");
    return res;
  };

  const metricsPort = (i: number) => OFFSET + 26661 + 100 * i;
  const m0 = await scrape(metricsPort(0));
  const before = await Promise.all([0, 1, 3].map(paid));
  t.equal(BigInt((await validator(2)).tokens), SELF_BOND);
  // Fault window 50, more than 30%: the sixteenth fault in node2's window punishes it.
  let punishedAfter = 0;
  for (let round = 0; round < 12 && !(await validator(2)).jailed; round++) {
    await submitBatch(16);
    punishedAfter += 16;
    for (let i = 0; i < 6 && !(await validator(2)).jailed; i++) await sleep(1_000);
  }
  const liar = await validator(2);
  t.equal(liar.jailed, true, `node2 was jailed (after ${punishedAfter} claims submitted)`);
  t.equal(BigInt(liar.tokens), SELF_BOND - (SELF_BOND * 2n) / 100n, `slashed by exactly ${CLAIMS_PARAMS.slash_fraction_verification} of its stake`);
  const s2 = await stats(2);
  t.equal(s2.slashes, 1n, "one punishment, recorded in its VerifierStats");
  t.ok(s2.disagreed >= 16n, `node2 disagreed with certified verdicts (${s2.disagreed} times)`);
  const punished = await comet.blockSearchAll({ query: `slash.reason='verification_faults'` }).catch(() => undefined);
  if (punished !== undefined) t.ok(punished.blocks.length >= 1, "a block's events say why (slash.reason=verification_faults)");
  for (const [k, i] of [0, 1, 3].entries()) {
    const s = await stats(i);
    t.equal(s.slashes, 0n, `honest node${i} was never punished`);
    t.ok(s.agreed > 0n, `honest node${i} agreed ${s.agreed} times`);
    t.ok((await paid(i)) > before[k]!, `honest node${i} was paid for its verdicts`);
  }

  // mirad's metrics on node0 moved with all of that; one REST and one gRPC query are timed by method.
  t.equal((await fetch(`${net.rest(0)}/cosmos/staking/v1beta1/validators`)).status, 200);
  await callUnary(grpcClient(t, OFFSET + 9090), "/cosmos.staking.v1beta1.Query/Params", new Uint8Array());
  const m1 = await scrape(metricsPort(0));
  const moved = (name: string, labels: Record<string, string> = {}) => metric(m1, name, labels) - metric(m0, name, labels);
  t.ok(moved("mira_blocks_total") > 0 && metric(m1, "mira_block_height") > 0, "blocks");
  t.ok(moved("mira_txs_total", { code: "0" }) >= 1, "txs by result code");
  t.ok(moved("mira_checktx_total", { kind: "new", result: "accepted" }) >= 1 && moved("mira_checktx_seconds_count") >= 1, "CheckTx count and latency");
  t.ok(moved("mira_finalize_block_seconds_count") > 0 && moved("mira_store_commit_seconds_count") > 0, "FinalizeBlock and commit latency");
  t.ok(metric(m1, "mira_store_bytes") > 0, "store size");
  t.ok(metric(m1, "mira_query_seconds_count", { transport: "rest", method: "/cosmos.staking.v1beta1.Query/Validators" }) >= 1, "REST latency by method");
  t.ok(metric(m1, "mira_query_seconds_count", { transport: "grpc", method: "/cosmos.staking.v1beta1.Query/Params" }) >= 1, "gRPC latency by method");
  t.ok(moved("mira_contents_submitted_total") >= 16 && moved("mira_claims_submitted_total") >= 16, "contents and claims submitted");
  t.ok(moved("mira_claims_settled_total", { status: "certified" }) >= 1, "claims certified");
  t.ok(moved("mira_verdicts_total", { validator: operators[2]!.valoper }) >= 16, "node2's verdicts counted");
  t.ok(moved("mira_verifier_punished_total", { validator: operators[2]!.valoper }) === 1, "node2's punishment");
  t.ok(moved("mira_slashes_total", { reason: "verification_faults" }) >= 1, "the slash, by reason");
  t.ok(metric(m1, "mira_verifier_disagreed", { validator: operators[2]!.valoper }) >= 16, "node2's disagreements (VerifierStats)");
  t.ok(
    metric(m1, "mira_verifier_agreement_ratio", { validator: operators[2]!.valoper }) <
      metric(m1, "mira_verifier_agreement_ratio", { validator: operators[0]!.valoper }),
    "node2's agreement rate is below node0's",
  );
  t.ok(moved("mira_vote_extension_bytes_count") > 0 && moved("mira_sidecar_request_seconds_count") > 0, "vote extension sizes and sidecar latency");
  // Only the precommits that reach node0 before the block commits go through its VerifyVoteExtension, and only
  // those that carry verdicts name a model: at least one other validator's model, as a 64-hex-digit hash.
  const models = [...m1.keys()].filter((k) => k.startsWith("mira_model_in_use{"));
  t.ok(models.length >= 1 && models.every((k) => /model_hash="[0-9a-f]{64}"/.test(k)), `model hashes in use: ${models.length} validators`);
  const comet0 = await scrape(OFFSET + 26660);
  t.ok(metric(comet0, "cometbft_consensus_height") > 0, "CometBFT's own Prometheus metrics are on");
  const sidecarErrorsBefore = metric(await scrape(metricsPort(1)), "mira_sidecar_errors_total");

  // node1's sidecar dies. The chain goes on; node1's claims are missed, nothing else.
  net.run("kill-node", "1", "sidecar");
  // node1's baseline once everything submitted so far has played out, however slowly the verdicts came: no claim
  // pending (certified, or unresolved at its deadline) and every late-vote window closed since, so that node1's
  // stats move only for the claims below. Verdicts node1 had already sent land by then too.
  const { params } = QueryParamsResponse.decode((await comet.abciQuery({ path: QueryMethods.Params, data: QueryParamsRequest.encode({}).finish() })).value);
  const deadlineBlocks = Number(params!.deadlineBlocks);
  const lateVoteBlocks = Number(params!.lateVoteBlocks);
  let quiet = await appHeight();
  for (const until = Date.now() + 180_000; (await pendingAt(quiet)) > 0; quiet = await waitForAppHeight(quiet + 1)) {
    if (Date.now() > until) throw new Error(`claims still pending at height ${quiet}`);
  }
  const baseline = await waitForAppHeight(quiet + lateVoteBlocks);
  const s1 = await stats(1, baseline);
  const height0 = await reader.getHeight();
  // 2 of the 3 bonded validators now answer: a 60% threshold lets them certify without node1.
  const res = await submitBatch(4, 6000);
  const contentIds = res.events.filter((e) => e.type === "content_submitted").map((e) => BigInt(e.attributes.find((a) => a.key === "content_id")!.value));
  t.equal(contentIds.length, 4);
  const certificates = async (height: number) => {
    const out = [];
    for (const id of contentIds) {
      const r = await comet.abciQuery({ path: "/mira.claims.v1.Query/Certificate", data: QueryCertificateRequest.encode({ contentId: id }).finish(), height });
      if (r.code !== 0) return undefined;
      out.push(QueryCertificateResponse.decode(r.value).certificate!);
    }
    return out;
  };
  // Settled within deadline_blocks: certified where node0's and node3's models agree, else unresolved. Read at the deadline.
  const deadline = res.height + deadlineBlocks;
  await waitForAppHeight(deadline);
  const certs = await certificates(deadline);
  t.ok(certs !== undefined, "all four were settled");
  // A plain-fetch client (no CosmJS) reads the same certificate from node3's REST API, at the same height.
  const restCert = await fetch(`${net.rest(3)}/mira/claims/v1/certificates/${contentIds[0]}`, { headers: { "x-cosmos-block-height": String(deadline) } });
  t.equal(restCert.status, 200, "GET /mira/claims/v1/certificates/{content_id}");
  const json = ((await restCert.json()) as { certificate: Record<string, unknown> }).certificate;
  const cert0 = certs![0]!;
  t.equal(json.content_id, cert0.contentId.toString(), "content_id as a string");
  t.equal(json.content_hash, Buffer.from(cert0.contentHash).toString("base64"), "content_hash in base64");
  t.equal(json.height, cert0.height.toString());
  t.same(
    (json.claims as Record<string, unknown>[]).map((c) => [
      c.claim_id,
      c.status,
      c.stake_for,
      c.stake_against,
      c.stake_assigned,
      (c.voters as unknown[]).length,
    ]),
    cert0.claims.map((c) => [c.claimId.toString(), ClaimStatus[c.status], c.stakeFor, c.stakeAgainst, c.stakeAssigned, c.voters.length]),
    "each claim's status (by name), stakes and voters, as gRPC decodes them",
  );
  const certifiedWithout1 = (certs ?? []).flatMap((c) => c.claims).filter((c) => c.status === ClaimStatus.CLAIM_STATUS_CERTIFIED);
  t.ok(certifiedWithout1.length >= 1, `${certifiedWithout1.length} of 4 certified by node0 and node3 alone`);
  t.ok(
    certifiedWithout1.every((c) => c.voters.every((v) => v.validator !== operators[1]!.valoper)),
    "without a vote of node1",
  );
  // Certified without it, node1's claims wait late_vote_blocks before they count as missed: all counted by the
  // deadline plus that window (a claim settled at its deadline counts at once).
  const s1after = await stats(1, await waitForAppHeight(deadline + lateVoteBlocks));
  t.equal(s1after.missed - s1.missed, 4n, "node1 missed the four claims");
  t.equal(s1after.disagreed, s1.disagreed, "and disagreed with none");
  t.equal((await validator(1)).jailed, false, "four faults are under the limit: not jailed");
  t.ok((await reader.getHeight()) > height0 + 2, "blocks keep coming without node1's sidecar");
  t.ok(metric(await scrape(metricsPort(1)), "mira_sidecar_errors_total") > sidecarErrorsBefore, "node1's metrics count its sidecar's failures");
});
