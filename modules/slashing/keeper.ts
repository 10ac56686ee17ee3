import { Params, ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../app/core/context";
import { ONE_DEC } from "../../app/core/dec";
import { bech32Address, consensusAddress, VALCONS_PREFIX } from "../../app/core/address";
import { millis, timestamp } from "../../app/core/time";
import { SlashingCode, slashingError } from "./errors";
import * as ev from "./events";
import type { StakingKeeper } from "./expected-keepers";
import * as keys from "./keys";
import { DEFAULT_SLASHING_PARAMS, fromProtoParams, type SlashingParams, toProtoParams } from "./params";

/** Validator set changes take effect two blocks later (CometBFT); the infraction's stake is older by that. */
const VALIDATOR_UPDATE_DELAY = 2n;
/** A tombstoned validator's jail ends never (the SDK's 9999-12-31T23:59:59Z). */
const DOUBLE_SIGN_JAIL_END_MS = 253402300799000n;

/** The bech32 consensus address ("miravalcons1...") of a CometBFT address. */
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

  /** Reads the slashing params (the defaults when genesis stored none). */
  params(ctx: Context): SlashingParams {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_SLASHING_PARAMS : fromProtoParams(Params.decode(v));
  }

  /** Writes the slashing params (genesis). */
  setParams(ctx: Context, p: SlashingParams): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(toProtoParams(p)).finish());
  }

  /**
   * Writes new params (MsgUpdateParams, already validated). A new signed_blocks_window starts every
   * validator's window afresh: missed bits indexed in the old window would otherwise stay counted
   * (a shrunk window never revisits them) and jail a validator for blocks it no longer has to sign.
   */
  updateParams(ctx: Context, p: SlashingParams): void {
    const old = this.params(ctx);
    this.setParams(ctx, p);
    if (old.signedBlocksWindow === p.signedBlocksWindow) return;
    const store = ctx.store(keys.STORE);
    for (const [key, v] of [...store.iterate({ prefix: keys.signingInfoPrefix })]) {
      const cons = key.subarray(2, 2 + key[1]!); // signingInfoKey: prefix, length, address
      for (const [k] of [...store.iterate({ prefix: keys.missedPrefix(cons) })]) store.delete(k);
      this.setSigningInfo(ctx, cons, { ...ValidatorSigningInfo.decode(v), missedBlocksCounter: 0n, indexOffset: 0n });
    }
  }

  /** Reads a validator's signing info by consensus address; undefined before its first counted block. */
  signingInfo(ctx: Context, cons: Uint8Array): ValidatorSigningInfo | undefined {
    const v = ctx.store(keys.STORE).get(keys.signingInfoKey(cons));
    return v === undefined ? undefined : ValidatorSigningInfo.decode(v);
  }

  private setSigningInfo(ctx: Context, cons: Uint8Array, info: ValidatorSigningInfo): void {
    ctx.store(keys.STORE).set(keys.signingInfoKey(cons), ValidatorSigningInfo.encode(info).finish());
  }

  /** Reads every signing info, in consensus-address key order. */
  *allSigningInfos(ctx: Context): Generator<ValidatorSigningInfo> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.signingInfoPrefix })) yield ValidatorSigningInfo.decode(v);
  }

  /**
   * The start of each block: the last commit's signatures, then CometBFT's verified evidence.
   * Writes signing infos and missed-block bits, and slashes and jails through staking. Invariants:
   * votes are handled in the order CometBFT lists them; missed_blocks_counter equals the set missed
   * bits of the window; a tombstoned validator is never slashed again for double signing.
   */
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
    if (missed) {
      ctx.events.emit(ev.EVENT_LIVENESS, {
        [ev.ATTR_ADDRESS]: info.address,
        [ev.ATTR_MISSED_BLOCKS]: info.missedBlocksCounter.toString(),
        [ev.ATTR_HEIGHT]: ctx.height.toString(),
      });
    }
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
      this.slashEvent(ctx, cons, vote.power, ev.REASON_MISSING_SIGNATURE, burned, this.staking.bondDenom(ctx));
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
    this.slashEvent(ctx, cons, power, ev.REASON_DOUBLE_SIGN, burned, this.staking.bondDenom(ctx));
  }

  /**
   * For other modules (claims): burns `fraction` of a validator's current stake and jails it for
   * `jailMs`, with `reason` in the slash event. Returns the tokens burned. Throws
   * NoValidatorForAddress. Never shortens a jail already longer, never clears a tombstone.
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
    ctx.events.emit(ev.EVENT_SLASH, {
      [ev.ATTR_ADDRESS]: valconsAddress(cons),
      [ev.ATTR_POWER]: power.toString(),
      [ev.ATTR_REASON]: reason,
      [ev.ATTR_JAILED]: valconsAddress(cons),
      [ev.ATTR_BURNED_COINS]: `${burned}${denom}`,
    });
  }

  /**
   * MsgUnjail: back into the power index once the jail time is over and the self-bond suffices.
   * Throws NoValidatorForAddress, MissingSelfDelegation, SelfDelegationTooLowToUnjail,
   * ValidatorNotJailed or ValidatorJailed (tombstoned, or jailed until later).
   */
  unjail(ctx: Context, operator: Uint8Array): void {
    const v = this.staking.getValidator(ctx, operator);
    if (v === undefined) throw slashingError(SlashingCode.NoValidatorForAddress, "address is not associated with any known validator");
    const self = this.staking.selfBondTokens(ctx, operator);
    if (self === 0n) throw slashingError(SlashingCode.MissingSelfDelegation, "validator has no self-delegation; cannot be unjailed");
    if (self < v.minSelfDelegation)
      throw slashingError(SlashingCode.SelfDelegationTooLowToUnjail, `validator's self delegation less than minimum; cannot be unjailed`);
    if (!v.jailed) throw slashingError(SlashingCode.ValidatorNotJailed, "validator not jailed; cannot be unjailed");
    const info = this.signingInfo(ctx, consensusAddress(v.consensusKey));
    if (info !== undefined) {
      if (info.tombstoned) throw slashingError(SlashingCode.ValidatorJailed, "validator still jailed; cannot be unjailed (tombstoned for double signing)");
      if (millis(info.jailedUntil) > ctx.blockTimeMs) {
        throw slashingError(
          SlashingCode.ValidatorJailed,
          `validator still jailed until ${new Date(Number(millis(info.jailedUntil))).toISOString()}; cannot be unjailed`,
        );
      }
    }
    this.staking.unjail(ctx, operator);
  }
}
