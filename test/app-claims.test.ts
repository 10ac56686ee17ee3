// Claims, first part: MsgSubmitContent signed by CosmJS (the generated codec in a Registry), the fee
// escrowed, content split into stored claims, and each claim assigned at the end of the block to
// verifiers drawn by stake from the block hash; bad submissions fail with claims codes.
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import t from "tap";
import { bech32Address } from "../app/core/address";
import { moduleAddress } from "../modules/auth/keeper";
import { createHash } from "node:crypto";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { encodeInjectedCommit } from "../app/chain/vote-extensions";
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
} from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import type { Wallet } from "./helpers/app-driver";
import { balance, checkInvariants, consAddress, injected, query, run, startChain, tx, validators, verifierStats } from "./helpers/chain";
import { valoper } from "./helpers/staking";

const submit = (w: Wallet, content: string, extra: Record<string, unknown> = {}) => [
  {
    typeUrl: "/mira.claims.v1.MsgSubmitContent",
    value: { submitter: w.address, content, claims: [], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 0, ...extra },
  },
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
  const escrow = QueryBalanceResponse.decode(
    c.app.runQuery(
      "/cosmos.bank.v1beta1.Query/Balance",
      QueryBalanceRequest.encode({ address: bech32Address(moduleAddress("claims")), denom: "umira" }).finish(),
      BigInt(c.app.store.version),
    ),
  );
  t.equal(escrow.balance!.amount, "858", "escrowed in the claims module account");
  const content = query(
    c.app,
    "/mira.claims.v1.Query/Content",
    QueryContentRequest.encode({ id: out.contentId }).finish(),
    QueryContentResponse.decode,
  ).content!;
  t.equal(content.submitter, user.address);
  t.equal(content.thresholdBp, 6667, "the default threshold");
  const validators = new Set(c.wallets.slice(0, 3).map((w) => valoper(w.address)));
  for (const id of out.claimIds) {
    const claim = query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode).claim!;
    t.equal(claim.status, ClaimStatus.CLAIM_STATUS_PENDING);
    t.equal(claim.assigned.length, 2, "two verifiers, as asked");
    t.ok(claim.assigned.every((a) => validators.has(a)) && new Set(claim.assigned).size === 2, "distinct bonded validators");
  }
  t.same(
    query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: out.claimIds[1]! }).finish(), QueryClaimResponse.decode).claim!.text,
    "The Eiffel Tower was completed in 1889",
    "the pronoun is resolved before the claim is stored",
  );
  const pending = query(
    c.app,
    "/mira.claims.v1.Query/PendingClaims",
    QueryPendingClaimsRequest.encode({ validator: "" }).finish(),
    QueryPendingClaimsResponse.decode,
  );
  t.equal(pending.claims.length, 3);
  const mine = query(
    c.app,
    "/mira.claims.v1.Query/PendingClaims",
    QueryPendingClaimsRequest.encode({ validator: valoper(c.wallets[0]!.address) }).finish(),
    QueryPendingClaimsResponse.decode,
  );
  t.ok(
    mine.claims.every((x) => x.assigned.includes(valoper(c.wallets[0]!.address))),
    "filtered by validator",
  );
});

