// Real double-sign evidence for slashing tests: two conflicting prevotes signed with a validator's
// own CometBFT key, wrapped as DuplicateVoteEvidence and handed to CometBFT's broadcast_evidence,
// so CometBFT itself verifies the evidence and later commits it in a block.
import { createHash, createPrivateKey, KeyObject, randomBytes, sign } from "node:crypto";
import fs from "node:fs";
import { DuplicateVoteEvidence as DuplicateVoteEvidenceProto } from "cosmjs-types/tendermint/types/evidence";
import { SignedMsgType, Vote as VoteProto } from "cosmjs-types/tendermint/types/types";
import { rpc } from "../../app/cli/cometbft";

/** The amino JSON name CometBFT registers DuplicateVoteEvidence under. */
export const DUPLICATE_VOTE_EVIDENCE = "tendermint/DuplicateVoteEvidence";

export interface PrivValidatorKey {
  /** 20 bytes: the first 20 bytes of sha256(publicKey). */
  address: Buffer;
  publicKey: Buffer;
  /** The 32-byte ed25519 seed (the first half of priv_key.value). */
  seed: Buffer;
}

interface PrivValidatorKeyFile {
  address: string;
  pub_key: { type: string; value: string };
  priv_key: { type: string; value: string };
}

/** Reads and cross-checks a CometBFT priv_validator_key.json (ed25519 only). */
export function readPrivValidatorKey(file: string): PrivValidatorKey {
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as PrivValidatorKeyFile;
  if (json.priv_key?.type !== "tendermint/PrivKeyEd25519") {
    throw new Error(`${file}: priv_key.type is ${json.priv_key?.type}, only tendermint/PrivKeyEd25519 keys can sign here`);
  }
  const priv = Buffer.from(json.priv_key.value, "base64");
  const publicKey = Buffer.from(json.pub_key.value, "base64");
  if (priv.length !== 64 || publicKey.length !== 32)
    throw new Error(`${file}: expected a 64-byte priv_key and a 32-byte pub_key, got ${priv.length} and ${publicKey.length}`);
  // CometBFT stores seed||pubkey; a mismatch means the file was edited by hand.
  if (!priv.subarray(32).equals(publicKey)) throw new Error(`${file}: the second half of priv_key is not pub_key`);
  const address = createHash("sha256").update(publicKey).digest().subarray(0, 20);
  if (address.toString("hex").toUpperCase() !== json.address.toUpperCase())
    throw new Error(`${file}: address ${json.address} is not sha256(pub_key)[:20] = ${address.toString("hex").toUpperCase()}`);
  return { address, publicKey, seed: priv.subarray(0, 32) };
}

/** A node:crypto ed25519 private key from its 32-byte seed (JWK needs x too, so it comes along). */
function ed25519Key(key: PrivValidatorKey): KeyObject {
  return createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: key.seed.toString("base64url"), x: key.publicKey.toString("base64url") }, format: "jwk" });
}

// ---- Protobuf, by hand: cosmjs-types has no CanonicalVote, and sign bytes must be exact. ----

function uvarint(n: bigint): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n); // negative int64 values go on the wire as 10-byte two's complement
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

const tag = (field: number, wireType: number) => uvarint(BigInt((field << 3) | wireType));
/** Varint field; proto3 leaves zero out. */
const varintField = (field: number, v: bigint) => (v === 0n ? Buffer.alloc(0) : Buffer.concat([tag(field, 0), uvarint(v)]));
/** sfixed64 field (wire type 1, little-endian); proto3 leaves zero out. */
function sfixed64Field(field: number, v: bigint): Buffer {
  if (v === 0n) return Buffer.alloc(0);
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return Buffer.concat([tag(field, 1), b]);
}
/** Length-delimited field written even when empty (gogoproto non-nullable messages). */
const messageField = (field: number, body: Buffer) => Buffer.concat([tag(field, 2), uvarint(BigInt(body.length)), body]);
/** bytes/string field; proto3 leaves empty out. */
const bytesField = (field: number, body: Buffer) => (body.length === 0 ? Buffer.alloc(0) : messageField(field, body));

// ---- Votes ----

export interface BlockIdFields {
  hash: Buffer;
  partsTotal: number;
  partsHash: Buffer;
}

export interface VoteFields {
  /** 1 = prevote, 2 = precommit. */
  type: number;
  height: bigint;
  round: number;
  blockId: BlockIdFields;
  /** RFC 3339 in UTC ending in "Z", up to nanoseconds, as CometBFT prints times. */
  timestamp: string;
}

