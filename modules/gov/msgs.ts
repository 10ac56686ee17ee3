import { Any } from "cosmjs-types/google/protobuf/any";
import { VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import {
  MsgCancelProposal,
  MsgCancelProposalResponse,
  MsgDeposit,
  MsgDepositResponse,
  MsgExecLegacyContent,
  MsgExecLegacyContentResponse,
  MsgSubmitProposal,
  MsgSubmitProposalResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgVote,
  MsgVoteResponse,
  MsgVoteWeighted,
  MsgVoteWeightedResponse,
} from "cosmjs-types/cosmos/gov/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import * as v1beta1 from "cosmjs-types/cosmos/gov/v1beta1/tx";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { bech32Address, parseAddress } from "../../app/core/address";
import { parseCoins } from "../../app/core/coins";
import { parseDecAtomics, parseDecText } from "../../app/core/dec";
import type { Context } from "../../app/core/context";
import type { MsgHandler } from "../../app/core/router";
import { timestamp } from "../../app/core/time";
import { GovCode, govError } from "./errors";
import { govRules } from "./params";
import { ATTR_VOTING_PERIOD_START, EVENT_PROPOSAL_DEPOSIT, MODULE_CATEGORY } from "./events";
import {
  checkVoteOptions,
  EXEC_LEGACY_CONTENT_URL,
  type GovKeeper,
  MAX_METADATA_LEN,
  MAX_SUMMARY_LEN,
  MAX_TITLE_LEN,
  ONE_WEIGHT,
  type ProposalRequest,
  TEXT_PROPOSAL_URL,
} from "./keeper";

const reply = (typeUrl: string, value: Uint8Array) => Any.fromPartial({ typeUrl, value });

/**
 * The shape every gov message shares, as ibc's signedBy: `/<pkg>.<name>` in gov's category, signed by the
 * address in one field (proposer, depositor, voter or authority: the field differs by message, so each names
 * its own), whose stateless check parses that address before the message's own `check`, and whose execution
 * packs what `run` encodes as `/<pkg>.<name>Response`. One per package, as v1 and v1beta1 share all of it.
 */
function signedBy(pkg: string) {
  return <T extends Record<F, string>, F extends string>(
    name: string,
    codec: { decode(b: Uint8Array): T },
    signer: F,
    check: (m: T) => void,
    run: (ctx: Context, m: T) => Uint8Array,
  ): MsgHandler<T> => ({
    typeUrl: `/${pkg}.${name}`,
    module: MODULE_CATEGORY,
    decode: (b) => codec.decode(b),
    signers: (m) => [parseAddress(m[signer])],
    validateBasic: (m) => {
      parseAddress(m[signer]);
      check(m);
    },
    execute: (ctx, m) => reply(`/${pkg}.${name}Response`, run(ctx, m)),
  });
}

const v1Handler = signedBy("cosmos.gov.v1");
const v1beta1Handler = signedBy("cosmos.gov.v1beta1");

function deposit(coins: readonly Coin[], what: string) {
  return parseCoins(coins, what);
}

/** MsgDeposit (v1 and v1beta1): the deposit, then, as the SDK's msg server, proposal_deposit {voting_period_start} when it opened the vote. */
function depositAndSignal(ctx: Context, gov: GovKeeper, m: { proposalId: bigint; depositor: string; amount: Coin[] }): void {
  if (gov.addDeposit(ctx, m.proposalId, parseAddress(m.depositor), deposit(m.amount, "deposit"))) {
    ctx.events.emit(EVENT_PROPOSAL_DEPOSIT, { [ATTR_VOTING_PERIOD_START]: m.proposalId.toString() });
  }
}

/** The stateless check of MsgDeposit (v1 and v1beta1): a deposit of something. */
function checkDeposit(m: { amount: readonly Coin[] }): void {
  if (deposit(m.amount, "deposit").length === 0) throw govError(GovCode.MinDepositTooSmall, "a deposit needs an amount");
}

/** The stateless checks of a proposal (MsgSubmitProposal v1 and v1beta1): lengths, title, summary, deposit. */
function checkProposal(p: { title: string; summary: string; metadata: string; initialDeposit: readonly Coin[] }): void {
  if (p.title.trim() === "") throw govError(GovCode.InvalidProposal, "a proposal needs a title");
  if (p.summary.trim() === "") throw govError(GovCode.InvalidProposal, "a proposal needs a summary");
  if (p.title.length > MAX_TITLE_LEN) throw govError(GovCode.MetadataTooLong, `the title is longer than ${MAX_TITLE_LEN}`);
  if (p.metadata.length > MAX_METADATA_LEN) throw govError(GovCode.MetadataTooLong, `the metadata is longer than ${MAX_METADATA_LEN}`);
  if (p.summary.length > MAX_SUMMARY_LEN) throw govError(GovCode.SummaryTooLong, `the summary is longer than ${MAX_SUMMARY_LEN}`);
  deposit(p.initialDeposit, "initial deposit");
}

/** A v1 vote option with weight 1. */
function plainOption(option: VoteOption) {
  return checkVoteOptions([{ option, weight: 10n ** 18n }]).map((o) => ({ ...o, weight: ONE_WEIGHT }));
}

/** TextProposal content: the only legacy content this chain accepts (a signal, nothing runs). */
function textProposal(content: Any | undefined): TextProposal {
  if (content === undefined) throw govError(GovCode.InvalidProposalContent, "the proposal has no content");
  if (content.typeUrl !== TEXT_PROPOSAL_URL)
    throw govError(
      GovCode.NoProposalHandlerExists,
      `legacy proposal content ${content.typeUrl} is not supported: only ${TEXT_PROPOSAL_URL}; change parameters with a v1 proposal carrying the module's MsgUpdateParams`,
    );
  let text: TextProposal;
  try {
    text = TextProposal.decode(content.value);
  } catch (err) {
    throw govError(GovCode.InvalidProposalContent, `cannot decode the TextProposal: ${(err as Error).message}`);
  }
  if (text.title.trim() === "" || text.description.trim() === "")
    throw govError(GovCode.InvalidProposalContent, "a TextProposal needs a title and a description");
  return text;
}

export function msgSubmitProposalHandler(gov: GovKeeper): MsgHandler<MsgSubmitProposal> {
  return v1Handler("MsgSubmitProposal", MsgSubmitProposal, "proposer", checkProposal, (ctx, m) => {
    const req: ProposalRequest = {
      messages: m.messages,
      initialDeposit: deposit(m.initialDeposit, "initial deposit"),
      proposer: parseAddress(m.proposer),
      metadata: m.metadata,
      title: m.title,
      summary: m.summary,
      expedited: m.expedited,
    };
    return MsgSubmitProposalResponse.encode({ proposalId: gov.submitProposal(ctx, req) }).finish();
  });
}

/**
 * MsgExecLegacyContent: the gov module account runs legacy content; only a TextProposal (which does nothing) is accepted.
 * Its type URL, /cosmos.gov.v1.MsgExecLegacyContent, is EXEC_LEGACY_CONTENT_URL, which v1beta1 proposals wrap their content in.
 */
export function msgExecLegacyContentHandler(gov: GovKeeper): MsgHandler<MsgExecLegacyContent> {
  return v1Handler(
    "MsgExecLegacyContent",
    MsgExecLegacyContent,
    "authority",
    (m) => textProposal(m.content),
    (_ctx, m) => {
      gov.checkAuthority(m.authority);
      // a TextProposal changes nothing
      return MsgExecLegacyContentResponse.encode({}).finish();
    },
  );
}

export function msgDepositHandler(gov: GovKeeper): MsgHandler<MsgDeposit> {
  return v1Handler("MsgDeposit", MsgDeposit, "depositor", checkDeposit, (ctx, m) => {
    depositAndSignal(ctx, gov, m);
    return MsgDepositResponse.encode({}).finish();
  });
}

export function msgVoteHandler(gov: GovKeeper): MsgHandler<MsgVote> {
  return v1Handler(
    "MsgVote",
    MsgVote,
    "voter",
    (m) => plainOption(m.option),
    (ctx, m) => {
      gov.vote(ctx, m.proposalId, parseAddress(m.voter), plainOption(m.option), m.metadata);
      return MsgVoteResponse.encode({}).finish();
    },
  );
}

/** v1 weights are decimals in text form ("0.6"). */
function v1Options(options: MsgVoteWeighted["options"]) {
  return checkVoteOptions(
    options.map((o) => {
      let weight: bigint;
      try {
        weight = parseDecText(o.weight, "vote weight");
      } catch {
        throw govError(GovCode.InvalidVote, `vote weight "${o.weight}" is not a decimal such as 0.6`);
      }
      return { option: o.option, weight };
    }),
  );
}

export function msgVoteWeightedHandler(gov: GovKeeper): MsgHandler<MsgVoteWeighted> {
  return v1Handler(
    "MsgVoteWeighted",
    MsgVoteWeighted,
    "voter",
    (m) => v1Options(m.options),
    (ctx, m) => {
      gov.vote(ctx, m.proposalId, parseAddress(m.voter), v1Options(m.options), m.metadata);
      return MsgVoteWeightedResponse.encode({}).finish();
    },
  );
}

/** MsgCancelProposal: the proposer's address is its only stateless check; the keeper checks the rest. */
export function msgCancelProposalHandler(gov: GovKeeper): MsgHandler<MsgCancelProposal> {
  return v1Handler(
    "MsgCancelProposal",
    MsgCancelProposal,
    "proposer",
    () => undefined,
    (ctx, m) => {
      gov.cancelProposal(ctx, m.proposalId, parseAddress(m.proposer));
      return MsgCancelProposalResponse.encode({ proposalId: m.proposalId, canceledTime: timestamp(ctx.blockTimeMs), canceledHeight: ctx.height }).finish();
    },
  );
}

/** gov's own MsgUpdateParams: only the gov module account (that is, a passed proposal) changes gov's params. */
export function msgUpdateParamsHandler(gov: GovKeeper): MsgHandler<MsgUpdateParams> {
  return v1Handler(
    "MsgUpdateParams",
    MsgUpdateParams,
    "authority",
    (m) => govRules(m.params), // every field as genesis checks it, before a proposal carrying it is even submitted
    (ctx, m) => {
      gov.updateParams(ctx, m.authority, m.params);
      return MsgUpdateParamsResponse.encode({}).finish();
    },
  );
}

// ---- v1beta1 (what CosmJS's SigningStargateClient and Keplr send) ----

export function msgSubmitProposalV1beta1Handler(gov: GovKeeper): MsgHandler<v1beta1.MsgSubmitProposal> {
  return v1beta1Handler(
    "MsgSubmitProposal",
    v1beta1.MsgSubmitProposal,
    "proposer",
    (m) => {
      const text = textProposal(m.content);
      checkProposal({ title: text.title, summary: text.description, metadata: "", initialDeposit: m.initialDeposit });
    },
    (ctx, m) => {
      const text = textProposal(m.content);
      // As the SDK: legacy content becomes a v1 proposal whose one message is MsgExecLegacyContent.
      const legacy = MsgExecLegacyContent.encode({ content: m.content, authority: bech32Address(gov.govAddress) }).finish();
      const proposalId = gov.submitProposal(ctx, {
        messages: [{ typeUrl: EXEC_LEGACY_CONTENT_URL, value: legacy }],
        initialDeposit: deposit(m.initialDeposit, "initial deposit"),
        proposer: parseAddress(m.proposer),
        metadata: "",
        title: text.title,
        summary: text.description,
        expedited: false,
      });
      return v1beta1.MsgSubmitProposalResponse.encode({ proposalId }).finish();
    },
  );
}

export function msgVoteV1beta1Handler(gov: GovKeeper): MsgHandler<v1beta1.MsgVote> {
  return v1beta1Handler(
    "MsgVote",
    v1beta1.MsgVote,
    "voter",
    (m) => plainOption(m.option as number as VoteOption),
    (ctx, m) => {
      gov.vote(ctx, m.proposalId, parseAddress(m.voter), plainOption(m.option as number as VoteOption), "");
      return v1beta1.MsgVoteResponse.encode({}).finish();
    },
  );
}

/** v1beta1 weights are LegacyDec in protobuf form (atomics: "600000000000000000" for 0.6). */
function v1beta1Options(options: v1beta1.MsgVoteWeighted["options"]) {
  return checkVoteOptions(
    options.map((o) => {
      let weight: bigint;
      try {
        weight = parseDecAtomics(o.weight, "vote weight");
      } catch {
        throw govError(GovCode.InvalidVote, `vote weight "${o.weight}" is not a LegacyDec in protobuf form`);
      }
      return { option: o.option as number as VoteOption, weight };
    }),
  );
}

export function msgVoteWeightedV1beta1Handler(gov: GovKeeper): MsgHandler<v1beta1.MsgVoteWeighted> {
  return v1beta1Handler(
    "MsgVoteWeighted",
    v1beta1.MsgVoteWeighted,
    "voter",
    (m) => v1beta1Options(m.options),
    (ctx, m) => {
      gov.vote(ctx, m.proposalId, parseAddress(m.voter), v1beta1Options(m.options), "");
      return v1beta1.MsgVoteWeightedResponse.encode({}).finish();
    },
  );
}

export function msgDepositV1beta1Handler(gov: GovKeeper): MsgHandler<v1beta1.MsgDeposit> {
  return v1beta1Handler("MsgDeposit", v1beta1.MsgDeposit, "depositor", checkDeposit, (ctx, m) => {
    depositAndSignal(ctx, gov, m);
    return v1beta1.MsgDepositResponse.encode({}).finish();
  });
}
/** Every gov message handler, in the order the app registers them: v1, then v1beta1. */
export function govMsgHandlers(gov: GovKeeper): MsgHandler<unknown>[] {
  return [
    msgSubmitProposalHandler(gov),
    msgExecLegacyContentHandler(gov),
    msgVoteHandler(gov),
    msgVoteWeightedHandler(gov),
    msgDepositHandler(gov),
    msgUpdateParamsHandler(gov),
    msgCancelProposalHandler(gov),
    msgSubmitProposalV1beta1Handler(gov),
    msgVoteV1beta1Handler(gov),
    msgVoteWeightedV1beta1Handler(gov),
    msgDepositV1beta1Handler(gov),
  ] as MsgHandler<unknown>[];
}
