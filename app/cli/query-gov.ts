// `mirad query gov ...`: proposal, proposals [--status], vote, votes, tally, params, over cosmos.gov.v1.Query.
import { createProtobufRpcClient, type QueryClient } from "@cosmjs/stargate";
import { Params, Proposal, ProposalStatus, TallyResult, Vote, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryClientImpl } from "cosmjs-types/cosmos/gov/v1/query";
import { bech32Address, parseAddress } from "../core/address";
import { moduleAddress } from "../../modules/auth/keeper";
import { GOV_MODULE } from "../../modules/gov/keeper";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { parseOutputFormat, printJson, printRecords, usageError } from "./output";
import { QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler, withQueryClient } from "./query-client";

const help = (what: string, usage: string, more = "") => `${what}

Usage: ${usage}

${more}${QUERY_FLAGS_HELP}`;

const PROPOSAL_HELP = help(
  "One proposal: its messages, status, deposits, voting times and (once decided) its final tally or failure.",
  "mirad query gov proposal <proposal-id> [flags]",
);
const PROPOSALS_HELP = help(
  "Every proposal, optionally of one status.",
  "mirad query gov proposals [--status deposit_period|voting_period|passed|rejected|failed] [flags]",
  `      --status S                   only proposals with this status
`,
);
const VOTE_HELP = help(
  "How <voter> voted on a proposal (while it is voting: votes are deleted once it is decided, as in the SDK).",
  "mirad query gov vote <proposal-id> <voter-addr> [flags]",
);
const VOTES_HELP = help("Every vote on a proposal in its voting period.", "mirad query gov votes <proposal-id> [flags]");
const TALLY_HELP = help("The tally of a proposal: live while it is voting, final once decided.", "mirad query gov tally <proposal-id> [flags]");
const PARAMS_HELP = help("gov's parameters, and the gov module account (the authority of every MsgUpdateParams).", "mirad query gov params [flags]");

export const COMMANDS: Readonly<Record<string, QueryHandler>> = {
  proposal: proposalCommand,
  proposals: proposalsCommand,
  vote: voteCommand,
  votes: votesCommand,
  tally: tallyCommand,
  params: paramsCommand,
};

const STATUSES: Readonly<Record<string, ProposalStatus>> = {
  deposit_period: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
  voting_period: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
  passed: ProposalStatus.PROPOSAL_STATUS_PASSED,
  rejected: ProposalStatus.PROPOSAL_STATUS_REJECTED,
  failed: ProposalStatus.PROPOSAL_STATUS_FAILED,
};

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** cosmjs-types' JSON (camelCase, durations as {seconds, nanos}) as `simd query gov` prints it: snake_case, durations as "60s". */
function sdkJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sdkJson);
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value).sort().join(",");
  if (keys === "nanos,seconds") {
    const d = value as { seconds: string; nanos: number };
    return d.nanos === 0 ? `${d.seconds}s` : `${d.seconds}.${String(d.nanos).padStart(9, "0").replace(/0+$/, "")}s`;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === "typeUrl" ? "@type" : snake(k), sdkJson(v)]));
}

function proposalIdArg(text: string, command: string): bigint {
  if (!/^[1-9][0-9]{0,19}$/.test(text)) throw usageError(`proposal id "${text}" is not a positive integer`, command);
  return BigInt(text);
}

const time = (t: { seconds: bigint; nanos: number } | undefined) => (t === undefined ? "" : new Date(Number(t.seconds) * 1000).toISOString());

function proposalRecord(p: Proposal): Record<string, string> {
  return {
    id: p.id.toString(),
    status: ProposalStatus[p.status].replace("PROPOSAL_STATUS_", ""),
    title: p.title,
    messages: p.messages.map((m) => m.typeUrl).join(", "),
    proposer: p.proposer,
    total_deposit: p.totalDeposit.map((c) => `${c.amount}${c.denom}`).join(","),
    deposit_end_time: time(p.depositEndTime),
    voting_end_time: time(p.votingEndTime),
    expedited: String(p.expedited),
    ...(p.failedReason === "" ? {} : { failed_reason: p.failedReason }),
  };
}

async function query<T>(flags: { node: string; height?: string }, command: string, run: (gov: QueryClientImpl) => Promise<T>): Promise<T> {
  const height = integerFlag(flags.height, "height", command);
  return withQueryClient(flags.node, height, (client: QueryClient) => run(new QueryClientImpl(createProtobufRpcClient(client))));
}

