// `mirad tx gov ...`: submit-proposal (the SDK v0.50 proposal file), deposit, vote, weighted-vote, cancel.
import fs from "node:fs";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MsgCancelProposal, MsgDeposit, MsgSubmitProposal, MsgVote, MsgVoteWeighted } from "cosmjs-types/cosmos/gov/v1/tx";
import { formatAmounts, parseCoinsText, toCoin } from "../core/coins";
import { formatDec, parseDecText } from "../core/dec";
import { anyFromJson } from "../../modules/gov/msg-json";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { usageError } from "./output";
import { runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

const SUBMIT_HELP = txHelp(
  `Submit a proposal from a JSON file in the Cosmos SDK v0.50 format:
  {"messages": [{"@type": "/cosmos.gov.v1.MsgUpdateParams", "authority": "<gov module address>", "params": {...}}],
   "metadata": "ipfs://...", "deposit": "10000000umira", "title": "...", "summary": "...", "expedited": false}
Each message must have the gov module account as its authority (mirad query gov params prints it)`,
  "mirad tx gov submit-proposal <from> <proposal.json> [flags]",
);
const DEPOSIT_HELP = txHelp(
  "Add a deposit to a proposal",
  "mirad tx gov deposit <from> <proposal-id> <amount> [flags]    e.g. ... deposit alice 1 5000000umira",
);
const VOTE_HELP = txHelp("Vote on a proposal in its voting period", "mirad tx gov vote <from> <proposal-id> yes|no|abstain|no_with_veto [flags]");
const WEIGHTED_HELP = txHelp(
  "Split a vote between options; the weights add up to 1",
  "mirad tx gov weighted-vote <from> <proposal-id> <option=weight,...> [flags]    e.g. ... weighted-vote alice 1 yes=0.6,no=0.4",
);
const CANCEL_HELP = txHelp(
  "Cancel a proposal you submitted, before its voting period ends (part of each deposit is burnt: proposal_cancel_ratio)",
  "mirad tx gov cancel <from> <proposal-id> [flags]",
);

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  "submit-proposal": submitProposalCommand,
  deposit: depositCommand,
  vote: voteCommand,
  "weighted-vote": weightedVoteCommand,
  cancel: cancelCommand,
};

const OPTIONS: Readonly<Record<string, VoteOption>> = {
  yes: VoteOption.VOTE_OPTION_YES,
  no: VoteOption.VOTE_OPTION_NO,
  abstain: VoteOption.VOTE_OPTION_ABSTAIN,
  no_with_veto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
  nowithveto: VoteOption.VOTE_OPTION_NO_WITH_VETO,
};

function optionArg(text: string, command: string): VoteOption {
  const option = OPTIONS[text.toLowerCase()];
  if (option === undefined) throw usageError(`unknown vote option "${text}"; use yes, no, abstain or no_with_veto`, command);
  return option;
}

function proposalIdArg(text: string, command: string): bigint {
  if (!/^[1-9][0-9]{0,19}$/.test(text)) throw usageError(`proposal id "${text}" is not a positive integer`, command);
  return BigInt(text);
}

/** The proposal file: the SDK's fields; messages in JSON with "@type". */
interface ProposalFile {
  messages?: Record<string, unknown>[];
  metadata?: string;
  deposit?: string;
  title?: string;
  summary?: string;
  expedited?: boolean;
}

/** Reads and converts the proposal file; throws a usage error naming what is wrong. */
export function readProposalFile(file: string, proposer: string, command: string): MsgSubmitProposal {
  let json: ProposalFile;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8")) as ProposalFile;
  } catch (err) {
    throw usageError(`cannot read the proposal file ${file}: ${(err as Error).message}`, command);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw usageError(`${file} must hold a JSON object`, command);
  const messages = (json.messages ?? []).map((m, i) => {
    try {
      return anyFromJson(m);
    } catch (err) {
      throw usageError(`${file}: message ${i}: ${(err as Error).message}`, command);
    }
  });
  let deposit;
  try {
    deposit = parseCoinsText(json.deposit ?? "");
  } catch (err) {
    throw usageError(`${file}: deposit: ${(err as Error).message}`, command);
  }
  return MsgSubmitProposal.fromPartial({
    messages,
    initialDeposit: deposit.map(toCoin),
    proposer,
    metadata: json.metadata ?? "",
    title: json.title ?? "",
    summary: json.summary ?? "",
    expedited: json.expedited === true,
  });
}

