// A made-up CometBFT chain for light client tests: ed25519 validators from fixed seeds (node:crypto),
// headers with real hashes, and commits whose precommits are signed over the light client's own vote
// sign bytes (test/ibc-lightclient-comet.test.ts checks those bytes against a real CometBFT).
import { createHash, createPrivateKey, createPublicKey, KeyObject, sign } from "node:crypto";
import type { Height } from "cosmjs-types/ibc/core/client/v1/client";
import type { ClientState, ConsensusState, Header } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import { BlockID, Commit, CommitSig, Header as CometHeader } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag, Validator, ValidatorSet } from "cosmjs-types/tendermint/types/validator";
import { headerHash, validatorSetHash, voteSignBytes } from "../../modules/ibc/lightclient/hash";
import { parseRevisionNumber } from "../../modules/ibc/lightclient/height";
import { timestampFromNanos } from "../../modules/ibc/lightclient/time";

export const SECOND = 1_000_000_000n;
/** 2025-01-01T00:00:00Z in nanoseconds: every made-up chain starts here. */
export const GENESIS_NS = 1_735_689_600n * SECOND;

export interface TestValidator {
  name: string;
  key: KeyObject;
  publicKey: Uint8Array;
  address: Uint8Array;
  power: bigint;
}

// PKCS#8 DER for an ed25519 private key is this fixed prefix and the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** A validator whose key comes from sha256(name): the same name, the same key, in every run. */
export function testValidator(name: string, power: bigint): TestValidator {
  const seed = createHash("sha256").update(name).digest();
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  const jwk = createPublicKey(key).export({ format: "jwk" });
  const publicKey = Buffer.from(jwk.x!, "base64url");
  const address = createHash("sha256").update(publicKey).digest().subarray(0, 20);
  return { name, key, publicKey, address, power };
}

/** The ValidatorSet message, in CometBFT's order (power descending, then address), with a proposer. */
export function validatorSet(vals: TestValidator[]): ValidatorSet {
  const validators: Validator[] = [...vals]
    .sort((a, b) => (a.power !== b.power ? (a.power > b.power ? -1 : 1) : Buffer.compare(Buffer.from(a.address), Buffer.from(b.address))))
    .map((v) => ({ address: v.address, pubKey: { ed25519: v.publicKey }, votingPower: v.power, proposerPriority: 0n }));
  return { validators, proposer: validators[0], totalVotingPower: vals.reduce((s, v) => s + v.power, 0n) };
}

const fill = (byte: number, length = 32): Uint8Array => new Uint8Array(length).fill(byte);

export interface HeaderSpec {
  chainId: string;
  height: bigint;
  timeNs: bigint;
  vals: TestValidator[];
  nextVals?: TestValidator[];
  appHash?: Uint8Array;
}

/** A CometBFT header with plausible hashes; validators_hash and next_validators_hash are the real ones. */
export function cometHeader(spec: HeaderSpec): CometHeader {
  const vals = validatorSet(spec.vals);
  return {
    version: { block: 11n, app: 1n },
    chainId: spec.chainId,
    height: spec.height,
    time: timestampFromNanos(spec.timeNs),
    lastBlockId: { hash: fill(0xb0 + Number(spec.height % 16n)), partSetHeader: { total: 1, hash: fill(0xc0) } },
    lastCommitHash: fill(0x01),
    dataHash: fill(0x02),
    validatorsHash: validatorSetHash(vals),
    nextValidatorsHash: validatorSetHash(validatorSet(spec.nextVals ?? spec.vals)),
    consensusHash: fill(0x04),
    appHash: spec.appHash ?? fill(Number(spec.height % 251n)),
    lastResultsHash: fill(0x05),
    evidenceHash: new Uint8Array(0),
    proposerAddress: vals.validators[0]!.address,
  };
}

export function blockIdOf(h: CometHeader): BlockID {
  return { hash: headerHash(h), partSetHeader: { total: 1, hash: fill(0xd0) } };
}

