// Governance over the claims rules on the real 4-validator localnet, with CosmJS only: each change is a v1
// MsgSubmitProposal carrying /mira.claims.v1.MsgUpdateParams, voted yes by validators 0-2 with MsgVote and
// followed with GovExtension. Genesis's model allow-list holds the models of nodes 0-2 only
// (MIRA_LOCALNET_ALLOWED_MODELS), so node3's sidecar verdicts do not count: content is certified by the other
// three (7500 bp of the assigned stake, over the 6667 default) and node3 earns nothing. A proposal adds node3's
// model: its verdicts count and it is paid. A proposal raises the default threshold to 8000 bp: the next content
// records it and is certified by all four (three are no longer enough). A proposal takes node3's model off the
// list again: its verdicts are refused, so the next content, with three agreeing, stays unresolved at its
// deadline, and node3 misses its claims. node3 never signs a tx here, so its balance moves only with its pay.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry, type EncodeObject } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, QueryClient, setupGovExtension, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgSubmitProposalResponse } from "cosmjs-types/cosmos/gov/v1/tx";
import t from "tap";
import { bech32Address } from "../app/core/address";
import { generateExamples, type Example } from "../app/sidecar/dataset";
import { VerificationModel } from "../app/sidecar/model";
import { VARIANTS } from "../app/sidecar/train";
import { moduleAddress } from "../modules/auth/keeper";
import { ClaimStatus, Verdict, type Certificate, type Params } from "../proto/gen/mira/claims/v1/claims";
import {
  QueryCertificateRequest,
  QueryCertificateResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryMethods,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryVerifierStatsRequest,
  QueryVerifierStatsResponse,
} from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContent, MsgUpdateParams } from "../proto/gen/mira/claims/v1/tx";
import { startLocalnet } from "./helpers/localnet";

