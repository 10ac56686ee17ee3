// Governance (Cosmos SDK x/gov v1): proposals carrying messages that run as the gov module account
// once stakers pass them. A proposal waits in its deposit period until its deposits reach the min
// deposit, then in its voting period; both periods end in end block through queues ordered by end
// time, so a block reads only the proposals whose period ends, never every proposal.
import type { Any } from "cosmjs-types/google/protobuf/any";
import { Deposit, Params, Proposal, ProposalStatus, type TallyResult, Vote, VoteOption, WeightedVoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { BoundedMemo, latin1Key } from "../../app/core/memo";
import { readUvarint } from "../../proto/varint";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { bech32Address, parseAddress } from "../../app/core/address";
import { type Amount, formatAmounts, parseCoins, toCoin } from "../../app/core/coins";
import type { Context } from "../../app/core/context";
import { ChainError } from "../../app/core/errors";
import { formatDec, parseDecText } from "../../app/core/dec";
import type { MsgRouter } from "../../app/core/router";
import { millis, timestamp } from "../../app/core/time";
import { GovCode, govError } from "./errors";
import * as ev from "./events";
import type { AccountKeeper, BankKeeper, DistributionKeeper, StakingKeeper } from "./expected-keepers";
import * as keys from "./keys";
import { canonicalParams, DEFAULT_GOV_PARAMS, govRules, type GovRules } from "./params";
import { DelegationCursor } from "./delegation-cursor";
import { EMPTY_TALLY, tally, type TallyOutcome, type TallyValidator, type TallyVote, weightsOf } from "./tally";

/** The module account's name (its address is auth's moduleAddress(GOV_MODULE)). */
export const GOV_MODULE = "gov";
/** The SDK's default config: metadata and titles up to 255 bytes, summaries up to 10,200. */
export const MAX_METADATA_LEN = 255;
export const MAX_TITLE_LEN = 255;
export const MAX_SUMMARY_LEN = 10_200;
export const TEXT_PROPOSAL_URL = "/cosmos.gov.v1beta1.TextProposal";
export const EXEC_LEGACY_CONTENT_URL = "/cosmos.gov.v1.MsgExecLegacyContent";

/** What a MsgSubmitProposal (v1, or v1beta1 converted) asks for, checked statelessly. */
export interface ProposalRequest {
  messages: Any[];
  initialDeposit: Amount[];
  proposer: Buffer;
  metadata: string;
  title: string;
  summary: string;
  expedited: boolean;
}

/** The weight of a plain (unweighted) vote, in the text form v1 votes hold. */
export const ONE_WEIGHT = formatDec(10n ** 18n);
const byDenom = (coins: readonly Amount[], denom: string): bigint => coins.find((c) => c.denom === denom)?.amount ?? 0n;

function addAmounts(a: readonly Amount[], b: readonly Amount[]): Amount[] {
  const sum = new Map(a.map((c) => [c.denom, c.amount]));
  for (const c of b) sum.set(c.denom, (sum.get(c.denom) ?? 0n) + c.amount);
  return [...sum]
    .filter(([, v]) => v > 0n)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount }));
}

/** Every coin of `need` is covered by `have` (the SDK's IsAllGTE). */
const coversAll = (have: readonly Amount[], need: readonly Amount[]): boolean => need.every((n) => byDenom(have, n.denom) >= n.amount);

/** The options as the SDK prints them in proposal_vote's `option` attribute (gogoproto's text form, one per line). */
export function optionsText(options: readonly WeightedVoteOption[]): string {
  return options.map((o) => `option:${VoteOption[o.option]} weight:"${o.weight}"`).join("\n");
}

/** A weight in its text form as a LegacyDec (the stored votes hold the canonical 18-digit text). */
const weight = (text: string): bigint => parseDecText(text, "vote weight");

/** Decoded options by their encoded bytes: the same few ("yes, weight 1", ...) recur across thousands of votes. */
const optionsByBytes = new BoundedMemo<TallyVote["options"]>(4096);
/** The options encodings met most recently (the most frequent drift to the front), before the memo's string key. */
const recentOptions: { encoded: Buffer; options: TallyVote["options"] }[] = [];
const RECENT_OPTIONS = 8;

/** Whether `a` equals bytes[from, to). */
function sameBytes(a: Uint8Array, bytes: Uint8Array, from: number, to: number): boolean {
  if (a.length !== to - from) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[from + i]) return false;
  return true;
}

