// Governance driven through MiraApp: proposals carrying messages, deposits, votes and the tally by
// bonded stake (delegators inherit their validator's vote unless they vote), the end of each period
// in end block (pass and execute atomically as the gov module account, fail, reject, veto burn,
// quorum, refund, drop), cancellation, expedited conversion, v1beta1 messages as CosmJS sends them,
// and the v1 / v1beta1 queries with their filters.
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { ParameterChangeProposal } from "cosmjs-types/cosmos/params/v1beta1/params";
import { type Params, type Proposal, ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import * as q1 from "cosmjs-types/cosmos/gov/v1/query";
import * as qb from "cosmjs-types/cosmos/gov/v1beta1/query";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { MsgExecLegacyContent, MsgSubmitProposalResponse, MsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import t, { type Test } from "tap";
import { bech32Address } from "../app/core/address";
import { moduleAddress } from "../modules/auth/keeper";
import { block, startApp, wallet, type Wallet } from "./helpers/app-driver";
import { balance, type Chain, checkInvariants, delegationBalance, MIRA, MNEMONICS, query, run, startChain, tx, validators } from "./helpers/chain";
import { Rng } from "./helpers/rng";
import { QueryCommunityPoolResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { delegateMsg, redelegateMsg, valoper } from "./helpers/staking";

const GOV = bech32Address(moduleAddress("gov"));
const FEE = 10_000n; // what tx() pays per tx
const MIN = MIRA; // min deposit in these tests
const GENESIS = {
  gov: {
    params: {
      min_deposit: [{ denom: "umira", amount: MIN.toString() }],
      expedited_min_deposit: [{ denom: "umira", amount: (5n * MIN).toString() }],
      // Blocks are 5 s apart in the driver: 12 blocks to deposit or vote, 6 for an expedited vote.
      max_deposit_period: "60s",
      voting_period: "60s",
      expedited_voting_period: "30s",
    },
  },
};
const coin = (n: bigint) => [{ denom: "umira", amount: n.toString() }];

function submitMsg(proposer: string, messages: Any[], deposit: bigint, opts: { expedited?: boolean; title?: string } = {}): EncodeObject {
  return {
    typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
    value: {
      messages,
      initialDeposit: deposit === 0n ? [] : coin(deposit),
      proposer,
      metadata: "ipfs://meta",
      title: opts.title ?? "a proposal",
      summary: "what it does",
      expedited: opts.expedited ?? false,
    },
  };
}
const voteMsg = (voter: string, proposalId: bigint, option: VoteOption): EncodeObject => ({
  typeUrl: "/cosmos.gov.v1.MsgVote",
  value: { proposalId, voter, option, metadata: "" },
});
const depositMsg = (depositor: string, proposalId: bigint, amount: bigint): EncodeObject => ({
  typeUrl: "/cosmos.gov.v1.MsgDeposit",
  value: { proposalId, depositor, amount: coin(amount) },
});

function params(c: Chain): Params {
  return query(c.app, "/cosmos.gov.v1.Query/Params", q1.QueryParamsRequest.encode({ paramsType: "" }).finish(), q1.QueryParamsResponse.decode).params!;
}

/** gov's MsgUpdateParams as a proposal message: the current params with `change` applied. */
function updateParamsAny(c: Chain, change: Partial<Params>, authority = GOV): Any {
  return { typeUrl: "/cosmos.gov.v1.MsgUpdateParams", value: MsgUpdateParams.encode({ authority, params: { ...params(c), ...change } }).finish() };
}
const sendAny = (from: string, to: string, amount: bigint): Any => ({
  typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: coin(amount) }).finish(),
});

function proposal(c: Chain, id: bigint): Proposal | undefined {
  try {
    return query(c.app, "/cosmos.gov.v1.Query/Proposal", q1.QueryProposalRequest.encode({ proposalId: id }).finish(), q1.QueryProposalResponse.decode).proposal;
  } catch (err) {
    if (/doesn't exist/.test((err as Error).message)) return undefined;
    throw err;
  }
}
function liveTally(c: Chain, id: bigint) {
  return query(c.app, "/cosmos.gov.v1.Query/TallyResult", q1.QueryTallyResultRequest.encode({ proposalId: id }).finish(), q1.QueryTallyResultResponse.decode)
    .tally!;
}
const attrs = (e: Event) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value]));

/** Submits; returns the new proposal id (the tx must succeed). */
async function submit(t: Test, c: Chain, w: Wallet, messages: Any[], deposit: bigint, opts: { expedited?: boolean } = {}): Promise<bigint> {
  const res = await tx(c, w, [submitMsg(w.address, messages, deposit, opts)]);
  t.equal(res.code, 0, res.log);
  const data = TxMsgData.decode(res.data);
  return MsgSubmitProposalResponse.decode(data.msgResponses[0]!.value).proposalId;
}

