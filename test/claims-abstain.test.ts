// Abstention (VERDICT_ABSTAIN): a validator whose model will not judge a claim says so in its vote
// extension. Its stake backs no verdict, it earns nothing, and it is no fault: unlike a validator that
// stays silent, it is never slashed or jailed for it. The tally rules, then the app block by block.
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { ResponseVerifyVoteExtension_VerifyStatus } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { settleAtDeadline, validatorOutcomes, type Vote } from "../modules/claims/tally";
import { ClaimStatus, Verdict, VoteExtension } from "../proto/gen/mira/claims/v1/claims";
import { QueryClaimRequest, QueryClaimResponse } from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import type { Wallet } from "./helpers/app-driver";
import { balance, checkInvariants, consAddress, injected, query, run, startChain, tx, validators, verifierStats } from "./helpers/chain";
import { valoper } from "./helpers/staking";

const op = (i: number) => Buffer.from([1, 2, 3, i]);
const assigned = [0, 1, 2, 3].map((i) => ({ operator: op(i), power: 10n }));
const votes = (vs: (Vote | undefined)[]) => new Map(vs.flatMap((v, i) => (v === undefined ? [] : [[op(i).toString("hex"), v] as [string, Vote]])));

t.test("the tally: an abstention backs no verdict and is 'abstained', never 'missed'", async (t) => {
  const three = settleAtDeadline(assigned, votes(["SUPPORTED", "SUPPORTED", "SUPPORTED", "ABSTAIN"]), 6667);
  t.equal(three.outcome, "SUPPORTED", "3 of 4 certify with the fourth abstaining");
  t.equal(three.result.stakeAgainst, 0n, "the abstainer's stake is against nothing");
  t.same(three.result.voters.length, 3, "and it is not among the voters");
  const two = settleAtDeadline(assigned, votes(["SUPPORTED", "SUPPORTED", "ABSTAIN", "ABSTAIN"]), 6667);
  t.equal(two.outcome, "UNRESOLVED", "abstentions count against certification, as silence does");
  t.same(
    validatorOutcomes(assigned, votes(["SUPPORTED", "REFUTED", "ABSTAIN", undefined]), "SUPPORTED").map((o) => o.outcome),
    ["agreed", "disagreed", "abstained", "missed"],
  );
  t.same(
    validatorOutcomes(assigned, votes(["ABSTAIN", undefined, undefined, undefined]), "UNRESOLVED").map((o) => o.outcome),
    ["abstained", "missed", "missed", "missed"],
  );
});

const FAULT_PARAMS = { claims: { params: { fault_window: 4, max_fault_bp: 5000, slash_fraction_verification: "0.01", jail_duration: "60s" } } };

t.test("a validator that abstains on everything is neither paid nor punished; one that stays silent is", async (t) => {
  const c = await startChain(t, { validators: 4, voteExtensionsHeight: 1n, extra: FAULT_PARAMS });
  const [v0, v1, v2, v3, user] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const powers = [10n, 11n, 12n, 13n];
  const extension = (ids: bigint[], verdict: Verdict) =>
    VoteExtension.encode({ verdicts: ids.map((claimId) => ({ claimId, verdict, confidenceBp: 9000 })), modelHash: Buffer.alloc(32, 1) }).finish();
  const stats = (w: Wallet) => verifierStats(c, w);
  const val = (w: Wallet) => validators(c.app).find((v) => v.operatorAddress === valoper(w.address))!;
  const paidBefore = [v0, v1, v2, v3].map((w) => balance(c.app, w.address));
  let certifiedRounds = 0;

  // Eight rounds, twice the fault window: v0 abstains on every claim, v1 and v2 support it, v3 says nothing.
  for (let round = 0; round < 8; round++) {
    const res = await tx(c, user, [
      {
        typeUrl: "/mira.claims.v1.MsgSubmitContent",
        value: { submitter: user.address, content: `Round ${round} has a claim.`, claims: [], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 0 },
      },
    ]);
    t.equal(res.code, 0, res.log ?? "");
    const ids = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value).claimIds;
    if (round === 0) {
      // VerifyVoteExtension accepts an abstention from an assigned validator.
      const check = await c.app.verifyVoteExtension({
        hash: new Uint8Array(32),
        validatorAddress: consAddress(c, 0),
        height: BigInt(c.app.store.version + 1),
        voteExtension: extension(ids, Verdict.VERDICT_ABSTAIN),
      });
      t.equal(check.status, ResponseVerifyVoteExtension_VerifyStatus.ACCEPT, "an abstention passes VerifyVoteExtension");
    }
    const all = (verdict: Verdict) => ids.map((claimId) => ({ claimId, verdict }));
    await run(c, [injected(c, powers, [all(Verdict.VERDICT_ABSTAIN), all(Verdict.VERDICT_SUPPORTED), all(Verdict.VERDICT_SUPPORTED), undefined])]);
    // Let the claim reach its deadline so that everyone's part is settled.
    const claim = () => query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id: ids[0]! }).finish(), QueryClaimResponse.decode).claim!;
    for (let i = 0; i < 20 && claim().status === ClaimStatus.CLAIM_STATUS_PENDING; i++) await run(c, []);
    const settled = claim();
    // While v3 is in the set, v1 + v2 (23 of 46) fall short of 2/3; once its silence got it jailed, claims are
    // assigned to v0, v1 and v2 only, and 23 of 33 certifies.
    const v3Assigned = settled.assigned.includes(valoper(v3.address));
    t.equal(
      settled.status,
      v3Assigned ? ClaimStatus.CLAIM_STATUS_UNRESOLVED : ClaimStatus.CLAIM_STATUS_CERTIFIED,
      `round ${round}: ${v3Assigned ? "unresolved at the deadline" : "certified without v3"}`,
    );
    if (!v3Assigned) certifiedRounds++;
    t.ok(
      claim().votes.some((v) => v.validator === valoper(v0.address) && v.verdict === Verdict.VERDICT_ABSTAIN),
      `round ${round}: v0's abstention is recorded on the claim`,
    );
  }
  const s0 = stats(v0);
  t.match(s0, { abstained: 8n, missed: 0n, disagreed: 0n, windowFaults: 0n, slashes: 0n }, "v0: eight abstentions, no fault");
  t.equal(val(v0).jailed, false, "v0 is not jailed");
  t.equal(BigInt(val(v0).tokens), 10_000_000n, "v0 is not slashed");
  t.equal(balance(c.app, v0.address), paidBefore[0]!, "v0 earned nothing");
  t.ok(certifiedRounds > 0, `${certifiedRounds} rounds certified after v3 left the set`);
  t.ok(balance(c.app, v1.address) > paidBefore[1]! && balance(c.app, v2.address) > paidBefore[2]!, "v1 and v2, who agreed, were paid");
  t.ok(stats(v3).missed > 0n, "v3, silent, missed its claims");
  t.ok(stats(v3).slashes > 0n || val(v3).jailed, "and was punished for it (the control)");
  checkInvariants(t, c, "after abstentions");
});
