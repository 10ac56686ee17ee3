// Claims, first part: MsgSubmitContent signed by CosmJS (the generated codec in a Registry), the fee
// escrowed, content split into stored claims, and each claim assigned at the end of the block to
// verifiers drawn by stake from the block hash; bad submissions fail with claims codes.
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import t from "tap";
import { bech32Address } from "../app/tx/address";
import { moduleAddress } from "../modules/auth/keeper";
import { createHash } from "node:crypto";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { encodeInjectedCommit } from "../app/vote-extensions";
import { ClaimStatus, Verdict, VoteExtension } from "../proto/gen/mira/claims/v1/claims";
import {
  QueryCertificateRequest,
  QueryCertificateResponse,
  QueryClaimRequest,
  QueryClaimResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryPendingClaimsRequest,
  QueryPendingClaimsResponse,
  QueryVerifierStatsRequest,
  QueryVerifierStatsResponse,
} from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import type { Wallet } from "./helpers/app-driver";
import { balance, query, run, startChain, tx } from "./helpers/chain";
import { valoper } from "./helpers/staking";

const submit = (w: Wallet, content: string, extra: Record<string, unknown> = {}) => [
  { typeUrl: "/mira.claims.v1.MsgSubmitContent", value: { submitter: w.address, content, claims: [], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 0, ...extra } },
];

t.test("content is split, the fee escrowed, and each claim assigned to stake-weighted verifiers", async (t) => {
  const c = await startChain(t, { validators: 3 });
  const user = c.wallets[4]!;
  const before = balance(c.app, user.address);
  const text = "The Eiffel Tower is in Paris. It was completed in 1889, and it is 330 metres tall.";
  const res = await tx(c, user, submit(user, text, { verifiersPerClaim: 2 }));
  t.equal(res.code, 0, res.log ?? "");
  const out = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value);
  t.equal(out.claimIds.length, 3, "three claims: one sentence, and a sentence of two clauses");
  // Fee: 1000umira per claim at the default 7 verifiers, scaled to the 2 asked for: ceil(3 × 1000 × 2 / 7).
  t.equal(balance(c.app, user.address), before - 10_000n - 858n, "the tx fee and the claims fee were taken");
  const escrow = QueryBalanceResponse.decode(c.app.runQuery("/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: bech32Address(moduleAddress("claims")), denom: "umira" }).finish(), BigInt(c.app.store.version)));
  t.equal(escrow.balance!.amount, "858", "escrowed in the claims module account");
  const content = query(c.app, "/mira.claims.v1.Query/Content", QueryContentRequest.encode({ id: out.contentId }).finish(), QueryContentResponse.decode).content!;
  t.equal(content.submitter, user.address);
  t.equal(content.thresholdBp, 6667, "the default threshold");
  const validators = new Set(c.wallets.slice(0, 3).map((w) => valoper(w.address)));
  for (const id of out.claimIds) {
    const claim = query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode).claim!;
    t.equal(claim.status, ClaimStatus.CLAIM_STATUS_PENDING);
    t.equal(claim.assigned.length, 2, "two verifiers, as asked");
    t.ok(claim.assigned.every((a) => validators.has(a)) && new Set(claim.assigned).size === 2, "distinct bonded validators");
  }
  t.same(query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: out.claimIds[1]! }).finish(), QueryClaimResponse.decode).claim!.text, "It was completed in 1889");
  const pending = query(c.app, "/mira.claims.v1.Query/PendingClaims", QueryPendingClaimsRequest.encode({ validator: "" }).finish(), QueryPendingClaimsResponse.decode);
  t.equal(pending.claims.length, 3);
  const mine = query(c.app, "/mira.claims.v1.Query/PendingClaims", QueryPendingClaimsRequest.encode({ validator: valoper(c.wallets[0]!.address) }).finish(), QueryPendingClaimsResponse.decode);
  t.ok(mine.claims.every((x) => x.assigned.includes(valoper(c.wallets[0]!.address))), "filtered by validator");
});

t.test("bad submissions fail with their claims codes and change nothing but the fee", async (t) => {
  const c = await startChain(t, { validators: 2 });
  const user = c.wallets[4]!;
  const cases: [string, ReturnType<typeof submit>, number][] = [
    ["empty content", submit(user, "   "), 2],
    ["too strict a threshold range", submit(user, "A claim here.", { thresholdBp: 4000 }), 10],
    ["too many verifiers", submit(user, "A claim here.", { verifiersPerClaim: 99 }), 9],
    ["both content and claims", submit(user, "A claim here.", { claims: ["another one"] }), 6],
  ];
  for (const [name, msgs, code] of cases) {
    const before = balance(c.app, user.address);
    const r = await tx(c, user, msgs);
    t.equal(r.code, code, `${name}: code ${code} (${r.log})`);
    t.equal(r.codespace, "claims", `${name}: codespace`);
    // A message refused by its stateless check never reaches the ante: not even the fee is taken.
    const fee = name === "both content and claims" ? 0n : 10_000n;
    t.equal(balance(c.app, user.address), before - fee, `${name}: only the tx fee, if any`);
  }
});