/** Runs empty blocks until the proposal leaves its voting period (or is gone); returns every end-block event seen. */
async function untilDecided(c: Chain, id: bigint, maxBlocks = 20): Promise<Event[]> {
  const events: Event[] = [];
  for (let i = 0; i < maxBlocks; i++) {
    const res = await run(c, []);
    events.push(...(res.events as Event[]));
    const p = proposal(c, id);
    if (p === undefined || (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD && p.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD))
      return events;
  }
  throw new Error(`proposal ${id} still undecided after ${maxBlocks} blocks`);
}
const activeResult = (events: Event[], id: bigint) =>
  events.filter((e) => e.type === "active_proposal" && attrs(e)["proposal_id"] === id.toString()).map((e) => attrs(e)["proposal_result"]);

async function chain(t: Test, extra: Record<string, unknown> = {}): Promise<{ c: Chain; v: Wallet[]; d: Wallet; user: Wallet }> {
  const gov = { params: { ...GENESIS.gov.params, ...(extra as { params?: object }).params } };
  const c = await startChain(t, { validators: 3, stakes: [10n, 10n, 10n], extra: { gov } as never });
  const [v0, v1, v2, d, user] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  return { c, v: [v0, v1, v2], d, user };
}

t.test("a passed proposal carrying gov's MsgUpdateParams changes the voting period; deposits come back", async (t) => {
  const { c, v, user } = await chain(t);
  const before = balance(c.app, user.address);
  const res = await tx(c, user, [submitMsg(user.address, [updateParamsAny(c, { votingPeriod: { seconds: 90n, nanos: 0 } })], MIN)]);
  t.equal(res.code, 0, res.log);
  const submitEvents = (res.events as Event[]).filter((e) => e.type === "submit_proposal").map(attrs);
  t.same(
    submitEvents,
    [{ proposal_id: "1", proposal_messages: ",/cosmos.gov.v1.MsgUpdateParams" }, { voting_period_start: "1" }],
    "submit_proposal events as the SDK writes them",
  );
  t.ok(
    (res.events as Event[]).some((e) => e.type === "message" && attrs(e)["module"] === "governance"),
    "message.module = governance",
  );
  t.same((res.events as Event[]).filter((e) => e.type === "proposal_deposit").map(attrs), [
    { amount: `${MIN}umira`, proposal_id: "1", depositor: user.address },
  ]);
  t.equal(proposal(c, 1n)!.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, "the initial deposit reached the min deposit: voting");
  t.equal(balance(c.app, GOV), MIN, "the gov account holds the deposit");
  const voted = await tx(c, v[0]!, [voteMsg(v[0]!.address, 1n, VoteOption.VOTE_OPTION_YES)]);
  t.same((voted.events as Event[]).filter((e) => e.type === "proposal_vote").map(attrs), [
    { option: 'option:VOTE_OPTION_YES weight:"1.000000000000000000"', proposal_id: "1", voter: v[0]!.address },
  ]);
  t.equal((await tx(c, v[1]!, [voteMsg(v[1]!.address, 1n, VoteOption.VOTE_OPTION_YES)])).code, 0);
  const events = await untilDecided(c, 1n);
  t.same(activeResult(events, 1n), ["proposal_passed"]);
  const p = proposal(c, 1n)!;
  t.equal(p.status, ProposalStatus.PROPOSAL_STATUS_PASSED);
  t.same(p.finalTallyResult, { yesCount: (20n * MIRA).toString(), abstainCount: "0", noCount: "0", noWithVetoCount: "0" });
  t.same(params(c).votingPeriod, { seconds: 90n, nanos: 0 }, "the proposal changed gov's own voting period");
  t.equal(balance(c.app, user.address), before - FEE, "the deposit was refunded");
  t.equal(balance(c.app, GOV), 0n);
  // The next proposal votes for the new period: 40 s.
  const id = await submit(t, c, user, [], MIN);
  const q = proposal(c, id)!;
  t.equal(q.votingEndTime!.seconds - q.votingStartTime!.seconds, 90n, "the next proposal votes for 90 s");
  checkInvariants(t, c, "after");
});

t.test("a passed proposal whose message fails is FAILED and keeps nothing any of its messages wrote", async (t) => {
  const { c, v, user } = await chain(t);
  const before = params(c);
  const id = await submit(t, c, user, [updateParamsAny(c, { votingPeriod: { seconds: 99n, nanos: 0 } }), sendAny(GOV, user.address, 10n ** 15n)], MIN);
  for (const w of v) t.equal((await tx(c, w, [voteMsg(w.address, id, VoteOption.VOTE_OPTION_YES)])).code, 0);
  const events = await untilDecided(c, id);
  t.same(activeResult(events, id), ["proposal_failed"]);
  const p = proposal(c, id)!;
  t.equal(p.status, ProposalStatus.PROPOSAL_STATUS_FAILED);
  t.match(p.failedReason, /message 1 \(\/cosmos\.bank\.v1beta1\.MsgSend\) failed \(sdk 5\)/, p.failedReason);
  t.same(params(c).votingPeriod, before.votingPeriod, "the first message's params change was not kept");
  t.equal(balance(c.app, GOV), 0n, "the deposit was refunded, nothing else left the gov account");
  checkInvariants(t, c, "after");
});

