// Fee and reward distribution with the F1 scheme: each validator keeps a running "rewards per
// token" (its historical periods); a delegation remembers the period it started at and its stake,
// so paying it is one subtraction, whatever the number of delegators, and nothing loops over
// delegations per block.
import {
  DelegatorStartingInfo,
  FeePool,
  Params,
  ValidatorAccumulatedCommission,
  ValidatorCurrentRewards,
  ValidatorHistoricalRewards,
  ValidatorOutstandingRewards,
  ValidatorSlashEvent,
} from "cosmjs-types/cosmos/distribution/v1beta1/distribution";
import { type Amount, formatAmounts } from "../../app/core/coins";
import type { Context } from "../../app/core/context";
import { DEC_PRECISION, formatDec, ONE_DEC } from "../../app/core/dec";
import { bech32Address, valoperAddress } from "../../app/core/address";
import { add, decCoins, DecCoins, fromCoins, isZero, min, mulDiv, sub, toDecCoinList, truncate } from "./dec-coins";
import {
  communityPoolShortError,
  delegationNotFoundError,
  moduleAccountWithdrawAddrError,
  noDelegationRewardsError,
  noValidatorCommissionError,
  validatorNotFoundError,
  withdrawAddrDisabledError,
} from "./errors";
import * as ev from "./events";
import type { AccountKeeper, BankKeeper, StakingKeeper } from "./expected-keepers";
import * as keys from "./keys";
import { DEFAULT_DISTRIBUTION_PARAMS } from "./params";

export const DISTRIBUTION_MODULE = "distribution";
export const FEE_COLLECTOR = "fee_collector";

/** Writes a record; an empty one (all zero) is no record at all (the store holds no empty values). */
function put(ctx: Context, key: Buffer, bytes: Uint8Array): void {
  if (bytes.length === 0) ctx.store(keys.STORE).delete(key);
  else ctx.store(keys.STORE).set(key, bytes);
}

/** Fee and reward distribution (F1): allocation each block, staking hooks, withdrawals, the community pool. */
export class DistributionKeeper {
  constructor(
    private readonly accounts: AccountKeeper,
    private readonly bank: BankKeeper,
    private readonly staking: StakingKeeper,
  ) {}

  // ---- params, pools ----

  /** Reads the distribution params (the defaults when genesis stored none). */
  params(ctx: Context): Params {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_DISTRIBUTION_PARAMS : Params.decode(v);
  }