t.test("claims a client split itself are stored as sent, pronouns included; content is stored resolved", async (t) => {
  const c = await startChain(t, { validators: 2 });
  const user = c.wallets[4]!;
  const stored = async (extra: Record<string, unknown>, content = "") => {
    const res = await tx(c, user, submit(user, content, extra));
    t.equal(res.code, 0, res.log ?? "");
    const { claimIds } = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value);
    return claimIds.map((id) => query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode).claim!.text);
  };
  t.same(await stored({ claims: ["The Eiffel Tower is in Paris.", "It was completed in 1889."] }), [
    "The Eiffel Tower is in Paris",
    "It was completed in 1889",
  ]);
  t.same(await stored({}, "Marie Curie was a physicist. She won the Nobel Prize in 1903. Her husband was Pierre Curie."), [
    "Marie Curie was a physicist",
    "Marie Curie won the Nobel Prize in 1903",
    "Marie Curie's husband was Pierre Curie",
  ]);
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
  const ext = (verdicts: { claimId: bigint; verdict: Verdict }[]) =>
    VoteExtension.encode({ verdicts: verdicts.map((v) => ({ ...v, confidenceBp: 9000 })), modelHash: Buffer.alloc(32, 1) }).finish();
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
      vote(
        1,
        ext([
          { claimId: a, verdict: Verdict.VERDICT_SUPPORTED },
          { claimId: 999n, verdict: Verdict.VERDICT_SUPPORTED },
        ]),
      ),
      vote(0, ext([{ claimId: b, verdict: Verdict.VERDICT_REFUTED }])),
    ],
  };
  const block = await run(c, [encodeInjectedCommit(commit)]);
  t.equal(block.txResults![0]!.code, 0, "the injected commit is data");
  const claimA = query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: a }).finish(), QueryClaimResponse.decode).claim!;
  t.equal(claimA.status, ClaimStatus.CLAIM_STATUS_CERTIFIED, "23 of 33 assigned stake ≥ 2/3: certified in that block");
  t.equal(claimA.verdict, Verdict.VERDICT_SUPPORTED);
  t.equal(claimA.votes.length, 2, "one vote per validator (v1's verdict on a claim that does not exist is ignored)");
  t.ok(
    (block.events ?? []).some((e) => e.type === "claim_certified"),
    "a claim_certified event",
  );
  // Claim a's fee share (2000 / 2 = 1000) goes to v1 and v2 by power (11 : 12); the last in operator order takes the rounding remainder.
  const got1 = balance(c.app, v1.address) - paidBefore[1]!;
  const got2 = balance(c.app, v2.address) - paidBefore[2]!;
  t.equal(got1 + got2, 1000n, "the whole share is paid");
  t.ok((got1 === 478n || got1 === 479n) && (got2 === 521n || got2 === 522n), `by power: ${got1} and ${got2}`);
  t.equal(balance(c.app, v0.address), paidBefore[0]!, "v0 did not agree: nothing");
  const claimB = () => query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: b }).finish(), QueryClaimResponse.decode).claim!;
  t.equal(claimB().status, ClaimStatus.CLAIM_STATUS_PENDING, "10 of 33 is not enough");
  t.throws(
    () => query(c.app, "/mira.claims.v1.Query/Certificate", QueryCertificateRequest.encode({ contentId: 1n }).finish(), QueryCertificateResponse.decode),
    /not found/,
    "no certificate while a claim is pending",
  );
  for (let i = 0; i < 10 && claimB().status === ClaimStatus.CLAIM_STATUS_PENDING; i++) await run(c, []);
  t.equal(claimB().status, ClaimStatus.CLAIM_STATUS_UNRESOLVED, "settled UNRESOLVED at its deadline");
  t.equal(balance(c.app, user.address), userBefore + 1000n, "its fee share refunded");
  const cert = query(
    c.app,
    "/mira.claims.v1.Query/Certificate",
    QueryCertificateRequest.encode({ contentId: 1n }).finish(),
    QueryCertificateResponse.decode,
  ).certificate!;
  t.same(
    cert.claims.map((x) => [x.claimId, x.status, x.verdict, x.stakeFor, x.stakeAssigned]),
    [
      [a, ClaimStatus.CLAIM_STATUS_CERTIFIED, Verdict.VERDICT_SUPPORTED, "23", "33"],
      [b, ClaimStatus.CLAIM_STATUS_UNRESOLVED, Verdict.VERDICT_UNSPECIFIED, "0", "33"],
    ],
    "the certificate records each claim's outcome and stake",
  );
  const stats = (w: Wallet) => verifierStats(c, w);
  t.match(stats(v0), { assigned: 2n, agreed: 0n, missed: 1n }, "v0 missed a (b was inconclusive)");
  t.match(stats(v1), { assigned: 2n, agreed: 1n, missed: 1n });
});

const FAULT_PARAMS = { claims: { params: { fault_window: 4, max_fault_bp: 5000, slash_fraction_verification: "0.01", jail_duration: "60s" } } };