t.test("rejected with no: deposits refunded; vetoed: deposits burnt; under quorum: refunded (burnt with burn_vote_quorum)", async (t) => {
  const { c, v, user, d } = await chain(t);
  const userBefore = balance(c.app, user.address);
  const no = await submit(t, c, user, [], MIN);
  const veto = await submit(t, c, d, [], 2n * MIN);
  const quorum = await submit(t, c, user, [], MIN);
  for (const w of [v[0]!, v[1]!]) {
    t.equal((await tx(c, w, [voteMsg(w.address, no, VoteOption.VOTE_OPTION_NO)])).code, 0);
    t.equal((await tx(c, w, [voteMsg(w.address, veto, VoteOption.VOTE_OPTION_NO_WITH_VETO)])).code, 0);
  }
  t.equal((await tx(c, v[2]!, [voteMsg(v[2]!.address, quorum, VoteOption.VOTE_OPTION_YES)])).code, 0, "10 of 30 voting: 0.333 < quorum 0.334");
  const dBefore = balance(c.app, d.address);
  const supplyBefore = balance(c.app, GOV);
  const events = await untilDecided(c, quorum);
  await untilDecided(c, no);
  await untilDecided(c, veto);
  t.same(activeResult(events, no), ["proposal_rejected"]);
  t.same(activeResult(events, veto), ["proposal_rejected"]);
  t.same(activeResult(events, quorum), ["proposal_rejected"]);
  t.equal(proposal(c, no)!.failedReason, "proposal did not get enough votes to pass");
  t.equal(proposal(c, veto)!.finalTallyResult!.noWithVetoCount, (20n * MIRA).toString());
  t.equal(balance(c.app, d.address), dBefore, "the vetoed proposal's deposit was burnt, not refunded");
  t.equal(supplyBefore, 4n * MIN);
  t.equal(balance(c.app, GOV), 0n, "refunded or burnt: nothing stays");
  t.equal(balance(c.app, user.address), userBefore - 2n * FEE, "the rejected and the under-quorum proposals' deposits came back");
  checkInvariants(t, c, "after");

  const b = await chain(t, { params: { burn_vote_quorum: true } });
  const id = await submit(t, b.c, b.user, [], MIN);
  t.equal((await tx(b.c, b.v[0]!, [voteMsg(b.v[0]!.address, id, VoteOption.VOTE_OPTION_YES)])).code, 0);
  const before = balance(b.c.app, b.user.address);
  await untilDecided(b.c, id);
  t.equal(proposal(b.c, id)!.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
  t.equal(balance(b.c.app, b.user.address), before, "burn_vote_quorum: the deposit was burnt");
  t.equal(balance(b.c.app, GOV), 0n);
});

t.test("delegators inherit their validator's vote unless they vote; weighted votes split power exactly", async (t) => {
  const { c, v, d } = await chain(t);
  const op0 = valoper(v[0]!.address);
  t.equal((await tx(c, d, [delegateMsg(d.address, op0, (10n * MIRA).toString())])).code, 0);
  const id = await submit(t, c, d, [], MIN);
  t.equal((await tx(c, v[0]!, [voteMsg(v[0]!.address, id, VoteOption.VOTE_OPTION_YES)])).code, 0);
  t.equal(liveTally(c, id).yesCount, (20n * MIRA).toString(), "v0's vote counts d's delegation too");
  t.equal((await tx(c, d, [voteMsg(d.address, id, VoteOption.VOTE_OPTION_NO)])).code, 0);
  t.same(
    liveTally(c, id),
    { yesCount: (10n * MIRA).toString(), abstainCount: "0", noCount: (10n * MIRA).toString(), noWithVetoCount: "0" },
    "d's own vote overrides by exactly its stake",
  );
  const weighted: EncodeObject = {
    typeUrl: "/cosmos.gov.v1.MsgVoteWeighted",
    value: {
      proposalId: id,
      voter: v[1]!.address,
      options: [
        { option: VoteOption.VOTE_OPTION_YES, weight: "0.6" },
        { option: VoteOption.VOTE_OPTION_NO, weight: "0.4" },
      ],
      metadata: "",
    },
  };
  t.equal((await tx(c, v[1]!, [weighted])).code, 0);
  const legacyWeighted: EncodeObject = {
    typeUrl: "/cosmos.gov.v1beta1.MsgVoteWeighted",
    value: {
      proposalId: id,
      voter: v[2]!.address,
      options: [
        { option: VoteOption.VOTE_OPTION_ABSTAIN, weight: "500000000000000000" },
        { option: VoteOption.VOTE_OPTION_NO_WITH_VETO, weight: "500000000000000000" },
      ],
    },
  };
  t.equal((await tx(c, v[2]!, [legacyWeighted])).code, 0);
  t.same(liveTally(c, id), {
    yesCount: (16n * MIRA).toString(),
    abstainCount: (5n * MIRA).toString(),
    noCount: (14n * MIRA).toString(),
    noWithVetoCount: (5n * MIRA).toString(),
  });
  const bad = { ...weighted, value: { ...weighted.value, options: [{ option: VoteOption.VOTE_OPTION_YES, weight: "0.7" }] } };
  const refused = await tx(c, v[1]!, [bad]);
  t.equal(refused.code, 7, "weights that do not add up to 1");
  t.equal(refused.codespace, "gov");
  const votes = query(c.app, "/cosmos.gov.v1.Query/Votes", q1.QueryVotesRequest.encode({ proposalId: id }).finish(), q1.QueryVotesResponse.decode).votes;
  t.equal(votes.length, 4);
  const legacy = query(
    c.app,
    "/cosmos.gov.v1beta1.Query/Vote",
    qb.QueryVoteRequest.encode({ proposalId: id, voter: v[1]!.address }).finish(),
    qb.QueryVoteResponse.decode,
  ).vote;
  t.same(
    legacy.options.map((o) => o.weight),
    ["600000000000000000", "400000000000000000"],
    "v1beta1 shows weights as LegacyDec atomics",
  );
  await untilDecided(c, id);
  // yes 16 / (40 - 5 abstain) = 0.457 < 0.5; veto 5 / 40 = 0.125 < 0.334: rejected, refunded.
  t.equal(proposal(c, id)!.status, ProposalStatus.PROPOSAL_STATUS_REJECTED);
});

t.test("deposit period: a second deposit opens the vote; one that never reaches the min deposit is dropped and refunded", async (t) => {
  const { c, user, d } = await chain(t);
  const id = await submit(t, c, user, [], MIN / 2n);
  t.equal(proposal(c, id)!.status, ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD);
  const tiny = await tx(c, d, [depositMsg(d.address, id, 9_999n)]);
  t.equal(tiny.code, 16, "below min_deposit_ratio (1%) of the min deposit");
  const res = await tx(c, d, [depositMsg(d.address, id, MIN / 2n)]);
  t.equal(res.code, 0, res.log);
  t.same((res.events as Event[]).filter((e) => e.type === "proposal_deposit").map(attrs), [
    { amount: `${MIN / 2n}umira`, proposal_id: id.toString(), depositor: d.address },
    { voting_period_start: id.toString() },
  ]);
  t.equal(proposal(c, id)!.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
  const deposits = query(
    c.app,
    "/cosmos.gov.v1.Query/Deposits",
    q1.QueryDepositsRequest.encode({ proposalId: id }).finish(),
    q1.QueryDepositsResponse.decode,
  ).deposits;
  t.equal(deposits.length, 2);

  const dropped = await submit(t, c, user, [], MIN / 4n);
  const before = balance(c.app, user.address);
  const events: Event[] = [];
  for (let i = 0; i < 15 && proposal(c, dropped) !== undefined; i++) events.push(...((await run(c, [])).events as Event[]));
  t.equal(proposal(c, dropped), undefined, "deleted at the end of its deposit period");
  t.same(events.filter((e) => e.type === "inactive_proposal").map(attrs), [{ proposal_id: dropped.toString(), proposal_result: "proposal_dropped" }]);
  // Refunded (burn_proposal_deposit_prevote is off), and so is the user's half on the first proposal,
  // whose vote ended meanwhile with no votes (under quorum, burn_vote_quorum off).
  t.equal(balance(c.app, user.address), before + MIN / 4n + MIN / 2n, "refunded");
});

t.test("the proposer cancels: half of each deposit burnt, the rest refunded, the proposal gone", async (t) => {
  const { c, user, d } = await chain(t);
  const id = await submit(t, c, user, [], 2n * MIN);
  const cancel = (w: Wallet): EncodeObject => ({ typeUrl: "/cosmos.gov.v1.MsgCancelProposal", value: { proposalId: id, proposer: w.address } });
  const other = await tx(c, d, [cancel(d)]);
  t.equal(other.code, 18, "only the proposer");
  const before = balance(c.app, user.address);
  const res = await tx(c, user, [cancel(user)]);
  t.equal(res.code, 0, res.log);
  t.same((res.events as Event[]).filter((e) => e.type === "cancel_proposal").map(attrs), [{ sender: user.address, proposal_id: id.toString() }]);
  t.equal(proposal(c, id), undefined);
  t.equal(balance(c.app, user.address), before - FEE + MIN, "half came back");
  t.equal(balance(c.app, GOV), 0n, "the other half was burnt");
  checkInvariants(t, c, "after");
});

t.test("an expedited proposal short of the expedited threshold becomes a regular one and passes by the regular threshold", async (t) => {
  const { c, v, user } = await chain(t);
  const small = await tx(c, user, [submitMsg(user.address, [], MIN, { expedited: true })]);
  t.equal(small.code, 0, "an expedited proposal with less than the expedited min deposit waits in its deposit period");
  const id = await submit(t, c, user, [updateParamsAny(c, { quorum: "0.400000000000000000" })], 5n * MIN, { expedited: true });
  const p0 = proposal(c, id)!;
  t.equal(p0.votingEndTime!.seconds - p0.votingStartTime!.seconds, 30n, "expedited voting period");
  for (const [w, o] of [
    [v[0]!, VoteOption.VOTE_OPTION_YES],
    [v[1]!, VoteOption.VOTE_OPTION_YES],
    [v[2]!, VoteOption.VOTE_OPTION_NO],
  ] as const)
    t.equal((await tx(c, w, [voteMsg(w.address, id, o)])).code, 0);
  // 20 / 30 = 0.6667 < 0.667: not enough for an expedited proposal.
  let events: Event[] = [];
  for (let i = 0; i < 10 && proposal(c, id)!.expedited; i++) events.push(...((await run(c, [])).events as Event[]));
  t.same(activeResult(events, id), ["expedited_proposal_rejected"]);
  const p1 = proposal(c, id)!;
  t.equal(p1.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, "still voting");
  t.equal(p1.expedited, false);
  t.equal(p1.votingEndTime!.seconds - p1.votingStartTime!.seconds, 60n, "until voting start + the regular voting period");
  t.equal(balance(c.app, GOV), 6n * MIN, "the deposits stay");
  events = await untilDecided(c, id);
  t.same(activeResult(events, id), ["proposal_passed"]);
  t.equal(params(c).quorum, "0.400000000000000000");
});

t.test("refused messages change no state: unknown or wrong-signer proposal messages, legacy content, bad params, bad votes", async (t) => {
  const { c, v, user } = await chain(t);
  const cases: [string, EncodeObject, number][] = [
    ["an unknown message type", submitMsg(user.address, [{ typeUrl: "/cosmos.nothing.v1.MsgNothing", value: new Uint8Array() }], MIN), 10],
    ["a message not signed by the gov account", submitMsg(user.address, [sendAny(user.address, GOV, 1n)], MIN), 13],
    ["gov's MsgUpdateParams with another authority", submitMsg(user.address, [updateParamsAny(c, {}, user.address)], MIN), 13],
    ["invalid params", submitMsg(user.address, [updateParamsAny(c, { quorum: "1.5" })], MIN), 12],
    [
      "legacy content other than a TextProposal",
      submitMsg(
        user.address,
        [
          {
            typeUrl: "/cosmos.gov.v1.MsgExecLegacyContent",
            value: MsgExecLegacyContent.encode({
              authority: GOV,
              content: {
                typeUrl: "/cosmos.params.v1beta1.ParameterChangeProposal",
                value: ParameterChangeProposal.encode({ title: "x", description: "y", changes: [] }).finish(),
              },
            }).finish(),
          },
        ],
        MIN,
      ),
      12,
    ],
    [
      "a deposit in another denom",
      { ...submitMsg(user.address, [], 0n), value: { ...submitMsg(user.address, [], 0n).value, initialDeposit: [{ denom: "uother", amount: "5" }] } },
      23,
    ],
    ["no initial deposit (below min_deposit_ratio)", submitMsg(user.address, [], 0n), 16],
    ["no title", { ...submitMsg(user.address, [], MIN), value: { ...submitMsg(user.address, [], MIN).value, title: "" } }, 21],
    ["a vote on no proposal", voteMsg(user.address, 42n, VoteOption.VOTE_OPTION_YES), 2],
    ["a vote with no option", voteMsg(user.address, 1n, VoteOption.VOTE_OPTION_UNSPECIFIED), 7],
    [
      "gov's MsgUpdateParams sent directly",
      { typeUrl: "/cosmos.gov.v1.MsgUpdateParams", value: MsgUpdateParams.decode(updateParamsAny(c, {}, user.address).value) },
      13,
    ],
  ];
  const paramsBefore = params(c);
  for (const [what, msg, code] of cases) {
    const before = balance(c.app, user.address);
    const res = await tx(c, user, [msg]);
    t.equal(res.code, code, `${what}: code ${res.code} ${res.log}`);
    t.equal(res.codespace, "gov", what);
    // A stateless refusal (validateBasic) stops the tx before the ante: no fee, no sequence.
    const stateless = res.gasUsed === 0n;
    if (stateless) c.seq.set(user.address, c.seq.get(user.address)! - 1);
    t.equal(balance(c.app, user.address), before - (stateless ? 0n : FEE), `${what}: nothing but the fee was paid`);
  }
  t.same(params(c), paramsBefore, "params unchanged");
  const all = query(
    c.app,
    "/cosmos.gov.v1.Query/Proposals",
    q1.QueryProposalsRequest.encode({ proposalStatus: 0, voter: "", depositor: "" }).finish(),
    q1.QueryProposalsResponse.decode,
  );
  t.equal(all.proposals.length, 0, "no proposal was written");
  // A vote in the deposit period is refused too.
  const id = await submit(t, c, user, [], MIN / 2n);
  const early = await tx(c, v[0]!, [voteMsg(v[0]!.address, id, VoteOption.VOTE_OPTION_YES)]);
  t.equal(early.code, 3, "inactive proposal");
});

t.test("v1beta1: a TextProposal submitted, voted and deposited with v1beta1 messages passes; v1beta1 queries show it", async (t) => {
  const { c, v, user, d } = await chain(t);
  const content = { typeUrl: "/cosmos.gov.v1beta1.TextProposal", value: TextProposal.encode({ title: "signal", description: "we agree" }).finish() };
  const res = await tx(c, user, [
    { typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal", value: { content, initialDeposit: coin(MIN / 2n), proposer: user.address } },
  ]);
  t.equal(res.code, 0, res.log);
  t.equal((await tx(c, d, [{ typeUrl: "/cosmos.gov.v1beta1.MsgDeposit", value: { proposalId: 1n, depositor: d.address, amount: coin(MIN / 2n) } }])).code, 0);
  for (const w of v) t.equal((await tx(c, w, [{ typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: 1n, voter: w.address, option: 1 } }])).code, 0);
  const legacy = query(
    c.app,
    "/cosmos.gov.v1beta1.Query/Proposal",
    qb.QueryProposalRequest.encode({ proposalId: 1n }).finish(),
    qb.QueryProposalResponse.decode,
  ).proposal;
  t.equal(legacy.content!.typeUrl, "/cosmos.gov.v1beta1.TextProposal");
  t.same(TextProposal.decode(legacy.content!.value), { title: "signal", description: "we agree" });
  t.equal(legacy.status, 2);
  const v1 = proposal(c, 1n)!;
  t.equal(v1.title, "signal");
  t.equal(v1.messages[0]!.typeUrl, "/cosmos.gov.v1.MsgExecLegacyContent", "stored as the SDK stores legacy content");
  const tallying = query(
    c.app,
    "/cosmos.gov.v1beta1.Query/Params",
    qb.QueryParamsRequest.encode({ paramsType: "tallying" }).finish(),
    qb.QueryParamsResponse.decode,
  );
  t.equal(Buffer.from(tallying.tallyParams.quorum).toString(), "334000000000000000");
  // v1 as the SDK 0.50: params always, and only the deprecated section params_type names.
  const v1Params = (paramsType: string) =>
    query(c.app, "/cosmos.gov.v1.Query/Params", q1.QueryParamsRequest.encode({ paramsType }).finish(), q1.QueryParamsResponse.decode);
  const v1Tallying = v1Params("tallying");
  t.equal(v1Tallying.tallyParams?.quorum, v1Tallying.params?.quorum);
  t.equal(v1Tallying.votingParams, undefined, "no voting section when tallying is asked");
  t.equal(v1Tallying.depositParams, undefined);
  t.same(v1Params("voting").votingParams?.votingPeriod, v1Tallying.params?.votingPeriod);
  const plain = v1Params("");
  t.ok(plain.params && !plain.votingParams && !plain.depositParams && !plain.tallyParams, "no params_type: params alone");
  t.throws(() => v1Params("bogus"), /unknown params type: bogus/);
  await untilDecided(c, 1n);
  t.equal(proposal(c, 1n)!.status, ProposalStatus.PROPOSAL_STATUS_PASSED);
  const tally = query(
    c.app,
    "/cosmos.gov.v1beta1.Query/TallyResult",
    qb.QueryTallyResultRequest.encode({ proposalId: 1n }).finish(),
    qb.QueryTallyResultResponse.decode,
  ).tally;
  t.equal(tally.yes, (30n * MIRA).toString());
});

t.test("queries: proposals by status, voter and depositor, with pagination; votes, deposits, params", async (t) => {
  const { c, v, user, d } = await chain(t);
  const a = await submit(t, c, user, [], MIN); // voting
  const b = await submit(t, c, d, [], MIN / 2n); // deposit period
  const e = await submit(t, c, user, [], MIN); // voting
  t.equal((await tx(c, d, [depositMsg(d.address, e, MIN / 10n)])).code, 0);
  t.equal((await tx(c, v[0]!, [voteMsg(v[0]!.address, a, VoteOption.VOTE_OPTION_ABSTAIN)])).code, 0);
  const list = (req: Partial<q1.QueryProposalsRequest>) =>
    query(
      c.app,
      "/cosmos.gov.v1.Query/Proposals",
      q1.QueryProposalsRequest.encode({ proposalStatus: 0, voter: "", depositor: "", ...req }).finish(),
      q1.QueryProposalsResponse.decode,
    );
  t.same(
    list({}).proposals.map((p) => p.id),
    [a, b, e],
  );
  t.same(
    list({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD }).proposals.map((p) => p.id),
    [a, e],
  );
  t.same(
    list({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD }).proposals.map((p) => p.id),
    [b],
  );
  t.same(
    list({ voter: v[0]!.address }).proposals.map((p) => p.id),
    [a],
  );
  t.same(
    list({ depositor: d.address }).proposals.map((p) => p.id),
    [b, e],
  );
  const page1 = list({ pagination: { key: new Uint8Array(), offset: 0n, limit: 2n, countTotal: true, reverse: false } });
  t.same(
    page1.proposals.map((p) => p.id),
    [a, b],
  );
  t.equal(page1.pagination!.total, 3n);
  const page2 = list({ pagination: { key: page1.pagination!.nextKey, offset: 0n, limit: 2n, countTotal: false, reverse: false } });
  t.same(
    page2.proposals.map((p) => p.id),
    [e],
  );
  const legacyList = query(
    c.app,
    "/cosmos.gov.v1beta1.Query/Proposals",
    qb.QueryProposalsRequest.encode({ proposalStatus: 1, voter: "", depositor: "" }).finish(),
    qb.QueryProposalsResponse.decode,
  );
  t.same(
    legacyList.proposals.map((p) => p.proposalId),
    [b],
  );
  const vote = query(
    c.app,
    "/cosmos.gov.v1.Query/Vote",
    q1.QueryVoteRequest.encode({ proposalId: a, voter: v[0]!.address }).finish(),
    q1.QueryVoteResponse.decode,
  ).vote!;
  t.same(vote.options, [{ option: VoteOption.VOTE_OPTION_ABSTAIN, weight: "1.000000000000000000" }]);
  const dep = query(
    c.app,
    "/cosmos.gov.v1.Query/Deposit",
    q1.QueryDepositRequest.encode({ proposalId: e, depositor: d.address }).finish(),
    q1.QueryDepositResponse.decode,
  ).deposit!;
  t.same(dep.amount, coin(MIN / 10n));
  const legacyDeposits = query(
    c.app,
    "/cosmos.gov.v1beta1.Query/Deposits",
    qb.QueryDepositsRequest.encode({ proposalId: e }).finish(),
    qb.QueryDepositsResponse.decode,
  );
  t.equal(legacyDeposits.deposits.length, 2);
  t.throws(
    () => query(c.app, "/cosmos.gov.v1.Query/Vote", q1.QueryVoteRequest.encode({ proposalId: a, voter: user.address }).finish(), q1.QueryVoteResponse.decode),
    /not vote/,
  );
  t.same(params(c).minDeposit, coin(MIN));
  t.ok(c.app.services.has("/cosmos.gov.v1.Query/Proposals") && c.app.services.has("/cosmos.gov.v1beta1.Query/Proposal"), "served over ABCI and gRPC");
});

t.test("genesis: proposals, deposits and votes are imported with their queue entries; a bad section is refused", async (t) => {
  const depositor = (await wallet(MNEMONICS[4]!)).address;
  const at = (s: number) => new Date((1_700_000_000 + s) * 1000).toISOString();
  const gov = {
    starting_proposal_id: "8",
    params: { voting_period: "30s", expedited_voting_period: "10s", quorum: "0.4" },
    proposals: [
      {
        id: "7",
        messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: GOV, to_address: depositor, amount: [{ denom: "umira", amount: "1" }] }],
        status: "PROPOSAL_STATUS_VOTING_PERIOD",
        final_tally_result: { yes_count: "0", abstain_count: "0", no_count: "0", no_with_veto_count: "0" },
        submit_time: at(0),
        deposit_end_time: at(60),
        total_deposit: [{ denom: "umira", amount: "5000000" }],
        voting_start_time: at(0),
        voting_end_time: at(30),
        metadata: "",
        title: "imported",
        summary: "from an export",
        proposer: depositor,
        expedited: false,
        failed_reason: "",
      },
    ],
    deposits: [{ proposal_id: "7", depositor, amount: [{ denom: "umira", amount: "5000000" }] }],
    votes: [{ proposal_id: "7", voter: depositor, options: [{ option: "VOTE_OPTION_YES", weight: "1.000000000000000000" }], metadata: "" }],
  };
  const bank = { balances: [{ address: GOV, coins: [{ denom: "umira", amount: "5000000" }] }] };
  const { app } = await startApp(t, { bank, gov } as never);
  const c = { app } as Chain;
  t.same(params(c).votingPeriod, { seconds: 30n, nanos: 0 });
  t.equal(params(c).quorum, "0.400000000000000000", "genesis keeps the text form; left-out fields keep their defaults");
  t.equal(params(c).threshold, "0.500000000000000000");
  const p = proposal(c, 7n)!;
  t.equal(p.title, "imported");
  t.equal(p.messages[0]!.typeUrl, "/cosmos.bank.v1beta1.MsgSend");
  t.equal(query(app, "/cosmos.gov.v1.Query/Votes", q1.QueryVotesRequest.encode({ proposalId: 7n }).finish(), q1.QueryVotesResponse.decode).votes.length, 1);
  for (let i = 0; i < 10 && proposal(c, 7n)!.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD; i++) await block(app, []);
  t.equal(proposal(c, 7n)!.status, ProposalStatus.PROPOSAL_STATUS_REJECTED, "tallied at its voting end (no bonded stake: rejected)");
  t.equal(balance(app, depositor), 5_000_000n, "the imported deposit was refunded");

  await t.rejects(startApp(t, { gov: { params: { quorum: "1.5" } } } as never), /quorum 1.5 is above 1/);
  await t.rejects(startApp(t, { gov: { params: { expedited_voting_period: "3000000s" } } } as never), /expedited_voting_period must be shorter/);
  await t.rejects(startApp(t, { gov: { ...gov, deposits: gov.deposits } } as never), /the gov module account holds .* but the deposits add up to/);
  await t.rejects(startApp(t, { bank, gov: { ...gov, starting_proposal_id: "7" } } as never), /proposal id 7 must be in \[1, starting_proposal_id\)/);
});