/**
 * The options of a stored cosmos.gov.v1.Vote (field 4) as the tally reads them, without decoding its
 * voter and metadata. The result may be shared with other votes of the same options: read it, never change it.
 */
export function tallyOptionsOf(bytes: Uint8Array): TallyVote["options"] {
  let from = -1; // the options fields, when they lie together (as every encoder writes them): [from, to)
  let to = -1;
  let apart = false;
  let at = 0;
  while (at < bytes.length) {
    const fieldStart = at;
    const [tag, afterTag] = readUvarint(bytes, at);
    const wire = tag & 7;
    if (wire === 0) at = afterVarint(bytes, afterTag);
    else if (wire === 2) {
      const [len, start] = readUvarint(bytes, afterTag);
      at = start + len;
      if (at > bytes.length) throw new RangeError("Vote: truncated field");
    } else return weightsOf(Vote.decode(bytes).options, weight); // never written by this keeper: the full decoder
    if (tag >>> 3 !== VOTE_OPTIONS_FIELD || wire !== 2) continue;
    if (from === -1) from = fieldStart;
    else if (fieldStart !== to) apart = true;
    to = at;
  }
  if (from === -1) return [];
  if (apart) return weightsOf(Vote.decode(bytes).options, weight);
  // The same few encodings recur across thousands of votes: the last ones seen are compared first, in place.
  for (let i = 0; i < recentOptions.length; i++) {
    const r = recentOptions[i]!;
    if (sameBytes(r.encoded, bytes, from, to)) {
      if (i > 0) [recentOptions[i - 1], recentOptions[i]] = [r, recentOptions[i - 1]!];
      return r.options;
    }
  }
  const encoded = bytes.subarray(from, to);
  const key = latin1Key(encoded);
  let options = optionsByBytes.get(key);
  if (options === undefined) {
    options = Object.freeze(weightsOf(Vote.decode(encoded).options, weight).map((o) => Object.freeze(o)));
    optionsByBytes.set(key, options);
  }
  if (recentOptions.length === RECENT_OPTIONS) recentOptions.pop();
  recentOptions.push({ encoded: Buffer.from(encoded), options });
  return options;
}

const VOTE_OPTIONS_FIELD = 4;

/** The offset after the varint at `at` (its value is not needed). */
function afterVarint(bytes: Uint8Array, at: number): number {
  while (at < bytes.length && bytes[at]! >= 0x80) at++;
  if (at >= bytes.length) throw new RangeError("Vote: truncated varint");
  return at + 1;
}

/**
 * Checks a vote's options as the SDK does: at least one, each a real option with a weight in (0, 1],
 * none twice, weights adding up to exactly 1; returns them with weights in canonical text. Throws InvalidVote (gov 7).
 */
export function checkVoteOptions(options: readonly { option: VoteOption; weight: bigint }[]): WeightedVoteOption[] {
  if (options.length === 0) throw govError(GovCode.InvalidVote, "a vote needs at least one option");
  const seen = new Set<VoteOption>();
  let total = 0n;
  for (const o of options) {
    if (o.option < VoteOption.VOTE_OPTION_YES || o.option > VoteOption.VOTE_OPTION_NO_WITH_VETO)
      throw govError(GovCode.InvalidVote, `invalid vote option ${o.option}; use yes, abstain, no or no_with_veto`);
    if (seen.has(o.option)) throw govError(GovCode.InvalidVote, `duplicate vote option ${VoteOption[o.option]}`);
    seen.add(o.option);
    if (o.weight <= 0n || o.weight > 10n ** 18n) throw govError(GovCode.InvalidVote, `the weight of ${VoteOption[o.option]} must be in (0, 1]`);
    total += o.weight;
  }
  if (total !== 10n ** 18n) throw govError(GovCode.InvalidVote, `the weights of a vote must add up to 1, not ${formatDec(total)}`);
  return options.map((o) => ({ option: o.option, weight: formatDec(o.weight) }));
}

export class GovKeeper {
  constructor(
    private readonly accounts: AccountKeeper,
    private readonly bank: BankKeeper,
    private readonly staking: StakingKeeper,
    private readonly distribution: DistributionKeeper,
    /** The app's message router: proposal messages are checked at submit and run when passed. */
    private readonly router: MsgRouter,
    /** The gov module account (auth's moduleAddress("gov")), the only signer of proposal messages. */
    readonly govAddress: Buffer,
    /** The distribution module account: a cancellation charge sent there funds the community pool. */
    private readonly distributionAddress: Buffer,
  ) {}