/** Splits an RFC 3339 UTC time into protobuf Timestamp seconds and nanos without losing nanoseconds. */
export function parseUtcTime(time: string): { seconds: bigint; nanos: number } {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(time);
  if (!m) throw new Error(`time ${JSON.stringify(time)} is not RFC 3339 UTC ending in Z (CometBFT rejects anything else)`);
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms)) throw new Error(`time ${JSON.stringify(time)} is not a valid date`);
  return { seconds: BigInt(ms / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

function timestampBytes(time: string): Buffer {
  const { seconds, nanos } = parseUtcTime(time);
  return Buffer.concat([varintField(1, seconds), varintField(2, BigInt(nanos))]);
}

/** PartSetHeader and CanonicalPartSetHeader share one layout: total = 1 (uint32), hash = 2. */
const partSetHeaderBytes = (b: BlockIdFields) => Buffer.concat([varintField(1, BigInt(b.partsTotal)), bytesField(2, b.partsHash)]);

/** The bytes a validator signs for a vote: CanonicalVote, prefixed with its uvarint length. */
export function voteSignBytes(chainId: string, vote: VoteFields): Buffer {
  const blockId = Buffer.concat([bytesField(1, vote.blockId.hash), messageField(2, partSetHeaderBytes(vote.blockId))]);
  const isNil = vote.blockId.hash.length === 0 && vote.blockId.partsTotal === 0 && vote.blockId.partsHash.length === 0;
  const body = Buffer.concat([
    varintField(1, BigInt(vote.type)),
    sfixed64Field(2, vote.height),
    sfixed64Field(3, BigInt(vote.round)),
    isNil ? Buffer.alloc(0) : messageField(4, blockId), // a nil vote has no block_id at all
    messageField(5, timestampBytes(vote.timestamp)),
    bytesField(6, Buffer.from(chainId, "utf8")),
  ]);
  return Buffer.concat([uvarint(BigInt(body.length)), body]);
}

/** CometBFT orders the two votes by this key: block hash, then the PartSetHeader's protobuf bytes. */
const blockIdKey = (b: BlockIdFields) => Buffer.concat([b.hash, partSetHeaderBytes(b)]);

// ---- Evidence ----

interface SignedVote extends VoteFields {
  validatorAddress: Buffer;
  validatorIndex: number;
  signature: Buffer;
}

/** A vote in CometBFT's JSON: int64 as strings, HexBytes as upper hex, []byte as base64. */
export interface VoteJson {
  type: number;
  height: string;
  round: number;
  block_id: { hash: string; parts: { total: number; hash: string } };
  timestamp: string;
  validator_address: string;
  validator_index: number;
  signature: string;
}

/** The `evidence` param of broadcast_evidence: amino-style {type, value}; the abci fields keep their Go names. */
export interface EvidenceJson {
  type: string;
  value: { vote_a: VoteJson; vote_b: VoteJson; TotalVotingPower: string; ValidatorPower: string; Timestamp: string };
}

export interface DoubleSignEvidence {
  json: EvidenceJson;
  /** The DuplicateVoteEvidence protobuf bytes CometBFT hashes (and merkleizes into evidence_hash). */
  bytes: Buffer;
  /** sha256 of `bytes`, upper hex: what broadcast_evidence answers. */
  hash: string;
  height: number;
  validatorAddress: string;
}

const hexUpper = (b: Buffer) => b.toString("hex").toUpperCase();

function voteJson(v: SignedVote): VoteJson {
  return {
    type: v.type,
    height: v.height.toString(),
    round: v.round,
    block_id: { hash: hexUpper(v.blockId.hash), parts: { total: v.blockId.partsTotal, hash: hexUpper(v.blockId.partsHash) } },
    timestamp: v.timestamp,
    validator_address: hexUpper(v.validatorAddress),
    validator_index: v.validatorIndex,
    signature: v.signature.toString("base64"),
  };
}

function voteProto(v: SignedVote): VoteProto {
  const { seconds, nanos } = parseUtcTime(v.timestamp);
  return VoteProto.fromPartial({
    type: v.type as SignedMsgType,
    height: v.height,
    round: v.round,
    blockId: { hash: v.blockId.hash, partSetHeader: { total: v.blockId.partsTotal, hash: v.blockId.partsHash } },
    timestamp: { seconds, nanos },
    validatorAddress: v.validatorAddress,
    validatorIndex: v.validatorIndex,
    signature: v.signature,
  });
}

interface ValidatorsResult {
  validators: { address: string; pub_key: { type: string; value: string }; voting_power: string }[];
  count: string;
  total: string;
}

/** The whole validator set at a height, paging through /validators (100 a page at most). */
async function validatorSet(rpcUrl: string, height: number): Promise<ValidatorsResult["validators"]> {
  const all: ValidatorsResult["validators"] = [];
  for (let page = 1; ; page++) {
    const r = await rpc<ValidatorsResult>(rpcUrl, "validators", { height: String(height), page: String(page), per_page: "100" });
    all.push(...r.validators);
    if (all.length >= Number(r.total) || r.validators.length === 0) return all;
  }
}

export interface DoubleSignOptions {
  rpcUrl: string;
  chainId: string;
  privValidatorKeyFile: string;
  /** A committed height at which the key's validator was in the set. */
  height: number;
  round?: number;
}

/**
 * Builds DuplicateVoteEvidence: two prevotes for random, different blocks at `height`, signed with the
 * key, with powers and timestamp read from the node so CometBFT's evidence pool accepts it.
 */
export async function buildDoubleSignEvidence(opts: DoubleSignOptions): Promise<DoubleSignEvidence> {
  const key = readPrivValidatorKey(opts.privValidatorKeyFile);
  const address = hexUpper(key.address);
  const vals = await validatorSet(opts.rpcUrl, opts.height);
  const index = vals.findIndex((v) => v.address.toUpperCase() === address);
  if (index < 0) throw new Error(`validator ${address} is not in the set at height ${opts.height}: pick a height where it was bonded`);
  if (vals[index]!.pub_key.value !== key.publicKey.toString("base64"))
    throw new Error(`validator ${address} at height ${opts.height} has another pub_key than ${opts.privValidatorKeyFile}`);
  const totalPower = vals.reduce((sum, v) => sum + BigInt(v.voting_power), 0n);

  // The evidence pool insists the evidence time is exactly the block time at that height.
  const block = await rpc<{ block: { header: { time: string } } }>(opts.rpcUrl, "block", { height: String(opts.height) });
  const blockTime = block.block.header.time;

  const signer = ed25519Key(key);
  const signedVote = (): SignedVote => {
    const fields: VoteFields = {
      type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
      height: BigInt(opts.height),
      round: opts.round ?? 0,
      blockId: { hash: randomBytes(32), partsTotal: 1, partsHash: randomBytes(32) },
      timestamp: blockTime,
    };
    const signature = sign(null, voteSignBytes(opts.chainId, fields), signer);
    return { ...fields, validatorAddress: key.address, validatorIndex: index, signature };
  };
  const [voteA, voteB] = [signedVote(), signedVote()].sort((x, y) => Buffer.compare(blockIdKey(x.blockId), blockIdKey(y.blockId)));

  const { seconds, nanos } = parseUtcTime(blockTime);
  const bytes = Buffer.from(
    DuplicateVoteEvidenceProto.encode({
      voteA: voteProto(voteA!),
      voteB: voteProto(voteB!),
      totalVotingPower: totalPower,
      validatorPower: BigInt(vals[index]!.voting_power),
      timestamp: { seconds, nanos },
    }).finish(),
  );
  return {
    json: {
      type: DUPLICATE_VOTE_EVIDENCE,
      value: {
        vote_a: voteJson(voteA!),
        vote_b: voteJson(voteB!),
        TotalVotingPower: totalPower.toString(),
        ValidatorPower: vals[index]!.voting_power,
        Timestamp: blockTime,
      },
    },
    bytes,
    hash: hexUpper(createHash("sha256").update(bytes).digest()),
    height: opts.height,
    validatorAddress: address,
  };
}

/** Calls broadcast_evidence over JSON-RPC POST (the evidence is a JSON object, not a query string). */
export async function broadcastEvidence(rpcUrl: string, evidence: EvidenceJson): Promise<{ hash: string }> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "broadcast_evidence", params: { evidence } }),
  });
  const text = await res.text();
  let body: { result?: { hash: string }; error?: { code: number; message: string; data?: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`broadcast_evidence at ${rpcUrl}: HTTP ${res.status}, not JSON-RPC: ${text.slice(0, 200)}`);
  }
  if (body.error) throw new Error(`broadcast_evidence refused the evidence: ${body.error.message} (${body.error.code}): ${body.error.data ?? ""}`);
  if (!body.result?.hash) throw new Error(`broadcast_evidence at ${rpcUrl} answered without a hash: ${text.slice(0, 200)}`);
  return { hash: hexUpper(Buffer.from(body.result.hash, "base64")) }; // the RPC sends []byte as base64
}

/**
 * Makes the key's validator double-sign at `height` and submits the evidence. Returns the evidence hash
 * (upper hex) after checking it equals the hash of our own encoding, so a byte-level drift is caught here.
 */
export async function submitDoubleSign(opts: DoubleSignOptions): Promise<{ hash: string; evidence: DoubleSignEvidence }> {
  const evidence = await buildDoubleSignEvidence(opts);
  const { hash } = await broadcastEvidence(opts.rpcUrl, evidence.json);
  if (hash !== evidence.hash)
    throw new Error(`CometBFT hashed the evidence to ${hash} but our protobuf encoding hashes to ${evidence.hash}: the encodings differ`);
  return { hash, evidence };
}