t.test("verdicts from the injected commit certify a claim, pay those who agreed, and a silent claim is refunded at its deadline", async (t) => {
  const c = await startChain(t, { validators: 3, voteExtensionsHeight: 1n });
  const [v0, v1, v2, , user] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const res = await tx(c, user, submit(user, "The sky is blue. Water is dry."));
  t.equal(res.code, 0, res.log ?? "");
  const { claimIds } = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value);
  const [a, b] = claimIds as [bigint, bigint];
  const paidBefore = [v0, v1, v2].map((w) => balance(c.app, w.address));
  const userBefore = balance(c.app, user.address);
  // The proposer's injected commit: v1 and v2 (23 of 33) say claim a is SUPPORTED; v0 alone calls b REFUTED.
  const ext = (verdicts: { claimId: bigint; verdict: Verdict }[]) => VoteExtension.encode({ verdicts: verdicts.map((v) => ({ ...v, confidenceBp: 9000, modelHash: Buffer.alloc(32, 1) })) }).finish();
  const vote = (i: number, extension: Uint8Array) => ({
    validator: { address: createHash("sha256").update(c.keys[i]!).digest().subarray(0, 20), power: BigInt(10 + i) },
    voteExtension: extension,
    extensionSignature: Buffer.alloc(64, 1), // checked by ProcessProposal, not FinalizeBlock (see app-vote-extensions)
    blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
  });
  const commit = {
    round: 0,
    votes: [
      vote(2, ext([{ claimId: a, verdict: Verdict.VERDICT_SUPPORTED }])),
      vote(1, ext([{ claimId: a, verdict: Verdict.VERDICT_SUPPORTED }, { claimId: a, verdict: Verdict.VERDICT_REFUTED }, { claimId: 999n, verdict: Verdict.VERDICT_SUPPORTED }])),
      vote(0, ext([{ claimId: b, verdict: Verdict.VERDICT_REFUTED }])),
    ],
  };
  const block = await run(c, [encodeInjectedCommit(commit)]);
  t.equal(block.txResults![0]!.code, 0, "the injected commit is data");
  const claimA = query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: a }).finish(), QueryClaimResponse.decode).claim!;
  t.equal(claimA.status, ClaimStatus.CLAIM_STATUS_CERTIFIED, "23 of 33 assigned stake ≥ 2/3: certified in that block");
  t.equal(claimA.verdict, Verdict.VERDICT_SUPPORTED);
  t.equal(claimA.votes.length, 2, "one vote per validator (v1's second verdict for a is ignored)");
  t.ok((block.events ?? []).some((e) => e.type === "claim_certified"), "a claim_certified event");
  // Claim a's fee share (2000 / 2 = 1000) goes to v1 and v2 by power (11 : 12); the last in operator order takes the rounding remainder.
  const got1 = balance(c.app, v1.address) - paidBefore[1]!;
  const got2 = balance(c.app, v2.address) - paidBefore[2]!;
  t.equal(got1 + got2, 1000n, "the whole share is paid");
  t.ok((got1 === 478n || got1 === 479n) && (got2 === 521n || got2 === 522n), `by power: ${got1} and ${got2}`);
  t.equal(balance(c.app, v0.address), paidBefore[0]!, "v0 did not agree: nothing");
  const claimB = () => query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: b }).finish(), QueryClaimResponse.decode).claim!;
  t.equal(claimB().status, ClaimStatus.CLAIM_STATUS_PENDING, "10 of 33 is not enough");
  t.throws(() => query(c.app, "/mira.claims.v1.Query/Certificate", QueryCertificateRequest.encode({ contentId: 1n }).finish(), QueryCertificateResponse.decode), /not found/, "no certificate while a claim is pending");
  for (let i = 0; i < 10 && claimB().status === ClaimStatus.CLAIM_STATUS_PENDING; i++) await run(c, []);
  t.equal(claimB().status, ClaimStatus.CLAIM_STATUS_UNRESOLVED, "settled UNRESOLVED at its deadline");
  t.equal(balance(c.app, user.address), userBefore + 1000n, "its fee share refunded");
  const cert = query(c.app, "/mira.claims.v1.Query/Certificate", QueryCertificateRequest.encode({ contentId: 1n }).finish(), QueryCertificateResponse.decode).certificate!;
  t.same(cert.claims.map((x) => [x.claimId, x.status, x.verdict, x.stakeFor, x.stakeAssigned]), [
    [a, ClaimStatus.CLAIM_STATUS_CERTIFIED, Verdict.VERDICT_SUPPORTED, "23", "33"],
    [b, ClaimStatus.CLAIM_STATUS_UNRESOLVED, Verdict.VERDICT_UNSPECIFIED, "0", "33"],
  ], "the certificate records each claim's outcome and stake");
  const stats = (w: Wallet) => query(c.app, "/mira.claims.v1.Query/VerifierStats", QueryVerifierStatsRequest.encode({ validator: valoper(w.address) }).finish(), QueryVerifierStatsResponse.decode).stats!;
  t.match(stats(v0), { assigned: 2n, agreed: 0n, missed: 1n }, "v0 missed a (b was inconclusive)");
  t.match(stats(v1), { assigned: 2n, agreed: 1n, missed: 1n });
});