async function proposalCommand(args: string[]): Promise<number> {
  const command = "query gov proposal";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PROPOSAL_HELP);
  const [idText] = positionalArguments(flags.positionals, ["proposal-id"], command);
  const proposalId = proposalIdArg(idText, command);
  const output = parseOutputFormat(flags.values.output);
  const { proposal } = await query(flags.values, command, (gov) => gov.Proposal({ proposalId }));
  if (output === "json") printJson({ proposal: sdkJson(Proposal.toJSON(proposal!)) });
  else printRecords([proposalRecord(proposal!)]);
  return 0;
}

async function proposalsCommand(args: string[]): Promise<number> {
  const command = "query gov proposals";
  const flags = parseFlags(args, { ...QUERY_FLAGS, status: { type: "string" } }, command);
  if (flags.values.help === true) return printHelp(PROPOSALS_HELP);
  positionalArguments(flags.positionals, [], command);
  const statusText = flags.values.status;
  const status = statusText === undefined ? ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED : STATUSES[statusText.toLowerCase()];
  if (status === undefined) throw usageError(`unknown status "${statusText}"; use ${Object.keys(STATUSES).join(", ")}`, command);
  const output = parseOutputFormat(flags.values.output);
  const proposals: Proposal[] = [];
  await query(flags.values, command, async (gov) => {
    let key: Uint8Array = new Uint8Array();
    do {
      const page = await gov.Proposals({
        proposalStatus: status,
        voter: "",
        depositor: "",
        pagination: { key, offset: 0n, limit: 100n, countTotal: false, reverse: false },
      });
      proposals.push(...page.proposals);
      key = page.pagination?.nextKey ?? new Uint8Array();
    } while (key.length > 0);
  });
  if (output === "json") printJson({ proposals: proposals.map((p) => sdkJson(Proposal.toJSON(p))) });
  else if (proposals.length === 0) printRecords([{ proposals: "none" }]);
  else printRecords(proposals.map(proposalRecord));
  return 0;
}

function voteText(v: Vote): Record<string, string> {
  return {
    proposal_id: v.proposalId.toString(),
    voter: v.voter,
    options: v.options.map((o) => `${VoteOption[o.option].replace("VOTE_OPTION_", "").toLowerCase()}=${o.weight}`).join(","),
  };
}

async function voteCommand(args: string[]): Promise<number> {
  const command = "query gov vote";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(VOTE_HELP);
  const [idText, voter] = positionalArguments(flags.positionals, ["proposal-id", "voter-addr"], command);
  const proposalId = proposalIdArg(idText, command);
  parseAddress(voter);
  const output = parseOutputFormat(flags.values.output);
  const { vote } = await query(flags.values, command, (gov) => gov.Vote({ proposalId, voter }));
  if (output === "json") printJson({ vote: sdkJson(Vote.toJSON(vote!)) });
  else printRecords([voteText(vote!)]);
  return 0;
}

async function votesCommand(args: string[]): Promise<number> {
  const command = "query gov votes";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(VOTES_HELP);
  const [idText] = positionalArguments(flags.positionals, ["proposal-id"], command);
  const proposalId = proposalIdArg(idText, command);
  const output = parseOutputFormat(flags.values.output);
  const { votes } = await query(flags.values, command, (gov) => gov.Votes({ proposalId, pagination: undefined }));
  if (output === "json") printJson({ votes: votes.map((v) => sdkJson(Vote.toJSON(v))) });
  else if (votes.length === 0) printRecords([{ votes: "none" }]);
  else printRecords(votes.map(voteText));
  return 0;
}

async function tallyCommand(args: string[]): Promise<number> {
  const command = "query gov tally";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(TALLY_HELP);
  const [idText] = positionalArguments(flags.positionals, ["proposal-id"], command);
  const proposalId = proposalIdArg(idText, command);
  const output = parseOutputFormat(flags.values.output);
  const { tally } = await query(flags.values, command, (gov) => gov.TallyResult({ proposalId }));
  const json = sdkJson(TallyResult.toJSON(tally!)) as Record<string, string>;
  if (output === "json") printJson({ tally: json });
  else printRecords([json]);
  return 0;
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query gov params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const { params } = await query(flags.values, command, (gov) => gov.Params({ paramsType: "" }));
  const json = sdkJson(Params.toJSON(params!)) as Record<string, unknown>;
  const authority = bech32Address(moduleAddress(GOV_MODULE));
  if (output === "json") printJson({ params: json, gov_module_account: authority });
  else {
    const text = Object.fromEntries(Object.entries(json).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    printRecords([{ ...text, gov_module_account: authority }]);
  }
  return 0;
}