const OFFSET = -4_000; // its own ports (the other localnet and single-node tests use -8000, -6000, -2000, 1000..6000), below the ephemeral range
const gasPrice = GasPrice.fromString("0.025umira");
const GOV = bech32Address(moduleAddress("gov"));
const VERDICTS: Record<string, Verdict> = {
  SUPPORTED: Verdict.VERDICT_SUPPORTED,
  REFUTED: Verdict.VERDICT_REFUTED,
  UNVERIFIABLE: Verdict.VERDICT_UNVERIFIABLE,
};
/** Contents per round, one claim each: few, so that node3's misses stay far under its fault budget. */
const PER_ROUND = 2;
/** What each validator that agrees earns per content: the 1000umira fee of one claim, split by power four ways. */
const SHARE = 250n;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test("proposals change the claims threshold and the model allow-list, and the chain applies them from the next content", async (t) => {
  const net = startLocalnet(t, OFFSET, {
    MIRA_LOCALNET_ALLOWED_MODELS: "0,1,2",
    MIRA_LOCALNET_GOV_VOTING_PERIOD: "30s", // room for the votes to land on a busy machine; the periods are block time
    MIRA_LOCALNET_GOV_EXPEDITED_PERIOD: "15s",
  });
  const started = Date.now();
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as { address: string; mnemonic: string; valoper: string }[];
  const registry = new Registry([...defaultRegistryTypes, ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent]]);
  const connect = async (mnemonic: string) => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "mira" });
    const [account] = await wallet.getAccounts();
    const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice, registry });
    t.teardown(() => client.disconnect());
    return { address: account!.address, client };
  };
  const submitter = await connect(net.accounts[0]!.mnemonic);
  const proposer = await connect(net.accounts[1]!.mnemonic);
  const voters = await Promise.all(operators.slice(0, 3).map((o) => connect(o.mnemonic))); // node3 signs nothing
  const reader = await StargateClient.connect(net.rpc(0));
  t.teardown(() => reader.disconnect());
  const comet = await connectComet(net.rpc(0));
  t.teardown(() => comet.disconnect());
  const gov = QueryClient.withExtensions(comet, setupGovExtension).gov;

  // The four sidecars' reference models, loaded here too: to know node3's model hash and to pick claims all four judge alike.
  const models = await Promise.all(Object.keys(VARIANTS).map((v) => VerificationModel.load(path.join(net.dir, "models", `${v}.onnx`))));
  t.teardown(async () => {
    for (const m of models) await m.release();
  });
  const hashOf = (i: number) => models[i]!.sha256;
  const picked: Example[] = [];
  for (const e of generateExamples("eval", 300)) {
    const verdicts = await Promise.all(models.map(async (m) => (await m.verify([{ claim: e.claim, source: e.source }]))[0]!.verdict));
    if (verdicts.every((v) => v === e.label)) picked.push(e);
    if (picked.length === 4 * PER_ROUND) break;
  }
  t.equal(picked.length, 4 * PER_ROUND, "claims every reference model judges right");

  const query = async <T>(method: string, data: Uint8Array, decode: (b: Uint8Array) => T, height?: number): Promise<T> => {
    const res = await comet.abciQuery({ path: method, data, height });
    if (res.code !== 0) throw new Error(`${method}: code ${res.code} ${res.log ?? ""}`);
    return decode(res.value);
  };
  const claimsParams = async (): Promise<Params> =>
    (await query(QueryMethods.Params, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode)).params!;
  const stats = async (i: number, height: number) =>
    (
      await query(
        QueryMethods.VerifierStats,
        QueryVerifierStatsRequest.encode({ validator: operators[i]!.valoper }).finish(),
        QueryVerifierStatsResponse.decode,
        height,
      )
    ).stats!;
  const appHeight = async (): Promise<number> => (await comet.abciInfo()).lastBlockHeight ?? 0;
  const waitForAppHeight = async (h: number, timeoutMs = 180_000): Promise<number> => {
    for (const until = Date.now() + timeoutMs; ; await sleep(200)) {
      const now = await appHeight();
      if (now >= h) return now;
      if (Date.now() > until) throw new Error(`the app did not commit height ${h} in ${timeoutMs} ms (last: ${now})`);
    }
  };
  const balance3 = async () => BigInt((await reader.getBalance(operators[3]!.address, "umira")).amount);
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  const allowList = async () => (await claimsParams()).allowedModelHashes.map(hex);

  /** Submits the next PER_ROUND examples, one single-claim content each; returns their ids. */
  let next = 0;
  const submitContents = async (): Promise<{ ids: bigint[]; examples: Example[]; height: number }> => {
    const examples = picked.slice(next, next + PER_ROUND);
    next += PER_ROUND;
    const res = await submitter.client.signAndBroadcast(
      submitter.address,
      examples.map((e) => ({
        typeUrl: "/mira.claims.v1.MsgSubmitContent",
        value: { submitter: submitter.address, content: "", claims: [e.claim], sourceContext: e.source, thresholdBp: 0, verifiersPerClaim: 0 },
      })),
      "auto",
    );
    t.equal(res.code, 0, `contents submitted ${res.rawLog ?? ""}`);
    const ids = res.events.filter((e) => e.type === "content_submitted").map((e) => BigInt(e.attributes.find((a) => a.key === "content_id")!.value));
    return { ids, examples, height: res.height };
  };
  const thresholdOf = async (id: bigint) =>
    (await query(QueryMethods.Content, QueryContentRequest.encode({ id }).finish(), QueryContentResponse.decode)).content!.thresholdBp;
  /** Waits for each content's certificate (all its claims settled, certified or unresolved). */
  const certificates = async (ids: bigint[]): Promise<Certificate[]> => {
    const out: Certificate[] = [];
    for (const contentId of ids) {
      for (const until = Date.now() + 180_000; ; await sleep(300)) {
        const res = await comet.abciQuery({ path: QueryMethods.Certificate, data: QueryCertificateRequest.encode({ contentId }).finish() });
        if (res.code === 0) {
          out.push(QueryCertificateResponse.decode(res.value).certificate!);
          break;
        }
        if (Date.now() > until) throw new Error(`no certificate for content ${contentId} after 180 s: ${res.log ?? ""}`);
      }
    }
    return out;
  };
  const votersOf = (cert: Certificate) => cert.claims[0]!.voters.map((v) => operators.findIndex((o) => o.valoper === v.validator)).sort();

  /** A v1 proposal with one claims MsgUpdateParams, voted yes by validators 0-2; returns it once decided. */
  const passParams = async (title: string, params: Params) => {
    const submit: EncodeObject = {
      typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
      value: {
        messages: [{ typeUrl: "/mira.claims.v1.MsgUpdateParams", value: MsgUpdateParams.encode({ authority: GOV, params }).finish() }],
        initialDeposit: [{ denom: "umira", amount: "10000000" }],
        proposer: proposer.address,
        metadata: "",
        title,
        summary: title,
        expedited: false,
      },
    };
    const submitted = await proposer.client.signAndBroadcast(proposer.address, [submit], "auto");
    t.equal(submitted.code, 0, `"${title}" submitted ${submitted.rawLog ?? ""}`);
    const proposalId = MsgSubmitProposalResponse.decode(submitted.msgResponses[0]!.value).proposalId;
    const votes = await Promise.all(
      voters.map((v) =>
        v.client.signAndBroadcast(
          v.address,
          [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: { proposalId, voter: v.address, option: VoteOption.VOTE_OPTION_YES, metadata: "" } }],
          "auto",
        ),
      ),
    );
    for (const v of votes) t.equal(v.code, 0, `a validator voted yes ${v.rawLog ?? ""}`);
    return async () => {
      for (const until = Date.now() + 120_000; ; await sleep(500)) {
        const p = (await gov.proposal(proposalId.toString())).proposal;
        if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
          t.equal(p.status, ProposalStatus.PROPOSAL_STATUS_PASSED, `"${title}" passed`);
          t.equal(p.finalTallyResult.yes, "300000000", "with the yes of validators 0-2 (300 MIRA of 400 bonded)");
          return;
        }
        if (Date.now() > until) throw new Error(`proposal ${proposalId} still voting after 120 s`);
      }
    };
  };

  // Genesis: the allow-list holds the models of nodes 0-2, not node3's; the default threshold is 6667 bp.
  const genesis = await claimsParams();
  t.same(genesis.allowedModelHashes.map(hex).sort(), [hashOf(0), hashOf(1), hashOf(2)].sort(), "genesis allows the models of nodes 0-2");
  t.equal(genesis.defaultThresholdBp, 6667, "and the default threshold is 6667 bp");
  const paid0 = await balance3();

  // 1. node3's model is not allowed: its verdicts never count. The other three certify (3 × 100 of 400 ≥ 6667 bp).
  const first = await submitContents();
  const firstCerts = await certificates(first.ids);
  for (const [k, cert] of firstCerts.entries()) {
    const claim = cert.claims[0]!;
    t.equal(claim.status, ClaimStatus.CLAIM_STATUS_CERTIFIED, `content ${first.ids[k]} is certified`);
    t.equal(claim.verdict, VERDICTS[first.examples[k]!.label], "with the verdict all the models give");
    t.same(votersOf(cert), [0, 1, 2], "by nodes 0-2: node3's verdict is not among the voters");
    t.same({ for: claim.stakeFor, assigned: claim.stakeAssigned }, { for: "300", assigned: "400" }, "300 of the 400 assigned power: over 6667 bp");
  }
  const firstSettled = Math.max(...firstCerts.map((c) => Number(c.height)));
  const lateVoteBlocks = Number(genesis.lateVoteBlocks);
  const s3first = await stats(3, await waitForAppHeight(firstSettled + lateVoteBlocks));
  t.same(
    { missed: s3first.missed, agreed: s3first.agreed },
    { missed: BigInt(PER_ROUND), agreed: 0n },
    "node3 missed its claims once its late-vote window closed",
  );
  t.equal(await balance3(), paid0, "and earned nothing");
  t.match(
    fs.readFileSync(path.join(net.dir, "node3", "logs", "mirad.log"), "utf8"),
    /is not allowed by the claims params/,
    "node3's mirad says why its verdicts stay home",
  );

  // 2. A proposal adds node3's model to the allow-list.
  const added = await passParams("allow node3's model", { ...genesis, allowedModelHashes: [...genesis.allowedModelHashes, Buffer.from(hashOf(3), "hex")] });
  await added();
  t.ok((await allowList()).includes(hashOf(3)), "the allow-list holds node3's model");
  const second = await submitContents();
  // While that content settles, a proposal raises the default threshold to 8000 bp: with four validators of equal
  // power, three (7500 bp) no longer certify. The content above keeps the threshold it was submitted with.
  const raised = await passParams("default threshold 8000 bp", { ...(await claimsParams()), defaultThresholdBp: 8000 });
  const before2 = await stats(3, second.height);
  const secondCerts = await certificates(second.ids);
  for (const [k, cert] of secondCerts.entries()) {
    const claim = cert.claims[0]!;
    t.equal(claim.status, ClaimStatus.CLAIM_STATUS_CERTIFIED, `content ${second.ids[k]} is certified`);
    t.same(votersOf(cert), [0, 1, 2, 3], "by all four: node3's verdict counts now");
    t.equal(hex(claim.voters.find((v) => v.validator === operators[3]!.valoper)!.modelHash), hashOf(3), "with node3's model hash");
  }
  const secondSettled = Math.max(...secondCerts.map((c) => Number(c.height)));
  t.equal((await stats(3, secondSettled)).agreed - before2.agreed, BigInt(PER_ROUND), "node3 agreed with both certified verdicts");
  t.equal(await balance3(), paid0 + BigInt(PER_ROUND) * SHARE, "and was paid its share of each fee");

  // 3. The raised threshold applies to the next content: it records 8000 bp, and only all four together certify it.
  await raised();
  t.equal((await claimsParams()).defaultThresholdBp, 8000, "the claims params say 8000 bp");
  const third = await submitContents();
  for (const id of third.ids) t.equal(await thresholdOf(id), 8000, `content ${id} takes the new default threshold`);
  for (const [k, cert] of (await certificates(third.ids)).entries()) {
    const claim = cert.claims[0]!;
    t.equal(claim.status, ClaimStatus.CLAIM_STATUS_CERTIFIED, `content ${third.ids[k]} is certified at 8000 bp`);
    t.same(
      { for: claim.stakeFor, assigned: claim.stakeAssigned, voters: votersOf(cert) },
      { for: "400", assigned: "400", voters: [0, 1, 2, 3] },
      "by all four",
    );
  }
  const paid3 = await balance3();
  t.equal(paid3, paid0 + BigInt(2 * PER_ROUND) * SHARE, "node3 paid again");

  // 4. A proposal takes node3's model off the list: from the next block its verdicts are refused. The next content's
  // three allowed validators agree (7500 bp), under the 8000 bp it needs, so it stays unresolved at its deadline.
  const removed = await passParams("refuse node3's model", { ...(await claimsParams()), allowedModelHashes: genesis.allowedModelHashes });
  await removed();
  t.notOk((await allowList()).includes(hashOf(3)), "node3's model is off the allow-list");
  const fourth = await submitContents();
  const before4 = await stats(3, fourth.height);
  const fourthCerts = await certificates(fourth.ids);
  for (const [k, cert] of fourthCerts.entries()) {
    const claim = cert.claims[0]!;
    t.equal(claim.status, ClaimStatus.CLAIM_STATUS_UNRESOLVED, `content ${fourth.ids[k]} is unresolved at its deadline`);
    t.same(votersOf(cert), [0, 1, 2], "node3's verdict is not among the voters");
    t.ok(
      claim.voters.every((v) => v.verdict === VERDICTS[fourth.examples[k]!.label]),
      "the three allowed validators agreed, yet 300 of 400 is under 8000 bp",
    );
  }
  const fourthSettled = Math.max(...fourthCerts.map((c) => Number(c.height)));
  const after4 = await stats(3, fourthSettled);
  t.same({ missed: after4.missed - before4.missed, agreed: after4.agreed - before4.agreed }, { missed: BigInt(PER_ROUND), agreed: 0n }, "node3 missed them");
  t.equal(await balance3(), paid3, "and earned nothing for them");
  t.comment(`${Math.round((Date.now() - started) / 1000)} s after the localnet started`);
});
