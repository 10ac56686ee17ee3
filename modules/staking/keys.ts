/** Every state key of the staking module, in one place. Addresses are length-prefixed. */
import { lp, storeKey, u64 } from "../../app/core/store-keys";

export const STORE = "staking";

const PARAMS = 0x01;
const VALIDATOR = 0x21;
const VALIDATOR_BY_CONS = 0x22;
const POWER_INDEX = 0x23;
const LAST_POWER = 0x24;
const DELEGATION = 0x31;
const DELEGATION_BY_VALIDATOR = 0x32;
const UNBONDING = 0x33;
const UNBONDING_BY_VALIDATOR = 0x34;
const REDELEGATION = 0x35;
const UNBONDING_QUEUE = 0x41;
const REDELEGATION_QUEUE = 0x42;
const VALIDATOR_QUEUE = 0x43;
const HISTORICAL_INFO = 0x50;
const CONSENSUS_KEY = 0x60;

/** A stored marker for index keys (the store holds no empty values). */
export const PRESENT = Buffer.of(1);

/** Numbers in staking keys (powers, times, heights) are clamped at 0, never refused. */
const n0 = (n: bigint): bigint => (n < 0n ? 0n : n);

export const paramsKey = Buffer.of(PARAMS);

export const validatorPrefix = Buffer.of(VALIDATOR);
export const validatorKey = (operator: Uint8Array): Buffer => storeKey(VALIDATOR, lp(operator));
export const validatorByConsKey = (consAddress: Uint8Array): Buffer => storeKey(VALIDATOR_BY_CONS, lp(consAddress));

/** Ordered by power, then operator: iterated in reverse, the strongest validators come first. */
export const powerIndexPrefix = Buffer.of(POWER_INDEX);
export const powerIndexKey = (power: bigint, operator: Uint8Array): Buffer => storeKey(POWER_INDEX, n0(power), lp(operator));
export const operatorFromPowerIndexKey = (key: Buffer): Buffer => key.subarray(1 + 8 + 1);

/** The power last sent to CometBFT for each validator of the active set. */
export const lastPowerPrefix = Buffer.of(LAST_POWER);
export const lastPowerKey = (operator: Uint8Array): Buffer => storeKey(LAST_POWER, lp(operator));
export const operatorFromLastPowerKey = (key: Buffer): Buffer => key.subarray(2);

/** Every delegation, ordered by delegator (length-prefixed), then validator; and the first key after them. */
export const delegationPrefix = Buffer.of(DELEGATION);
export const delegationPrefixEnd = Buffer.of(DELEGATION + 1);
export const delegationsOfPrefix = (delegator: Uint8Array): Buffer => storeKey(DELEGATION, lp(delegator));
export const delegationKey = (delegator: Uint8Array, validator: Uint8Array): Buffer => storeKey(DELEGATION, lp(delegator), lp(validator));
export const delegationsToPrefix = (validator: Uint8Array): Buffer => storeKey(DELEGATION_BY_VALIDATOR, lp(validator));
export const delegationByValidatorKey = (validator: Uint8Array, delegator: Uint8Array): Buffer =>
  storeKey(DELEGATION_BY_VALIDATOR, lp(validator), lp(delegator));

export const unbondingsOfPrefix = (delegator: Uint8Array): Buffer => storeKey(UNBONDING, lp(delegator));
export const unbondingKey = (delegator: Uint8Array, validator: Uint8Array): Buffer => storeKey(UNBONDING, lp(delegator), lp(validator));
export const unbondingsFromPrefix = (validator: Uint8Array): Buffer => storeKey(UNBONDING_BY_VALIDATOR, lp(validator));
export const unbondingByValidatorKey = (validator: Uint8Array, delegator: Uint8Array): Buffer => storeKey(UNBONDING_BY_VALIDATOR, lp(validator), lp(delegator));

export const redelegationPrefix = Buffer.of(REDELEGATION);
const REDELEGATION_BY_SRC = 0x36;
/** Redelegations by source validator (what a slash of that validator must find). */
export const redelegationsFromPrefix = (src: Uint8Array): Buffer => storeKey(REDELEGATION_BY_SRC, lp(src));
export const redelegationBySrcKey = (src: Uint8Array, delegator: Uint8Array, dst: Uint8Array): Buffer =>
  storeKey(REDELEGATION_BY_SRC, lp(src), lp(delegator), lp(dst));
export const redelegationsOfPrefix = (delegator: Uint8Array): Buffer => storeKey(REDELEGATION, lp(delegator));
export const redelegationKey = (delegator: Uint8Array, src: Uint8Array, dst: Uint8Array): Buffer => storeKey(REDELEGATION, lp(delegator), lp(src), lp(dst));

/** Time queues: ordered by completion time (unix ms), so end-block reads only what has matured. */
export const unbondingQueuePrefix = Buffer.of(UNBONDING_QUEUE);
export const unbondingQueueKey = (timeMs: bigint, delegator: Uint8Array, validator: Uint8Array): Buffer =>
  storeKey(UNBONDING_QUEUE, n0(timeMs), lp(delegator), lp(validator));
export const redelegationQueuePrefix = Buffer.of(REDELEGATION_QUEUE);
export const redelegationQueueKey = (timeMs: bigint, delegator: Uint8Array, src: Uint8Array, dst: Uint8Array): Buffer =>
  storeKey(REDELEGATION_QUEUE, n0(timeMs), lp(delegator), lp(src), lp(dst));
export const validatorQueuePrefix = Buffer.of(VALIDATOR_QUEUE);
export const validatorQueueKey = (timeMs: bigint, operator: Uint8Array): Buffer => storeKey(VALIDATOR_QUEUE, n0(timeMs), lp(operator));
/** The end (exclusive) of queue entries that mature at or before `timeMs`. */
export const queueEnd = (prefix: Buffer, timeMs: bigint): Buffer => Buffer.concat([prefix, u64(n0(timeMs + 1n))]);
export const timeOfQueueKey = (key: Buffer): bigint => key.readBigUInt64BE(1);

/** Reads the length-prefixed addresses after `skip` bytes of a key. */
export function addressesIn(key: Buffer, skip: number): Buffer[] {
  const out: Buffer[] = [];
  let pos = skip;
  while (pos < key.length) {
    const n = key[pos]!;
    out.push(key.subarray(pos + 1, pos + 1 + n));
    pos += 1 + n;
  }
  return out;
}

export const historicalInfoKey = (height: bigint): Buffer => storeKey(HISTORICAL_INFO, n0(height));

/** Every consensus key ever registered, by CometBFT address; never deleted (old extended commits name removed validators). */
export const consensusKeyKey = (consAddress: Uint8Array): Buffer => storeKey(CONSENSUS_KEY, lp(consAddress));
