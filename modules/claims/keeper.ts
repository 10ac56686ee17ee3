// Content submission and fee escrow, verifier assignment, verdict intake from vote extensions, tally,
// certificates, payouts and verification faults. State is protobuf (proto/gen/mira/claims/v1).
import { createHash } from "node:crypto";
import type { ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { Certificate, Claim as ClaimRecord, ClaimStatus, Content, LateVoters, Params, Verdict, VerifierStats } from "../../proto/gen/mira/claims/v1/claims";
import type { MsgSubmitContent } from "../../proto/gen/mira/claims/v1/tx";
import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";
import { parseAddress, parseValoper } from "../../app/core/address";
import { parseDecText } from "../../app/core/dec";
import { millis } from "../../app/core/time";
import { checkExtensionClaims, checkExtensionShape, modelAllowed } from "./extension";
import { findDrift, observe, PPM, setView, type DriftParams, type Tracks } from "./drift";
import { assignVerifiers } from "./assign";
import { tally, validatorOutcomes, type Verdict as VerdictName, type Vote } from "./tally";
import { ClaimsCode, claimsError } from "./errors";
import * as ev from "./events";
import type { AccountKeeper, BankKeeper, SlashingKeeper, StakingKeeper } from "./expected-keepers";
import * as keys from "./keys";
import { DEFAULT_CLAIMS_PARAMS } from "./params";
import { claimsFromList, splitClaims } from "./split";

export const CLAIMS_MODULE = "claims";

const VERDICT_NAMES: Record<number, Vote> = {
  [Verdict.VERDICT_SUPPORTED]: "SUPPORTED",
  [Verdict.VERDICT_REFUTED]: "REFUTED",
  [Verdict.VERDICT_UNVERIFIABLE]: "UNVERIFIABLE",
  [Verdict.VERDICT_ABSTAIN]: "ABSTAIN",
};
const VERDICT_OF: Record<VerdictName, Verdict> = {
  SUPPORTED: Verdict.VERDICT_SUPPORTED,
  REFUTED: Verdict.VERDICT_REFUTED,
  UNVERIFIABLE: Verdict.VERDICT_UNVERIFIABLE,
};

/**
 * The claims module's state: contents, claims, verdicts, certificates, verifier stats and faults;
 * bank, auth, staking and slashing only through the interfaces in expected-keepers.ts.
 */
export class ClaimsKeeper {
  constructor(
    private readonly bank: BankKeeper,
    private readonly accounts: AccountKeeper,
    private readonly validators: StakingKeeper,
    private readonly slashing: SlashingKeeper,
  ) {}

  /** Reads the claims params (the defaults when genesis stored none). */
  params(ctx: Context): Params {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_CLAIMS_PARAMS : Params.decode(v);
  }

  /** Writes the claims params (genesis). */
  setParams(ctx: Context, p: Params): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(p).finish());
  }

  private nextId(ctx: Context, key: Buffer): bigint {
    const store = ctx.store(keys.STORE);
    const v = store.get(key);
    const id = v === undefined ? 1n : BigInt(v.toString());
    store.set(key, Buffer.from((id + 1n).toString()));
    return id;
  }

  /** Reads a content by id; undefined if none. */
  content(ctx: Context, id: bigint): Content | undefined {
    const v = ctx.store(keys.STORE).get(keys.contentKey(id));
    return v === undefined ? undefined : Content.decode(v);
  }

  /** Reads a claim by id; undefined if none. */
  claim(ctx: Context, id: bigint): ClaimRecord | undefined {
    const v = ctx.store(keys.STORE).get(keys.claimKey(id));
    return v === undefined ? undefined : ClaimRecord.decode(v);
  }

  private putClaim(ctx: Context, c: ClaimRecord): void {
    ctx.store(keys.STORE).set(keys.claimKey(c.id), ClaimRecord.encode(c).finish());
  }

  /** The fee for `claims` claims checked by `verifiers` validators each: the per-claim fee scales with the verifiers asked for. */
  fee(p: Params, claims: number, verifiers: number): Amount {
    const per = BigInt(p.feePerClaim?.amount ?? "0");
    const amount = (per * BigInt(claims) * BigInt(verifiers) + BigInt(p.defaultVerifiersPerClaim) - 1n) / BigInt(p.defaultVerifiersPerClaim);
    return { denom: p.feePerClaim?.denom ?? "umira", amount };
  }

  /**
   * MsgSubmitContent: split, escrow the fee, store the content and its claims (assigned at the end
   * of the block). Throws the claims code of a bad content, threshold or verifier count, or bank's
   * error when the fee cannot be paid.
   */
  submit(ctx: Context, msg: MsgSubmitContent): { contentId: bigint; claimIds: bigint[] } {
    const p = this.params(ctx);
    const submitter = parseAddress(msg.submitter);
    const limits = { maxClaims: p.maxClaims, maxClaimBytes: p.maxClaimBytes, maxContentBytes: p.maxContentBytes };
    if ((msg.content === "") === (msg.claims.length === 0))
      throw claimsError(ClaimsCode.InvalidContent, "give either the content text or the list of claims, not both");
    const claims = msg.content !== "" ? splitClaims(msg.content, limits) : claimsFromList(msg.claims, limits);
    const threshold = msg.thresholdBp === 0 ? p.defaultThresholdBp : msg.thresholdBp;
    if (threshold < p.minThresholdBp || threshold > 10_000) {
      throw claimsError(ClaimsCode.InvalidThreshold, `threshold ${threshold} bp is outside [${p.minThresholdBp}, 10000]`);
    }
    const verifiers = msg.verifiersPerClaim === 0 ? p.defaultVerifiersPerClaim : msg.verifiersPerClaim;
    if (verifiers < 1 || verifiers > p.maxVerifiersPerClaim) {
      throw claimsError(ClaimsCode.InvalidLimits, `verifiers per claim ${verifiers} is outside [1, ${p.maxVerifiersPerClaim}]`);
    }
    if (Buffer.byteLength(msg.sourceContext, "utf8") > p.maxContentBytes) {
      throw claimsError(ClaimsCode.ContentTooLong, `source context is over ${p.maxContentBytes} bytes`);
    }
    const fee = this.fee(p, claims.length, verifiers);
    if (fee.amount > 0n) this.bank.sendCoins(ctx, submitter, this.accounts.moduleAccount(ctx, CLAIMS_MODULE).address, [fee]);
    const contentId = this.nextId(ctx, keys.nextContentIdKey);
    const claimIds: bigint[] = [];
    const store = ctx.store(keys.STORE);
    claims.forEach((c, index) => {
      const id = this.nextId(ctx, keys.nextClaimIdKey);
      claimIds.push(id);
      this.putClaim(ctx, {
        id,
        contentId,
        index,
        text: c.text,
        hash: c.hash,
        assigned: [],
        status: ClaimStatus.CLAIM_STATUS_PENDING,
        verdict: Verdict.VERDICT_UNSPECIFIED,
        deadlineHeight: ctx.height + p.deadlineBlocks,
        votes: [],
      });
      store.set(keys.unassignedKey(id), keys.PRESENT);
    });
    const contentHash = createHash("sha256")
      .update(msg.content !== "" ? msg.content : msg.claims.join("\n"))
      .digest();
    const content: Content = {
      id: contentId,
      submitter: msg.submitter,
      contentHash,
      sourceContext: msg.sourceContext,
      claimIds,
      height: ctx.height,
      fee: { denom: fee.denom, amount: fee.amount.toString() },
      thresholdBp: threshold,
      verifiersPerClaim: verifiers,
      settled: 0,
    };
    store.set(keys.contentKey(contentId), Content.encode(content).finish());
    store.set(keys.bySubmitterKey(submitter, contentId), keys.PRESENT);
    ctx.events.emit(ev.EVENT_CONTENT_SUBMITTED, {
      [ev.ATTR_CONTENT_ID]: contentId.toString(),
      [ev.ATTR_SUBMITTER]: msg.submitter,
      [ev.ATTR_CLAIMS]: claims.length.toString(),
      [ev.ATTR_FEE]: `${fee.amount}${fee.denom}`,
    });
    return { contentId, claimIds };
  }

  /** End of block: each claim submitted in it goes to its verifiers, drawn by stake from the block hash. */
  assignNew(ctx: Context, blockHash: Uint8Array): void {
    const store = ctx.store(keys.STORE);
    const ids = [...store.iterate({ prefix: keys.unassignedPrefix })].map(([k]) => keys.idOfKey(k));
    if (ids.length === 0) return;
    const active = this.validators.bondedPowers(ctx);
    const seed = blockHash.length > 0 ? blockHash : Buffer.from(`height ${ctx.height}`);
    for (const id of ids) {
      store.delete(keys.unassignedKey(id));
      const c = this.claim(ctx, id)!;
      const content = this.content(ctx, c.contentId)!;
      const chosen = active.length === 0 ? [] : assignVerifiers(seed, c.hash, active, content.verifiersPerClaim);
      c.assigned = chosen.map((op) => this.validators.valoperAddress(op));
      this.putClaim(ctx, c);
      store.set(keys.pendingKey(id), keys.PRESENT);
      ctx.events.emit(ev.EVENT_CLAIM_ASSIGNED, {
        [ev.ATTR_CONTENT_ID]: c.contentId.toString(),
        [ev.ATTR_CLAIM_ID]: id.toString(),
        [ev.ATTR_VALIDATORS]: c.assigned.join(","),
      });
    }
  }

  /**
   * Begin block: the validators whose precommit CometBFT recorded as signed (the decided last
   * commit) but whom the proposer's injected commit shows absent, without their extension. An honest
   * proposer does that only to an extension that fails its checks; a malicious one may do it to
   * anyone. Each gets its height recorded and an event, so that a claim it could not vote on while
   * its votes were being pruned is not held against it (see missOrExcused), and an operator sees it.
   */
  recordPrunedVotes(ctx: Context, signed: readonly { consAddress: Uint8Array; signed: boolean }[], commit: ExtendedCommitInfo): void {
    const injectedAbsent = new Set(
      commit.votes.filter((v) => v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT).map((v) => Buffer.from(v.validator.address).toString("hex")),
    );
    if (injectedAbsent.size === 0) return;
    const store = ctx.store(keys.STORE);
    for (const vote of signed) {
      if (!vote.signed || !injectedAbsent.has(Buffer.from(vote.consAddress).toString("hex"))) continue;
      const validator = this.validators.validatorByConsensusAddress(ctx, vote.consAddress);
      if (validator === undefined) continue;
      const valoper = this.validators.valoperAddress(validator.operator);
      const height = Buffer.alloc(8);
      height.writeBigUInt64BE(ctx.height);
      store.set(keys.prunedKey(valoper), height);
      ctx.events.emit(ev.EVENT_VOTE_EXTENSION_PRUNED, { [ev.ATTR_VALIDATOR]: valoper, [ev.ATTR_HEIGHT]: ctx.height.toString() });
    }
  }

  /**
   * A silent assignee's outcome: "missed", or "excused" when a proposer pruned its signed vote at
   * or after `openedAt` (the claim's submission height), so that it may not have been able to vote.
   * An excused claim is neither paid nor a fault; the event says which validator and claim.
   */
  private missOrExcused(ctx: Context, valoper: string, claimId: bigint, openedAt: bigint): "missed" | "excused" {
    const v = ctx.store(keys.STORE).get(keys.prunedKey(valoper));
    if (v === undefined || Buffer.from(v).readBigUInt64BE(0) < openedAt) return "missed";
    ctx.events.emit(ev.EVENT_MISS_EXCUSED, { [ev.ATTR_VALIDATOR]: valoper, [ev.ATTR_CLAIM_ID]: claimId.toString() });
    return "excused";
  }

  /**
   * The verdicts in the previous height's extended commit (checked by ProcessProposal): each one
   * for a pending claim assigned to its validator is recorded once; anything else is ignored.
   */
  recordVerdicts(ctx: Context, commit: ExtendedCommitInfo): void {
    const p = this.params(ctx);
    // Each claim read once and written once per block, however many validators voted on it.
    const claims = new Map<bigint, ClaimRecord | undefined>();
    const touched = new Set<bigint>();
    for (const vote of commit.votes) {
      if (vote.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT || vote.voteExtension.length === 0) continue;
      const validator = this.validators.validatorByConsensusAddress(ctx, vote.validator.address);
      if (validator === undefined) continue;
      let ext;
      try {
        ext = checkExtensionShape(vote.voteExtension, p.maxExtensionBytes);
      } catch {
        continue; // ProcessProposal refuses these; a verdict-less extension is nothing to record anyway
      }
      // A proposer's own extension never went through its peers' VerifyVoteExtension: the allow-list again.
      if (!modelAllowed(p.allowedModelHashes, ext.modelHash)) continue;
      const valoper = this.validators.valoperAddress(validator.operator);
      for (const v of ext.verdicts) {
        if (!claims.has(v.claimId)) claims.set(v.claimId, this.claim(ctx, v.claimId));
        const claim = claims.get(v.claimId);
        if (claim === undefined) continue;
        const accepts = this.acceptsVerdict(ctx, claim, valoper);
        if (accepts === undefined) continue;
        if (accepts === "pending") {
          claim.votes.push({ validator: valoper, verdict: v.verdict, confidenceBp: v.confidenceBp, modelHash: ext.modelHash, height: ctx.height - 1n });
          touched.add(claim.id);
        } else {
          // In its late-vote window: judged against the certified verdict, not paid, and the certificate stays as written.
          this.closeLateVote(ctx, claim.id, valoper);
          this.recordOutcome(
            ctx,
            p,
            validator.operator,
            v.verdict === Verdict.VERDICT_ABSTAIN ? "abstained" : v.verdict === claim.verdict ? "agreed" : "disagreed",
            v.confidenceBp,
          );
        }
        ctx.events.emit(ev.EVENT_CLAIM_VERIFIED, {
          [ev.ATTR_CONTENT_ID]: claim.contentId.toString(),
          [ev.ATTR_CLAIM_ID]: claim.id.toString(),
          [ev.ATTR_VALIDATOR]: valoper,
          [ev.ATTR_VERDICT]: VERDICT_NAMES[v.verdict]!,
          [ev.ATTR_CONFIDENCE_BP]: v.confidenceBp.toString(),
          [ev.ATTR_LATE]: String(accepts === "late"),
        });
      }
    }
    for (const id of touched) this.putClaim(ctx, claims.get(id)!);
  }

  /**
   * Whether `valoper` may vote on `claim` now: "pending" (assigned, not yet voted, not settled),
   * "late" (certified, but it is in the claim's late-vote window), or not at all.
   */
  acceptsVerdict(ctx: Context, claim: ClaimRecord, valoper: string): "pending" | "late" | undefined {
    if (claim.status === ClaimStatus.CLAIM_STATUS_PENDING)
      return claim.assigned.includes(valoper) && !claim.votes.some((x) => x.validator === valoper) ? "pending" : undefined;
    const late = this.lateVoters(ctx, claim.id);
    return late !== undefined && late.validators.includes(valoper) ? "late" : undefined;
  }

  private lateVoters(ctx: Context, claimId: bigint): LateVoters | undefined {
    const v = ctx.store(keys.STORE).get(keys.lateKey(claimId));
    return v === undefined ? undefined : LateVoters.decode(v);
  }

  private closeLateVote(ctx: Context, claimId: bigint, valoper: string): void {
    const store = ctx.store(keys.STORE);
    const late = this.lateVoters(ctx, claimId)!;
    late.validators = late.validators.filter((v) => v !== valoper);
    if (late.validators.length > 0) store.set(keys.lateKey(claimId), LateVoters.encode(late).finish());
    else {
      store.delete(keys.lateKey(claimId));
      store.delete(keys.lateQueueKey(BigInt(late.dueHeight), claimId));
    }
  }

  /** End of block: late-vote windows that close now; whoever is still silent missed the claim. */
  private closeLateWindows(ctx: Context, p: Params): void {
    const store = ctx.store(keys.STORE);
    const due = [...store.iterate({ start: keys.lateQueuePrefix, end: keys.lateQueueEnd(ctx.height) })].map(([k]) => k);
    for (const k of due) {
      const claimId = keys.idOfKey(k);
      const openedAt = this.content(ctx, this.claim(ctx, claimId)?.contentId ?? 0n)?.height ?? 0n;
      for (const valoper of this.lateVoters(ctx, claimId)?.validators ?? [])
        this.recordOutcome(ctx, p, parseValoper(valoper), this.missOrExcused(ctx, valoper, claimId, openedAt));
      store.delete(keys.lateKey(claimId));
      store.delete(k);
    }
  }

  /**
   * VerifyVoteExtension's checks of one validator's extension against the committed state it
   * voted on (see extension.ts); throws InvalidVoteExtension saying what is wrong.
   */
  verifyExtension(ctx: Context, consAddress: Uint8Array, bytes: Uint8Array): void {
    const p = this.params(ctx);
    const ext = checkExtensionShape(bytes, p.maxExtensionBytes);
    if (ext.verdicts.length === 0) return;
    const validator = this.validators.validatorByConsensusAddress(ctx, consAddress);
    if (validator === undefined)
      throw claimsError(ClaimsCode.InvalidVoteExtension, `no validator with consensus address ${Buffer.from(consAddress).toString("hex")} to carry verdicts`);
    const valoper = this.validators.valoperAddress(validator.operator);
    checkExtensionClaims(ext, p, (id) => {
      const claim = this.claim(ctx, id);
      return claim === undefined
        ? "missing"
        : this.acceptsVerdict(ctx, claim, valoper) === undefined
          ? `not open to ${valoper} (settled, not assigned to it, or already voted)`
          : undefined;
    });
  }

  /**
   * End of block: every pending claim whose assigned stake reached its content's threshold on one
   * verdict is certified and its fee share paid to the validators that agreed (by power); a claim
   * at its deadline without one is UNRESOLVED and its share refunded. When all of a content's
   * claims are settled, its certificate is written. Invariants: claims are read in id order and
   * tallied over assigned validators only (canonical order, bigint); each claim is settled once
   * (its pending key goes), and its fee share is paid out exactly (escrow to agreeing validators
   * by power, the last taking the rounding, or back to the submitter).
   */
  settle(ctx: Context): void {
    const p = this.params(ctx);
    this.settleClaims(ctx, p);
    this.checkDrift(ctx, p);
  }

  private settleClaims(ctx: Context, p: Params): void {
    const store = ctx.store(keys.STORE);
    this.closeLateWindows(ctx, p);
    const ids = [...store.iterate({ prefix: keys.pendingPrefix })].map(([k]) => keys.idOfKey(k));
    if (ids.length === 0) return;
    const powers = new Map(this.validators.bondedPowers(ctx).map((v) => [this.validators.valoperAddress(v.operator), v]));
    const contents = new Map<bigint, Content>();
    const touched = new Set<bigint>();
    for (const id of ids) {
      const claim = this.claim(ctx, id)!;
      let content = contents.get(claim.contentId);
      if (content === undefined) {
        content = this.content(ctx, claim.contentId)!;
        contents.set(claim.contentId, content);
      }
      const assigned = claim.assigned.map((a) => ({ operator: powers.get(a)?.operator ?? parseValoper(a), power: powers.get(a)?.power ?? 0n }));
      const votes = new Map<string, Vote>();
      for (const v of claim.votes) votes.set(parseValoper(v.validator).toString("hex"), VERDICT_NAMES[v.verdict]!);
      const result = tally(assigned, votes, content.thresholdBp);
      // Unresolved before the deadline once every assigned validator with power has voted: nothing can change any more.
      const allVoted = assigned.every((a) => a.power === 0n || votes.has(Buffer.from(a.operator).toString("hex")));
      if (result.verdict === undefined && ctx.height < claim.deadlineHeight && !allVoted) continue;
      store.delete(keys.pendingKey(id));
      claim.status = result.verdict === undefined ? ClaimStatus.CLAIM_STATUS_UNRESOLVED : ClaimStatus.CLAIM_STATUS_CERTIFIED;
      claim.verdict = result.verdict === undefined ? Verdict.VERDICT_UNSPECIFIED : VERDICT_OF[result.verdict];
      this.putClaim(ctx, claim);
      const outcomes = validatorOutcomes(assigned, votes, result.verdict ?? "UNRESOLVED").map((o) => ({ ...o, operator: Buffer.from(o.operator, "hex") }));
      // Certified before its deadline: a validator whose verdict is still on its way gets
      // late_vote_blocks more blocks before its silence counts as a miss.
      const early = result.verdict !== undefined && ctx.height < claim.deadlineHeight && p.lateVoteBlocks > 0n;
      const late: string[] = [];
      for (const o of outcomes) {
        // An assignee that has left the active set (power 0) cannot vote any more: no fault for its silence.
        if (o.outcome === "missed" && o.power === 0n) continue;
        if (early && o.outcome === "missed") late.push(this.validators.valoperAddress(o.operator));
        else if (o.outcome === "missed")
          this.recordOutcome(ctx, p, o.operator, this.missOrExcused(ctx, this.validators.valoperAddress(o.operator), id, content.height));
        else {
          const valoper = this.validators.valoperAddress(o.operator);
          this.recordOutcome(ctx, p, o.operator, o.outcome, claim.votes.find((v) => v.validator === valoper)?.confidenceBp);
        }
      }
      if (late.length > 0) {
        const due = ctx.height + p.lateVoteBlocks;
        store.set(keys.lateKey(id), LateVoters.encode({ dueHeight: due, validators: late }).finish());
        store.set(keys.lateQueueKey(due, id), keys.PRESENT);
      }
      this.payOut(
        ctx,
        content,
        claim,
        outcomes.filter((o) => o.outcome === "agreed"),
      );
      ctx.events.emit(ev.EVENT_CLAIM_CERTIFIED, {
        [ev.ATTR_CONTENT_ID]: content.id.toString(),
        [ev.ATTR_CLAIM_ID]: id.toString(),
        [ev.ATTR_STATUS]: ClaimStatus[claim.status],
        [ev.ATTR_VERDICT]: result.verdict ?? ev.VERDICT_UNRESOLVED,
        [ev.ATTR_STAKE_FOR]: result.stakeFor.toString(),
        [ev.ATTR_STAKE_ASSIGNED]: result.totalAssigned.toString(),
      });
      content.settled += 1;
      touched.add(content.id);
      if (content.settled === content.claimIds.length) this.writeCertificate(ctx, content, powers);
    }
    for (const cid of touched) store.set(keys.contentKey(cid), Content.encode(contents.get(cid)!).finish());
  }

  /** The claim's share of the content's fee: to the agreeing validators by power, else back to the submitter. */
  private payOut(ctx: Context, content: Content, claim: ClaimRecord, agreed: { operator: Buffer; power: bigint }[]): void {
    const total = BigInt(content.fee?.amount ?? "0");
    const n = BigInt(content.claimIds.length);
    const share = total / n + (BigInt(claim.index) === n - 1n ? total % n : 0n); // the last claim takes the remainder
    if (share === 0n) return;
    const denom = content.fee!.denom;
    const escrow = this.accounts.moduleAccount(ctx, CLAIMS_MODULE).address;
    const power = agreed.reduce((a, o) => a + o.power, 0n);
    if (agreed.length === 0 || power === 0n) {
      this.bank.sendCoins(ctx, escrow, parseAddress(content.submitter), [{ denom, amount: share }]);
      return;
    }
    let paid = 0n;
    agreed.forEach((o, i) => {
      const amount = i === agreed.length - 1 ? share - paid : (share * o.power) / power;
      paid += amount;
      if (amount > 0n) this.bank.sendCoins(ctx, escrow, o.operator, [{ denom, amount }]);
    });
  }

  /** Reads a validator's verifier stats (zeros if it never had an assignment settled). */
  stats(ctx: Context, valoper: string): VerifierStats {
    const v = ctx.store(keys.STORE).get(keys.statsKey(valoper));
    return v === undefined ? VerifierStats.fromPartial({ validator: valoper }) : VerifierStats.decode(v);
  }

  /**
   * End of block: each validator whose drift averages moved in this block is checked against the
   * band its own history and the active set's current medians define (drift.ts). Entering the band's
   * outside emits verifier_drift once, leaving it verifier_drift_cleared; VerifierStats shows the
   * state. Drift is information for operators: nothing here slashes, jails or withholds pay.
   */
  private checkDrift(ctx: Context, p: Params): void {
    const store = ctx.store(keys.STORE);
    const dirty = [...store.iterate({ prefix: keys.driftDirtyPrefix })].map(([k]) => k);
    if (dirty.length === 0) return;
    const dp = driftParams(p);
    const set = setView(
      this.validators.bondedPowers(ctx).map((v) => tracksOf(this.stats(ctx, this.validators.valoperAddress(v.operator)))),
      dp,
    );
    for (const k of dirty) {
      store.delete(k);
      const valoper = keys.valoperOfDirtyKey(k);
      const s = this.stats(ctx, valoper);
      const finding = findDrift(tracksOf(s), set, dp, s.drifting);
      if (finding !== undefined && !s.drifting) {
        s.drifting = true;
        s.driftReason = finding.reason;
        s.driftHeight = ctx.height;
        s.driftEvents += 1n;
        ctx.events.emit(ev.EVENT_VERIFIER_DRIFT, {
          [ev.ATTR_VALIDATOR]: valoper,
          [ev.ATTR_REASON]: finding.reason,
          [ev.ATTR_VALUE_BP]: finding.valueBp.toString(),
          [ev.ATTR_BAND_LOW_BP]: finding.lowBp.toString(),
          [ev.ATTR_BAND_HIGH_BP]: finding.highBp.toString(),
          [ev.ATTR_SAMPLES]: (finding.reason.startsWith("agreement") ? s.agreementSamples : s.confidenceSamples).toString(),
          [ev.ATTR_HEIGHT]: ctx.height.toString(),
        });
      } else if (finding === undefined && s.drifting) {
        s.drifting = false;
        s.driftReason = "";
        s.driftHeight = 0n;
        ctx.events.emit(ev.EVENT_VERIFIER_DRIFT_CLEARED, { [ev.ATTR_VALIDATOR]: valoper, [ev.ATTR_HEIGHT]: ctx.height.toString() });
      } else continue;
      store.set(keys.statsKey(valoper), VerifierStats.encode(s).finish());
    }
  }

  /**
   * Jailing must never take the chain down: within one block, validators jailed (for any reason)
   * must keep under a third of the power of the set that block started with, so the set can never
   * empty or lose its quorum at once. A punishment that does not fit waits (its faults stay in the
   * window) and happens in a later block, with an event saying so.
   */
  private mayJail(ctx: Context, operator: Buffer, valoper: string, faults: bigint): boolean {
    const set = this.validators.bondedPowers(ctx);
    const total = set.reduce((a, v) => a + v.power, 0n);
    const alreadyJailed = set.filter((v) => this.validators.getValidator(ctx, v.operator)?.jailed === true).reduce((a, v) => a + v.power, 0n);
    const power = set.find((v) => v.operator.equals(operator))?.power ?? 0n;
    if ((alreadyJailed + power) * 3n < total) return true;
    ctx.events.emit(ev.EVENT_VERIFIER_PUNISHMENT_DEFERRED, {
      [ev.ATTR_VALIDATOR]: valoper,
      [ev.ATTR_FAULTS]: faults.toString(),
      [ev.ATTR_REASON]: ev.DEFERRED_REASON,
    });
    return false;
  }

  /**
   * One settled assignment in the validator's record. Disagreeing with the certified verdict or
   * missing the claim is a fault; the last `fault_window` settled assignments are kept as a ring of
   * fault bits (slot = assignments so far mod window, as the slashing module's missed-blocks
   * bitmap). When the faults in it exceed max_fault_bp of the window, the validator is slashed by
   * slash_fraction_verification and jailed through the slashing keeper, and its window starts
   * afresh. A jailed validator's settlements count in its stats but never as faults. An "excused"
   * miss (missOrExcused) counts as assigned only: neither paid, nor a fault, nor missed.
   */
  private recordOutcome(ctx: Context, p: Params, operator: Buffer, outcome: string, confidenceBp?: number): void {
    const store = ctx.store(keys.STORE);
    const valoper = this.validators.valoperAddress(operator);
    const s = this.stats(ctx, valoper);
    if (outcome === "agreed" || outcome === "disagreed" || confidenceBp !== undefined) {
      const dp = driftParams(p);
      if (outcome === "agreed" || outcome === "disagreed") {
        const a = observe({ samples: s.agreementSamples, fast: s.agreementFastPpm, slow: s.agreementSlowPpm }, outcome === "agreed" ? PPM : 0, dp);
        [s.agreementSamples, s.agreementFastPpm, s.agreementSlowPpm] = [a.samples, a.fast, a.slow];
      }
      if (confidenceBp !== undefined) {
        const c = observe({ samples: s.confidenceSamples, fast: s.confidenceFastPpm, slow: s.confidenceSlowPpm }, Math.min(confidenceBp, 10_000) * 100, dp);
        [s.confidenceSamples, s.confidenceFastPpm, s.confidenceSlowPpm] = [c.samples, c.fast, c.slow];
      }
      store.set(keys.driftDirtyKey(valoper), keys.PRESENT);
    }
    const slot = p.faultWindow > 0n ? s.assigned % p.faultWindow : 0n;
    s.assigned += 1n;
    if (outcome === "agreed") s.agreed += 1n;
    else if (outcome === "disagreed") s.disagreed += 1n;
    else if (outcome === "missed") s.missed += 1n;
    else if (outcome === "abstained") s.abstained += 1n;
    const validator = this.validators.getValidator(ctx, operator);
    if (p.faultWindow > 0n && validator !== undefined) {
      const fault = !validator.jailed && (outcome === "disagreed" || outcome === "missed");
      const key = keys.faultKey(valoper, slot);
      const was = store.get(key) !== undefined;
      if (was && !fault) {
        store.delete(key);
        s.windowFaults -= 1n;
      } else if (!was && fault) {
        store.set(key, keys.PRESENT);
        s.windowFaults += 1n;
      }
      if (!validator.jailed && s.windowFaults * 10_000n > BigInt(p.maxFaultBp) * p.faultWindow && this.mayJail(ctx, operator, valoper, s.windowFaults)) {
        const jailMs = millis(p.jailDuration);
        const burned = this.slashing.punish(
          ctx,
          operator,
          parseDecText(p.slashFractionVerification, "slash_fraction_verification"),
          jailMs,
          ev.VERIFICATION_FAULTS_REASON,
        );
        ctx.events.emit(ev.EVENT_VERIFIER_PUNISHED, {
          [ev.ATTR_VALIDATOR]: valoper,
          [ev.ATTR_FAULTS]: s.windowFaults.toString(),
          [ev.ATTR_FAULT_WINDOW]: p.faultWindow.toString(),
          [ev.ATTR_MAX_FAULT_BP]: p.maxFaultBp.toString(),
          [ev.ATTR_BURNED]: burned.toString(),
        });
        for (const [k] of [...store.iterate({ prefix: keys.faultPrefix(valoper) })]) store.delete(k);
        s.windowFaults = 0n;
        s.slashes += 1n;
      }
    }
    store.set(keys.statsKey(valoper), VerifierStats.encode(s).finish());
  }

  private writeCertificate(ctx: Context, content: Content, powers: Map<string, { power: bigint }>): void {
    const claims = content.claimIds.map((id) => {
      const c = this.claim(ctx, id)!;
      const stakeOf = (a: string) => powers.get(a)?.power ?? 0n;
      const assigned = c.assigned.reduce((a, v) => a + stakeOf(v), 0n);
      const forVerdict = c.votes.filter((v) => v.verdict === c.verdict).reduce((a, v) => a + stakeOf(v.validator), 0n);
      const voted = c.votes.reduce((a, v) => a + stakeOf(v.validator), 0n);
      return {
        claimId: id,
        claimHash: c.hash,
        status: c.status,
        verdict: c.verdict,
        stakeFor: forVerdict.toString(),
        stakeAgainst: (voted - forVerdict).toString(),
        stakeAssigned: assigned.toString(),
        voters: c.votes.map((v) => ({ validator: v.validator, verdict: v.verdict, modelHash: v.modelHash, power: stakeOf(v.validator).toString() })),
      };
    });
    const cert: Certificate = { contentId: content.id, contentHash: content.contentHash, claims, height: ctx.height };
    ctx.store(keys.STORE).set(keys.certificateKey(content.id), Certificate.encode(cert).finish());
    ctx.events.emit(ev.EVENT_CONTENT_CERTIFIED, { [ev.ATTR_CONTENT_ID]: content.id.toString(), [ev.ATTR_HEIGHT]: ctx.height.toString() });
  }

  /** Reads a content's certificate; undefined until all its claims are settled. */
  certificate(ctx: Context, contentId: bigint): Certificate | undefined {
    const v = ctx.store(keys.STORE).get(keys.certificateKey(contentId));
    return v === undefined ? undefined : Certificate.decode(v);
  }

  /** Reads a submitter's contents, in id order. */
  *contentsBySubmitter(ctx: Context, submitter: Uint8Array): Generator<Content> {
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix: keys.bySubmitterPrefix(submitter) })) yield this.content(ctx, keys.idOfKey(k))!;
  }

  /** Reads the pending (assigned, unsettled) claims, in id order; only those assigned to `validator` unless it is "". */
  *pendingClaims(ctx: Context, validator: string): Generator<ClaimRecord> {
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix: keys.pendingPrefix })) {
      const c = this.claim(ctx, keys.idOfKey(k))!;
      if (validator === "" || c.assigned.includes(validator)) yield c;
    }
  }
}

/** The drift params; a params record written before they existed (all zero) reads as the defaults. */
function driftParams(p: Params): DriftParams {
  const q = p.driftFastShift === 0 ? DEFAULT_CLAIMS_PARAMS : p;
  return {
    fastShift: q.driftFastShift,
    slowShift: q.driftSlowShift,
    minSamples: q.driftMinSamples,
    agreementMarginBp: q.driftAgreementMarginBp,
    confidenceMarginBp: q.driftConfidenceMarginBp,
    historyMarginBp: q.driftHistoryMarginBp,
  };
}

function tracksOf(s: VerifierStats): Tracks {
  return {
    agreement: { samples: s.agreementSamples, fast: s.agreementFastPpm, slow: s.agreementSlowPpm },
    confidence: { samples: s.confidenceSamples, fast: s.confidenceFastPpm, slow: s.confidenceSlowPpm },
  };
}
