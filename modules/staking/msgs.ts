import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  MsgBeginRedelegate,
  MsgBeginRedelegateResponse,
  MsgCancelUnbondingDelegation,
  MsgCancelUnbondingDelegationResponse,
  MsgCreateValidator,
  MsgCreateValidatorResponse,
  MsgDelegate,
  MsgDelegateResponse,
  MsgEditValidator,
  MsgEditValidatorResponse,
  MsgUndelegate,
  MsgUndelegateResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { requireAuthority } from "../../app/core/authority";
import { validateStakingParams } from "./params";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { Any } from "cosmjs-types/google/protobuf/any";
import { Amount, parseCoins } from "../../app/core/coins";
import { ONE_DEC, parseDecAtomics } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import type { MsgHandler } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { StakingCode, stakingError } from "./errors";
import type { StakingKeeper } from "./keeper";
import { ED25519_PUBKEY_URL } from "./validator";
import { parseValoper } from "../../app/core/address";
import { timestamp } from "../../app/core/time";

/** The SDK's marker for "leave this description field as it is". */
const DO_NOT_MODIFY = "[do-not-modify]";
const MAX_MONIKER = 70;

function oneCoin(c: Coin | undefined, what: string): Amount {
  if (c === undefined) throw chainError(SdkCode.InvalidCoins, `${what} is missing`);
  const [a] = parseCoins([c], what);
  return a!;
}

function packed(typeUrl: string, value: Uint8Array): Any {
  return Any.fromPartial({ typeUrl, value });
}

function consensusKeyOf(pubkey: Any | undefined): Buffer {
  if (pubkey === undefined) throw stakingError(StakingCode.EmptyValidatorPubKey, "empty validator public key");
  if (pubkey.typeUrl !== ED25519_PUBKEY_URL) {
    throw stakingError(
      StakingCode.ValidatorPubKeyTypeNotSupported,
      `got: ${pubkey.typeUrl}, expected: [${ED25519_PUBKEY_URL}]: validator pubkey type is not supported`,
    );
  }
  const key = Ed25519PubKey.decode(pubkey.value).key;
  if (key.length !== 32) throw stakingError(StakingCode.ValidatorPubKeyTypeNotSupported, `ed25519 consensus key must be 32 bytes, got ${key.length}`);
  return Buffer.from(key);
}

function checkCommission(rate: bigint, maxRate: bigint, maxChangeRate: bigint): void {
  if (maxRate < 0n) throw stakingError(StakingCode.CommissionNegative, "commission must be positive");
  if (maxRate > ONE_DEC) throw stakingError(StakingCode.CommissionHuge, "commission cannot be more than 100%");
  if (rate < 0n) throw stakingError(StakingCode.CommissionNegative, "commission must be positive");
  if (rate > maxRate) throw stakingError(StakingCode.CommissionGTMaxRate, "commission cannot be more than the max rate");
  if (maxChangeRate < 0n) throw stakingError(StakingCode.CommissionChangeRateNegative, "commission change rate must be positive");
  if (maxChangeRate > maxRate) throw stakingError(StakingCode.CommissionChangeRateGTMaxRate, "commission change rate cannot be more than the max rate");
}

function positiveInt(text: string, what: string): bigint {
  if (!/^[0-9]{1,77}$/.test(text) || BigInt(text) <= 0n) throw chainError(SdkCode.InvalidRequest, `${what} must be a positive integer, got "${text}"`);
  return BigInt(text);
}