t.test("burn_proposal_deposit_prevote burns a dropped proposal's deposit; proposal_cancel_dest = distribution funds the community pool", async (t) => {
  const distribution = bech32Address(moduleAddress("distribution"));
  const { c, user } = await chain(t, { params: { burn_proposal_deposit_prevote: true, proposal_cancel_dest: distribution } });
  const dropped = await submit(t, c, user, [], MIN / 2n);
  const before = balance(c.app, user.address);
  for (let i = 0; i < 15 && proposal(c, dropped) !== undefined; i++) await run(c, []);
  t.equal(proposal(c, dropped), undefined);
  t.equal(balance(c.app, user.address), before, "burnt, not refunded");
  t.equal(balance(c.app, GOV), 0n);
  const cancelled = await submit(t, c, user, [], 2n * MIN);
  const pool = () =>
    BigInt(
      query(c.app, "/cosmos.distribution.v1beta1.Query/CommunityPool", new Uint8Array(), QueryCommunityPoolResponse.decode).pool.find(
        (x) => x.denom === "umira",
      )?.amount ?? "0",
    );
  const poolBefore = pool();
  const res = await tx(c, user, [{ typeUrl: "/cosmos.gov.v1.MsgCancelProposal", value: { proposalId: cancelled, proposer: user.address } }]);
  t.equal(res.code, 0, res.log);
  t.ok(pool() - poolBefore >= MIN * 10n ** 18n, "half the deposit went to the community pool");
  checkInvariants(t, c, "after");
});

