// Vote extensions as CometBFT signs them, and the checks a block proposal that carries the previous
// height's extended commit must pass (the Cosmos SDK's ValidateVoteExtensions is the reference):
// every COMMIT vote's extension signature verifies, votes are in CometBFT's order (power
// descending, then address), they match the last commit CometBFT itself reports, and the valid
// ones hold more than 2/3 of the power.
import { createPublicKey, verify } from "node:crypto";
import { CommitInfo, ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { uvarint } from "../../proto/varint";

function sfixed64(tag: number, v: bigint): Buffer {
  const b = Buffer.alloc(9);
  b[0] = tag;
  b.writeBigInt64LE(v, 1);
  return b;
}

/**
 * The bytes a validator signs for its extension: the uvarint-length-prefixed protobuf
 * `CanonicalVoteExtension{extension = 1, height = 2 (sfixed64), round = 3 (sfixed64), chain_id = 4}`,
 * with proto3's rule that zero and empty fields are left out.
 */
export function voteExtensionSignBytes(extension: Uint8Array, height: bigint, round: bigint, chainId: string): Buffer {
  const parts: Buffer[] = [];
  if (extension.length > 0) parts.push(Buffer.of(0x0a), uvarint(extension.length), Buffer.from(extension));
  if (height !== 0n) parts.push(sfixed64(0x11, height));
  if (round !== 0n) parts.push(sfixed64(0x19, round));
  const chain = Buffer.from(chainId, "utf8");
  if (chain.length > 0) parts.push(Buffer.of(0x22), uvarint(chain.length), chain);
  const body = Buffer.concat(parts);
  return Buffer.concat([uvarint(body.length), body]);
}

/** ed25519 verification of a raw 32-byte public key (node:crypto, through a JWK). */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey).toString("base64url") }, format: "jwk" });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}

export class VoteExtensionError extends Error {
  override name = "VoteExtensionError";
}

/**
 * Checks an extended commit for height `height` (the votes' height) on `chainId`; `publicKeyOf`
 * gives a validator's ed25519 key by its 20-byte address. Throws VoteExtensionError saying what
 * is wrong; returns the power of the valid COMMIT votes and the total.
 */
export function verifyExtendedCommit(
  commit: ExtendedCommitInfo,
  opts: { chainId: string; height: bigint; publicKeyOf: (address: Uint8Array) => Uint8Array | undefined },
): { signedPower: bigint; totalPower: bigint } {
  let total = 0n;
  let signed = 0n;
  const seen = new Set<string>();
  commit.votes.forEach((vote, i) => {
    const address = Buffer.from(vote.validator.address);
    const id = address.toString("hex");
    if (seen.has(id)) throw new VoteExtensionError(`validator ${id} votes twice`);
    seen.add(id);
    const prev = i > 0 ? commit.votes[i - 1]! : undefined;
    if (prev !== undefined) {
      const p = prev.validator.power;
      const unordered = vote.validator.power > p || (vote.validator.power === p && Buffer.compare(address, Buffer.from(prev.validator.address)) < 0);
      if (unordered) throw new VoteExtensionError("votes are not in CometBFT's order (power descending, then address)");
    }
    total += vote.validator.power;
    if (vote.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) {
      if (vote.voteExtension.length > 0 || vote.extensionSignature.length > 0)
        throw new VoteExtensionError(`validator ${id} did not commit but carries an extension`);
      return;
    }
    const why = extensionSignatureProblem(vote, opts, commit.round);
    if (why !== undefined) throw new VoteExtensionError(why);
    signed += vote.validator.power;
  });
  if (signed * 3n <= total * 2n) throw new VoteExtensionError(`extensions carry ${signed} of ${total} power, not more than 2/3`);
  return { signedPower: signed, totalPower: total };
}

type ExtendedVote = ExtendedCommitInfo["votes"][number];
interface SignatureContext {
  chainId: string;
  height: bigint;
  publicKeyOf: (address: Uint8Array) => Uint8Array | undefined;
}

