// gov's params: the SDK v0.50 defaults, and the one validation that genesis and MsgUpdateParams share.
import type { Params } from "cosmjs-types/cosmos/gov/v1/gov";
import { type Amount, parseCoins } from "../../app/core/coins";
import { formatDec, ONE_DEC, parseDecText } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import { parseAddress } from "../../app/core/address";
import { millis } from "../../app/core/time";

const DAY_S = 86_400n;

/** The Cosmos SDK v0.50 defaults, in the chain's denom: 10 MIRA to open a vote (50 expedited), two days to deposit and to vote. */
export const DEFAULT_GOV_PARAMS: Params = {
  minDeposit: [{ denom: "umira", amount: "10000000" }],
  maxDepositPeriod: { seconds: 2n * DAY_S, nanos: 0 },
  votingPeriod: { seconds: 2n * DAY_S, nanos: 0 },
  quorum: "0.334000000000000000",
  threshold: "0.500000000000000000",
  vetoThreshold: "0.334000000000000000",
  minInitialDepositRatio: "0.000000000000000000",
  proposalCancelRatio: "0.500000000000000000",
  proposalCancelDest: "",
  expeditedVotingPeriod: { seconds: DAY_S, nanos: 0 },
  expeditedThreshold: "0.667000000000000000",
  expeditedMinDeposit: [{ denom: "umira", amount: "50000000" }],
  burnVoteQuorum: false,
  burnProposalDepositPrevote: false,
  burnVoteVeto: true,
  minDepositRatio: "0.010000000000000000",
};

/** gov's params as the keeper computes with them: coins parsed, ratios as LegacyDec atomics, periods in ms. */
export interface GovRules {
  minDeposit: Amount[];
  expeditedMinDeposit: Amount[];
  maxDepositPeriodMs: bigint;
  votingPeriodMs: bigint;
  expeditedVotingPeriodMs: bigint;
  quorum: bigint;
  threshold: bigint;
  vetoThreshold: bigint;
  expeditedThreshold: bigint;
  minInitialDepositRatio: bigint;
  proposalCancelRatio: bigint;
  proposalCancelDest: Buffer | undefined;
  minDepositRatio: bigint;
  burnVoteQuorum: boolean;
  burnProposalDepositPrevote: boolean;
  burnVoteVeto: boolean;
}

const bad = (message: string) => chainError(SdkCode.InvalidRequest, `gov params: ${message}`);

function ratio(text: string, name: string, { positive }: { positive: boolean }): bigint {
  let v: bigint;
  try {
    v = parseDecText(text, name);
  } catch {
    throw bad(`${name} "${text}" is not a decimal such as 0.5`);
  }
  if (positive && v === 0n) throw bad(`${name} must be positive`);
  if (v > ONE_DEC) throw bad(`${name} ${text} is above 1`);
  return v;
}

function period(d: { seconds: bigint; nanos: number } | undefined, name: string): bigint {
  if (d === undefined) throw bad(`${name} is missing`);
  const ms = millis(d);
  if (d.seconds < 0n || d.nanos < 0 || ms <= 0n) throw bad(`${name} must be positive`);
  return ms;
}

function coins(list: Params["minDeposit"], name: string): Amount[] {
  let out: Amount[];
  try {
    out = parseCoins(list, name);
  } catch (err) {
    throw bad((err as Error).message);
  }
  if (out.length === 0) throw bad(`${name} must not be empty`);
  return out;
}

/**
 * Checks every field as the SDK's Params.ValidateBasic does and returns the computed form; throws
 * InvalidRequest (sdk 18) naming the first field that breaks a rule. Genesis and MsgUpdateParams both call it.
 */
export function govRules(p: Params): GovRules {
  const minDeposit = coins(p.minDeposit, "min_deposit");
  const expeditedMinDeposit = coins(p.expeditedMinDeposit, "expedited_min_deposit");
  for (const m of minDeposit) {
    const e = expeditedMinDeposit.find((x) => x.denom === m.denom);
    if (e === undefined || e.amount <= m.amount) throw bad(`expedited_min_deposit must be greater than min_deposit in ${m.denom}`);
  }
  const maxDepositPeriodMs = period(p.maxDepositPeriod, "max_deposit_period");
  const votingPeriodMs = period(p.votingPeriod, "voting_period");
  const expeditedVotingPeriodMs = period(p.expeditedVotingPeriod, "expedited_voting_period");
  if (expeditedVotingPeriodMs >= votingPeriodMs) throw bad("expedited_voting_period must be shorter than voting_period");
  const quorum = ratio(p.quorum, "quorum", { positive: false });
  const threshold = ratio(p.threshold, "threshold", { positive: true });
  const expeditedThreshold = ratio(p.expeditedThreshold, "expedited_threshold", { positive: true });
  if (expeditedThreshold <= threshold) throw bad("expedited_threshold must be greater than threshold");
  const vetoThreshold = ratio(p.vetoThreshold, "veto_threshold", { positive: true });
  const minInitialDepositRatio = ratio(p.minInitialDepositRatio, "min_initial_deposit_ratio", { positive: false });
  const proposalCancelRatio = ratio(p.proposalCancelRatio, "proposal_cancel_ratio", { positive: false });
  const minDepositRatio = ratio(p.minDepositRatio, "min_deposit_ratio", { positive: false });
  let proposalCancelDest: Buffer | undefined;
  if (p.proposalCancelDest !== "") {
    try {
      proposalCancelDest = parseAddress(p.proposalCancelDest);
    } catch {
      throw bad(`proposal_cancel_dest "${p.proposalCancelDest}" is not an address (leave it empty to burn)`);
    }
  }
  return {
    minDeposit,
    expeditedMinDeposit,
    maxDepositPeriodMs,
    votingPeriodMs,
    expeditedVotingPeriodMs,
    quorum,
    threshold,
    vetoThreshold,
    expeditedThreshold,
    minInitialDepositRatio,
    proposalCancelRatio,
    proposalCancelDest,
    minDepositRatio,
    burnVoteQuorum: p.burnVoteQuorum,
    burnProposalDepositPrevote: p.burnProposalDepositPrevote,
    burnVoteVeto: p.burnVoteVeto,
  };
}

/** The params with every ratio in LegacyDec's 18-digit text form ("0.4" → "0.400000000000000000"), as stored and queried. */
export function canonicalParams(p: Params): Params {
  const r = govRules(p);
  return {
    ...p,
    quorum: formatDec(r.quorum),
    threshold: formatDec(r.threshold),
    vetoThreshold: formatDec(r.vetoThreshold),
    expeditedThreshold: formatDec(r.expeditedThreshold),
    minInitialDepositRatio: formatDec(r.minInitialDepositRatio),
    proposalCancelRatio: formatDec(r.proposalCancelRatio),
    minDepositRatio: formatDec(r.minDepositRatio),
  };
}
