import { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../app/core/context";
import { decBytes, decFromBytes, ONE_DEC } from "../../app/core/dec";
import { bech32Address } from "../../app/core/address";
import { consensusAddress } from "../../app/core/address";
import { durationMs, millis, timestamp } from "../../app/core/time";
import { SlashingCode, slashingError } from "./errors";
import type { StakingKeeper } from "./expected-keepers";
import * as keys from "./keys";

export const VALCONS_PREFIX = "miravalcons";
/** Validator set changes take effect two blocks later (CometBFT); the infraction's stake is older by that. */
const VALIDATOR_UPDATE_DELAY = 2n;
/** A tombstoned validator's jail ends never (the SDK's 9999-12-31T23:59:59Z). */
const DOUBLE_SIGN_JAIL_END_MS = 253402300799000n;

/** Slashing params with the decimals as LegacyDec atomics. */
export interface SlashingParams {
  signedBlocksWindow: bigint;
  minSignedPerWindow: bigint;
  downtimeJailDurationMs: bigint;
  slashFractionDoubleSign: bigint;
  slashFractionDowntime: bigint;
}

/** The SDK's defaults. */
export const DEFAULT_SLASHING_PARAMS: SlashingParams = {
  signedBlocksWindow: 100n,
  minSignedPerWindow: ONE_DEC / 2n,
  downtimeJailDurationMs: 600_000n,
  slashFractionDoubleSign: ONE_DEC / 20n,
  slashFractionDowntime: ONE_DEC / 100n,
};


export function toProtoParams(p: SlashingParams): Params {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decBytes(p.minSignedPerWindow),
    downtimeJailDuration: { seconds: p.downtimeJailDurationMs / 1000n, nanos: Number(p.downtimeJailDurationMs % 1000n) * 1_000_000 },
    slashFractionDoubleSign: decBytes(p.slashFractionDoubleSign),
    slashFractionDowntime: decBytes(p.slashFractionDowntime),
  };
}

function fromProtoParams(p: Params): SlashingParams {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decFromBytes(p.minSignedPerWindow),
    downtimeJailDurationMs: durationMs(p.downtimeJailDuration),
    slashFractionDoubleSign: decFromBytes(p.slashFractionDoubleSign),
    slashFractionDowntime: decFromBytes(p.slashFractionDowntime),
  };
}

export function valconsAddress(cons: Uint8Array): string {
  return bech32Address(cons, VALCONS_PREFIX);
}


/** A signature (or its absence) in the last commit, as CometBFT reports it. */
export interface CommitVote {
  consAddress: Uint8Array;
  power: bigint;
  signed: boolean;
}

/**
 * Liveness (missed blocks in a sliding window), double-sign evidence, and the penalties: burn a
 * fraction of stake through staking, jail, tombstone. Other modules punish through `punish`.
 */
export class SlashingKeeper {
  constructor(private readonly staking: StakingKeeper) {}

  params(ctx: Context): SlashingParams {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_SLASHING_PARAMS : fromProtoParams(Params.decode(v));
  }