  /** Writes the distribution params (genesis). */
  setParams(ctx: Context, p: Params): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(p).finish());
  }

  /** Reads the community pool (DecCoins, LegacyDec atomics). */
  communityPool(ctx: Context): DecCoins {
    const v = ctx.store(keys.STORE).get(keys.feePoolKey);
    return v === undefined ? new Map() : decCoins(FeePool.decode(v).communityPool);
  }

  private setCommunityPool(ctx: Context, pool: DecCoins): void {
    put(ctx, keys.feePoolKey, FeePool.encode({ communityPool: toDecCoinList(pool) }).finish());
  }

  private addToCommunityPool(ctx: Context, amount: DecCoins): void {
    if (!isZero(amount)) this.setCommunityPool(ctx, add(this.communityPool(ctx), amount));
  }

  private moduleAddress(ctx: Context): Buffer {
    return this.accounts.moduleAccount(ctx, DISTRIBUTION_MODULE).address;
  }

  /** MsgFundCommunityPool. */
  fundCommunityPool(ctx: Context, depositor: Uint8Array, coins: readonly Amount[]): void {
    this.bank.sendCoins(ctx, depositor, this.moduleAddress(ctx), coins);
    this.addToCommunityPool(ctx, fromCoins(coins));
  }

  /**
   * MsgCommunityPoolSpend (governance only): pays `coins` from the community pool (held by the
   * distribution module account) to `recipient`. Throws BadDistribution, before writing anything,
   * when the pool holds less than that of some denom, and Unauthorized for a module account recipient.
   */
  spendCommunityPool(ctx: Context, recipient: Uint8Array, coins: readonly Amount[]): void {
    if (this.isModuleAccount(ctx, recipient)) throw moduleAccountWithdrawAddrError(bech32Address(recipient));
    const pool = this.communityPool(ctx);
    const left = sub(pool, fromCoins(coins));
    for (const c of coins) {
      if ((left.get(c.denom) ?? 0n) < 0n) throw communityPoolShortError(formatDec(pool.get(c.denom) ?? 0n), `${c.amount}${c.denom}`);
    }
    this.setCommunityPool(ctx, left);
    this.bank.sendCoins(ctx, this.moduleAddress(ctx), recipient, coins);
  }

  private isModuleAccount(ctx: Context, address: Uint8Array): boolean {
    return [DISTRIBUTION_MODULE, FEE_COLLECTOR, "bonded_tokens_pool", "not_bonded_tokens_pool"].some((m) =>
      this.accounts.moduleAccount(ctx, m).address.equals(Buffer.from(address)),
    );
  }

  // ---- per-validator records ----

  private get<T>(ctx: Context, key: Buffer, decode: (b: Uint8Array) => T): T | undefined {
    const v = ctx.store(keys.STORE).get(key);
    return v === undefined ? undefined : decode(v);
  }

  /** Reads a validator's outstanding rewards: allocated to it and its delegators, not yet paid out. */
  outstanding(ctx: Context, op: Uint8Array): DecCoins {
    return decCoins(this.get(ctx, keys.outstandingKey(op), ValidatorOutstandingRewards.decode)?.rewards);
  }

  private setOutstanding(ctx: Context, op: Uint8Array, d: DecCoins): void {
    put(ctx, keys.outstandingKey(op), ValidatorOutstandingRewards.encode({ rewards: toDecCoinList(d) }).finish());
  }

  /** Reads a validator's accumulated, unwithdrawn commission. */
  commission(ctx: Context, op: Uint8Array): DecCoins {
    return decCoins(this.get(ctx, keys.commissionKey(op), ValidatorAccumulatedCommission.decode)?.commission);
  }

  private setCommission(ctx: Context, op: Uint8Array, d: DecCoins): void {
    put(ctx, keys.commissionKey(op), ValidatorAccumulatedCommission.encode({ commission: toDecCoinList(d) }).finish());
  }

  private current(ctx: Context, op: Uint8Array): { rewards: DecCoins; period: bigint } {
    const c = this.get(ctx, keys.currentKey(op), ValidatorCurrentRewards.decode);
    if (c === undefined) throw new Error(`distribution: validator ${valoperAddress(op)} has no current rewards (not initialized)`);
    return { rewards: decCoins(c.rewards), period: c.period };
  }

  private setCurrent(ctx: Context, op: Uint8Array, rewards: DecCoins, period: bigint): void {
    ctx.store(keys.STORE).set(keys.currentKey(op), ValidatorCurrentRewards.encode({ rewards: toDecCoinList(rewards), period }).finish());
  }

  private historical(ctx: Context, op: Uint8Array, period: bigint): { ratio: DecCoins; refs: number } {
    const h = this.get(ctx, keys.historicalKey(op, period), ValidatorHistoricalRewards.decode);
    if (h === undefined) throw new Error(`distribution: validator ${valoperAddress(op)} has no historical rewards for period ${period}`);
    return { ratio: decCoins(h.cumulativeRewardRatio), refs: h.referenceCount };
  }

  private setHistorical(ctx: Context, op: Uint8Array, period: bigint, ratio: DecCoins, refs: number): void {
    ctx
      .store(keys.STORE)
      .set(keys.historicalKey(op, period), ValidatorHistoricalRewards.encode({ cumulativeRewardRatio: toDecCoinList(ratio), referenceCount: refs }).finish());
  }

  /** A period is kept while a delegation's start, a slash event or the current period refers to it. */
  private reference(ctx: Context, op: Uint8Array, period: bigint, delta: 1 | -1): void {
    const h = this.historical(ctx, op, period);
    const refs = h.refs + delta;
    if (refs < 0) throw new Error(`distribution: negative reference count for ${valoperAddress(op)} period ${period}`);
    if (refs === 0) ctx.store(keys.STORE).delete(keys.historicalKey(op, period));
    else this.setHistorical(ctx, op, period, h.ratio, refs);
  }

  /**
   * Closes the validator's current period: its rewards per token (rewards / tokens) are added to
   * the cumulative ratio of a new historical period. Returns the period closed.
   */
  private incrementPeriod(ctx: Context, op: Uint8Array): bigint {
    const v = this.staking.getValidator(ctx, op);
    const cur = this.current(ctx, op);
    let ratio: DecCoins = new Map();
    if (v === undefined || v.tokens === 0n) {
      // Nobody to pay: the rewards go to the community pool.
      this.addToCommunityPool(ctx, cur.rewards);
      this.setOutstanding(ctx, op, sub(this.outstanding(ctx, op), cur.rewards));
    } else {
      ratio = mulDiv(cur.rewards, DEC_PRECISION, v.tokens * DEC_PRECISION); // per token, in atomics
    }
    const prev = this.historical(ctx, op, cur.period - 1n);
    this.reference(ctx, op, cur.period - 1n, -1);
    this.setHistorical(ctx, op, cur.period, add(prev.ratio, ratio), 1);
    this.setCurrent(ctx, op, new Map(), cur.period + 1n);
    return cur.period;
  }

  // ---- staking hooks ----

  /** Staking hook: writes a new validator's empty records (period 0 with one reference, current period 1, no commission, nothing outstanding). */
  afterValidatorCreated(ctx: Context, op: Uint8Array): void {
    this.setHistorical(ctx, op, 0n, new Map(), 1);
    this.setCurrent(ctx, op, new Map(), 1n);
    this.setCommission(ctx, op, new Map());
    this.setOutstanding(ctx, op, new Map());
  }

  /** Staking hook: closes the validator's current period, so the new delegation starts on a fresh one. */
  beforeDelegationCreated(ctx: Context, op: Uint8Array): void {
    this.incrementPeriod(ctx, op);
  }

  /** Before a delegation's shares change: pay what it earned so far (the new stake starts a new record). */
  beforeDelegationSharesModified(ctx: Context, delegator: Uint8Array, op: Uint8Array): void {
    this.withdrawDelegationRewards(ctx, delegator, op);
  }

  /** Staking hook: writes the delegation's starting info (previous period, its stake in token atomics, height) and references that period; nothing if the delegation is gone. */
  afterDelegationModified(ctx: Context, delegator: Uint8Array, op: Uint8Array): void {
    const shares = this.staking.getDelegation(ctx, delegator, op);
    if (shares === undefined) return; // removed: its record went with the withdrawal
    const v = this.staking.getValidator(ctx, op)!;
    const previous = this.current(ctx, op).period - 1n;
    this.reference(ctx, op, previous, 1);
    const stake = v.delegatorShares === 0n ? 0n : (shares * v.tokens * DEC_PRECISION) / v.delegatorShares; // tokens in atomics
    ctx
      .store(keys.STORE)
      .set(
        keys.startingInfoKey(op, delegator),
        DelegatorStartingInfo.encode({ previousPeriod: previous, stake: stake.toString(), height: ctx.height }).finish(),
      );
  }

  /** `fraction` (atomics) of the validator's tokens is about to be burned: a new period, and a slash event. */
  beforeValidatorSlashed(ctx: Context, op: Uint8Array, fraction: bigint): void {
    const period = this.incrementPeriod(ctx, op);
    this.reference(ctx, op, period, 1);
    let seq = 0n;
    while (ctx.store(keys.STORE).get(keys.slashEventKey(op, ctx.height, seq)) !== undefined) seq++;
    ctx
      .store(keys.STORE)
      .set(keys.slashEventKey(op, ctx.height, seq), ValidatorSlashEvent.encode({ validatorPeriod: period, fraction: fraction.toString() }).finish());
  }

  /** The validator is gone: its commission is paid out, anything left goes to the community pool. */
  afterValidatorRemoved(ctx: Context, op: Uint8Array): void {
    const commission = this.commission(ctx, op);
    const outstanding = this.outstanding(ctx, op);
    const { coins, change } = truncate(commission);
    if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress(ctx), op, coins);
    this.addToCommunityPool(ctx, add(sub(outstanding, commission), change));
    const store = ctx.store(keys.STORE);
    for (const k of [keys.outstandingKey(op), keys.commissionKey(op), keys.currentKey(op)]) store.delete(k);
    for (const prefix of [keys.historicalPrefix(op), keys.slashEventPrefix(op)]) for (const [k] of [...store.iterate({ prefix })]) store.delete(k);
  }

  // ---- allocation (start of each block) ----

  /**
   * Pays the fee collector's whole balance (last block's fees and this block's minted coins) to
   * the validators that signed the last block, in proportion to their power, after the community
   * tax; each validator's commission is set aside, the rest accrues to its delegators.
   * Invariants: nothing is created or lost: every coin moved to the module ends in some
   * validator's outstanding rewards or in the community pool (tax and rounding dust); signers
   * are handled in the order given, so every node writes the same records.
   */
  allocate(ctx: Context, signers: readonly { consAddress: Uint8Array; power: bigint }[]): void {
    const feeCollector = this.accounts.moduleAccount(ctx, FEE_COLLECTOR).address;
    const collected = this.bank.getAllBalances(ctx, feeCollector);
    if (collected.length === 0) return;
    this.bank.sendCoins(ctx, feeCollector, this.moduleAddress(ctx), collected);
    const fees = fromCoins(collected);
    const total = signers.reduce((a, s) => a + s.power, 0n);
    if (total === 0n) {
      this.addToCommunityPool(ctx, fees);
      return;
    }
    const tax = BigInt(this.params(ctx).communityTax);
    const forValidators = mulDiv(fees, ONE_DEC - tax, ONE_DEC);
    let remaining = fees;
    for (const s of signers) {
      const v = this.staking.validatorByConsensusAddress(ctx, s.consAddress);
      if (v === undefined) continue;
      const reward = mulDiv(forValidators, s.power, total);
      this.allocateToValidator(ctx, v.operator, v.commission.rate, reward);
      remaining = sub(remaining, reward);
    }
    this.addToCommunityPool(ctx, remaining); // the tax and the rounding dust
  }

  private allocateToValidator(ctx: Context, op: Uint8Array, rate: bigint, reward: DecCoins): void {
    const commission = mulDiv(reward, rate, ONE_DEC);
    const shared = sub(reward, commission);
    this.setCommission(ctx, op, add(this.commission(ctx, op), commission));
    const cur = this.current(ctx, op);
    this.setCurrent(ctx, op, add(cur.rewards, shared), cur.period);
    this.setOutstanding(ctx, op, add(this.outstanding(ctx, op), reward));
    ctx.events.emit(ev.EVENT_REWARDS, { [ev.ATTR_AMOUNT]: fmtDec(reward), [ev.ATTR_VALIDATOR]: valoperAddress(op) });
    ctx.events.emit(ev.EVENT_COMMISSION, { [ev.ATTR_AMOUNT]: fmtDec(commission), [ev.ATTR_VALIDATOR]: valoperAddress(op) });
  }

  // ---- delegator rewards ----

  private startingInfo(ctx: Context, op: Uint8Array, delegator: Uint8Array): DelegatorStartingInfo | undefined {
    return this.get(ctx, keys.startingInfoKey(op, delegator), DelegatorStartingInfo.decode);
  }

  private between(ctx: Context, op: Uint8Array, from: bigint, to: bigint, stake: bigint): DecCoins {
    const diff = sub(this.historical(ctx, op, to).ratio, this.historical(ctx, op, from).ratio);
    return mulDiv(diff, stake, DEC_PRECISION);
  }

  /** What the delegation earned from its start up to the close of period `endingPeriod`, slashes included. */
  private rewardsUpTo(ctx: Context, op: Uint8Array, delegator: Uint8Array, endingPeriod: bigint): DecCoins {
    const start = this.startingInfo(ctx, op, delegator);
    if (start === undefined) return new Map();
    let stake = BigInt(start.stake);
    let period = start.previousPeriod;
    let rewards: DecCoins = new Map();
    const store = ctx.store(keys.STORE);
    for (const [, v] of store.iterate({ start: keys.slashEventsFrom(op, start.height), end: keys.slashEventsUntil(op, ctx.height) })) {
      const ev = ValidatorSlashEvent.decode(v);
      if (ev.validatorPeriod > period) {
        rewards = add(rewards, this.between(ctx, op, period, ev.validatorPeriod, stake));
        period = ev.validatorPeriod;
      }
      stake = (stake * (ONE_DEC - BigInt(ev.fraction))) / ONE_DEC;
    }
    // Never more than what the delegation is worth now (rounding of the slashes above).
    const v = this.staking.getValidator(ctx, op);
    const shares = this.staking.getDelegation(ctx, delegator, op) ?? 0n;
    const now = v === undefined || v.delegatorShares === 0n ? 0n : (shares * v.tokens * DEC_PRECISION) / v.delegatorShares;
    if (stake > now) stake = now;
    return add(rewards, this.between(ctx, op, period, endingPeriod, stake));
  }

  /** The rewards a delegation could withdraw now (for queries: computed, nothing kept). */
  pendingRewards(ctx: Context, delegator: Uint8Array, op: Uint8Array): DecCoins {
    if (this.startingInfo(ctx, op, delegator) === undefined) return new Map();
    const ending = this.incrementPeriod(ctx, op); // the query's branch is thrown away
    return this.rewardsUpTo(ctx, op, delegator, ending);
  }

  /** Reads where a delegator's rewards go (itself unless it set another address). */
  withdrawAddress(ctx: Context, delegator: Uint8Array): Buffer {
    return Buffer.from(ctx.store(keys.STORE).get(keys.withdrawAddrKey(delegator)) ?? delegator);
  }

  /** MsgSetWithdrawAddress: writes the withdraw address; throws Unauthorized when disabled by the params or for a module account. */
  setWithdrawAddress(ctx: Context, delegator: Uint8Array, to: Uint8Array): void {
    if (!this.params(ctx).withdrawAddrEnabled) throw withdrawAddrDisabledError();
    if (this.isModuleAccount(ctx, to)) throw moduleAccountWithdrawAddrError(bech32Address(to));
    ctx.store(keys.STORE).set(keys.withdrawAddrKey(delegator), Buffer.from(to));
    ctx.events.emit(ev.EVENT_SET_WITHDRAW_ADDRESS, { [ev.ATTR_WITHDRAW_ADDRESS]: bech32Address(to) });
  }

  /** Pays a delegation's rewards (whole coins; the decimal change goes to the community pool). */
  withdrawDelegationRewards(ctx: Context, delegator: Uint8Array, op: Uint8Array): Amount[] {
    const start = this.startingInfo(ctx, op, delegator);
    if (start === undefined) throw noDelegationRewardsError();
    const ending = this.incrementPeriod(ctx, op);
    let rewards = this.rewardsUpTo(ctx, op, delegator, ending);
    const outstanding = this.outstanding(ctx, op);
    rewards = min(rewards, outstanding);
    const { coins, change } = truncate(rewards);
    this.setOutstanding(ctx, op, sub(outstanding, rewards));
    this.addToCommunityPool(ctx, change);
    if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress(ctx), this.withdrawAddress(ctx, delegator), coins);
    this.reference(ctx, op, start.previousPeriod, -1);
    ctx.store(keys.STORE).delete(keys.startingInfoKey(op, delegator));
    ctx.events.emit(ev.EVENT_WITHDRAW_REWARDS, {
      [ev.ATTR_AMOUNT]: formatAmounts(coins),
      [ev.ATTR_VALIDATOR]: valoperAddress(op),
      [ev.ATTR_DELEGATOR]: bech32Address(delegator),
    });
    return coins;
  }

  /** MsgWithdrawDelegatorReward: pay, then start a new record for the same stake. */
  withdrawAndRestart(ctx: Context, delegator: Uint8Array, op: Uint8Array): Amount[] {
    if (this.staking.getValidator(ctx, op) === undefined) throw validatorNotFoundError(valoperAddress(op));
    if (this.staking.getDelegation(ctx, delegator, op) === undefined) throw delegationNotFoundError();
    const coins = this.withdrawDelegationRewards(ctx, delegator, op);
    this.afterDelegationModified(ctx, delegator, op);
    return coins;
  }

  /** MsgWithdrawValidatorCommission: pays the commission's whole coins to the validator's withdraw address, keeps the decimal change; throws InvalidRequest when there is none. */
  withdrawCommission(ctx: Context, op: Uint8Array): Amount[] {
    const commission = this.commission(ctx, op);
    if (isZero(commission)) throw noValidatorCommissionError();
    const { coins, change } = truncate(commission);
    this.setCommission(ctx, op, change);
    this.setOutstanding(ctx, op, sub(this.outstanding(ctx, op), fromCoins(coins)));
    if (coins.length > 0) this.bank.sendCoins(ctx, this.moduleAddress(ctx), this.withdrawAddress(ctx, op), coins);
    ctx.events.emit(ev.EVENT_WITHDRAW_COMMISSION, { [ev.ATTR_AMOUNT]: formatAmounts(coins) });
    return coins;
  }
}

/** DecCoins as the SDK prints them in events: "1.500000000000000000umira". */
function fmtDec(d: DecCoins): string {
  return toDecCoinList(d)
    .map((c) => `${formatDec(BigInt(c.amount))}${c.denom}`)
    .join(",");
}