t.test(
  "property: the tally equals an independent recount from the final stake after random votes, weighted votes, deposits, delegations and redelegations",
  async (t) => {
    for (const seed of [11, 22, 33]) {
      const rng = new Rng(seed);
      const { c, v, d, user } = await chain(t, { params: { voting_period: "150s" } });
      const actors = [...v, d, user];
      const ops = valopers(v);
      const id = await submit(t, c, user, [], MIN);
      const randomVote = (w: Wallet): EncodeObject => {
        const options = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO]
          .filter(() => rng.int(2) === 0)
          .slice(0, 3);
        if (options.length === 0) return voteMsg(w.address, id, 1 + rng.int(4));
        let left = 10;
        const weighted = options.map((option, i) => {
          const tenths = i === options.length - 1 ? left : 1 + rng.int(left - (options.length - 1 - i));
          left -= tenths;
          return { option, weight: `0.${tenths}`.replace("0.10", "1") };
        });
        return { typeUrl: "/cosmos.gov.v1.MsgVoteWeighted", value: { proposalId: id, voter: w.address, options: weighted, metadata: "" } };
      };
      for (let step = 0; step < 20; step++) {
        const r = rng.int(10);
        const w = actors[rng.int(actors.length)]!;
        const stake = (BigInt(1 + rng.int(5)) * MIRA).toString();
        if (r < 4) await tx(c, w, [randomVote(w)]);
        else if (r < 6) await tx(c, w, [delegateMsg(w.address, ops[rng.int(3)]!, stake)]);
        else if (r < 8)
          await tx(c, w, [redelegateMsg(w.address, ops[rng.int(3)]!, ops[rng.int(3)]!, stake)]); // may fail: no such delegation, self or transitive
        else await tx(c, w, [depositMsg(w.address, id, MIN / 10n)]);
      }
      t.equal(proposal(c, id)!.status, ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD, `seed ${seed}: still voting`);
      const want = recount(c, id, actors, ops);
      t.same(liveTally(c, id), want, `seed ${seed}: live tally = recount ${JSON.stringify(want)}`);
      await untilDecided(c, id, 40);
      t.same(proposal(c, id)!.finalTallyResult, want, `seed ${seed}: final tally = recount`);
    }
  },
);