  /** Writes the gov module account (as a module account) if it does not exist yet. */
  ensureModuleAccount(ctx: Context): void {
    this.accounts.moduleAccount(ctx, GOV_MODULE);
  }

  /** Reads what the gov module account holds: every deposit not yet refunded or burnt. */
  moduleBalance(ctx: Context): Amount[] {
    return this.bank.getAllBalances(ctx, this.govAddress);
  }

  // ---- params ----

  /** Reads the gov params (the SDK defaults when none are stored). */
  params(ctx: Context): Params {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_GOV_PARAMS : Params.decode(v);
  }

  /** Reads the params in computed form. */
  rules(ctx: Context): GovRules {
    return govRules(this.params(ctx));
  }

  /** Writes the params after checking every field (genesis, MsgUpdateParams), ratios in canonical text; throws InvalidRequest (sdk 18) on a bad one. */
  setParams(ctx: Context, p: Params): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(canonicalParams(p)).finish());
  }

  /** MsgUpdateParams: writes the params; throws InvalidSigner (gov 13) unless `authority` is the gov module account. */
  updateParams(ctx: Context, authority: string, p: Params): void {
    this.checkAuthority(authority);
    this.setParams(ctx, p);
  }

  /** Throws InvalidSigner (gov 13) unless `authority` is the gov module account. */
  checkAuthority(authority: string): void {
    if (!parseAddress(authority).equals(this.govAddress))
      throw govError(GovCode.InvalidSigner, `invalid authority; expected ${bech32Address(this.govAddress)}, got ${authority}`);
  }

  // ---- proposals, deposits, votes ----

  /** Reads the id the next proposal gets (1 at first). */
  nextProposalId(ctx: Context): bigint {
    const v = ctx.store(keys.STORE).get(keys.nextProposalIdKey);
    return v === undefined ? 1n : Buffer.from(v).readBigUInt64BE();
  }

  /** Writes the id the next proposal gets (genesis). */
  setNextProposalId(ctx: Context, id: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(id);
    ctx.store(keys.STORE).set(keys.nextProposalIdKey, b);
  }

  /** Reads a proposal; undefined if none. */
  getProposal(ctx: Context, id: bigint): Proposal | undefined {
    const v = ctx.store(keys.STORE).get(keys.proposalKey(id));
    return v === undefined ? undefined : Proposal.decode(v);
  }

  private mustGetProposal(ctx: Context, id: bigint): Proposal {
    const p = this.getProposal(ctx, id);
    if (p === undefined) throw govError(GovCode.UnknownProposal, `proposal ${id} does not exist`);
    return p;
  }

  /** Writes a proposal (not its queue entries). */
  setProposal(ctx: Context, p: Proposal): void {
    ctx.store(keys.STORE).set(keys.proposalKey(p.id), Proposal.encode(p).finish());
  }

  /** Reads every proposal, in id order (queries only: end block never walks them all). */
  *proposals(ctx: Context): Generator<Proposal> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.proposalPrefix })) yield Proposal.decode(v);
  }

  /** Reads one deposit; undefined if none. */
  getDeposit(ctx: Context, id: bigint, depositor: Uint8Array): Deposit | undefined {
    const v = ctx.store(keys.STORE).get(keys.depositKey(id, depositor));
    return v === undefined ? undefined : Deposit.decode(v);
  }

  /** Reads a proposal's deposits, in depositor key order. */
  deposits(ctx: Context, id: bigint): Deposit[] {
    return [...ctx.store(keys.STORE).iterate({ prefix: keys.depositPrefix(id) })].map(([, v]) => Deposit.decode(v));
  }

  /** Writes one deposit (genesis, deposits). */
  setDeposit(ctx: Context, d: Deposit): void {
    ctx.store(keys.STORE).set(keys.depositKey(d.proposalId, parseAddress(d.depositor)), Deposit.encode(d).finish());
  }

  /** Reads one vote; undefined if none. */
  getVote(ctx: Context, id: bigint, voter: Uint8Array): Vote | undefined {
    const v = ctx.store(keys.STORE).get(keys.voteKey(id, voter));
    return v === undefined ? undefined : Vote.decode(v);
  }

  /** Reads a proposal's votes, in voter key order. */
  votes(ctx: Context, id: bigint): Vote[] {
    return [...ctx.store(keys.STORE).iterate({ prefix: keys.votePrefix(id) })].map(([, v]) => Vote.decode(v));
  }

  /** Writes one vote (genesis, votes). */
  setVote(ctx: Context, v: Vote): void {
    ctx.store(keys.STORE).set(keys.voteKey(v.proposalId, parseAddress(v.voter)), Vote.encode(v).finish());
  }

  /** Writes a proposal's entry in the queue its status belongs to (genesis, submit, activation). */
  enqueue(ctx: Context, p: Proposal): void {
    const store = ctx.store(keys.STORE);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) store.set(keys.inactiveQueueKey(millis(p.depositEndTime), p.id), keys.PRESENT);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) store.set(keys.activeQueueKey(millis(p.votingEndTime), p.id), keys.PRESENT);
  }

  private dequeue(ctx: Context, p: Proposal): void {
    const store = ctx.store(keys.STORE);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) store.delete(keys.inactiveQueueKey(millis(p.depositEndTime), p.id));
    if (p.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) store.delete(keys.activeQueueKey(millis(p.votingEndTime), p.id));
  }

  /**
   * Checks proposal messages as the SDK does at submit: each decodes and passes its stateless
   * checks through the app's router (UnroutableProposalMsg gov 10, InvalidProposalMsg gov 12), and
   * is signed for by the gov module account alone (InvalidSigner gov 13).
   */
  checkProposalMessages(messages: readonly Any[]): void {
    messages.forEach((any, i) => {
      if (!this.router.has(any.typeUrl))
        throw govError(GovCode.UnroutableProposalMsg, `proposal message ${i} (${any.typeUrl}) is not a message type this chain knows`);
      let signers: Buffer[];
      try {
        const { handler, msg } = this.router.route(any);
        signers = handler.signers(msg);
      } catch (err) {
        throw govError(GovCode.InvalidProposalMsg, `proposal message ${i} (${any.typeUrl}) is invalid: ${(err as Error).message}`);
      }
      if (signers.length !== 1 || !signers[0]!.equals(this.govAddress)) {
        throw govError(
          GovCode.InvalidSigner,
          `proposal message ${i} (${any.typeUrl}) must have the gov module account ${bech32Address(this.govAddress)} as its only signer (its authority), not ${signers.map((s) => bech32Address(s)).join(", ")}`,
        );
      }
    });
  }

  private checkDepositDenoms(rules: GovRules, amount: readonly Amount[]): void {
    const allowed = new Set([...rules.minDeposit, ...rules.expeditedMinDeposit].map((c) => c.denom));
    for (const c of amount) {
      if (!allowed.has(c.denom))
        throw govError(GovCode.InvalidDepositDenom, `deposited ${formatAmounts(amount)}, but gov accepts only ${[...allowed].join(", ")}`);
    }
  }

  /**
   * MsgSubmitProposal: checks the messages (checkProposalMessages), the lengths and the initial
   * deposit (at least min_initial_deposit_ratio of the min deposit), writes the proposal in its
   * deposit period with its inactive-queue entry, then adds the initial deposit (which may open the
   * vote at once). Returns the id. Emits submit_proposal.
   */
  submitProposal(ctx: Context, req: ProposalRequest): bigint {
    const rules = this.rules(ctx);
    this.checkProposalMessages(req.messages);
    const minDeposit = req.expedited ? rules.expeditedMinDeposit : rules.minDeposit;
    this.checkDepositDenoms(rules, req.initialDeposit);
    const minInitial = minDeposit.map((c) => ({ denom: c.denom, amount: (c.amount * rules.minInitialDepositRatio) / 10n ** 18n }));
    if (!coversAll(req.initialDeposit, minInitial))
      throw govError(
        GovCode.MinDepositTooSmall,
        `the initial deposit ${formatAmounts(req.initialDeposit) || "(none)"} is below the minimum of ${formatAmounts(minInitial)}`,
      );
    const id = this.nextProposalId(ctx);
    this.setNextProposalId(ctx, id + 1n);
    const now = ctx.blockTimeMs;
    const proposal: Proposal = {
      id,
      messages: req.messages,
      status: ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD,
      finalTallyResult: EMPTY_TALLY,
      submitTime: timestamp(now),
      depositEndTime: timestamp(now + rules.maxDepositPeriodMs),
      totalDeposit: [],
      votingStartTime: undefined,
      votingEndTime: undefined,
      metadata: req.metadata,
      title: req.title,
      summary: req.summary,
      proposer: bech32Address(req.proposer),
      expedited: req.expedited,
      failedReason: "",
    };
    this.setProposal(ctx, proposal);
    this.enqueue(ctx, proposal);
    ctx.events.emit(ev.EVENT_SUBMIT_PROPOSAL, {
      [ev.ATTR_PROPOSAL_ID]: id.toString(),
      [ev.ATTR_PROPOSAL_MESSAGES]: req.messages.map((m) => `,${m.typeUrl}`).join(""),
    });
    if (this.addDeposit(ctx, id, req.proposer, req.initialDeposit)) {
      ctx.events.emit(ev.EVENT_SUBMIT_PROPOSAL, { [ev.ATTR_VOTING_PERIOD_START]: id.toString() });
    }
    return id;
  }

  /**
   * MsgDeposit (and the initial deposit): moves `amount` from the depositor to the gov module
   * account, adds it to the deposit and the proposal's total, and opens the voting period when the
   * total reaches the min deposit (expedited min deposit for an expedited proposal). Returns whether
   * the vote opened. Throws UnknownProposal, InactiveProposal, InvalidDepositDenom, MinDepositTooSmall
   * (below min_deposit_ratio of the min deposit in every denom) or insufficient funds. Emits proposal_deposit.
   */
  addDeposit(ctx: Context, id: bigint, depositor: Buffer, amount: readonly Amount[]): boolean {
    const proposal = this.mustGetProposal(ctx, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw govError(GovCode.InactiveProposal, `proposal ${id} takes no more deposits (${ProposalStatus[proposal.status]})`);
    const rules = this.rules(ctx);
    this.checkDepositDenoms(rules, amount);
    if (rules.minDepositRatio > 0n) {
      const thresholds = rules.minDeposit.map((c) => ({ denom: c.denom, amount: (c.amount * rules.minDepositRatio) / 10n ** 18n }));
      if (!thresholds.some((th) => amount.some((c) => c.denom === th.denom && c.amount >= th.amount)))
        throw govError(
          GovCode.MinDepositTooSmall,
          `received ${formatAmounts(amount) || "no deposit"} but need at least one of the following: ${formatAmounts(thresholds)}`,
        );
    }
    this.ensureModuleAccount(ctx);
    if (amount.length > 0) this.bank.sendCoins(ctx, depositor, this.govAddress, amount);
    proposal.totalDeposit = addAmounts(parseCoins(proposal.totalDeposit, "total deposit"), amount).map(toCoin);
    let activated = false;
    const minDeposit = proposal.expedited ? rules.expeditedMinDeposit : rules.minDeposit;
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && coversAll(parseCoins(proposal.totalDeposit), minDeposit)) {
      this.dequeue(ctx, proposal);
      const now = ctx.blockTimeMs;
      proposal.status = ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD;
      proposal.votingStartTime = timestamp(now);
      proposal.votingEndTime = timestamp(now + (proposal.expedited ? rules.expeditedVotingPeriodMs : rules.votingPeriodMs));
      this.enqueue(ctx, proposal);
      activated = true;
    }
    this.setProposal(ctx, proposal);
    const before = this.getDeposit(ctx, id, depositor);
    const total = addAmounts(before === undefined ? [] : parseCoins(before.amount), amount);
    this.setDeposit(ctx, { proposalId: id, depositor: bech32Address(depositor), amount: total.map(toCoin) });
    ctx.events.emit(ev.EVENT_PROPOSAL_DEPOSIT, {
      [ev.ATTR_AMOUNT]: formatAmounts(amount),
      [ev.ATTR_PROPOSAL_ID]: id.toString(),
      [ev.ATTR_DEPOSITOR]: bech32Address(depositor),
    });
    return activated;
  }

  /**
   * MsgVote and MsgVoteWeighted: writes (or replaces) the voter's vote. Throws UnknownProposal,
   * InactiveProposal (not in its voting period), MetadataTooLong. Emits proposal_vote.
   */
  vote(ctx: Context, id: bigint, voter: Buffer, options: WeightedVoteOption[], metadata: string): void {
    const proposal = this.mustGetProposal(ctx, id);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw govError(GovCode.InactiveProposal, `proposal ${id} is not in its voting period`);
    if (metadata.length > MAX_METADATA_LEN) throw govError(GovCode.MetadataTooLong, `vote metadata is longer than ${MAX_METADATA_LEN}`);
    this.setVote(ctx, { proposalId: id, voter: bech32Address(voter), options, metadata });
    ctx.events.emit(ev.EVENT_PROPOSAL_VOTE, {
      [ev.ATTR_OPTION]: optionsText(options),
      [ev.ATTR_PROPOSAL_ID]: id.toString(),
      [ev.ATTR_VOTER]: bech32Address(voter),
    });
  }

  /**
   * MsgCancelProposal: only the proposer, only before the voting period ends. Charges each deposit
   * proposal_cancel_ratio (burnt, or sent to proposal_cancel_dest: the community pool when that is
   * distribution's account), refunds the rest, deletes the proposal, its queue entry and votes.
   * Throws UnknownProposal, InvalidProposer, VotingPeriodEnded, InvalidProposal. Emits cancel_proposal.
   */
  cancelProposal(ctx: Context, id: bigint, proposer: Buffer): void {
    const proposal = this.mustGetProposal(ctx, id);
    if (proposal.proposer !== bech32Address(proposer))
      throw govError(GovCode.InvalidProposer, `only the proposer ${proposal.proposer} may cancel proposal ${id}`);
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD && proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD)
      throw govError(GovCode.InvalidProposal, `proposal ${id} is ${ProposalStatus[proposal.status]}: it can no longer be cancelled`);
    if (proposal.votingEndTime !== undefined && millis(proposal.votingEndTime) < ctx.blockTimeMs)
      throw govError(GovCode.VotingPeriodEnded, `the voting period of proposal ${id} has ended`);
    const rules = this.rules(ctx);
    let charged: Amount[] = [];
    for (const d of this.deposits(ctx, id)) {
      const amount = parseCoins(d.amount);
      const cut = amount.map((c) => ({ denom: c.denom, amount: (c.amount * rules.proposalCancelRatio) / 10n ** 18n })).filter((c) => c.amount > 0n);
      const rest = amount.map((c) => ({ denom: c.denom, amount: c.amount - byDenom(cut, c.denom) })).filter((c) => c.amount > 0n);
      if (rest.length > 0) this.bank.sendCoins(ctx, this.govAddress, parseAddress(d.depositor), rest);
      charged = addAmounts(charged, cut);
      ctx.store(keys.STORE).delete(keys.depositKey(id, parseAddress(d.depositor)));
    }
    if (charged.length > 0) {
      const dest = rules.proposalCancelDest;
      if (dest === undefined) this.bank.burnCoins(ctx, this.govAddress, charged);
      else if (dest.equals(this.distributionAddress)) this.distribution.fundCommunityPool(ctx, this.govAddress, charged);
      else this.bank.sendCoins(ctx, this.govAddress, dest, charged);
    }
    this.dequeue(ctx, proposal);
    this.deleteVotes(ctx, id);
    ctx.store(keys.STORE).delete(keys.proposalKey(id));
    ctx.events.emit(ev.EVENT_CANCEL_PROPOSAL, { [ev.ATTR_SENDER]: bech32Address(proposer), [ev.ATTR_PROPOSAL_ID]: id.toString() });
  }

  private deleteVotes(ctx: Context, id: bigint): void {
    const store = ctx.store(keys.STORE);
    for (const k of [...store.iterate({ prefix: keys.votePrefix(id) })].map(([k]) => k)) store.delete(k);
  }

  /** Returns every deposit of a proposal to its depositor and deletes the records. */
  private refundDeposits(ctx: Context, id: bigint): void {
    for (const d of this.deposits(ctx, id)) {
      const depositor = parseAddress(d.depositor);
      const amount = parseCoins(d.amount);
      if (amount.length > 0) this.bank.sendCoins(ctx, this.govAddress, depositor, amount);
      ctx.store(keys.STORE).delete(keys.depositKey(id, depositor));
    }
  }

  /** Burns every deposit of a proposal (out of the gov module account) and deletes the records. */
  private burnDeposits(ctx: Context, id: bigint): void {
    let total: Amount[] = [];
    for (const d of this.deposits(ctx, id)) {
      total = addAmounts(total, parseCoins(d.amount));
      ctx.store(keys.STORE).delete(keys.depositKey(id, parseAddress(d.depositor)));
    }
    if (total.length > 0) this.bank.burnCoins(ctx, this.govAddress, total);
  }

  // ---- tally and end block ----

  /** The tally of a proposal's votes over the current bonded stake (reads only; the votes stay). */
  tally(ctx: Context, proposal: Proposal): TallyOutcome {
    return this.tallyVotes(ctx, proposal).outcome;
  }

  /** The tally, and the keys of the votes it counted (end block deletes them without reading them again). */
  private tallyVotes(ctx: Context, proposal: Proposal): { outcome: TallyOutcome; voteKeys: Buffer[] } {
    const rules = this.rules(ctx);
    const validators: TallyValidator[] = [];
    for (const { operator } of this.staking.bondedPowers(ctx)) {
      const v = this.staking.getValidator(ctx, operator);
      if (v?.status === BondStatus.BOND_STATUS_BONDED) validators.push({ operator: v.operator, bondedTokens: v.tokens, delegatorShares: v.delegatorShares });
    }
    // The voter is read from the vote's key (the bytes its bech32 form was parsed to), the options alone from its value.
    const prefix = keys.votePrefix(proposal.id);
    const voteKeys: Buffer[] = [];
    const store = ctx.store(keys.STORE);
    // Read as the tally goes (nothing of a vote outlives its turn but its key).
    const votes = function* (): Generator<TallyVote> {
      for (const [k, v] of store.iterate({ prefix, view: true })) {
        voteKeys.push(k);
        yield { voter: keys.voterOfVoteKey(k, prefix.length), options: tallyOptionsOf(v) };
      }
    };
    const delegations = new DelegationCursor((from) => this.staking.delegationsFrom(ctx, from));
    try {
      const outcome = tally({
        validators,
        votes: votes(),
        delegationsOf: (voter) => delegations.of(voter),
        totalBonded: this.staking.pool(ctx).bonded,
        quorum: rules.quorum,
        threshold: proposal.expedited ? rules.expeditedThreshold : rules.threshold,
        vetoThreshold: rules.vetoThreshold,
        burnVoteQuorum: rules.burnVoteQuorum,
        burnVoteVeto: rules.burnVoteVeto,
      });
      return { outcome, voteKeys };
    } finally {
      delegations.close();
    }
  }

  /** The tally a query shows: the final one once decided, the live one while voting, zeros before. */
  currentTally(ctx: Context, proposal: Proposal): TallyResult {
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) return this.tally(ctx, proposal).result;
    if (proposal.status === ProposalStatus.PROPOSAL_STATUS_DEPOSIT_PERIOD) return EMPTY_TALLY;
    return proposal.finalTallyResult ?? EMPTY_TALLY;
  }

  private due(ctx: Context, prefix: Buffer, end: Buffer): { key: Buffer; id: bigint }[] {
    return [...ctx.store(keys.STORE).iterate({ prefix, end })].map(([k]) => ({ key: Buffer.from(k), id: keys.idOfQueueKey(k) }));
  }

  /**
   * End block, as the SDK's EndBlocker: proposals whose deposit period ended without the min
   * deposit are deleted (deposits burnt if burn_proposal_deposit_prevote, else refunded); proposals
   * whose voting period ended are tallied: passed ones run their messages atomically as the gov
   * module account (PASSED, or FAILED with the reason and nothing they wrote kept), a failed
   * expedited one becomes a regular one voting until voting_start + voting_period, others are
   * REJECTED; deposits are burnt or refunded by the tally's verdict. Reads only the due queue entries.
   */
  endBlock(ctx: Context): void {
    const now = ctx.blockTimeMs;
    const store = ctx.store(keys.STORE);
    for (const { key, id } of this.due(ctx, keys.inactiveQueuePrefix, keys.inactiveQueueEnd(now))) {
      store.delete(key);
      const proposal = this.getProposal(ctx, id);
      if (proposal === undefined) continue;
      store.delete(keys.proposalKey(id));
      if (this.rules(ctx).burnProposalDepositPrevote) this.burnDeposits(ctx, id);
      else this.refundDeposits(ctx, id);
      ctx.events.emit(ev.EVENT_INACTIVE_PROPOSAL, { [ev.ATTR_PROPOSAL_ID]: id.toString(), [ev.ATTR_PROPOSAL_RESULT]: ev.RESULT_DROPPED });
    }
    for (const { key, id } of this.due(ctx, keys.activeQueuePrefix, keys.activeQueueEnd(now))) {
      store.delete(key);
      const proposal = this.getProposal(ctx, id);
      if (proposal === undefined) continue;
      this.finishVoting(ctx, proposal);
    }
  }

  private finishVoting(ctx: Context, proposal: Proposal): void {
    const { outcome, voteKeys } = this.tallyVotes(ctx, proposal);
    const id = proposal.id;
    const store = ctx.store(keys.STORE);
    let votesWritten = false;
    if (!(proposal.expedited && !outcome.passes)) {
      if (outcome.burnDeposits) this.burnDeposits(ctx, id);
      else this.refundDeposits(ctx, id);
    }
    let result: string;
    let log: string;
    if (outcome.passes) {
      const { failure, wroteVotes } = this.execute(ctx, proposal);
      votesWritten = wroteVotes;
      if (failure === undefined) {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_PASSED;
        result = ev.RESULT_PASSED;
        log = "passed";
      } else {
        proposal.status = ProposalStatus.PROPOSAL_STATUS_FAILED;
        proposal.failedReason = failure;
        result = ev.RESULT_FAILED;
        log = `passed, but ${failure}`;
      }
    } else if (proposal.expedited) {
      proposal.expedited = false;
      proposal.votingEndTime = timestamp(millis(proposal.votingStartTime) + this.rules(ctx).votingPeriodMs);
      this.enqueue(ctx, proposal);
      result = ev.RESULT_EXPEDITED_REJECTED;
      log = "expedited proposal converted to regular";
    } else {
      proposal.status = ProposalStatus.PROPOSAL_STATUS_REJECTED;
      proposal.failedReason = "proposal did not get enough votes to pass";
      result = ev.RESULT_REJECTED;
      log = "rejected";
    }
    proposal.finalTallyResult = outcome.result;
    if (proposal.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) {
      // The tallied votes, unless the proposal's own messages wrote votes on it: then whatever is there now.
      if (votesWritten) this.deleteVotes(ctx, id);
      else for (const k of voteKeys) store.delete(k);
    }
    this.setProposal(ctx, proposal);
    ctx.events.emit(ev.EVENT_ACTIVE_PROPOSAL, {
      [ev.ATTR_PROPOSAL_ID]: id.toString(),
      [ev.ATTR_PROPOSAL_RESULT]: result,
      [ev.ATTR_PROPOSAL_LOG]: log,
    });
  }

  /**
   * Runs a passed proposal's messages in order, as the gov module account, in a branch of `ctx`:
   * kept (with their events) only if every one succeeds. Returns why it failed (undefined if it did
   * not), and whether the kept messages wrote votes on this proposal.
   */
  private execute(ctx: Context, proposal: Proposal): { failure: string | undefined; wroteVotes: boolean } {
    const child = ctx.child();
    for (const [i, any] of proposal.messages.entries()) {
      try {
        const { handler, msg } = this.router.route(any);
        const signers = handler.signers(msg);
        if (signers.length !== 1 || !signers[0]!.equals(this.govAddress)) throw govError(GovCode.InvalidSigner, "not signed for by the gov module account");
        handler.execute(child, msg);
      } catch (err) {
        child.branch.discard();
        const code = err instanceof ChainError ? ` (${err.codespace} ${err.code})` : "";
        return { failure: `message ${i} (${any.typeUrl}) failed${code}: ${(err as Error).message}`, wroteVotes: false };
      }
    }
    const votes = keys.votePrefix(proposal.id);
    const wroteVotes = child.branch.pendingWrites(keys.STORE).some(([k]) => k.subarray(0, votes.length).equals(votes));
    ctx.keep(child);
    return { failure: undefined, wroteVotes };
  }

  /** The proposals a query lists: optionally of one status, with a vote by `voter`, with a deposit by `depositor`. */
  *filteredProposals(ctx: Context, status: ProposalStatus, voter: Buffer | undefined, depositor: Buffer | undefined): Generator<Proposal> {
    for (const p of this.proposals(ctx)) {
      if (status !== ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED && p.status !== status) continue;
      if (voter !== undefined && this.getVote(ctx, p.id, voter) === undefined) continue;
      if (depositor !== undefined && this.getDeposit(ctx, p.id, depositor) === undefined) continue;
      yield p;
    }
  }
}
