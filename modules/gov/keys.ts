/** Every state key of the gov module, in one place. Proposal ids and times are 8-byte big-endian, so keys sort by them. */
import { lp, storeKey } from "../../app/core/store-keys";

export const STORE = "gov";

const PROPOSAL = 0x00;
const ACTIVE_QUEUE = 0x01;
const INACTIVE_QUEUE = 0x02;
const NEXT_PROPOSAL_ID = 0x03;
const DEPOSIT = 0x10;
const VOTE = 0x20;
const PARAMS = 0x30;

export const PRESENT = Buffer.of(1);
export const paramsKey = Buffer.of(PARAMS);
export const nextProposalIdKey = Buffer.of(NEXT_PROPOSAL_ID);
export const proposalPrefix = Buffer.of(PROPOSAL);
export const proposalKey = (id: bigint): Buffer => storeKey(PROPOSAL, id);
/** A proposal's deposits, by depositor. */
export const depositPrefix = (id: bigint): Buffer => storeKey(DEPOSIT, id);
export const depositKey = (id: bigint, depositor: Uint8Array): Buffer => storeKey(DEPOSIT, id, lp(depositor));
/** A proposal's votes, by voter. */
export const votePrefix = (id: bigint): Buffer => storeKey(VOTE, id);
export const voteKey = (id: bigint, voter: Uint8Array): Buffer => storeKey(VOTE, id, lp(voter));
/** The voter of a vote key whose proposal prefix is `prefixLength` bytes long: a view into `key`. */
export const voterOfVoteKey = (key: Buffer, prefixLength: number): Buffer => key.subarray(prefixLength + 1, prefixLength + 1 + key[prefixLength]!);

/**
 * Proposals in their voting period by voting end time (unix ms), then id; and proposals in their
 * deposit period by deposit end time: end block reads only the due range of each, never every proposal.
 */
export const activeQueuePrefix = Buffer.of(ACTIVE_QUEUE);
export const activeQueueKey = (endMs: bigint, id: bigint): Buffer => storeKey(ACTIVE_QUEUE, endMs, id);
export const inactiveQueuePrefix = Buffer.of(INACTIVE_QUEUE);
export const inactiveQueueKey = (endMs: bigint, id: bigint): Buffer => storeKey(INACTIVE_QUEUE, endMs, id);
/** The first key after every entry of a queue due at or before `ms`. */
export const activeQueueEnd = (ms: bigint): Buffer => storeKey(ACTIVE_QUEUE, ms + 1n);
export const inactiveQueueEnd = (ms: bigint): Buffer => storeKey(INACTIVE_QUEUE, ms + 1n);
/** The proposal id at the end of a queue key. */
export const idOfQueueKey = (key: Uint8Array): bigint => Buffer.from(key).readBigUInt64BE(key.length - 8);
