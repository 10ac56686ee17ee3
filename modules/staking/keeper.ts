import { Delegation, HistoricalInfo, Params, Redelegation, UnbondingDelegation, BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";
import { chainError, SdkCode } from "../../app/core/errors";
import { mulDivCeil, mulDivFloor, ONE_DEC } from "../../app/core/dec";
import { bech32Address, parseAddress } from "../../app/core/address";
import { StakingCode, stakingError } from "./errors";
import * as ev from "./events";
import type { AccountKeeper, BankKeeper, StakingHooks } from "./expected-keepers";
import * as keys from "./keys";
import { DEFAULT_PARAMS, POWER_REDUCTION } from "./params";
import { fromProto, toProto, ValidatorState } from "./validator";
import { consensusAddress, parseValoper, valoperAddress } from "../../app/core/address";
import { durationMs, millis, timestamp } from "../../app/core/time";
import { twoAddresses } from "../../app/core/store-keys";
import { Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";

export const BONDED_POOL = "bonded_tokens_pool";
export const NOT_BONDED_POOL = "not_bonded_tokens_pool";

/** One change of CometBFT's validator set (power 0 removes the validator). */
export interface PowerUpdate {
  consensusKey: Buffer;
  power: bigint;
}

const { BOND_STATUS_BONDED: BONDED, BOND_STATUS_UNBONDING: UNBONDING, BOND_STATUS_UNBONDED: UNBONDED } = BondStatus;

/**
 * Validators, delegations, unbondings and redelegations; the bonded and not-bonded token pools;
 * and, at the end of each block, the changes of the active set for CometBFT.
 */
export class StakingKeeper {
  /** Set once by the app (distribution): told of every validator and delegation change. */
  hooks: StakingHooks | undefined;

  constructor(
    private readonly accounts: AccountKeeper,
    private readonly bank: BankKeeper,
  ) {}

  // ---- params and pools ----

  /** Reads the staking params (the defaults when genesis stored none). */
  params(ctx: Context): Params {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_PARAMS : Params.decode(v);
  }

  /** Writes the staking params (genesis). */
  setParams(ctx: Context, p: Params): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(p).finish());
  }

  /** Reads the bond denom from the params. */
  bondDenom(ctx: Context): string {
    return this.params(ctx).bondDenom;
  }

  /** Reads the address of one of the two token pools (auth's module account). */
  poolAddress(ctx: Context, pool: typeof BONDED_POOL | typeof NOT_BONDED_POOL): Buffer {
    return this.accounts.moduleAccount(ctx, pool).address;
  }

  /** Reads the bond-denom balances of the bonded and not-bonded pools (bank). */
  pool(ctx: Context): { bonded: bigint; notBonded: bigint } {
    const denom = this.bondDenom(ctx);
    return {
      bonded: this.bank.getBalance(ctx, this.poolAddress(ctx, BONDED_POOL), denom),
      notBonded: this.bank.getBalance(ctx, this.poolAddress(ctx, NOT_BONDED_POOL), denom),
    };
  }

  private movePool(ctx: Context, from: typeof BONDED_POOL | typeof NOT_BONDED_POOL, to: typeof BONDED_POOL | typeof NOT_BONDED_POOL, amount: bigint): void {
    if (amount === 0n || from === to) return;
    this.bank.sendCoins(ctx, this.poolAddress(ctx, from), this.poolAddress(ctx, to), [{ denom: this.bondDenom(ctx), amount }]);
  }

  private poolOf(v: ValidatorState): typeof BONDED_POOL | typeof NOT_BONDED_POOL {
    return v.status === BONDED ? BONDED_POOL : NOT_BONDED_POOL;
  }

  // ---- validators ----

  /** Reads a validator by operator address; undefined if none. */
  getValidator(ctx: Context, operator: Uint8Array): ValidatorState | undefined {
    const v = ctx.store(keys.STORE).get(keys.validatorKey(operator));
    return v === undefined ? undefined : fromProto(Validator.decode(v));
  }

  /** Reads a validator by operator address; throws NoValidatorFound if none. */
  mustGetValidator(ctx: Context, operator: Uint8Array): ValidatorState {
    const v = this.getValidator(ctx, operator);
    if (v === undefined) throw stakingError(StakingCode.NoValidatorFound, `validator ${valoperAddress(operator)} does not exist`);
    return v;
  }

  /** Reads the validator that holds this CometBFT (consensus) address now; undefined if none. */
  validatorByConsensusAddress(ctx: Context, consAddress: Uint8Array): ValidatorState | undefined {
    const op = ctx.store(keys.STORE).get(keys.validatorByConsKey(consAddress));
    return op === undefined ? undefined : this.getValidator(ctx, op);
  }

  /** The ed25519 key of any validator that ever registered this CometBFT address. */
  consensusKeyOf(ctx: Context, consAddress: Uint8Array): Buffer | undefined {
    return ctx.store(keys.STORE).get(keys.consensusKeyKey(consAddress));
  }

  /** Reads every validator, in operator key order. */
  *allValidators(ctx: Context): Generator<ValidatorState> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.validatorPrefix })) yield fromProto(Validator.decode(v));
  }

  /** Consensus power: tokens / POWER_REDUCTION, rounded down (pure). */
  static power(v: ValidatorState): bigint {
    return v.tokens / POWER_REDUCTION;
  }

  /** Writes a validator and keeps the power index in step (`before` = its stored form, if any). */
  private putValidator(ctx: Context, before: ValidatorState | undefined, v: ValidatorState): void {
    const store = ctx.store(keys.STORE);
    if (before !== undefined && !before.jailed) store.delete(keys.powerIndexKey(StakingKeeper.power(before), before.operator));
    store.set(keys.validatorKey(v.operator), Validator.encode(toProto(v)).finish());
    if (!v.jailed) store.set(keys.powerIndexKey(StakingKeeper.power(v), v.operator), keys.PRESENT);
  }

  private removeValidator(ctx: Context, v: ValidatorState): void {
    const store = ctx.store(keys.STORE);
    if (!v.jailed) store.delete(keys.powerIndexKey(StakingKeeper.power(v), v.operator));
    store.delete(keys.validatorKey(v.operator));
    store.delete(keys.validatorByConsKey(consensusAddress(v.consensusKey)));
    this.hooks?.afterValidatorRemoved(ctx, v.operator);
    ctx.events.emit(ev.EVENT_REMOVE_VALIDATOR, { [ev.ATTR_VALIDATOR]: valoperAddress(v.operator) });
  }

  /** MsgCreateValidator: writes the validator and its consensus-key indexes, then self-delegates `selfBond`; throws on a wrong denom, a commission below the min rate, or a taken operator or consensus key. */
  createValidator(
    ctx: Context,
    v: Omit<ValidatorState, "tokens" | "delegatorShares" | "status" | "jailed" | "unbondingHeight" | "unbondingTimeMs">,
    selfBond: Amount,
  ): void {
    const p = this.params(ctx);
    if (selfBond.denom !== p.bondDenom) throw chainError(SdkCode.InvalidRequest, `invalid coin denomination: got ${selfBond.denom}, expected ${p.bondDenom}`);
    if (v.commission.rate < BigInt(p.minCommissionRate)) {
      throw stakingError(StakingCode.CommissionLTMinRate, `commission rate cannot be less than the min commission rate ${p.minCommissionRate}`);
    }
    if (this.getValidator(ctx, v.operator) !== undefined)
      throw stakingError(StakingCode.ValidatorOwnerExists, `validator ${valoperAddress(v.operator)} already exists`);
    const cons = consensusAddress(v.consensusKey);
    if (ctx.store(keys.STORE).get(keys.validatorByConsKey(cons)) !== undefined) {
      throw stakingError(StakingCode.ValidatorPubKeyExists, "validator already exist for this pubkey; must use new validator pubkey");
    }
    const created: ValidatorState = { ...v, tokens: 0n, delegatorShares: 0n, status: UNBONDED, jailed: false, unbondingHeight: 0n, unbondingTimeMs: 0n };
    this.putValidator(ctx, undefined, created);
    ctx.store(keys.STORE).set(keys.validatorByConsKey(cons), v.operator);
    ctx.store(keys.STORE).set(keys.consensusKeyKey(cons), v.consensusKey);
    this.hooks?.afterValidatorCreated(ctx, v.operator);
    ctx.events.emit(ev.EVENT_CREATE_VALIDATOR, { [ev.ATTR_VALIDATOR]: valoperAddress(v.operator), [ev.ATTR_AMOUNT]: `${selfBond.amount}${selfBond.denom}` });
    this.delegate(ctx, v.operator, v.operator, selfBond.amount, "account");
  }

  /** MsgEditValidator: writes the new description, commission rate (at most once per 24h, within max rate and max change) and min self-delegation (only up, and at most the tokens); throws the staking code of the broken rule. */
  editValidator(
    ctx: Context,
    operator: Uint8Array,
    edit: { description: Partial<ValidatorState["description"]>; rate: bigint | undefined; minSelfDelegation: bigint | undefined },
  ): void {
    const before = this.mustGetValidator(ctx, operator);
    const v: ValidatorState = { ...before, description: { ...before.description, ...edit.description }, commission: { ...before.commission } };
    if (edit.rate !== undefined) {
      const p = this.params(ctx);
      if (ctx.blockTimeMs - before.commission.updateTimeMs < 24n * 3600n * 1000n) {
        throw stakingError(StakingCode.CommissionUpdateTime, "commission cannot be changed more than once in 24h");
      }
      if (edit.rate < 0n) throw stakingError(StakingCode.CommissionNegative, "commission must be positive");
      if (edit.rate > before.commission.maxRate) throw stakingError(StakingCode.CommissionGTMaxRate, "commission cannot be more than the max rate");
      const change = edit.rate > before.commission.rate ? edit.rate - before.commission.rate : before.commission.rate - edit.rate;
      if (change > before.commission.maxChangeRate)
        throw stakingError(StakingCode.CommissionGTMaxChangeRate, "commission cannot be changed more than max change rate");
      if (edit.rate < BigInt(p.minCommissionRate))
        throw stakingError(StakingCode.CommissionLTMinRate, `commission rate cannot be less than the min commission rate ${p.minCommissionRate}`);
      v.commission = { ...v.commission, rate: edit.rate, updateTimeMs: ctx.blockTimeMs };
    }
    if (edit.minSelfDelegation !== undefined) {
      if (edit.minSelfDelegation <= before.minSelfDelegation)
        throw stakingError(StakingCode.MinSelfDelegationDecreased, "minimum self delegation cannot be decrease");
      if (edit.minSelfDelegation > before.tokens)
        throw stakingError(StakingCode.SelfDelegationBelowMinimum, "validator's self delegation must be greater than their minimum self delegation");
      v.minSelfDelegation = edit.minSelfDelegation;
    }
    this.putValidator(ctx, before, v);
    ctx.events.emit(ev.EVENT_EDIT_VALIDATOR, {
      [ev.ATTR_COMMISSION_RATE]: v.commission.rate.toString(),
      [ev.ATTR_MIN_SELF_DELEGATION]: v.minSelfDelegation.toString(),
    });
  }

  /** Jails a validator: out of the power index, so the next end-block takes it out of the set. */
  jail(ctx: Context, operator: Uint8Array): void {
    const before = this.mustGetValidator(ctx, operator);
    if (before.jailed) return;
    this.putValidator(ctx, before, { ...before, jailed: true });
  }

  /** Unjails a validator (back into the power index); throws NoValidatorFound, or ValidatorJailed if it is not jailed. Slashing checks the jail time first. */
  unjail(ctx: Context, operator: Uint8Array): void {
    const before = this.mustGetValidator(ctx, operator);
    if (!before.jailed) throw stakingError(StakingCode.ValidatorJailed, "validator not jailed; cannot be unjailed");
    this.putValidator(ctx, before, { ...before, jailed: false });
  }

  // ---- delegations ----

  /** Reads a delegation's shares (LegacyDec atomics); undefined if none. */
  getDelegation(ctx: Context, delegator: Uint8Array, validator: Uint8Array): bigint | undefined {
    const v = ctx.store(keys.STORE).get(keys.delegationKey(delegator, validator));
    return v === undefined ? undefined : sharesOf(v);
  }

  private setDelegation(ctx: Context, delegator: Uint8Array, validator: Uint8Array, shares: bigint): void {
    const store = ctx.store(keys.STORE);
    if (shares === 0n) {
      store.delete(keys.delegationKey(delegator, validator));
      store.delete(keys.delegationByValidatorKey(validator, delegator));
      return;
    }
    const d: Delegation = { delegatorAddress: bech32Address(delegator), validatorAddress: valoperAddress(validator), shares: shares.toString() };
    store.set(keys.delegationKey(delegator, validator), Delegation.encode(d).finish());
    store.set(keys.delegationByValidatorKey(validator, delegator), keys.PRESENT);
  }

  /** [validator operator, shares] of a delegator, in key order (the operator read from the key, not from its bech32 form). */
  *delegationsOf(ctx: Context, delegator: Uint8Array): Generator<[Buffer, bigint]> {
    for (const [k, v] of ctx.store(keys.STORE).iterate({ prefix: keys.delegationsOfPrefix(delegator) })) yield [twoAddresses(k, 1)[1], sharesOf(v)];
  }

  /**
   * [delegator, validator operator, shares] of every delegation from `delegator`'s first one on, in
   * key order (delegators by length, then bytes): one ordered pass for readers that visit many
   * delegators in that order (the gov tally), instead of one iterator per delegator.
   */
  *delegationsFrom(ctx: Context, delegator: Uint8Array): Generator<[Buffer, Buffer, bigint]> {
    // The store's own bytes, not copies (the tally reads 10,000 delegations in one pass): the buffers yielded are read only.
    const range = { start: keys.delegationsOfPrefix(delegator), end: keys.delegationPrefixEnd, view: true };
    for (const [k, v] of ctx.store(keys.STORE).iterate(range)) {
      const [from, to] = twoAddresses(k, 1);
      yield [from, to, sharesOf(v)];
    }
  }

  /** [delegator, shares] of a validator, in key order. */
  *delegationsTo(ctx: Context, validator: Uint8Array): Generator<[Buffer, bigint]> {
    const prefix = keys.delegationsToPrefix(validator);
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix })) {
      const delegator = Buffer.from(keys.addressesIn(k, prefix.length)[0]!);
      yield [delegator, this.getDelegation(ctx, delegator, validator)!];
    }
  }

  /** What the operator's own delegation to its validator is worth. */
  selfBondTokens(ctx: Context, operator: Uint8Array): bigint {
    const v = this.getValidator(ctx, operator);
    const shares = this.getDelegation(ctx, operator, operator);
    return v === undefined || shares === undefined ? 0n : StakingKeeper.tokensFromShares(v, shares);
  }

  /** The tokens `shares` of validator `v` are worth (rounded down). */
  static tokensFromShares(v: ValidatorState, shares: bigint): bigint {
    if (v.delegatorShares === 0n) return 0n;
    return mulDivFloor(shares, v.tokens, v.delegatorShares);
  }

  /**
   * Bonds `amount` tokens to `operator` for `delegator`. The tokens come from the delegator's
   * account, or (redelegation, cancelled unbonding) are already in one of the pools.
   */
  delegate(ctx: Context, delegator: Uint8Array, operator: Uint8Array, amount: bigint, source: "account" | typeof BONDED_POOL | typeof NOT_BONDED_POOL): bigint {
    const before = this.mustGetValidator(ctx, operator);
    if (before.tokens === 0n && before.delegatorShares > 0n) {
      throw stakingError(StakingCode.DelegatorShareExRateInvalid, "cannot delegate to validators with invalid (zero) ex-rate");
    }
    const shares = before.tokens === 0n ? amount * ONE_DEC : mulDivFloor(amount, before.delegatorShares, before.tokens);
    const existing = this.getDelegation(ctx, delegator, operator);
    if (existing === undefined) this.hooks?.beforeDelegationCreated(ctx, operator);
    else this.hooks?.beforeDelegationSharesModified(ctx, delegator, operator);
    const denom = this.bondDenom(ctx);
    if (source === "account") this.bank.sendCoins(ctx, delegator, this.poolAddress(ctx, this.poolOf(before)), [{ denom, amount }]);
    else this.movePool(ctx, source, this.poolOf(before), amount);
    this.putValidator(ctx, before, { ...before, tokens: before.tokens + amount, delegatorShares: before.delegatorShares + shares });
    this.setDelegation(ctx, delegator, operator, (existing ?? 0n) + shares);
    this.hooks?.afterDelegationModified(ctx, delegator, operator);
    ctx.events.emit(ev.EVENT_DELEGATE, {
      [ev.ATTR_VALIDATOR]: valoperAddress(operator),
      [ev.ATTR_DELEGATOR]: bech32Address(delegator),
      [ev.ATTR_AMOUNT]: `${amount}${denom}`,
      [ev.ATTR_NEW_SHARES]: shares.toString(),
    });
    return shares;
  }

  /**
   * Removes the shares worth `amount` tokens from a delegation; returns the tokens taken out of the
   * validator (still in its pool) and the validator as it was before.
   */
  private unbond(ctx: Context, delegator: Uint8Array, operator: Uint8Array, amount: bigint): { tokens: bigint; validator: ValidatorState } {
    const v = this.mustGetValidator(ctx, operator);
    const have = this.getDelegation(ctx, delegator, operator);
    if (have === undefined) throw stakingError(StakingCode.NoDelegation, "no delegation for (address, validator) tuple");
    if (v.tokens === 0n) throw stakingError(StakingCode.DelegatorShareExRateInvalid, "cannot unbond from a validator with no tokens");
    let shares = mulDivCeil(amount, v.delegatorShares, v.tokens);
    if (shares > have) {
      if (amount > StakingKeeper.tokensFromShares(v, have))
        throw stakingError(StakingCode.NotEnoughDelegationShares, `invalid shares amount: delegation is worth less than ${amount}`);
      shares = have;
    }
    const tokens = shares === v.delegatorShares ? v.tokens : StakingKeeper.tokensFromShares(v, shares);
    const remaining = have - shares;
    this.hooks?.beforeDelegationSharesModified(ctx, delegator, operator);
    this.setDelegation(ctx, delegator, operator, remaining);
    let after: ValidatorState = { ...v, tokens: v.tokens - tokens, delegatorShares: v.delegatorShares - shares };
    // The operator falling below its own minimum self-delegation is jailed, as in the SDK.
    if (Buffer.compare(Buffer.from(delegator), v.operator) === 0 && !v.jailed && StakingKeeper.tokensFromShares(after, remaining) < v.minSelfDelegation) {
      after = { ...after, jailed: true };
    }
    this.putValidator(ctx, v, after);
    if (remaining > 0n) this.hooks?.afterDelegationModified(ctx, delegator, operator);
    if (after.delegatorShares === 0n && after.status === UNBONDED) this.removeValidator(ctx, after);
    return { tokens, validator: v };
  }

  /** MsgUndelegate: removes the shares worth `amount`, moves the tokens to the not-bonded pool and writes an unbonding entry maturing after unbonding_time; throws on no delegation, too few shares or too many entries. */
  undelegate(ctx: Context, delegator: Uint8Array, operator: Uint8Array, amount: bigint): { completionTimeMs: bigint; amount: bigint } {
    const { tokens, validator } = this.unbond(ctx, delegator, operator, amount);
    this.movePool(ctx, this.poolOf(validator), NOT_BONDED_POOL, tokens);
    const completionTimeMs = ctx.blockTimeMs + durationMs(this.params(ctx).unbondingTime);
    const ubd = this.getUnbonding(ctx, delegator, operator) ?? {
      delegatorAddress: bech32Address(delegator),
      validatorAddress: valoperAddress(operator),
      entries: [],
    };
    if (ubd.entries.length >= this.params(ctx).maxEntries) {
      throw stakingError(StakingCode.MaxUnbondingDelegationEntries, "too many unbonding delegation entries for (delegator, validator) tuple");
    }
    ubd.entries.push({
      creationHeight: ctx.height,
      completionTime: timestamp(completionTimeMs),
      initialBalance: tokens.toString(),
      balance: tokens.toString(),
      unbondingId: 0n,
      unbondingOnHoldRefCount: 0n,
    });
    this.setUnbonding(ctx, delegator, operator, ubd);
    ctx.store(keys.STORE).set(keys.unbondingQueueKey(completionTimeMs, delegator, operator), keys.PRESENT);
    const denom = this.bondDenom(ctx);
    ctx.events.emit(ev.EVENT_UNBOND, {
      [ev.ATTR_VALIDATOR]: valoperAddress(operator),
      [ev.ATTR_DELEGATOR]: bech32Address(delegator),
      [ev.ATTR_AMOUNT]: `${tokens}${denom}`,
      [ev.ATTR_COMPLETION_TIME]: new Date(Number(completionTimeMs)).toISOString(),
    });
    return { completionTimeMs, amount: tokens };
  }

  /** Reads a (delegator, validator) unbonding delegation; undefined if none. */
  getUnbonding(ctx: Context, delegator: Uint8Array, operator: Uint8Array): UnbondingDelegation | undefined {
    const v = ctx.store(keys.STORE).get(keys.unbondingKey(delegator, operator));
    return v === undefined ? undefined : UnbondingDelegation.decode(v);
  }

  private setUnbonding(ctx: Context, delegator: Uint8Array, operator: Uint8Array, ubd: UnbondingDelegation): void {
    const store = ctx.store(keys.STORE);
    if (ubd.entries.length === 0) {
      store.delete(keys.unbondingKey(delegator, operator));
      store.delete(keys.unbondingByValidatorKey(operator, delegator));
      return;
    }
    store.set(keys.unbondingKey(delegator, operator), UnbondingDelegation.encode(ubd).finish());
    store.set(keys.unbondingByValidatorKey(operator, delegator), keys.PRESENT);
  }

  /** Reads a delegator's unbonding delegations, in key order. */
  *unbondingsOf(ctx: Context, delegator: Uint8Array): Generator<UnbondingDelegation> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.unbondingsOfPrefix(delegator) })) yield UnbondingDelegation.decode(v);
  }

  /** Reads the unbonding delegations from a validator, in key order. */
  *unbondingsFrom(ctx: Context, operator: Uint8Array): Generator<UnbondingDelegation> {
    const prefix = keys.unbondingsFromPrefix(operator);
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix })) {
      const delegator = keys.addressesIn(k, prefix.length)[0]!;
      yield this.getUnbonding(ctx, delegator, operator)!;
    }
  }

  /** MsgCancelUnbondingDelegation: takes `amount` out of the unbonding entry created at `creationHeight` and delegates it again from the not-bonded pool; throws on a jailed validator, a missing or matured entry, or an amount over its balance. */
  cancelUnbonding(ctx: Context, delegator: Uint8Array, operator: Uint8Array, amount: bigint, creationHeight: bigint): void {
    const v = this.mustGetValidator(ctx, operator);
    if (v.jailed) throw stakingError(StakingCode.ValidatorJailed, "cannot cancel unbonding of a jailed validator");
    const ubd = this.getUnbonding(ctx, delegator, operator);
    if (ubd === undefined) throw stakingError(StakingCode.NoUnbondingDelegation, "no unbonding delegation found");
    const i = ubd.entries.findIndex((e) => e.creationHeight === creationHeight);
    if (i < 0) throw stakingError(StakingCode.NoUnbondingDelegation, `unbonding delegation entry is not found at block height ${creationHeight}`);
    const entry = ubd.entries[i]!;
    const balance = BigInt(entry.balance);
    if (millis(entry.completionTime) <= ctx.blockTimeMs) throw stakingError(StakingCode.NoUnbondingDelegation, "unbonding delegation is already processed");
    if (amount > balance) throw stakingError(StakingCode.NotEnoughDelegationShares, `amount is greater than the unbonding delegation entry balance ${balance}`);
    if (amount === balance) {
      ubd.entries.splice(i, 1);
      // Its queue key stays; a matured key without an entry is skipped.
    } else entry.balance = (balance - amount).toString();
    this.setUnbonding(ctx, delegator, operator, ubd);
    this.delegate(ctx, delegator, operator, amount, NOT_BONDED_POOL);
    ctx.events.emit(ev.EVENT_CANCEL_UNBONDING_DELEGATION, {
      [ev.ATTR_AMOUNT]: `${amount}${this.bondDenom(ctx)}`,
      [ev.ATTR_VALIDATOR]: valoperAddress(operator),
      [ev.ATTR_DELEGATOR]: bech32Address(delegator),
      [ev.ATTR_CREATION_HEIGHT]: creationHeight.toString(),
    });
  }

  // ---- redelegations ----

  /** Reads a (delegator, source, destination) redelegation; undefined if none. */
  getRedelegation(ctx: Context, delegator: Uint8Array, src: Uint8Array, dst: Uint8Array): Redelegation | undefined {
    const v = ctx.store(keys.STORE).get(keys.redelegationKey(delegator, src, dst));
    return v === undefined ? undefined : Redelegation.decode(v);
  }

  /** Reads a delegator's redelegations, in key order. */
  *redelegationsOf(ctx: Context, delegator: Uint8Array): Generator<Redelegation> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.redelegationsOfPrefix(delegator) })) yield Redelegation.decode(v);
  }

  /** MsgBeginRedelegate: unbonds `amount` from `src` and delegates the tokens to `dst` (pool to pool), recording an entry while the stake is still slashable for `src`; returns the completion time (ms). Throws on a self or transitive redelegation, too many entries, or a zero-token amount. */
  beginRedelegate(ctx: Context, delegator: Uint8Array, src: Uint8Array, dst: Uint8Array, amount: bigint): bigint {
    if (Buffer.compare(Buffer.from(src), Buffer.from(dst)) === 0) throw stakingError(StakingCode.SelfRedelegation, "cannot redelegate to the same validator");
    this.mustGetValidator(ctx, dst);
    // Tokens that arrived at `src` by a redelegation still maturing cannot hop again (slashing must find them).
    for (const r of this.redelegationsOf(ctx, delegator)) {
      if (r.validatorDstAddress === valoperAddress(src) && r.entries.some((e) => millis(e.completionTime) > ctx.blockTimeMs)) {
        throw stakingError(
          StakingCode.TransitiveRedelegation,
          "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation",
        );
      }
    }
    const red = this.getRedelegation(ctx, delegator, src, dst) ?? {
      delegatorAddress: bech32Address(delegator),
      validatorSrcAddress: valoperAddress(src),
      validatorDstAddress: valoperAddress(dst),
      entries: [],
    };
    if (red.entries.length >= this.params(ctx).maxEntries)
      throw stakingError(StakingCode.MaxRedelegationEntries, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple");
    const { tokens, validator: srcBefore } = this.unbond(ctx, delegator, src, amount);
    if (tokens === 0n) throw stakingError(StakingCode.TinyRedelegationAmount, "too few tokens to redelegate (truncates to zero tokens)");
    const sharesDst = this.delegate(ctx, delegator, dst, tokens, this.poolOf(srcBefore));
    // Only stake that was bonded can still be slashed for what `src` did: only then is there an entry.
    let completionTimeMs = ctx.blockTimeMs;
    if (srcBefore.status === BONDED) completionTimeMs = ctx.blockTimeMs + durationMs(this.params(ctx).unbondingTime);
    else if (srcBefore.status === UNBONDING) completionTimeMs = srcBefore.unbondingTimeMs;
    if (completionTimeMs > ctx.blockTimeMs) {
      red.entries.push({
        creationHeight: ctx.height,
        completionTime: timestamp(completionTimeMs),
        initialBalance: tokens.toString(),
        sharesDst: sharesDst.toString(),
        unbondingId: 0n,
        unbondingOnHoldRefCount: 0n,
      });
      ctx.store(keys.STORE).set(keys.redelegationKey(delegator, src, dst), Redelegation.encode(red).finish());
      ctx.store(keys.STORE).set(keys.redelegationBySrcKey(src, delegator, dst), keys.PRESENT);
      ctx.store(keys.STORE).set(keys.redelegationQueueKey(completionTimeMs, delegator, src, dst), keys.PRESENT);
    }
    ctx.events.emit(ev.EVENT_REDELEGATE, {
      [ev.ATTR_SOURCE_VALIDATOR]: valoperAddress(src),
      [ev.ATTR_DESTINATION_VALIDATOR]: valoperAddress(dst),
      [ev.ATTR_AMOUNT]: `${tokens}${this.bondDenom(ctx)}`,
      [ev.ATTR_COMPLETION_TIME]: new Date(Number(completionTimeMs)).toISOString(),
    });
    return completionTimeMs;
  }

  // ---- slashing ----

  /**
   * Burns `fraction` (LegacyDec atomics) of the stake a validator had at `infractionHeight`, whose
   * consensus power then was `power`: first from unbonding delegations and redelegations that
   * started at or after that height (that stake was at fault too), the rest from the validator's
   * tokens (its shares stay, so every delegation loses the same fraction). Returns what was burned.
   * Invariants: the validator's burn is capped at its tokens; distribution's beforeValidatorSlashed
   * runs before its tokens change; the burned coins leave the pool that held them (bonded or not).
   */
  slash(ctx: Context, consAddress: Uint8Array, infractionHeight: bigint, power: bigint, fraction: bigint): bigint {
    const v = this.validatorByConsensusAddress(ctx, consAddress);
    if (v === undefined) return 0n; // already gone (unbonded and removed): nothing left to slash
    const denom = this.bondDenom(ctx);
    const slashAmount = (power * POWER_REDUCTION * fraction) / ONE_DEC;
    let remaining = slashAmount;
    if (infractionHeight < ctx.height) {
      for (const ubd of [...this.unbondingsFrom(ctx, v.operator)]) remaining -= this.slashUnbonding(ctx, ubd, infractionHeight, fraction, denom);
      for (const red of this.redelegationsFrom(ctx, v.operator)) remaining -= this.slashRedelegation(ctx, red, infractionHeight, fraction);
    }
    if (remaining < 0n) remaining = 0n;
    const fresh = this.mustGetValidator(ctx, v.operator);
    const burn = remaining < fresh.tokens ? remaining : fresh.tokens;
    if (burn > 0n) {
      this.hooks?.beforeValidatorSlashed(ctx, fresh.operator, (burn * ONE_DEC) / fresh.tokens);
      this.putValidator(ctx, fresh, { ...fresh, tokens: fresh.tokens - burn });
      this.bank.burnCoins(ctx, this.poolAddress(ctx, this.poolOf(fresh)), [{ denom, amount: burn }]);
    }
    return slashAmount - remaining + burn;
  }

  private redelegationsFrom(ctx: Context, src: Uint8Array): Redelegation[] {
    const prefix = keys.redelegationsFromPrefix(src);
    return [...ctx.store(keys.STORE).iterate({ prefix })].map(([k]) => {
      const [delegator, dst] = keys.addressesIn(k, prefix.length) as [Buffer, Buffer];
      return this.getRedelegation(ctx, delegator, src, dst)!;
    });
  }

  private slashUnbonding(ctx: Context, ubd: UnbondingDelegation, infractionHeight: bigint, fraction: bigint, denom: string): bigint {
    let burned = 0n;
    for (const e of ubd.entries) {
      if (e.creationHeight < infractionHeight || millis(e.completionTime) <= ctx.blockTimeMs) continue;
      const want = (BigInt(e.initialBalance) * fraction) / ONE_DEC;
      const balance = BigInt(e.balance);
      const take = want < balance ? want : balance;
      if (take === 0n) continue;
      e.balance = (balance - take).toString();
      burned += take;
    }
    if (burned > 0n) {
      const delegator = parseAddress(ubd.delegatorAddress);
      const operator = parseValoper(ubd.validatorAddress);
      ctx.store(keys.STORE).set(keys.unbondingKey(delegator, operator), UnbondingDelegation.encode(ubd).finish());
      this.bank.burnCoins(ctx, this.poolAddress(ctx, NOT_BONDED_POOL), [{ denom, amount: burned }]);
    }
    return burned;
  }

  private slashRedelegation(ctx: Context, red: Redelegation, infractionHeight: bigint, fraction: bigint): bigint {
    let burned = 0n;
    const delegator = parseAddress(red.delegatorAddress);
    const dst = parseValoper(red.validatorDstAddress);
    for (const e of red.entries) {
      if (e.creationHeight < infractionHeight || millis(e.completionTime) <= ctx.blockTimeMs) continue;
      const have = this.getDelegation(ctx, delegator, dst) ?? 0n;
      const wantShares = (BigInt(e.sharesDst) * fraction) / ONE_DEC;
      const shares = wantShares < have ? wantShares : have;
      if (shares === 0n) continue;
      const v = this.mustGetValidator(ctx, dst);
      const tokens = shares === v.delegatorShares ? v.tokens : StakingKeeper.tokensFromShares(v, shares);
      this.hooks?.beforeDelegationSharesModified(ctx, delegator, dst);
      this.setDelegation(ctx, delegator, dst, have - shares);
      const after: ValidatorState = { ...v, tokens: v.tokens - tokens, delegatorShares: v.delegatorShares - shares };
      this.putValidator(ctx, v, after);
      if (have - shares > 0n) this.hooks?.afterDelegationModified(ctx, delegator, dst);
      if (tokens > 0n) this.bank.burnCoins(ctx, this.poolAddress(ctx, this.poolOf(v)), [{ denom: this.bondDenom(ctx), amount: tokens }]);
      burned += tokens;
    }
    return burned;
  }

  // ---- historical info (IBC light clients of this chain check it) ----

  /**
   * Keeps this block's header facts and bonded set for `historical_entries` blocks, as the SDK's
   * begin-block does: IBC's connection handshake compares a counterparty's view of this chain
   * (app hash, next validators hash, time) with it.
   */
  trackHistoricalInfo(
    ctx: Context,
    header: {
      chainId: string;
      height: bigint;
      timeMs: bigint;
      /** The header's exact time (nanoseconds matter: a counterparty's client of this chain stores them). */
      time?: { seconds: bigint; nanos: number };
      appHash: Uint8Array;
      nextValidatorsHash: Uint8Array;
      proposerAddress: Uint8Array;
    },
  ): void {
    const entries = BigInt(this.params(ctx).historicalEntries);
    const store = ctx.store(keys.STORE);
    // Entries older than the window go (the one just out of it, as the window only moves by one).
    if (header.height > entries) store.delete(keys.historicalInfoKey(header.height - entries));
    if (entries === 0n) return;
    const valset: Validator[] = [];
    for (const [k] of store.iterate({ prefix: keys.lastPowerPrefix })) {
      const v = this.getValidator(ctx, keys.operatorFromLastPowerKey(k));
      if (v !== undefined) valset.push(toProto(v));
    }
    valset.sort((a, b) => {
      const d = BigInt(b.tokens) - BigInt(a.tokens);
      return d > 0n ? 1 : d < 0n ? -1 : a.operatorAddress < b.operatorAddress ? -1 : 1;
    });
    const info: HistoricalInfo = {
      header: {
        version: { block: 11n, app: 0n },
        chainId: header.chainId,
        height: header.height,
        time: header.time ?? timestamp(header.timeMs),
        lastBlockId: { hash: new Uint8Array(), partSetHeader: { total: 0, hash: new Uint8Array() } },
        lastCommitHash: new Uint8Array(),
        dataHash: new Uint8Array(),
        validatorsHash: new Uint8Array(),
        nextValidatorsHash: header.nextValidatorsHash,
        consensusHash: new Uint8Array(),
        appHash: header.appHash,
        lastResultsHash: new Uint8Array(),
        evidenceHash: new Uint8Array(),
        proposerAddress: header.proposerAddress,
      },
      valset,
    };
    store.set(keys.historicalInfoKey(header.height), HistoricalInfo.encode(info).finish());
  }

  /** Reads the historical info kept for `height`; undefined if outside the window. */
  historicalInfo(ctx: Context, height: bigint): HistoricalInfo | undefined {
    const v = ctx.store(keys.STORE).get(keys.historicalInfoKey(height));
    return v === undefined ? undefined : HistoricalInfo.decode(v);
  }

  // ---- end of block ----

  /** The active set as other modules weigh it (claims assignment): operators and their power. */
  bondedPowers(ctx: Context): { operator: Buffer; power: bigint }[] {
    return [...this.lastPowers(ctx).values()];
  }

  /** The bech32 valoper form of an operator address (pure). */
  valoperAddress(operator: Uint8Array): string {
    return valoperAddress(operator);
  }

  /** The last active set: operator → power last sent to CometBFT. */
  lastPowers(ctx: Context): Map<string, { operator: Buffer; power: bigint }> {
    const out = new Map<string, { operator: Buffer; power: bigint }>();
    for (const [k, v] of ctx.store(keys.STORE).iterate({ prefix: keys.lastPowerPrefix })) {
      const operator = Buffer.from(keys.operatorFromLastPowerKey(k));
      out.set(operator.toString("hex"), { operator, power: BigInt(v.toString()) });
    }
    return out;
  }

  /**
   * The SDK's end-block: the top `max_validators` by power form the active set; newly active
   * validators are bonded, dropped ones start unbonding; the changed powers go to CometBFT. Then
   * matured validators, unbondings and redelegations complete (queues read in time order, so
   * every node completes the same entries in the same order).
   */
  endBlock(ctx: Context): PowerUpdate[] {
    const updates = this.applyValidatorSetUpdates(ctx);
    this.completeMaturedValidators(ctx);
    this.completeMaturedUnbondings(ctx);
    this.completeMaturedRedelegations(ctx);
    return updates;
  }

  /** Writes the new active set (top max_validators unjailed by power, ties by operator) and returns the power changes for CometBFT. Invariants: last-power keys equal exactly what CometBFT was sent, newly active validators are bonded (pool moved), dropped ones start unbonding with power 0 sent; deterministic order. */
  applyValidatorSetUpdates(ctx: Context): PowerUpdate[] {
    const store = ctx.store(keys.STORE);
    const max = this.params(ctx).maxValidators;
    const last = this.lastPowers(ctx);
    const updates: PowerUpdate[] = [];
    let count = 0;
    const top: Buffer[] = [];
    for (const [k] of store.iterate({ prefix: keys.powerIndexPrefix, reverse: true })) {
      if (count >= max) break;
      top.push(Buffer.from(keys.operatorFromPowerIndexKey(k)));
      count++;
    }
    for (const operator of top) {
      let v = this.getValidator(ctx, operator)!;
      const power = StakingKeeper.power(v);
      if (v.jailed || power === 0n) break; // the index is sorted: the rest are weaker
      if (v.status !== BONDED) v = this.bond(ctx, v);
      const id = operator.toString("hex");
      const old = last.get(id);
      if (old === undefined || old.power !== power) {
        updates.push({ consensusKey: v.consensusKey, power });
        store.set(keys.lastPowerKey(operator), Buffer.from(power.toString()));
      }
      last.delete(id);
    }
    // Whoever was active and is no longer starts unbonding and leaves CometBFT's set.
    for (const { operator } of [...last.values()].sort((a, b) => Buffer.compare(a.operator, b.operator))) {
      const v = this.getValidator(ctx, operator);
      store.delete(keys.lastPowerKey(operator));
      if (v === undefined) continue;
      this.beginUnbondingValidator(ctx, v);
      updates.push({ consensusKey: v.consensusKey, power: 0n });
    }
    return updates;
  }

  private bond(ctx: Context, v: ValidatorState): ValidatorState {
    if (v.status === UNBONDING) ctx.store(keys.STORE).delete(keys.validatorQueueKey(v.unbondingTimeMs, v.operator));
    this.movePool(ctx, NOT_BONDED_POOL, BONDED_POOL, v.tokens);
    const after: ValidatorState = { ...v, status: BONDED, unbondingHeight: 0n, unbondingTimeMs: 0n };
    this.putValidator(ctx, v, after);
    return after;
  }

  private beginUnbondingValidator(ctx: Context, v: ValidatorState): void {
    if (v.status !== BONDED) return;
    const timeMs = ctx.blockTimeMs + durationMs(this.params(ctx).unbondingTime);
    this.movePool(ctx, BONDED_POOL, NOT_BONDED_POOL, v.tokens);
    this.putValidator(ctx, v, { ...v, status: UNBONDING, unbondingHeight: ctx.height, unbondingTimeMs: timeMs });
    ctx.store(keys.STORE).set(keys.validatorQueueKey(timeMs, v.operator), keys.PRESENT);
  }

  private matured(ctx: Context, prefix: Buffer): Buffer[] {
    return [...ctx.store(keys.STORE).iterate({ start: prefix, end: keys.queueEnd(prefix, ctx.blockTimeMs) })].map(([k]) => Buffer.from(k));
  }

  private completeMaturedValidators(ctx: Context): void {
    for (const k of this.matured(ctx, keys.validatorQueuePrefix)) {
      ctx.store(keys.STORE).delete(k);
      const operator = keys.addressesIn(k, 1 + 8)[0]!;
      const v = this.getValidator(ctx, operator);
      if (v === undefined || v.status !== UNBONDING) continue;
      const after: ValidatorState = { ...v, status: UNBONDED };
      this.putValidator(ctx, v, after);
      if (after.delegatorShares === 0n) this.removeValidator(ctx, after);
    }
  }

  private completeMaturedUnbondings(ctx: Context): void {
    const denom = this.bondDenom(ctx);
    for (const k of this.matured(ctx, keys.unbondingQueuePrefix)) {
      ctx.store(keys.STORE).delete(k);
      const [delegator, operator] = keys.addressesIn(k, 1 + 8) as [Buffer, Buffer];
      const ubd = this.getUnbonding(ctx, delegator, operator);
      if (ubd === undefined) continue;
      let paid = 0n;
      ubd.entries = ubd.entries.filter((e) => {
        if (millis(e.completionTime) > ctx.blockTimeMs) return true;
        paid += BigInt(e.balance);
        return false;
      });
      this.setUnbonding(ctx, delegator, operator, ubd);
      if (paid > 0n) this.bank.sendCoins(ctx, this.poolAddress(ctx, NOT_BONDED_POOL), delegator, [{ denom, amount: paid }]);
      ctx.events.emit(ev.EVENT_COMPLETE_UNBONDING, {
        [ev.ATTR_AMOUNT]: `${paid}${denom}`,
        [ev.ATTR_VALIDATOR]: valoperAddress(operator),
        [ev.ATTR_DELEGATOR]: bech32Address(delegator),
      });
    }
  }

  private completeMaturedRedelegations(ctx: Context): void {
    for (const k of this.matured(ctx, keys.redelegationQueuePrefix)) {
      ctx.store(keys.STORE).delete(k);
      const [delegator, src, dst] = keys.addressesIn(k, 1 + 8) as [Buffer, Buffer, Buffer];
      const red = this.getRedelegation(ctx, delegator, src, dst);
      if (red === undefined) continue;
      red.entries = red.entries.filter((e) => millis(e.completionTime) > ctx.blockTimeMs);
      const key = keys.redelegationKey(delegator, src, dst);
      if (red.entries.length === 0) {
        ctx.store(keys.STORE).delete(key);
        ctx.store(keys.STORE).delete(keys.redelegationBySrcKey(src, delegator, dst));
      } else ctx.store(keys.STORE).set(key, Redelegation.encode(red).finish());
      ctx.events.emit(ev.EVENT_COMPLETE_REDELEGATION, {
        [ev.ATTR_DELEGATOR]: bech32Address(delegator),
        [ev.ATTR_SOURCE_VALIDATOR]: valoperAddress(src),
        [ev.ATTR_DESTINATION_VALIDATOR]: valoperAddress(dst),
      });
    }
  }
}