  setParams(ctx: Context, p: SlashingParams): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(toProtoParams(p)).finish());
  }

  signingInfo(ctx: Context, cons: Uint8Array): ValidatorSigningInfo | undefined {
    const v = ctx.store(keys.STORE).get(keys.signingInfoKey(cons));
    return v === undefined ? undefined : ValidatorSigningInfo.decode(v);
  }

  private setSigningInfo(ctx: Context, cons: Uint8Array, info: ValidatorSigningInfo): void {
    ctx.store(keys.STORE).set(keys.signingInfoKey(cons), ValidatorSigningInfo.encode(info).finish());
  }

  *allSigningInfos(ctx: Context): Generator<ValidatorSigningInfo> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.signingInfoPrefix })) yield ValidatorSigningInfo.decode(v);
  }

  /** The start of each block: the last commit's signatures, then CometBFT's verified evidence. */
  beginBlock(ctx: Context, votes: readonly CommitVote[], doubleSigns: readonly { consAddress: Uint8Array; height: bigint; power: bigint }[]): void {
    const p = this.params(ctx);
    for (const v of votes) this.handleSignature(ctx, v, p);
    for (const e of doubleSigns) this.handleDoubleSign(ctx, e.consAddress, e.height, e.power);
  }

  private handleSignature(ctx: Context, vote: CommitVote, p: SlashingParams): void {
    const validator = this.staking.validatorByConsensusAddress(ctx, vote.consAddress);
    if (validator === undefined || validator.jailed) return; // nothing to count for a jailed validator
    const cons = Buffer.from(vote.consAddress);
    const info = this.signingInfo(ctx, cons) ?? {
      address: valconsAddress(cons),
      startHeight: ctx.height,
      indexOffset: 0n,
      jailedUntil: timestamp(0n),
      tombstoned: false,
      missedBlocksCounter: 0n,
    };
    const index = info.indexOffset % p.signedBlocksWindow;
    info.indexOffset += 1n;
    const store = ctx.store(keys.STORE);
    const wasMissed = store.get(keys.missedKey(cons, index)) !== undefined;
    const missed = !vote.signed;
    if (missed && !wasMissed) {
      store.set(keys.missedKey(cons, index), keys.PRESENT);
      info.missedBlocksCounter += 1n;
    } else if (!missed && wasMissed) {
      store.delete(keys.missedKey(cons, index));
      info.missedBlocksCounter -= 1n;
    }
    if (missed) ctx.events.emit("liveness", { address: info.address, missed_blocks: info.missedBlocksCounter.toString(), height: ctx.height.toString() });
    const minSigned = (p.minSignedPerWindow * p.signedBlocksWindow + ONE_DEC / 2n) / ONE_DEC;
    const maxMissed = p.signedBlocksWindow - minSigned;
    if (ctx.height > info.startHeight + p.signedBlocksWindow && info.missedBlocksCounter > maxMissed) {
      const distributionHeight = ctx.height - VALIDATOR_UPDATE_DELAY - 1n;
      const burned = this.staking.slash(ctx, cons, distributionHeight, vote.power, p.slashFractionDowntime);
      this.staking.jail(ctx, validator.operator);
      info.jailedUntil = timestamp(ctx.blockTimeMs + p.downtimeJailDurationMs);
      // A fresh window, so that the validator is not slashed again the moment it is back.
      info.missedBlocksCounter = 0n;
      info.indexOffset = 0n;
      for (const [k] of [...store.iterate({ prefix: keys.missedPrefix(cons) })]) store.delete(k);
      this.slashEvent(ctx, cons, vote.power, "missing_signature", burned, this.staking.bondDenom(ctx));
    }
    this.setSigningInfo(ctx, cons, info);
  }

  private handleDoubleSign(ctx: Context, cons: Uint8Array, infractionHeight: bigint, power: bigint): void {
    const validator = this.staking.validatorByConsensusAddress(ctx, cons);
    if (validator === undefined || validator.status === BondStatus.BOND_STATUS_UNBONDED) return; // nothing at stake any more
    const info = this.signingInfo(ctx, cons);
    if (info?.tombstoned) return; // punished once for all its double signs
    const p = this.params(ctx);
    const burned = this.staking.slash(ctx, cons, infractionHeight - VALIDATOR_UPDATE_DELAY, power, p.slashFractionDoubleSign);
    if (!validator.jailed) this.staking.jail(ctx, validator.operator);
    this.setSigningInfo(ctx, cons, {
      address: valconsAddress(cons),
      startHeight: info?.startHeight ?? ctx.height,
      indexOffset: info?.indexOffset ?? 0n,
      missedBlocksCounter: info?.missedBlocksCounter ?? 0n,
      jailedUntil: timestamp(DOUBLE_SIGN_JAIL_END_MS),
      tombstoned: true,
    });
    this.slashEvent(ctx, cons, power, "double_sign", burned, this.staking.bondDenom(ctx));
  }

  /**
   * For other modules (claims): burns `fraction` of a validator's current stake and jails it for
   * `jailMs`, with `reason` in the slash event. Returns the tokens burned.
   */
  punish(ctx: Context, operator: Uint8Array, fraction: bigint, jailMs: bigint, reason: string): bigint {
    const v = this.staking.getValidator(ctx, operator);
    if (v === undefined) throw slashingError(SlashingCode.NoValidatorForAddress, "address is not associated with any known validator");
    const cons = consensusAddress(v.consensusKey);
    const power = v.tokens / 1_000_000n;
    const burned = this.staking.slash(ctx, cons, ctx.height, power, fraction);
    if (!v.jailed) this.staking.jail(ctx, operator);
    const info = this.signingInfo(ctx, cons);
    const until = ctx.blockTimeMs + jailMs;
    this.setSigningInfo(ctx, cons, {
      address: valconsAddress(cons),
      startHeight: info?.startHeight ?? ctx.height,
      indexOffset: info?.indexOffset ?? 0n,
      missedBlocksCounter: info?.missedBlocksCounter ?? 0n,
      jailedUntil: timestamp(info !== undefined && millis(info.jailedUntil) > until ? millis(info.jailedUntil) : until),
      tombstoned: info?.tombstoned ?? false,
    });
    this.slashEvent(ctx, cons, power, reason, burned, this.staking.bondDenom(ctx));
    return burned;
  }

  private slashEvent(ctx: Context, cons: Uint8Array, power: bigint, reason: string, burned: bigint, denom: string): void {
    ctx.events.emit("slash", { address: valconsAddress(cons), power: power.toString(), reason, jailed: valconsAddress(cons), burned_coins: `${burned}${denom}` });
  }

  /** MsgUnjail: back into the power index once the jail time is over and the self-bond suffices. */
  unjail(ctx: Context, operator: Uint8Array): void {
    const v = this.staking.getValidator(ctx, operator);
    if (v === undefined) throw slashingError(SlashingCode.NoValidatorForAddress, "address is not associated with any known validator");
    const self = this.staking.selfBondTokens(ctx, operator);
    if (self === 0n) throw slashingError(SlashingCode.MissingSelfDelegation, "validator has no self-delegation; cannot be unjailed");
    if (self < v.minSelfDelegation) throw slashingError(SlashingCode.SelfDelegationTooLowToUnjail, `validator's self delegation less than minimum; cannot be unjailed`);
    if (!v.jailed) throw slashingError(SlashingCode.ValidatorNotJailed, "validator not jailed; cannot be unjailed");
    const info = this.signingInfo(ctx, consensusAddress(v.consensusKey));
    if (info !== undefined) {
      if (info.tombstoned) throw slashingError(SlashingCode.ValidatorJailed, "validator still jailed; cannot be unjailed (tombstoned for double signing)");
      if (millis(info.jailedUntil) > ctx.blockTimeMs) {
        throw slashingError(SlashingCode.ValidatorJailed, `validator still jailed until ${new Date(Number(millis(info.jailedUntil))).toISOString()}; cannot be unjailed`);
      }
    }
    this.staking.unjail(ctx, operator);
  }
}

