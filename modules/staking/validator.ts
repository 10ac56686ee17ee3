// A validator as the keeper works with it (bigints, bytes), and its SDK protobuf form.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { BondStatus, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { parseValoper, valoperAddress } from "../../app/core/address";
import { millis, timestamp } from "../../app/core/time";

export const ED25519_PUBKEY_URL = "/cosmos.crypto.ed25519.PubKey";

export interface ValidatorState {
  operator: Buffer;
  /** The 32-byte ed25519 consensus key CometBFT signs with. */
  consensusKey: Buffer;
  jailed: boolean;
  status: BondStatus;
  tokens: bigint;
  /** LegacyDec atomics. */
  delegatorShares: bigint;
  description: { moniker: string; identity: string; website: string; securityContact: string; details: string };
  unbondingHeight: bigint;
  unbondingTimeMs: bigint;
  commission: { rate: bigint; maxRate: bigint; maxChangeRate: bigint; updateTimeMs: bigint };
  minSelfDelegation: bigint;
}

export function toProto(v: ValidatorState): Validator {
  return {
    operatorAddress: valoperAddress(v.operator),
    consensusPubkey: { typeUrl: ED25519_PUBKEY_URL, value: Ed25519PubKey.encode({ key: v.consensusKey }).finish() },
    jailed: v.jailed,
    status: v.status,
    tokens: v.tokens.toString(),
    delegatorShares: v.delegatorShares.toString(),
    description: { ...v.description },
    unbondingHeight: v.unbondingHeight,
    unbondingTime: timestamp(v.unbondingTimeMs),
    commission: {
      commissionRates: { rate: v.commission.rate.toString(), maxRate: v.commission.maxRate.toString(), maxChangeRate: v.commission.maxChangeRate.toString() },
      updateTime: timestamp(v.commission.updateTimeMs),
    },
    minSelfDelegation: v.minSelfDelegation.toString(),
    unbondingOnHoldRefCount: 0n,
    unbondingIds: [],
  };
}

export function fromProto(p: Validator): ValidatorState {
  const rates = p.commission.commissionRates;
  return {
    operator: parseValoper(p.operatorAddress),
    consensusKey: Buffer.from(Ed25519PubKey.decode(p.consensusPubkey!.value).key),
    jailed: p.jailed,
    status: p.status,
    tokens: BigInt(p.tokens),
    delegatorShares: BigInt(p.delegatorShares),
    description: { ...p.description },
    unbondingHeight: p.unbondingHeight,
    unbondingTimeMs: millis(p.unbondingTime),
    commission: {
      rate: BigInt(rates.rate),
      maxRate: BigInt(rates.maxRate),
      maxChangeRate: BigInt(rates.maxChangeRate),
      updateTimeMs: millis(p.commission.updateTime),
    },
    minSelfDelegation: BigInt(p.minSelfDelegation),
  };
}
