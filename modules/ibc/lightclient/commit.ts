// Commit verification as CometBFT v0.38's light client does it (types/validation.go): more than 2/3 of
// a known validator set signed a block, or more than a trust level of a trusted set signed it. Every
// signature that is looked at is checked with ed25519 (node:crypto); one bad signature refuses the commit.
import { createHash, createPublicKey, verify } from "node:crypto";
import type { Fraction } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import { BlockID, Commit, CommitSig } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag, Validator, ValidatorSet } from "cosmjs-types/tendermint/types/validator";
import { TendermintCode, tendermintError } from "./errors";
import { voteSignBytes } from "./hash";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A validator's 20-byte address: the first 20 bytes of sha256 of its ed25519 key. */
export function ed25519Address(publicKey: Uint8Array): Uint8Array {
  return createHash("sha256").update(publicKey).digest().subarray(0, 20);
}

/** The DER prefix of an ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { AlgorithmIdentifier { 1.3.101.112 }, BIT STRING }. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** ed25519 verification of a raw 32-byte public key; false for any malformed key or signature. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]), format: "der", type: "spki" });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

/**
 * Checks a validator set as CometBFT's ValidatorSetFromProto does, for ed25519 validators: not empty, every
 * key 32 bytes with the address it hashes to, no negative power, no address twice. `what` names the set in
 * the error (InvalidValidatorSet).
 */
export function validateValidatorSet(vs: ValidatorSet | undefined, what: string): asserts vs is ValidatorSet {
  if (vs === undefined || vs.validators.length === 0) throw tendermintError(TendermintCode.InvalidValidatorSet, `${what} is empty`);
  const seen = new Set<string>();
  vs.validators.forEach((v, i) => {
    const key = v.pubKey?.ed25519;
    if (key === undefined || key.length !== 32)
      throw tendermintError(
        TendermintCode.InvalidValidatorSet,
        `${what}: validator ${i} has no 32-byte ed25519 key; this light client verifies ed25519 validators only`,
      );
    if (!sameBytes(v.address, ed25519Address(key)))
      throw tendermintError(
        TendermintCode.InvalidValidatorSet,
        `${what}: validator ${i} has address ${hex(v.address)}, but its key hashes to ${hex(ed25519Address(key))}`,
      );
    if (v.votingPower < 0n)
      throw tendermintError(TendermintCode.InvalidValidatorSet, `${what}: validator ${hex(v.address)} has negative voting power ${v.votingPower}`);
    if (seen.has(hex(v.address))) throw tendermintError(TendermintCode.InvalidValidatorSet, `${what}: validator ${hex(v.address)} appears twice`);
    seen.add(hex(v.address));
  });
}

/** The sum of the validators' powers (the message's own total_voting_power is not trusted, as in CometBFT). */
export function totalVotingPower(vs: ValidatorSet): bigint {
  return vs.validators.reduce((sum, v) => sum + v.votingPower, 0n);
}

/** The sign bytes of the commit's signature `index`: a COMMIT vote signs the commit's block id, a NIL vote signs none. */
export function commitSigSignBytes(chainId: string, commit: Commit, index: number): Uint8Array {
  const sig = commit.signatures[index]!;
  const blockId = sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? commit.blockId : undefined;
  return voteSignBytes(chainId, commit.height, BigInt(commit.round), blockId, sig.timestamp);
}

function blockIdsEqual(a: BlockID, b: BlockID): boolean {
  return sameBytes(a.hash, b.hash) && a.partSetHeader.total === b.partSetHeader.total && sameBytes(a.partSetHeader.hash, b.partSetHeader.hash);
}

function checkSignature(chainId: string, commit: Commit, index: number, validator: Validator): void {
  const sig: CommitSig = commit.signatures[index]!;
  if (!verifyEd25519(validator.pubKey.ed25519 ?? new Uint8Array(0), commitSigSignBytes(chainId, commit, index), sig.signature))
    throw tendermintError(
      TendermintCode.InvalidHeader,
      `the signature of validator ${hex(validator.address)} (commit signature ${index}) does not verify for height ${commit.height} round ${commit.round} on chain ${chainId}`,
    );
}

/**
 * CometBFT's VerifyCommitLight: the commit is for `blockId` at `height`, has one signature slot per validator
 * of `vals` (in order), and the validators whose COMMIT signatures verify hold more than 2/3 of the set's
 * power. Absent and nil votes are skipped. Throws InvalidHeader saying what failed.
 */
export function verifyCommitLight(chainId: string, vals: ValidatorSet, blockId: BlockID, height: bigint, commit: Commit): void {
  validateValidatorSet(vals, "the validator set");
  if (vals.validators.length !== commit.signatures.length)
    throw tendermintError(
      TendermintCode.InvalidHeader,
      `the commit has ${commit.signatures.length} signatures but the validator set has ${vals.validators.length} validators`,
    );
  if (commit.height !== height) throw tendermintError(TendermintCode.InvalidHeader, `the commit is for height ${commit.height}, not ${height}`);
  if (!blockIdsEqual(commit.blockId, blockId))
    throw tendermintError(TendermintCode.InvalidHeader, `the commit is for block ${hex(commit.blockId.hash)}, not ${hex(blockId.hash)}`);

  const total = totalVotingPower(vals);
  const needed = (total * 2n) / 3n;
  let tallied = 0n;
  commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) return;
    const validator = vals.validators[i]!;
    if (!sameBytes(sig.validatorAddress, validator.address))
      throw tendermintError(
        TendermintCode.InvalidHeader,
        `commit signature ${i} is from ${hex(sig.validatorAddress)}, but validator ${i} of the set is ${hex(validator.address)}`,
      );
    checkSignature(chainId, commit, i, validator);
    tallied += validator.votingPower;
  });
  if (tallied <= needed)
    throw tendermintError(
      TendermintCode.InvalidHeader,
      `the validators that signed hold ${tallied} of ${total} voting power; more than 2/3 (more than ${needed}) must sign`,
    );
}

/**
 * CometBFT's VerifyCommitLightTrusting: the commit's COMMIT signers that are in `trustedVals` (found by
 * address) hold more than `trustLevel` of the trusted set's power, each signature verifying. Signers outside
 * the trusted set are skipped; a trusted validator signing twice is refused. Throws InvalidHeader.
 */
export function verifyCommitLightTrusting(chainId: string, trustedVals: ValidatorSet, commit: Commit, trustLevel: Fraction): void {
  validateValidatorSet(trustedVals, "the trusted validator set");
  if (trustLevel.denominator === 0n) throw tendermintError(TendermintCode.InvalidTrustLevel, "the trust level has a zero denominator");
  const byAddress = new Map(trustedVals.validators.map((v) => [hex(v.address), v]));
  const total = totalVotingPower(trustedVals);
  const needed = (total * trustLevel.numerator) / trustLevel.denominator;
  const seen = new Map<string, number>();
  let tallied = 0n;
  commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) return;
    const address = hex(sig.validatorAddress);
    const validator = byAddress.get(address);
    if (validator === undefined) return;
    const first = seen.get(address);
    if (first !== undefined) throw tendermintError(TendermintCode.InvalidHeader, `validator ${address} signed the commit twice (signatures ${first} and ${i})`);
    seen.set(address, i);
    checkSignature(chainId, commit, i, validator);
    tallied += validator.votingPower;
  });
  if (tallied <= needed)
    throw tendermintError(
      TendermintCode.InvalidHeader,
      `the trusted validators that signed hold ${tallied} of ${total} trusted voting power; more than ${trustLevel.numerator}/${trustLevel.denominator} (more than ${needed}) must sign`,
    );
}