const valopers = (v: Wallet[]) => v.map((w) => valoper(w.address));

/**
 * The tally recomputed from the stake as the queries show it. No slashing happens, so shares equal
 * tokens and weights are tenths: every product is exact, and the counts are whole umira.
 */
function recount(c: Chain, id: bigint, actors: Wallet[], ops: string[]) {
  const votes = query(c.app, "/cosmos.gov.v1.Query/Votes", q1.QueryVotesRequest.encode({ proposalId: id }).finish(), q1.QueryVotesResponse.decode).votes;
  const tenthsOf = (weight: string) => BigInt(weight.replace(".", "").slice(0, 2)); // "0.300000000000000000" → 3, "1.000..." → 10
  const byVoter = new Map(votes.map((x) => [x.voter, x.options]));
  const results = new Map<VoteOption, bigint>([1, 2, 3, 4].map((o) => [o as VoteOption, 0n]));
  const add = (options: { option: VoteOption; weight: string }[], power: bigint) => {
    for (const o of options) results.set(o.option, results.get(o.option)! + power * tenthsOf(o.weight));
  };
  for (const op of ops) {
    const tokens = BigInt(validators(c.app).find((x) => x.operatorAddress === op)!.tokens);
    let ownedByVoters = 0n;
    for (const a of actors) {
      const stake = delegationBalance(c.app, a.address, op) ?? 0n;
      const own = byVoter.get(a.address);
      if (own === undefined) continue;
      ownedByVoters += stake;
      add(own, stake);
    }
    const validatorVote = byVoter.get(actors.find((a) => valoper(a.address) === op)!.address);
    if (validatorVote !== undefined) add(validatorVote, tokens - ownedByVoters);
  }
  const count = (o: VoteOption) => (results.get(o)! / 10n).toString();
  return { yesCount: count(1), abstainCount: count(2), noCount: count(3), noWithVetoCount: count(4) };
}
