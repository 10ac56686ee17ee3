import type { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import { SdkCode } from "../../app/core/errors";
import { consensusError } from "./errors";

/** CometBFT's own cap on block.max_bytes (100 MiB); -1 means that cap. */
export const MAX_BLOCK_SIZE_BYTES = 104_857_600n;
/** The validator key types CometBFT v0.38 knows. */
export const KNOWN_PUB_KEY_TYPES: ReadonlySet<string> = new Set(["ed25519", "secp256k1"]);
/** This chain's validators sign with ed25519 keys (staking accepts no other): the list must keep it. */
export const REQUIRED_PUB_KEY_TYPE = "ed25519";

/** CometBFT's defaults, for any section InitChain leaves out. */
export function defaultConsensusParams(): Required<ConsensusParams> {
  return {
    block: { maxBytes: 22_020_096n, maxGas: -1n },
    evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
    validator: { pubKeyTypes: [REQUIRED_PUB_KEY_TYPE] },
    version: { app: 0n },
    abci: { voteExtensionsEnableHeight: 0n },
  };
}

/** `base` with each section that `update` carries replaced, as CometBFT applies a consensus_param_updates. */
export function mergeConsensusParams(base: Required<ConsensusParams>, update: ConsensusParams | undefined): Required<ConsensusParams> {
  return {
    block: update?.block ?? base.block,
    evidence: update?.evidence ?? base.evidence,
    validator: update?.validator ?? base.validator,
    version: update?.version ?? base.version,
    abci: update?.abci ?? base.abci,
  };
}

function bad(why: string): never {
  throw consensusError(SdkCode.InvalidRequest, `consensus params: ${why}`);
}

/**
 * The whole params as CometBFT's ValidateBasic checks them before it accepts an update (a param set
 * it would refuse halts the chain), plus this chain's rule that ed25519 stays a validator key type.
 * Throws InvalidRequest saying which bound is broken.
 */
export function validateConsensusParams(p: Required<ConsensusParams>): void {
  const { block, evidence, validator, abci } = p;
  if (block.maxBytes === 0n) bad("block.max_bytes cannot be 0");
  if (block.maxBytes < -1n) bad(`block.max_bytes must be -1 or greater than 0, got ${block.maxBytes}`);
  if (block.maxBytes > MAX_BLOCK_SIZE_BYTES) bad(`block.max_bytes ${block.maxBytes} is above the 100 MiB cap (${MAX_BLOCK_SIZE_BYTES})`);
  if (block.maxGas < -1n) bad(`block.max_gas must be -1 or more, got ${block.maxGas}`);
  if (evidence.maxAgeNumBlocks <= 0n) bad(`evidence.max_age_num_blocks must be positive, got ${evidence.maxAgeNumBlocks}`);
  const age = evidence.maxAgeDuration;
  if (age === undefined || age.nanos < 0 || age.nanos > 999_999_999 || age.seconds < 0n || (age.seconds === 0n && age.nanos === 0))
    bad("evidence.max_age_duration must be positive");
  const blockBytes = block.maxBytes === -1n ? MAX_BLOCK_SIZE_BYTES : block.maxBytes;
  if (evidence.maxBytes > blockBytes) bad(`evidence.max_bytes ${evidence.maxBytes} is above block.max_bytes ${block.maxBytes}`);
  if (evidence.maxBytes < 0n) bad(`evidence.max_bytes must not be negative, got ${evidence.maxBytes}`);
  if (abci.voteExtensionsEnableHeight < 0n) bad(`abci.vote_extensions_enable_height must not be negative, got ${abci.voteExtensionsEnableHeight}`);
  if (validator.pubKeyTypes.length === 0) bad("validator.pub_key_types must not be empty");
  for (const t of validator.pubKeyTypes) if (!KNOWN_PUB_KEY_TYPES.has(t)) bad(`validator.pub_key_types: "${t}" is not a key type CometBFT knows`);
  if (!validator.pubKeyTypes.includes(REQUIRED_PUB_KEY_TYPE))
    bad(`validator.pub_key_types must keep "${REQUIRED_PUB_KEY_TYPE}": this chain's validators sign with it`);
}

/**
 * A change of vote_extensions_enable_height in a block at `height`, as CometBFT's ValidateUpdate
 * allows it: the same value, a disabled one left disabled, a future height while extensions are
 * not on yet, or switching off a height still in the future; never a past or current height, and
 * never a change once extensions are on.
 */
export function validateVoteExtensionsUpdate(current: bigint, updated: bigint, height: bigint): void {
  if (updated < 0n) bad("abci.vote_extensions_enable_height must not be negative");
  if (updated === current || (current <= 0n && updated === 0n)) return;
  const enabled = current > 0n && current <= height;
  if (updated === 0n) {
    if (enabled) bad(`vote extensions cannot be disabled once enabled (enabled at ${current}, now ${height})`);
    return;
  }
  if (updated <= height) bad(`abci.vote_extensions_enable_height ${updated} is not after the current height ${height}`);
  if (enabled) bad(`vote extensions cannot be moved once enabled (enabled at ${current}, now ${height})`);
}
