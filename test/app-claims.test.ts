// Claims, first part: MsgSubmitContent signed by CosmJS (the generated codec in a Registry), the fee
// escrowed, content split into stored claims, and each claim assigned at the end of the block to
// verifiers drawn by stake from the block hash; bad submissions fail with claims codes.
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import t from "tap";
import { bech32Address } from "../app/tx/address";
import { moduleAddress } from "../modules/auth/keeper";
import { ClaimStatus } from "../proto/gen/mira/claims/v1/claims";
import { QueryClaimRequest, QueryClaimResponse, QueryContentRequest, QueryContentResponse, QueryPendingClaimsRequest, QueryPendingClaimsResponse } from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import type { Wallet } from "./helpers/app-driver";
import { balance, query, startChain, tx } from "./helpers/chain";
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
