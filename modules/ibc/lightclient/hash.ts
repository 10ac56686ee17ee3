// CometBFT's hashes and sign bytes, byte for byte (CometBFT v0.38 types/block.go, validator_set.go,
// vote.go, canonical.go): the header hash, the validator set hash and the precommit sign bytes. The
// protobuf is written by hand because the bytes must be exactly gogoproto's: proto3 leaves zero
// scalars out, but a non-nullable embedded message is written even when empty.
import { createHash } from "node:crypto";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import type { PublicKey } from "cosmjs-types/tendermint/crypto/keys";
import { BlockID, Header, SignedMsgType } from "cosmjs-types/tendermint/types/types";
import type { ValidatorSet } from "cosmjs-types/tendermint/types/validator";
import { int64Length, putInt64, uvarint } from "../../../proto/varint";

// ---- Protobuf fields ----

const EMPTY = Buffer.alloc(0);

/** An int64/uint64/int32/enum as a varint: two's complement on 64 bits, so a negative one takes 10 bytes. */
function varint(v: bigint): Buffer {
  const out = Buffer.alloc(int64Length(v));
  putInt64(out, 0, v);
  return out;
}

const tag = (field: number, wireType: number): Buffer => uvarint((field << 3) | wireType);
/** Varint field; zero is left out. */
const varintField = (field: number, v: bigint): Buffer => (v === 0n ? EMPTY : Buffer.concat([tag(field, 0), varint(v)]));
/** sfixed64 field (little-endian); zero is left out. */
function sfixed64Field(field: number, v: bigint): Buffer {
  if (v === 0n) return EMPTY;
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt.asIntN(64, v));
  return Buffer.concat([tag(field, 1), b]);
}
/** Length-delimited field written even when empty (a non-nullable message, or a oneof member). */
const lengthDelimited = (field: number, body: Uint8Array): Buffer => Buffer.concat([tag(field, 2), uvarint(body.length), body]);
/** bytes/string field; empty is left out. */
const bytesField = (field: number, body: Uint8Array): Buffer => (body.length === 0 ? EMPTY : lengthDelimited(field, body));
const stringField = (field: number, s: string): Buffer => bytesField(field, Buffer.from(s, "utf8"));

/** google.protobuf.Timestamp: seconds = 1 (int64), nanos = 2 (int32). */
export function encodeTimestamp(t: Timestamp): Buffer {
  return Buffer.concat([varintField(1, t.seconds), varintField(2, BigInt(t.nanos))]);
}

/** BlockID: hash = 1, part_set_header = 2 (non-nullable: always written); PartSetHeader: total = 1 (uint32), hash = 2. */
export function encodeBlockId(b: BlockID): Buffer {
  const partSetHeader = Buffer.concat([varintField(1, BigInt(b.partSetHeader.total)), bytesField(2, b.partSetHeader.hash)]);
  return Buffer.concat([bytesField(1, b.hash), lengthDelimited(2, partSetHeader)]);
}

/** tendermint.crypto.PublicKey, a oneof: ed25519 = 1, secp256k1 = 2 (a set member is written even when empty). */
export function encodePublicKey(k: PublicKey): Buffer {
  if (k.ed25519 !== undefined) return lengthDelimited(1, k.ed25519);
  if (k.secp256k1 !== undefined) return lengthDelimited(2, k.secp256k1);
  return EMPTY;
}

// ---- CometBFT's simple Merkle tree (crypto/merkle) ----

function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The root over `leaves`: leaf = sha256(0x00 ‖ leaf), inner = sha256(0x01 ‖ left ‖ right), split at the largest power of two below the count. */
export function merkleRoot(leaves: readonly Uint8Array[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return sha256(Buffer.of(0), leaves[0]!);
  let split = 1;
  while (split * 2 < leaves.length) split *= 2;
  return sha256(Buffer.of(1), merkleRoot(leaves.slice(0, split)), merkleRoot(leaves.slice(split)));
}

// ---- Hashes ----

/**
 * CometBFT's Header.Hash(): the Merkle root of the 14 fields in order, the scalars and byte strings each
 * wrapped as CometBFT's cdcEncode does (a gogoproto StringValue / Int64Value / BytesValue: field 1, left out
 * when zero or empty). A header without validators_hash has no hash (CometBFT returns nil): empty here.
 */
export function headerHash(h: Header): Uint8Array {
  if (h.validatorsHash.length === 0) return new Uint8Array(0);
  const version = Buffer.concat([varintField(1, h.version.block), varintField(2, h.version.app)]);
  const wrapBytes = (b: Uint8Array) => bytesField(1, b);
  return merkleRoot([
    version,
    stringField(1, h.chainId),
    varintField(1, h.height),
    encodeTimestamp(h.time),
    encodeBlockId(h.lastBlockId),
    wrapBytes(h.lastCommitHash),
    wrapBytes(h.dataHash),
    wrapBytes(h.validatorsHash),
    wrapBytes(h.nextValidatorsHash),
    wrapBytes(h.consensusHash),
    wrapBytes(h.appHash),
    wrapBytes(h.lastResultsHash),
    wrapBytes(h.evidenceHash),
    wrapBytes(h.proposerAddress),
  ]);
}

/** CometBFT's ValidatorSet.Hash(): the Merkle root of each validator's SimpleValidator{pub_key = 1, voting_power = 2}, in the set's order. */
export function validatorSetHash(vs: ValidatorSet): Uint8Array {
  return merkleRoot(vs.validators.map((v) => Buffer.concat([bytesField(1, encodePublicKey(v.pubKey)), varintField(2, v.votingPower)])));
}

/** A BlockID with no hash and an empty part set header: what a nil vote carries. */
export function isZeroBlockId(b: BlockID | undefined): boolean {
  return b === undefined || (b.hash.length === 0 && b.partSetHeader.total === 0 && b.partSetHeader.hash.length === 0);
}

/**
 * The bytes a validator signs for a vote: CometBFT's CanonicalVote{type = 1, height = 2 (sfixed64),
 * round = 3 (sfixed64), block_id = 4 (CanonicalBlockID, left out for a nil vote), timestamp = 5 (always
 * written), chain_id = 6}, prefixed with its uvarint length. A precommit by default; in CometBFT v0.38 the
 * vote extension is signed separately and is not part of these bytes.
 */
export function voteSignBytes(
  chainId: string,
  height: bigint,
  round: bigint,
  blockId: BlockID | undefined,
  timestamp: Timestamp,
  type: SignedMsgType = SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
): Uint8Array {
  // CanonicalBlockID and CanonicalPartSetHeader have BlockID's and PartSetHeader's layout.
  const canonicalBlockId = isZeroBlockId(blockId) ? EMPTY : lengthDelimited(4, encodeBlockId(blockId!));
  const body = Buffer.concat([
    varintField(1, BigInt(type)),
    sfixed64Field(2, height),
    sfixed64Field(3, round),
    canonicalBlockId,
    lengthDelimited(5, encodeTimestamp(timestamp)),
    stringField(6, chainId),
  ]);
  return Buffer.concat([uvarint(body.length), body]);
}
