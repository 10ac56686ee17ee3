// A validator as the keeper works with it (bigints, bytes), and its SDK protobuf form.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { BondStatus, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { createHash } from "node:crypto";
import { bech32Address, parseAddress } from "../../app/tx/address";

export const VALOPER_PREFIX = "miravaloper";
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

export function valoperAddress(operator: Uint8Array): string {
  return bech32Address(operator, VALOPER_PREFIX);
}

export function parseValoper(address: string): Buffer {
  return parseAddress(address, VALOPER_PREFIX);
}

/** CometBFT's address of an ed25519 key: the first 20 bytes of its sha256. */
export function consensusAddress(key: Uint8Array): Buffer {
  return createHash("sha256").update(key).digest().subarray(0, 20);
}

const timestamp = (ms: bigint) => ({ seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1_000_000 });
const millis = (t: { seconds: bigint; nanos: number } | undefined) => (t === undefined ? 0n : t.seconds * 1000n + BigInt(Math.floor(t.nanos / 1_000_000)));

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
    commission: { rate: BigInt(rates.rate), maxRate: BigInt(rates.maxRate), maxChangeRate: BigInt(rates.maxChangeRate), updateTimeMs: millis(p.commission.updateTime) },
    minSelfDelegation: BigInt(p.minSelfDelegation),
  };
}

export { timestamp, millis };