export function msgCreateValidatorHandler(staking: StakingKeeper): MsgHandler<MsgCreateValidator> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
    module: "staking",
    decode: (b) => MsgCreateValidator.decode(b),
    signers: (m) => [parseValoper(m.validatorAddress)],
    validateBasic: (m) => {
      parseValoper(m.validatorAddress);
      if (m.delegatorAddress !== "" && !parseAddress(m.delegatorAddress).equals(parseValoper(m.validatorAddress))) {
        throw chainError(SdkCode.InvalidAddress, "delegator address must be empty or the validator's own account");
      }
      consensusKeyOf(m.pubkey);
      const value = oneCoin(m.value, "value");
      if (m.description.moniker.trim() === "") throw chainError(SdkCode.InvalidRequest, "empty description: moniker is required");
      if (m.description.moniker.length > MAX_MONIKER) throw chainError(SdkCode.InvalidRequest, `moniker is longer than ${MAX_MONIKER} characters`);
      const c = m.commission;
      checkCommission(parseDecAtomics(c.rate, "commission rate"), parseDecAtomics(c.maxRate, "max rate"), parseDecAtomics(c.maxChangeRate, "max change rate"));
      const min = positiveInt(m.minSelfDelegation, "minimum self delegation");
      if (value.amount < min)
        throw stakingError(StakingCode.SelfDelegationBelowMinimum, "validator's self delegation must be greater than their minimum self delegation");
    },
    execute: (ctx, m) => {
      const c = m.commission;
      staking.createValidator(
        ctx,
        {
          operator: parseValoper(m.validatorAddress),
          consensusKey: consensusKeyOf(m.pubkey),
          description: { ...m.description },
          commission: { rate: BigInt(c.rate), maxRate: BigInt(c.maxRate), maxChangeRate: BigInt(c.maxChangeRate), updateTimeMs: ctx.blockTimeMs },
          minSelfDelegation: BigInt(m.minSelfDelegation),
        },
        oneCoin(m.value, "value"),
      );
      return packed("/cosmos.staking.v1beta1.MsgCreateValidatorResponse", MsgCreateValidatorResponse.encode({}).finish());
    },
  };
}

export function msgEditValidatorHandler(staking: StakingKeeper): MsgHandler<MsgEditValidator> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
    module: "staking",
    decode: (b) => MsgEditValidator.decode(b),
    signers: (m) => [parseValoper(m.validatorAddress)],
    validateBasic: (m) => {
      parseValoper(m.validatorAddress);
      if (m.commissionRate !== "") {
        const r = parseDecAtomics(m.commissionRate, "commission rate");
        if (r < 0n || r > ONE_DEC) throw stakingError(StakingCode.CommissionHuge, "commission rate must be between 0 and 1");
      }
      if (m.minSelfDelegation !== "") positiveInt(m.minSelfDelegation, "minimum self delegation");
      if (m.description.moniker.length > MAX_MONIKER) throw chainError(SdkCode.InvalidRequest, `moniker is longer than ${MAX_MONIKER} characters`);
    },
    execute: (ctx, m) => {
      const description: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.description)) if (v !== DO_NOT_MODIFY && v !== "") description[k] = v;
      staking.editValidator(ctx, parseValoper(m.validatorAddress), {
        description,
        rate: m.commissionRate === "" ? undefined : BigInt(m.commissionRate),
        minSelfDelegation: m.minSelfDelegation === "" ? undefined : BigInt(m.minSelfDelegation),
      });
      return packed("/cosmos.staking.v1beta1.MsgEditValidatorResponse", MsgEditValidatorResponse.encode({}).finish());
    },
  };
}

function checkBondDenom(staking: StakingKeeper, ctx: Parameters<StakingKeeper["params"]>[0], a: Amount): void {
  const denom = staking.bondDenom(ctx);
  if (a.denom !== denom) throw chainError(SdkCode.InvalidRequest, `invalid coin denomination: got ${a.denom}, expected ${denom}`);
}

export function msgDelegateHandler(staking: StakingKeeper): MsgHandler<MsgDelegate> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
    module: "staking",
    decode: (b) => MsgDelegate.decode(b),
    signers: (m) => [parseAddress(m.delegatorAddress)],
    validateBasic: (m) => {
      parseAddress(m.delegatorAddress);
      parseValoper(m.validatorAddress);
      oneCoin(m.amount, "delegation amount");
    },
    execute: (ctx, m) => {
      const a = oneCoin(m.amount, "delegation amount");
      checkBondDenom(staking, ctx, a);
      staking.delegate(ctx, parseAddress(m.delegatorAddress), parseValoper(m.validatorAddress), a.amount, "account");
      return packed("/cosmos.staking.v1beta1.MsgDelegateResponse", MsgDelegateResponse.encode({}).finish());
    },
  };
}