const SHARES_FIELD = 3;

/**
 * The shares (LegacyDec atomics) of a stored cosmos.staking.v1beta1.Delegation, as
 * `BigInt(Delegation.decode(bytes).shares)` gives them, without decoding its two bech32 addresses.
 */
export function sharesOf(bytes: Uint8Array): bigint {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let shares = 0n;
  while (at < buf.length) {
    const tag = buf[at++]!; // fields 1-3, length-delimited: one-byte tags
    if ((tag & 7) !== 2 || tag >= 0x80) return BigInt(Delegation.decode(bytes).shares); // never written by this keeper: the full decoder
    let len = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[at++];
      if (b === undefined || shift > 28) throw new RangeError("Delegation: truncated length");
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
    }
    if (at + len > buf.length) throw new RangeError("Delegation: truncated field");
    if (tag >>> 3 === SHARES_FIELD) shares = decimalDigits(buf, at, at + len);
    at += len;
  }
  return shares;
}

const P15 = 10n ** 15n;

/** BigInt(buf.toString("latin1", from, to)), read 15 digits at a time without making the string (anything but digits: BigInt's own parse). */
function decimalDigits(buf: Buffer, from: number, to: number): bigint {
  for (let i = from; i < to; i++) {
    const c = buf[i]!;
    if (c < 0x30 || c > 0x39) return BigInt(buf.toString("latin1", from, to));
  }
  let i = from;
  let x = 0;
  for (const first = from + ((to - from) % 15 || 15); i < first && i < to; i++) x = x * 10 + (buf[i]! - 0x30);
  let v = BigInt(x);
  while (i < to) {
    x = 0;
    for (const chunkEnd = i + 15; i < chunkEnd; i++) x = x * 10 + (buf[i]! - 0x30);
    v = v * P15 + BigInt(x);
  }
  return v;
}