t.test(
  "a validator whose verdicts keep disagreeing with certified ones is slashed by exactly the fraction and jailed; one that keeps missing claims too, unless that would cost the set its quorum",
  async (t) => {
    const c = await startChain(t, { validators: 4, voteExtensionsHeight: 1n, extra: FAULT_PARAMS });
    const [v0, v1, v2, v3, user] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
    const powers = [10n, 11n, 12n, 13n];
    const stats = (w: Wallet) => verifierStats(c, w);
    const tokens = (w: Wallet) => BigInt(validators(c.app).find((v) => v.operatorAddress === valoper(w.address))!.tokens);
    const jailed = (w: Wallet) => validators(c.app).find((v) => v.operatorAddress === valoper(w.address))!.jailed;
    const submitted = async (text: string) => {
      const res = await tx(c, user, submit(user, text));
      t.equal(res.code, 0, res.log ?? "");
      return MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value).claimIds;
    };
    const all = (ids: bigint[], verdict: Verdict) => ids.map((claimId) => ({ claimId, verdict }));
    const honestPaid = [v1, v2, v3].map((w) => balance(c.app, w.address));

    // Fault window 4, max 50%: more than 2 faults in the window is punished.
    const first = await submitted("The sky is blue. Grass is green.");
    await run(c, [
      injected(c, powers, [
        all(first, Verdict.VERDICT_REFUTED),
        all(first, Verdict.VERDICT_SUPPORTED),
        all(first, Verdict.VERDICT_SUPPORTED),
        all(first, Verdict.VERDICT_SUPPORTED),
      ]),
    ]);
    t.match(stats(v0), { assigned: 2n, disagreed: 2n, windowFaults: 2n, slashes: 0n }, "two faults: not yet over 50% of the window");
    t.equal(jailed(v0), false);
    t.equal(tokens(v0), 10_000_000n);

    const second = await submitted("Snow is white.");
    const block = await run(c, [
      injected(c, powers, [
        all(second, Verdict.VERDICT_REFUTED),
        all(second, Verdict.VERDICT_SUPPORTED),
        all(second, Verdict.VERDICT_SUPPORTED),
        all(second, Verdict.VERDICT_SUPPORTED),
      ]),
    ]);
    t.equal(tokens(v0), 9_900_000n, "slashed by exactly 1% of its 10 MIRA");
    t.equal(jailed(v0), true, "and jailed");
    t.match(stats(v0), { assigned: 3n, disagreed: 3n, windowFaults: 0n, slashes: 1n }, "its window starts afresh");
    const slash = (block.events ?? []).find((e) => e.type === "slash");
    t.ok(
      slash?.attributes.some((a) => a.key === "reason" && a.value === "verification_faults"),
      "a slash event says why",
    );
    const punished = (block.events ?? []).find((e) => e.type === "verifier_punished");
    t.match(Object.fromEntries(punished!.attributes.map((a) => [a.key, a.value])), {
      validator: valoper(v0.address),
      faults: "3",
      fault_window: "4",
      burned: "100000",
    });
    t.ok(
      (block.validatorUpdates ?? []).some((u) => u.power === 0n),
      "it leaves CometBFT's set in the same block",
    );
    [v1, v2, v3].forEach((w, i) => t.ok(balance(c.app, w.address) > honestPaid[i]!, `honest validator ${i + 1} was paid`));
    t.match(stats(v1), { agreed: 3n, windowFaults: 0n });

    // v0 is out of the set: new claims go to v1, v2 and v3. v1 falls silent; v2 and v3 (25 of 36) certify
    // without it, and once its late-vote window closes its silence counts as a miss.
    const third = await submitted("Fire is hot. Ice is cold. Rain is wet.");
    for (const id of third)
      t.notOk(
        query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode).claim!.assigned.includes(
          valoper(v0.address),
        ),
        "a jailed validator is assigned nothing",
      );
    await run(c, [injected(c, powers, [undefined, undefined, all(third, Verdict.VERDICT_SUPPORTED), all(third, Verdict.VERDICT_SUPPORTED)])]);
    t.match(stats(v1), { missed: 0n }, "certified without v1: no miss yet, its verdict may be on its way");
    // A late verdict (in the window) is judged against the certified one: v1 agrees on the first claim.
    await run(c, [injected(c, powers, [undefined, [{ claimId: third[0]!, verdict: Verdict.VERDICT_SUPPORTED }], undefined, undefined])]);
    t.match(stats(v1), { agreed: 4n, missed: 0n }, "a late verdict counts as agreed");
    for (let i = 0; i < 4 && !jailed(v1); i++) await run(c, []);
    t.match(stats(v1), { missed: 2n, slashes: 0n }, "the two claims it never answered are misses once the window closes");
    const fourth = await submitted("Salt is salty.");
    await run(c, [injected(c, powers, [undefined, undefined, all(fourth, Verdict.VERDICT_SUPPORTED), all(fourth, Verdict.VERDICT_SUPPORTED)])]);
    for (let i = 0; i < 4 && !jailed(v1); i++) await run(c, []);
    t.match(stats(v1), { missed: 3n, disagreed: 0n, slashes: 1n }, "the third miss in its window punishes v1");
    t.equal(tokens(v1), 10_890_000n, "1% of its 11 MIRA");

    // Left: v2 and v3 (25). Jailing v2 now would take half the power out in one block: it waits.
    const fifth = await submitted("Iron is a metal. Gold is a metal. Tin is a metal.");
    const deferred = [];
    for (let i = 0; i < 12; i++) {
      const b = await run(c, i === 0 ? [injected(c, powers, [undefined, undefined, undefined, all(fifth, Verdict.VERDICT_SUPPORTED)])] : []);
      deferred.push(...(b.events ?? []).filter((e) => e.type === "verifier_punishment_deferred"));
    }
    t.match(stats(v2), { missed: 3n, slashes: 0n }, "v2 missed three claims");
    t.equal(jailed(v2), false, "but is not jailed: that would leave 13 of 25 power");
    t.ok(deferred.length >= 1, "a verifier_punishment_deferred event says why");
    checkInvariants(t, c, "after the punishments");
  },
);

