// cosmos.gov.v1.Query and cosmos.gov.v1beta1.Query over the one query router (ABCI and gRPC).
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { MsgExecLegacyContent } from "cosmjs-types/cosmos/gov/v1/tx";
import { type Deposit, type Proposal, type ProposalStatus, type TallyResult, type Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import * as q1 from "cosmjs-types/cosmos/gov/v1/query";
import * as b1 from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as qb from "cosmjs-types/cosmos/gov/v1beta1/query";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { parseAddress } from "../../app/core/address";
import type { Context } from "../../app/core/context";
import { decBytes, parseDecText } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import { paginate } from "../../app/core/pagination";
import { notFound, type QueryRouter } from "../../app/core/router";
import { EXEC_LEGACY_CONTENT_URL, type GovKeeper, TEXT_PROPOSAL_URL } from "./keeper";

const V1 = "/cosmos.gov.v1.Query/";
const V1BETA1 = "/cosmos.gov.v1beta1.Query/";
/** The SDK's zero time (0001-01-01T00:00:00Z), for a v1beta1 time that is not set yet. */
const ZERO_TIME: Timestamp = { seconds: -62_135_596_800n, nanos: 0 };

function proposalOf(gov: GovKeeper, ctx: Context, id: bigint): Proposal {
  if (id === 0n) throw chainError(SdkCode.InvalidRequest, "proposal id can not be 0");
  const p = gov.getProposal(ctx, id);
  if (p === undefined) throw notFound(`proposal ${id} doesn't exist`);
  return p;
}

const optionalAddress = (text: string): Buffer | undefined => (text === "" ? undefined : parseAddress(text));

/** A v1 proposal as v1beta1 shows it: its legacy content, or its one message, or (with none or several) a TextProposal of its title and summary. */
function legacyProposal(p: Proposal): b1.Proposal {
  let content: Any;
  const only = p.messages.length === 1 ? p.messages[0]! : undefined;
  if (only?.typeUrl === EXEC_LEGACY_CONTENT_URL && MsgExecLegacyContent.decode(only.value).content !== undefined) {
    content = MsgExecLegacyContent.decode(only.value).content!;
  } else if (only !== undefined) {
    content = only;
  } else {
    content = { typeUrl: TEXT_PROPOSAL_URL, value: TextProposal.encode({ title: p.title, description: p.summary }).finish() };
  }
  const t = p.finalTallyResult;
  return {
    proposalId: p.id,
    content,
    status: p.status as number as b1.ProposalStatus,
    finalTallyResult: { yes: t?.yesCount ?? "0", abstain: t?.abstainCount ?? "0", no: t?.noCount ?? "0", noWithVeto: t?.noWithVetoCount ?? "0" },
    submitTime: p.submitTime ?? ZERO_TIME,
    depositEndTime: p.depositEndTime ?? ZERO_TIME,
    totalDeposit: p.totalDeposit,
    votingStartTime: p.votingStartTime ?? ZERO_TIME,
    votingEndTime: p.votingEndTime ?? ZERO_TIME,
  };
}

function legacyTally(t: TallyResult): b1.TallyResult {
  return { yes: t.yesCount, abstain: t.abstainCount, no: t.noCount, noWithVeto: t.noWithVetoCount };
}

/** A v1 vote as v1beta1 shows it: weights as LegacyDec atomics; `option` set when it is one option of weight 1. */
function legacyVote(v: Vote): b1.Vote {
  const options = v.options.map((o) => ({ option: o.option as number as b1.VoteOption, weight: parseDecText(o.weight, "weight").toString() }));
  const single = v.options.length === 1 ? (v.options[0]!.option as number as b1.VoteOption) : b1.VoteOption.VOTE_OPTION_UNSPECIFIED;
  return { proposalId: v.proposalId, voter: v.voter, option: single, options };
}

function voteOf(gov: GovKeeper, ctx: Context, id: bigint, voter: string): Vote {
  proposalOf(gov, ctx, id);
  const v = gov.getVote(ctx, id, parseAddress(voter));
  if (v === undefined) throw notFound(`voter ${voter} did not vote on proposal ${id}`);
  return v;
}

function depositOf(gov: GovKeeper, ctx: Context, id: bigint, depositor: string): Deposit {
  proposalOf(gov, ctx, id);
  const d = gov.getDeposit(ctx, id, parseAddress(depositor));
  if (d === undefined) throw notFound(`depositor ${depositor} has no deposit on proposal ${id}`);
  return d;
}

export function registerGovQueries(router: QueryRouter, gov: GovKeeper): void {
  // ---- v1 ----
  router.register(`${V1}Constitution`, () => q1.QueryConstitutionResponse.encode({ constitution: "" }).finish());
  // As the SDK 0.50: `params` always; of the deprecated per-type fields, only the one params_type names.
  router.register(`${V1}Params`, (ctx, bytes) => {
    const req = q1.QueryParamsRequest.decode(bytes);
    const params = gov.params(ctx);
    const res: q1.QueryParamsResponse = { params };
    if (req.paramsType === "voting") res.votingParams = { votingPeriod: params.votingPeriod };
    else if (req.paramsType === "deposit") res.depositParams = { minDeposit: params.minDeposit, maxDepositPeriod: params.maxDepositPeriod };
    else if (req.paramsType === "tallying") res.tallyParams = { quorum: params.quorum, threshold: params.threshold, vetoThreshold: params.vetoThreshold };
    else if (req.paramsType !== "") throw chainError(SdkCode.InvalidRequest, `unknown params type: ${req.paramsType}`);
    return q1.QueryParamsResponse.encode(res).finish();
  });
  router.register(`${V1}Proposal`, (ctx, bytes) => {
    const req = q1.QueryProposalRequest.decode(bytes);
    return q1.QueryProposalResponse.encode({ proposal: proposalOf(gov, ctx, req.proposalId) }).finish();
  });
  router.register(`${V1}Proposals`, (ctx, bytes) => {
    const req = q1.QueryProposalsRequest.decode(bytes);
    const all = gov.filteredProposals(ctx, req.proposalStatus, optionalAddress(req.voter), optionalAddress(req.depositor));
    const { items, pagination } = paginate(all, req.pagination);
    return q1.QueryProposalsResponse.encode({ proposals: items, pagination }).finish();
  });
  router.register(`${V1}Vote`, (ctx, bytes) => {
    const req = q1.QueryVoteRequest.decode(bytes);
    return q1.QueryVoteResponse.encode({ vote: voteOf(gov, ctx, req.proposalId, req.voter) }).finish();
  });
  router.register(`${V1}Votes`, (ctx, bytes) => {
    const req = q1.QueryVotesRequest.decode(bytes);
    proposalOf(gov, ctx, req.proposalId);
    const { items, pagination } = paginate(gov.votes(ctx, req.proposalId), req.pagination);
    return q1.QueryVotesResponse.encode({ votes: items, pagination }).finish();
  });
  router.register(`${V1}Deposit`, (ctx, bytes) => {
    const req = q1.QueryDepositRequest.decode(bytes);
    return q1.QueryDepositResponse.encode({ deposit: depositOf(gov, ctx, req.proposalId, req.depositor) }).finish();
  });
  router.register(`${V1}Deposits`, (ctx, bytes) => {
    const req = q1.QueryDepositsRequest.decode(bytes);
    proposalOf(gov, ctx, req.proposalId);
    const { items, pagination } = paginate(gov.deposits(ctx, req.proposalId), req.pagination);
    return q1.QueryDepositsResponse.encode({ deposits: items, pagination }).finish();
  });
  router.register(`${V1}TallyResult`, (ctx, bytes) => {
    const req = q1.QueryTallyResultRequest.decode(bytes);
    return q1.QueryTallyResultResponse.encode({ tally: gov.currentTally(ctx, proposalOf(gov, ctx, req.proposalId)) }).finish();
  });

  // ---- v1beta1 ----
  router.register(`${V1BETA1}Params`, (ctx, bytes) => {
    const req = qb.QueryParamsRequest.decode(bytes);
    const p = gov.params(ctx);
    const res: qb.QueryParamsResponse = {
      votingParams: { votingPeriod: { seconds: 0n, nanos: 0 } },
      depositParams: { minDeposit: [], maxDepositPeriod: { seconds: 0n, nanos: 0 } },
      tallyParams: { quorum: decBytes(0n), threshold: decBytes(0n), vetoThreshold: decBytes(0n) },
    };
    if (req.paramsType === "voting") res.votingParams = { votingPeriod: p.votingPeriod! };
    else if (req.paramsType === "deposit") res.depositParams = { minDeposit: p.minDeposit, maxDepositPeriod: p.maxDepositPeriod! };
    else if (req.paramsType === "tallying") {
      const dec = (text: string) => decBytes(parseDecText(text, "tally param"));
      res.tallyParams = { quorum: dec(p.quorum), threshold: dec(p.threshold), vetoThreshold: dec(p.vetoThreshold) };
    } else throw chainError(SdkCode.InvalidRequest, `unknown params type "${req.paramsType}"; use voting, deposit or tallying`);
    return qb.QueryParamsResponse.encode(res).finish();
  });
  router.register(`${V1BETA1}Proposal`, (ctx, bytes) => {
    const req = qb.QueryProposalRequest.decode(bytes);
    return qb.QueryProposalResponse.encode({ proposal: legacyProposal(proposalOf(gov, ctx, req.proposalId)) }).finish();
  });
  router.register(`${V1BETA1}Proposals`, (ctx, bytes) => {
    const req = qb.QueryProposalsRequest.decode(bytes);
    const all = gov.filteredProposals(ctx, req.proposalStatus as number as ProposalStatus, optionalAddress(req.voter), optionalAddress(req.depositor));
    const { items, pagination } = paginate(all, req.pagination);
    return qb.QueryProposalsResponse.encode({ proposals: items.map(legacyProposal), pagination }).finish();
  });
  router.register(`${V1BETA1}Vote`, (ctx, bytes) => {
    const req = qb.QueryVoteRequest.decode(bytes);
    return qb.QueryVoteResponse.encode({ vote: legacyVote(voteOf(gov, ctx, req.proposalId, req.voter)) }).finish();
  });
  router.register(`${V1BETA1}Votes`, (ctx, bytes) => {
    const req = qb.QueryVotesRequest.decode(bytes);
    proposalOf(gov, ctx, req.proposalId);
    const { items, pagination } = paginate(gov.votes(ctx, req.proposalId), req.pagination);
    return qb.QueryVotesResponse.encode({ votes: items.map(legacyVote), pagination }).finish();
  });
  router.register(`${V1BETA1}Deposit`, (ctx, bytes) => {
    const req = qb.QueryDepositRequest.decode(bytes);
    return qb.QueryDepositResponse.encode({ deposit: depositOf(gov, ctx, req.proposalId, req.depositor) }).finish();
  });
  router.register(`${V1BETA1}Deposits`, (ctx, bytes) => {
    const req = qb.QueryDepositsRequest.decode(bytes);
    proposalOf(gov, ctx, req.proposalId);
    const { items, pagination } = paginate(gov.deposits(ctx, req.proposalId), req.pagination);
    return qb.QueryDepositsResponse.encode({ deposits: items, pagination }).finish();
  });
  router.register(`${V1BETA1}TallyResult`, (ctx, bytes) => {
    const req = qb.QueryTallyResultRequest.decode(bytes);
    return qb.QueryTallyResultResponse.encode({ tally: legacyTally(gov.currentTally(ctx, proposalOf(gov, ctx, req.proposalId))) }).finish();
  });
}
