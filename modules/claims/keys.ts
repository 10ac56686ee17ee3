/** Every state key of the claims module, in one place. */
import { lp, storeKey } from "../../app/core/store-keys";

export const STORE = "claims";

const PARAMS = 0x01;
const NEXT_CONTENT_ID = 0x02;
const NEXT_CLAIM_ID = 0x03;
const CONTENT = 0x10;
const CLAIM = 0x11;
const BY_SUBMITTER = 0x12;
const PENDING = 0x13;
const UNASSIGNED = 0x14;
const STATS = 0x15;
const CERTIFICATE = 0x16;
const FAULT = 0x17;
const LATE = 0x18;
const LATE_QUEUE = 0x19;
const PRUNED = 0x1a;
const DRIFT_DIRTY = 0x1b;

export const PRESENT = Buffer.of(1);

export const paramsKey = Buffer.of(PARAMS);
export const nextContentIdKey = Buffer.of(NEXT_CONTENT_ID);
export const nextClaimIdKey = Buffer.of(NEXT_CLAIM_ID);
export const contentKey = (id: bigint): Buffer => storeKey(CONTENT, id);
export const claimKey = (id: bigint): Buffer => storeKey(CLAIM, id);
export const bySubmitterPrefix = (submitter: Uint8Array): Buffer => storeKey(BY_SUBMITTER, lp(submitter));
export const bySubmitterKey = (submitter: Uint8Array, contentId: bigint): Buffer => storeKey(BY_SUBMITTER, lp(submitter), contentId);
/** Claims waiting for verdicts, by id (assigned, not settled). */
export const pendingPrefix = Buffer.of(PENDING);
export const pendingKey = (claimId: bigint): Buffer => storeKey(PENDING, claimId);
/** Claims submitted in this block, assigned at its end (the assignment draws on the block hash). */
export const unassignedPrefix = Buffer.of(UNASSIGNED);
export const unassignedKey = (claimId: bigint): Buffer => storeKey(UNASSIGNED, claimId);
export const idOfKey = (key: Buffer): bigint => key.readBigUInt64BE(key.length - 8);
export const statsKey = (valoper: string): Buffer => storeKey(STATS, Buffer.from(valoper));
export const certificateKey = (contentId: bigint): Buffer => storeKey(CERTIFICATE, contentId);
/** The validators that may still vote on a certified claim (LateVoters), by claim id. */
export const lateKey = (claimId: bigint): Buffer => storeKey(LATE, claimId);
/** Late-vote windows by the height they close at, then claim id. */
export const lateQueuePrefix = Buffer.of(LATE_QUEUE);
export const lateQueueKey = (dueHeight: bigint, claimId: bigint): Buffer => storeKey(LATE_QUEUE, dueHeight, claimId);
export const lateQueueEnd = (height: bigint): Buffer => storeKey(LATE_QUEUE, height + 1n);

/** A validator's verification faults over its last fault_window settled assignments, one key per faulty slot. */
export const faultPrefix = (valoper: string): Buffer => storeKey(FAULT, lp(Buffer.from(valoper)));
export const faultKey = (valoper: string, slot: bigint): Buffer => storeKey(FAULT, lp(Buffer.from(valoper)), slot);

/** The last height at which a proposer injected a validator's signed precommit as absent (8 bytes, big-endian). */
export const prunedKey = (valoper: string): Buffer => storeKey(PRUNED, Buffer.from(valoper));

/**
 * Validators whose drift averages moved in this block, checked and cleared by the end of the same
 * block (the keys never reach a commit): the check runs only for them, and only when there are any.
 */
export const driftDirtyPrefix = Buffer.of(DRIFT_DIRTY);
export const driftDirtyKey = (valoper: string): Buffer => storeKey(DRIFT_DIRTY, Buffer.from(valoper));
export const valoperOfDirtyKey = (key: Buffer): string => key.subarray(1).toString();