t.test("VerifyVoteExtension refuses what is certainly invalid and accepts the rest", async (t) => {
  const allowed = Buffer.alloc(32, 1);
  const c = await startChain(t, {
    validators: 3,
    voteExtensionsHeight: 1n,
    extra: { claims: { params: { allowed_model_hashes: [allowed.toString("hex")] } } },
  });
  const user = c.wallets[4]!;
  const res = await tx(c, user, submit(user, "The sky is blue. Grass is green. Snow is white.", { verifiersPerClaim: 1 }));
  t.equal(res.code, 0, res.log ?? "");
  const ids = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value).claimIds;
  const claims = ids.map((id) => query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode).claim!);
  const ops = c.wallets.slice(0, 3).map((w) => valoper(w.address));
  // A validator with at least one claim, and a claim not assigned to it.
  const i = ops.findIndex((op) => claims.some((x) => x.assigned.includes(op)));
  const mine = claims.find((x) => x.assigned.includes(ops[i]!))!.id;
  const notMine = claims.find((x) => !x.assigned.includes(ops[i]!))?.id;
  const height = BigInt(c.app.store.version + 1);
  const verify = async (ext: Uint8Array, who: Uint8Array = consAddress(c, i)) =>
    (await c.app.verifyVoteExtension({ hash: new Uint8Array(32), validatorAddress: who, height, voteExtension: ext })).status;
  const encode = (verdicts: { claimId: bigint; verdict: number; confidenceBp?: number }[], modelHash: Uint8Array = allowed) =>
    VoteExtension.encode({
      verdicts: verdicts.map((v) => ({ claimId: v.claimId, verdict: v.verdict as Verdict, confidenceBp: v.confidenceBp ?? 9000 })),
      modelHash,
    }).finish();
  const ACCEPT = 1;
  const REJECT = 2;
  t.equal(await verify(new Uint8Array()), ACCEPT, "an empty extension (no sidecar, nothing ready)");
  t.equal(await verify(encode([{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED }])), ACCEPT, "a verdict on its own pending claim by an allowed model");
  const refused: [string, Uint8Array, number?][] = [
    ["undecodable bytes", Buffer.from("\xff\xfe junk")],
    ["over the size cap", Buffer.alloc(70_000)],
    [
      "the same claim twice",
      encode([
        { claimId: mine, verdict: Verdict.VERDICT_SUPPORTED },
        { claimId: mine, verdict: Verdict.VERDICT_REFUTED },
      ]),
    ],
    ["an unknown verdict", encode([{ claimId: mine, verdict: 9 }])],
    ["an unspecified verdict", encode([{ claimId: mine, verdict: Verdict.VERDICT_UNSPECIFIED }])],
    ["a confidence over 10000 bp", encode([{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED, confidenceBp: 10_001 }])],
    ["a claim that does not exist", encode([{ claimId: 999n, verdict: Verdict.VERDICT_SUPPORTED }])],
    ["a model hash that is no sha256", encode([{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED }], Buffer.alloc(5))],
    ["a model outside the allow-list", encode([{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED }], Buffer.alloc(32, 2))],
  ];
  if (notMine !== undefined) refused.push(["a claim assigned to another validator", encode([{ claimId: notMine, verdict: Verdict.VERDICT_SUPPORTED }])]);
  for (const [why, ext] of refused) t.equal(await verify(ext), REJECT, why);
  t.equal(
    await verify(encode([{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED }]), Buffer.alloc(20, 7)),
    REJECT,
    "verdicts from an address that is no validator",
  );
  // Settle `mine` (its only verifier says SUPPORTED): a verdict on a settled claim is refused.
  const powers = [10n, 11n, 12n];
  await run(c, [
    injected(
      c,
      powers,
      [0, 1, 2].map((k) => (k === i ? [{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED }] : undefined)),
    ),
  ]);
  t.equal(
    query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: mine }).finish(), QueryClaimResponse.decode).claim!.status,
    ClaimStatus.CLAIM_STATUS_CERTIFIED,
  );
  t.equal(await verify(encode([{ claimId: mine, verdict: Verdict.VERDICT_SUPPORTED }])), REJECT, "a claim that is no longer pending");
});