/** Why a COMMIT vote's extension signature does not verify, or undefined when it does. */
export function extensionSignatureProblem(vote: ExtendedVote, opts: SignatureContext, round: number): string | undefined {
  const id = Buffer.from(vote.validator.address).toString("hex");
  const key = opts.publicKeyOf(vote.validator.address);
  if (key === undefined) return `unknown validator ${id}`;
  if (vote.extensionSignature.length === 0) return `validator ${id} committed without an extension signature`;
  const bytes = voteExtensionSignBytes(vote.voteExtension, opts.height, BigInt(round), opts.chainId);
  if (!verifyEd25519(key, bytes, vote.extensionSignature)) return `bad extension signature of validator ${id}`;
  return undefined;
}

/**
 * The proposer's side of cometbft#2361: precommits that arrived late reach PrepareProposal without
 * the app having verified their extensions, so each COMMIT vote whose extension signature or shape
 * (`shapeProblem`) fails is injected as ABSENT, with no extension, instead of as it came.
 */
export function pruneExtendedCommit(
  commit: ExtendedCommitInfo,
  opts: SignatureContext,
  shapeProblem: (ext: Uint8Array) => string | undefined,
): { commit: ExtendedCommitInfo; pruned: string[] } {
  const pruned: string[] = [];
  const votes = commit.votes.map((vote) => {
    if (vote.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) return vote;
    const why = extensionSignatureProblem(vote, opts, commit.round) ?? shapeProblem(vote.voteExtension);
    if (why === undefined) return vote;
    pruned.push(why);
    return { ...vote, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array() };
  });
  return { commit: { round: commit.round, votes }, pruned };
}

/**
 * The injected extended commit must describe the very last commit CometBFT hands the app; the one
 * difference allowed is a COMMIT vote the proposer pruned to ABSENT (its extension did not verify).
 */
export function matchesLastCommit(ext: ExtendedCommitInfo, last: CommitInfo): void {
  if (ext.round !== last.round) throw new VoteExtensionError(`round ${ext.round} but the last commit's is ${last.round}`);
  if (ext.votes.length !== last.votes.length) throw new VoteExtensionError(`${ext.votes.length} votes but the last commit has ${last.votes.length}`);
  ext.votes.forEach((v, i) => {
    const l = last.votes[i]!;
    if (!Buffer.from(v.validator.address).equals(Buffer.from(l.validator.address)) || v.validator.power !== l.validator.power) {
      throw new VoteExtensionError(`vote ${i} is not the last commit's validator or power`);
    }
    const pruned = v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT && l.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT;
    if (v.blockIdFlag !== l.blockIdFlag && !pruned) throw new VoteExtensionError(`vote ${i}'s block id flag differs from the last commit's`);
  });
}

/**
 * The proposer puts the previous height's extended commit first in its block, behind this prefix
 * (bytes no valid TxRaw starts with as a user tx is refused), so that every validator gets the
 * extensions that only the proposer saw. It is data, never run as a tx.
 */
export const INJECTED_COMMIT_PREFIX = Buffer.from("mira/ext-commit/v1\n", "ascii");

export function encodeInjectedCommit(commit: ExtendedCommitInfo): Buffer {
  return Buffer.concat([INJECTED_COMMIT_PREFIX, ExtendedCommitInfo.encode(commit).finish()]);
}

export function isInjectedCommit(tx: Uint8Array): boolean {
  return tx.length >= INJECTED_COMMIT_PREFIX.length && Buffer.from(tx.buffer, tx.byteOffset, INJECTED_COMMIT_PREFIX.length).equals(INJECTED_COMMIT_PREFIX);
}

export function decodeInjectedCommit(tx: Uint8Array): ExtendedCommitInfo {
  if (!isInjectedCommit(tx)) throw new VoteExtensionError("not an injected extended commit");
  try {
    return ExtendedCommitInfo.decode(Buffer.from(tx).subarray(INJECTED_COMMIT_PREFIX.length));
  } catch (err) {
    throw new VoteExtensionError(`undecodable injected commit: ${(err as Error).message}`);
  }
}

/** The start of the log of the injected commit's result in FinalizeBlock (clients can skip it by that). */
export const INJECTED_COMMIT_RESULT_LOG = "extended commit of height ";