export interface CommitSpec {
  /** Names of the validators that precommit the block; the others are absent. All by default. */
  signers?: string[];
  /** Names that precommit nil (they sign, but not for the block). */
  nil?: string[];
  /** The block the votes are for; the header's own by default. */
  blockId?: BlockID;
  /** The chain id in the signed bytes; the header's by default. */
  signChainId?: string;
  round?: number;
}

/** A commit of `h` by `vals` (one slot per validator, in validatorSet order), each vote a second after the header time. */
export function signCommit(h: CometHeader, vals: TestValidator[], spec: CommitSpec = {}): Commit {
  const blockId = spec.blockId ?? blockIdOf(h);
  const round = spec.round ?? 0;
  const byAddress = new Map(vals.map((v) => [Buffer.from(v.address).toString("hex"), v]));
  const time = timestampFromNanos(BigInt(h.time.seconds) * SECOND + BigInt(h.time.nanos) + SECOND);
  const signatures: CommitSig[] = validatorSet(vals).validators.map((val) => {
    const v = byAddress.get(Buffer.from(val.address).toString("hex"))!;
    const isNil = spec.nil?.includes(v.name) ?? false;
    const signs = isNil || (spec.signers === undefined ? true : spec.signers.includes(v.name));
    if (!signs)
      return {
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
        validatorAddress: new Uint8Array(0),
        timestamp: { seconds: 0n, nanos: 0 },
        signature: new Uint8Array(0),
      };
    const bytes = voteSignBytes(spec.signChainId ?? h.chainId, h.height, BigInt(round), isNil ? undefined : blockId, time);
    return {
      blockIdFlag: isNil ? BlockIDFlag.BLOCK_ID_FLAG_NIL : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      validatorAddress: v.address,
      timestamp: time,
      signature: sign(null, bytes, v.key),
    };
  });
  return { height: h.height, round, blockId, signatures };
}

export interface IbcHeaderSpec extends HeaderSpec, CommitSpec {
  trustedHeight: bigint;
  trustedVals: TestValidator[];
}

/** An 07-tendermint Header: the signed header, its validator set, and the trusted height and validators. */
export function ibcHeader(spec: IbcHeaderSpec): Header {
  const header = cometHeader(spec);
  return {
    signedHeader: { header, commit: signCommit(header, spec.vals, spec) },
    validatorSet: validatorSet(spec.vals),
    trustedHeight: height(spec.chainId, spec.trustedHeight),
    trustedValidators: validatorSet(spec.trustedVals),
  };
}

export function height(chainId: string, h: bigint): Height {
  return { revisionNumber: parseRevisionNumber(chainId), revisionHeight: h };
}

/** A consensus state as if a header at `timeNs` with next validators `nextVals` had been stored. */
export function trustedState(timeNs: bigint, nextVals: TestValidator[], appHash: Uint8Array = fill(0xaa)): ConsensusState {
  return { timestamp: timestampFromNanos(timeNs), root: { hash: appHash }, nextValidatorsHash: validatorSetHash(validatorSet(nextVals)) };
}

/** A valid client state: trust 1/3, two weeks' trust, three weeks' unbonding, ten seconds of clock drift. */
export function clientState(chainId: string, latest: bigint, overrides: Partial<ClientState> = {}): ClientState {
  const days = (n: bigint) => ({ seconds: n * 86_400n, nanos: 0 });
  return {
    chainId,
    trustLevel: { numerator: 1n, denominator: 3n },
    trustingPeriod: days(14n),
    unbondingPeriod: days(21n),
    maxClockDrift: { seconds: 10n, nanos: 0 },
    frozenHeight: { revisionNumber: 0n, revisionHeight: 0n },
    latestHeight: height(chainId, latest),
    proofSpecs: [{ maxDepth: 0, minDepth: 0 }],
    upgradePath: ["upgrade", "upgradedIBCState"],
    allowUpdateAfterExpiry: false,
    allowUpdateAfterMisbehaviour: false,
    ...overrides,
  };
}