export function msgUndelegateHandler(staking: StakingKeeper): MsgHandler<MsgUndelegate> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
    module: "staking",
    decode: (b) => MsgUndelegate.decode(b),
    signers: (m) => [parseAddress(m.delegatorAddress)],
    validateBasic: (m) => {
      parseAddress(m.delegatorAddress);
      parseValoper(m.validatorAddress);
      oneCoin(m.amount, "undelegation amount");
    },
    execute: (ctx, m) => {
      const a = oneCoin(m.amount, "undelegation amount");
      checkBondDenom(staking, ctx, a);
      const out = staking.undelegate(ctx, parseAddress(m.delegatorAddress), parseValoper(m.validatorAddress), a.amount);
      return packed(
        "/cosmos.staking.v1beta1.MsgUndelegateResponse",
        MsgUndelegateResponse.encode({ completionTime: timestamp(out.completionTimeMs), amount: { denom: a.denom, amount: out.amount.toString() } }).finish(),
      );
    },
  };
}

export function msgBeginRedelegateHandler(staking: StakingKeeper): MsgHandler<MsgBeginRedelegate> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
    module: "staking",
    decode: (b) => MsgBeginRedelegate.decode(b),
    signers: (m) => [parseAddress(m.delegatorAddress)],
    validateBasic: (m) => {
      parseAddress(m.delegatorAddress);
      parseValoper(m.validatorSrcAddress);
      parseValoper(m.validatorDstAddress);
      oneCoin(m.amount, "redelegation amount");
    },
    execute: (ctx, m) => {
      const a = oneCoin(m.amount, "redelegation amount");
      checkBondDenom(staking, ctx, a);
      const t = staking.beginRedelegate(
        ctx,
        parseAddress(m.delegatorAddress),
        parseValoper(m.validatorSrcAddress),
        parseValoper(m.validatorDstAddress),
        a.amount,
      );
      return packed("/cosmos.staking.v1beta1.MsgBeginRedelegateResponse", MsgBeginRedelegateResponse.encode({ completionTime: timestamp(t) }).finish());
    },
  };
}

export function msgCancelUnbondingHandler(staking: StakingKeeper): MsgHandler<MsgCancelUnbondingDelegation> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
    module: "staking",
    decode: (b) => MsgCancelUnbondingDelegation.decode(b),
    signers: (m) => [parseAddress(m.delegatorAddress)],
    validateBasic: (m) => {
      parseAddress(m.delegatorAddress);
      parseValoper(m.validatorAddress);
      oneCoin(m.amount, "amount");
      if (m.creationHeight <= 0n) throw chainError(SdkCode.InvalidRequest, "invalid height: the creation height of the unbonding entry must be positive");
    },
    execute: (ctx, m) => {
      const a = oneCoin(m.amount, "amount");
      checkBondDenom(staking, ctx, a);
      staking.cancelUnbonding(ctx, parseAddress(m.delegatorAddress), parseValoper(m.validatorAddress), a.amount, m.creationHeight);
      return packed("/cosmos.staking.v1beta1.MsgCancelUnbondingDelegationResponse", MsgCancelUnbondingDelegationResponse.encode({}).finish());
    },
  };
}

/** MsgUpdateParams (governance only): replaces every staking param at once, each checked as genesis checks it. */
export function msgUpdateParamsHandler(staking: StakingKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams",
    module: "staking",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateStakingParams(m.params);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      validateStakingParams(m.params);
      // Stake already bonded is counted in the old denom: a new bond_denom would strand it (its pools'
      // balances and every validator's tokens would be read in a denom nobody staked).
      const current = staking.bondDenom(ctx);
      if (m.params.bondDenom !== current) {
        const { bonded, notBonded } = staking.pool(ctx);
        if (bonded + notBonded > 0n)
          throw chainError(
            SdkCode.InvalidRequest,
            `bond_denom cannot change from ${current} to ${m.params.bondDenom} while ${bonded + notBonded}${current} is staked or unbonding`,
          );
      }
      staking.setParams(ctx, m.params);
      return packed("/cosmos.staking.v1beta1.MsgUpdateParamsResponse", MsgUpdateParamsResponse.encode({}).finish());
    },
  };
}

/** Every staking message handler, in the order the app registers them (`authority`: the gov module account). */
export function stakingMsgHandlers(staking: StakingKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [
    msgCreateValidatorHandler(staking),
    msgEditValidatorHandler(staking),
    msgDelegateHandler(staking),
    msgUndelegateHandler(staking),
    msgBeginRedelegateHandler(staking),
    msgCancelUnbondingHandler(staking),
    msgUpdateParamsHandler(staking, authority),
  ];
}
