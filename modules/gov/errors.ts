import { ChainError, registerCodes } from "../../app/core/errors";

/** The gov module's codespace, registered once at load, with the Cosmos SDK x/gov v0.50 codes. */
export const CODESPACE = "gov";

export const GovCode = registerCodes(CODESPACE, {
  /** No proposal with that id (never submitted, or dropped, cancelled or deleted). */
  UnknownProposal: 2,
  /** The proposal is not in the period the message needs (a deposit after voting ended, a vote before it started). */
  InactiveProposal: 3,
  /** The proposal is already in its voting period. */
  AlreadyActiveProposal: 4,
  /** Legacy (v1beta1) content that is malformed. */
  InvalidProposalContent: 5,
  /** Legacy (v1beta1) content of a type this chain has no handler for. */
  InvalidProposalType: 6,
  /** A vote option outside yes, abstain, no, no_with_veto, or weights that are not positive or do not add up to 1. */
  InvalidVote: 7,
  /** A gov genesis section that breaks a rule. */
  InvalidGenesis: 8,
  /** Legacy content (MsgExecLegacyContent) other than a TextProposal: this chain changes rules by messages only. */
  NoProposalHandlerExists: 9,
  /** A proposal message of a type the message router does not know. */
  UnroutableProposalMsg: 10,
  /** No messages proposed where some are needed. */
  NoProposalMsgs: 11,
  /** A proposal message that does not decode or fails its stateless checks. */
  InvalidProposalMsg: 12,
  /** A proposal message not signed for by the gov module account alone, or a gov-only message whose authority is someone else. */
  InvalidSigner: 13,
  /** Metadata or a title longer than allowed. */
  MetadataTooLong: 15,
  /** A deposit (initial, or each one) below what the params require. */
  MinDepositTooSmall: 16,
  /** Only the proposer may cancel a proposal. */
  InvalidProposer: 18,
  /** The voting period has ended: the proposal can no longer be cancelled. */
  VotingPeriodEnded: 20,
  /** A proposal that breaks a rule (no title, no summary, a status that does not allow it). */
  InvalidProposal: 21,
  /** A summary longer than allowed. */
  SummaryTooLong: 22,
  /** A deposit in a denom that min_deposit does not name. */
  InvalidDepositDenom: 23,
} as const);

export type GovCodeValue = (typeof GovCode)[keyof typeof GovCode];

/** A gov error: one of `GovCode`, in the "gov" codespace. */
export function govError(code: GovCodeValue, message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}