async function submitProposalCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx gov submit-proposal";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(SUBMIT_HELP);
  const [from, file] = positionalArguments(flags.positionals, ["from", "proposal.json"], command);
  readProposalFile(file, "", command); // refuse a bad file before the keyring is opened
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [{ typeUrl: "/cosmos.gov.v1.MsgSubmitProposal", value: readProposalFile(file, key.address, command) }],
    describe: (key) => {
      const m = readProposalFile(file, key.address, command);
      return `Submit the proposal "${m.title}" (${m.messages.map((x) => x.typeUrl).join(", ") || "no messages"}) from "${key.name}" (${key.address}) with a deposit of ${formatAmounts(m.initialDeposit.map((c) => ({ denom: c.denom, amount: BigInt(c.amount) }))) || "nothing"}`;
    },
  });
}

async function depositCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx gov deposit";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(DEPOSIT_HELP);
  const [from, idText, amountText] = positionalArguments(flags.positionals, ["from", "proposal-id", "amount"], command);
  const proposalId = proposalIdArg(idText, command);
  const amount = parseCoinsText(amountText);
  if (amount.length === 0) throw usageError("the amount is empty; expected e.g. 1000000umira", command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      { typeUrl: "/cosmos.gov.v1.MsgDeposit", value: MsgDeposit.fromPartial({ proposalId, depositor: key.address, amount: amount.map(toCoin) }) },
    ],
    describe: (key) => `Deposit ${formatAmounts(amount)} from "${key.name}" (${key.address}) on proposal ${proposalId}`,
  });
}

async function voteCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx gov vote";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(VOTE_HELP);
  const [from, idText, optionText] = positionalArguments(flags.positionals, ["from", "proposal-id", "option"], command);
  const proposalId = proposalIdArg(idText, command);
  const option = optionArg(optionText, command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: MsgVote.fromPartial({ proposalId, voter: key.address, option, metadata: "" }) }],
    describe: (key) => `Vote ${VoteOption[option]} on proposal ${proposalId} as "${key.name}" (${key.address})`,
  });
}

async function weightedVoteCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx gov weighted-vote";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(WEIGHTED_HELP);
  const [from, idText, weightsText] = positionalArguments(flags.positionals, ["from", "proposal-id", "weights"], command);
  const proposalId = proposalIdArg(idText, command);
  const options = weightsText.split(",").map((part) => {
    const [name, weight] = part.split("=");
    if (name === undefined || weight === undefined) throw usageError(`"${part}" is not option=weight, e.g. yes=0.6`, command);
    let w: bigint;
    try {
      w = parseDecText(weight, "weight");
    } catch {
      throw usageError(`weight "${weight}" is not a decimal such as 0.6`, command);
    }
    return { option: optionArg(name.trim(), command), weight: formatDec(w) };
  });
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key): EncodeObject[] => [
      { typeUrl: "/cosmos.gov.v1.MsgVoteWeighted", value: MsgVoteWeighted.fromPartial({ proposalId, voter: key.address, options, metadata: "" }) },
    ],
    describe: (key) =>
      `Vote ${options.map((o) => `${VoteOption[o.option]}=${o.weight}`).join(", ")} on proposal ${proposalId} as "${key.name}" (${key.address})`,
  });
}

async function cancelCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx gov cancel";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(CANCEL_HELP);
  const [from, idText] = positionalArguments(flags.positionals, ["from", "proposal-id"], command);
  const proposalId = proposalIdArg(idText, command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [{ typeUrl: "/cosmos.gov.v1.MsgCancelProposal", value: MsgCancelProposal.fromPartial({ proposalId, proposer: key.address }) }],
    describe: (key) => `Cancel proposal ${proposalId} as its proposer "${key.name}" (${key.address})`,
  });
}
