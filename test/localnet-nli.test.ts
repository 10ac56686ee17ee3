// A Hugging Face-style NLI cross-encoder (model.onnx, tokenizer.json, config.json) on the real 4-validator
// localnet: MIRA_LOCALNET_SIDECAR_MODELS gives every validator's sidecar the same model folder (a tiny
// BERT-style model with random weights, test/helpers/tiny-nli.ts: this checks the path, not accuracy). A
// multi-sentence content submitted with CosmJS is split (the second sentence's "It" resolved), each claim is
// judged by the four sidecars through vote extensions and certified with the verdict the model gives when
// called directly on the chain's own claim text, and every voter carries the model's hash. node3's sidecar
// abstains below 10000 bp (MIRA_LOCALNET_SIDECAR_ABSTAIN_BELOW): its abstentions back no verdict, are
// counted by its mira_sidecar_abstentions_total, and land in its VerifierStats as abstained, not missed.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import t from "tap";
import { NliModel } from "../app/sidecar/nli";
import { ClaimStatus, Verdict } from "../proto/gen/mira/claims/v1/claims";
import {
  QueryCertificateRequest,
  QueryCertificateResponse,
  QueryClaimRequest,
  QueryClaimResponse,
  QueryMethods,
  QueryVerifierStatsRequest,
  QueryVerifierStatsResponse,
} from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContent } from "../proto/gen/mira/claims/v1/tx";
import { startLocalnet } from "./helpers/localnet";
import { writeTinyNli } from "./helpers/tiny-nli";
import { tempDir } from "./helpers/tmp";

const OFFSET = 4_000; // its own ports (the other localnet tests use -6000..3500), below the ephemeral range
const VERDICTS: Record<string, Verdict> = {
  SUPPORTED: Verdict.VERDICT_SUPPORTED,
  REFUTED: Verdict.VERDICT_REFUTED,
  UNVERIFIABLE: Verdict.VERDICT_UNVERIFIABLE,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test("an NLI model folder on every sidecar certifies content end to end", async (t) => {
  const modelDir = writeTinyNli(path.join(tempDir(t, "mira-nli-model-"), "tiny-nli"));
  const model = await NliModel.load(modelDir, { executionProviders: ["cpu"] });
  t.teardown(() => model.release());
  // node3's sidecar abstains unless it is certain (10000 bp): its answers are abstentions, which back no
  // verdict; the other three, with the same model, certify alone.
  const net = startLocalnet(t, OFFSET, {
    MIRA_LOCALNET_SIDECAR_MODELS: [modelDir, modelDir, modelDir, modelDir].join(","),
    MIRA_LOCALNET_SIDECAR_ABSTAIN_BELOW: "0,0,0,10000",
  });

  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[0]!.mnemonic, { prefix: "mira" });
  const me = net.accounts[0]!.address;
  const registry = new Registry([...defaultRegistryTypes, ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent]]);
  const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice: GasPrice.fromString("0.025umira"), registry });
  t.teardown(() => client.disconnect());
  const comet = await connectComet(net.rpc(0));
  t.teardown(() => comet.disconnect());
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as { valoper: string }[];

  const source = "The Eiffel Tower stands in Paris. It was completed in 1889 for the World's Fair.";
  const res = await client.signAndBroadcast(
    me,
    [
      {
        typeUrl: "/mira.claims.v1.MsgSubmitContent",
        value: {
          submitter: me,
          content: "The Eiffel Tower is in Paris. It was completed in 1889.",
          claims: [],
          sourceContext: source,
          thresholdBp: 0,
          verifiersPerClaim: 0,
        },
      },
    ],
    "auto",
  );
  t.equal(res.code, 0, `submitted: ${res.rawLog ?? ""}`);
  const contentId = BigInt(res.events.find((e) => e.type === "content_submitted")!.attributes.find((a) => a.key === "content_id")!.value);

  // Wait for the certificate (the content's claims all settled), at most three minutes on a busy machine.
  let cert: QueryCertificateResponse["certificate"];
  for (const until = Date.now() + 180_000; cert === undefined; await sleep(300)) {
    const r = await comet.abciQuery({ path: QueryMethods.Certificate, data: QueryCertificateRequest.encode({ contentId }).finish() });
    if (r.code === 0) cert = QueryCertificateResponse.decode(r.value).certificate;
    else if (Date.now() > until) throw new Error(`no certificate for content ${contentId}: ${r.log ?? ""}`);
  }
  t.equal(cert!.claims.length, 2, "two claims");
  for (const c of cert!.claims) {
    const r = await comet.abciQuery({ path: QueryMethods.Claim, data: QueryClaimRequest.encode({ id: c.claimId }).finish() });
    const text = QueryClaimResponse.decode(r.value).claim!.text;
    t.notMatch(text, /^It\b/, `the claim stands alone: "${text}"`);
    const [direct] = await model.verify([{ claim: text, source }]);
    t.equal(c.status, ClaimStatus.CLAIM_STATUS_CERTIFIED, `"${text}" is certified`);
    t.equal(c.verdict, VERDICTS[direct!.verdict], `with the verdict the model gives directly (${direct!.verdict})`);
    t.equal(c.voters.length, 4, "by all four validators");
    t.ok(
      c.voters.every((v) => Buffer.from(v.modelHash).toString("hex") === model.sha256),
      "each voter's model hash is the folder's",
    );
    const node3 = c.voters.find((v) => v.validator === operators[3]!.valoper);
    if (node3 !== undefined) t.equal(node3.verdict, Verdict.VERDICT_ABSTAIN, "node3's vote is an abstention");
  }

  // node3's abstentions show in its sidecar's metrics and, once settled, in its VerifierStats (never as misses).
  const scrape = async (i: number) => (await (await fetch(`http://127.0.0.1:${OFFSET + 26661 + 100 * i}/metrics`)).text()).split("\n");
  const value = (lines: string[], name: string) => lines.filter((l) => l.startsWith(name)).reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  t.ok(value(await scrape(3), "mira_sidecar_abstentions_total") >= 2, "mira_sidecar_abstentions_total counts node3's abstentions");
  t.equal(value(await scrape(0), "mira_sidecar_abstentions_total"), 0, "node0's sidecar abstained on nothing");
  let stats;
  for (const until = Date.now() + 120_000; ; await sleep(500)) {
    const r = await comet.abciQuery({
      path: QueryMethods.VerifierStats,
      data: QueryVerifierStatsRequest.encode({ validator: operators[3]!.valoper }).finish(),
    });
    stats = QueryVerifierStatsResponse.decode(r.value).stats!;
    if (stats.abstained + stats.missed >= 2n || Date.now() > until) break;
  }
  t.match(stats, { abstained: 2n, missed: 0n, disagreed: 0n }, "node3's VerifierStats: two abstentions, no miss, no fault");
  t.ok(
    (await scrape(0)).some((l) => l.startsWith(`mira_verifier_abstained{validator="${operators[3]!.valoper}"} 2`)),
    "and node0's metrics read them from the state",
  );
});