t.test("a signed vote the proposer injected as absent is no miss: the claim is excused, neither paid nor a fault", async (t) => {
  const c = await startChain(t, { validators: 3, voteExtensionsHeight: 1n });
  const [v0, , , , user] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const powers = [10n, 11n, 12n];
  const ext = (verdicts: { claimId: bigint; verdict: Verdict }[]) =>
    VoteExtension.encode({ verdicts: verdicts.map((v) => ({ ...v, confidenceBp: 9000 })), modelHash: Buffer.alloc(32, 1) }).finish();
  /** The injected commit: v1 and v2 say `verdicts`; v0 is ABSENT (pruned) or a COMMIT without verdicts. */
  const commitWith = (verdicts: { claimId: bigint; verdict: Verdict }[], pruneV0: boolean) =>
    encodeInjectedCommit({
      round: 0,
      votes: [0, 1, 2].map((i) => ({
        validator: { address: consAddress(c, i), power: powers[i]! },
        voteExtension: i === 0 ? new Uint8Array() : ext(verdicts),
        extensionSignature: i === 0 && pruneV0 ? new Uint8Array() : Buffer.alloc(64, 1),
        blockIdFlag: i === 0 && pruneV0 ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      })),
    });
  const stats = () => verifierStats(c, v0);
  const claimsOf = async (text: string) => {
    const res = await tx(c, user, submit(user, text));
    t.equal(res.code, 0, res.log ?? "");
    return MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value).claimIds;
  };
  /** Runs blocks (CometBFT's decided commit: everyone signed) until v0's record settles both claims. */
  const playOut = async (ids: bigint[], pruneV0: boolean) => {
    const events: string[] = [];
    const before = stats().assigned;
    for (let i = 0; i < 20 && stats().assigned < before + BigInt(ids.length); i++) {
      const verdicts = ids.map((claimId) => ({ claimId, verdict: Verdict.VERDICT_SUPPORTED }));
      const res = await run(c, [commitWith(verdicts, pruneV0)]);
      events.push(...(res.events ?? []).map((e) => e.type));
    }
    return events;
  };

  // v0 signed every block (CometBFT says so) but the proposer pruned it each time: its silence is excused.
  const first = await claimsOf("The sky is blue. Grass is green.");
  const before = stats();
  const events = await playOut(first, true);
  const after = stats();
  t.equal(after.assigned - before.assigned, 2n, "both claims settled for v0");
  t.equal(after.missed, before.missed, "no miss counted");
  t.equal(after.windowFaults, before.windowFaults, "no fault");
  t.equal(after.agreed, before.agreed, "and nothing earned");
  t.ok(events.includes("vote_extension_pruned"), "vote_extension_pruned events");
  t.equal(events.filter((e) => e === "claim_miss_excused").length, 2, "one claim_miss_excused per claim");

  // A validator that is simply silent (a COMMIT vote without verdicts, never pruned while the claims were open): missed.
  const second = await claimsOf("Snow is white. Coal is black.");
  const mid = stats();
  const events2 = await playOut(second, false);
  t.equal(stats().missed - mid.missed, 2n, "its misses count");
  t.notOk(events2.includes("claim_miss_excused"), "nothing excused");
});
