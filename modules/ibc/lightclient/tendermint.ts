// The 07-tendermint light client as ibc-go runs it (modules/light-clients/07-tendermint) over CometBFT
// v0.38's light verifier: client state validation, MsgUpdateClient's header check, the two misbehaviour
// checks, and the client's status. A pure library: the caller reads the stored client and consensus
// states and passes them in, with the block time in nanoseconds as `now`.
import type { Height } from "cosmjs-types/ibc/core/client/v1/client";
import type { ClientState, ConsensusState, Header, Misbehaviour } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import { BlockID, Header as CometHeader, SignedHeader } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { ChainError } from "../../../app/core/errors";
import { validateValidatorSet, verifyCommitLight, verifyCommitLightTrusting } from "./commit";
import { LightClientClientCode, lightClientClientError, TendermintCode, tendermintError } from "./errors";
import { headerHash, isZeroBlockId, validatorSetHash } from "./hash";
import { compareHeights, formatHeight, isRevisionFormat, isZeroHeight, parseRevisionNumber, withRevisionNumber } from "./height";
import { formatNanos, nanos } from "./time";

export { commitSigSignBytes, verifyCommitLight, verifyCommitLightTrusting } from "./commit";
export { headerHash, validatorSetHash, voteSignBytes } from "./hash";
export { compareHeights, isRevisionFormat, parseRevisionNumber } from "./height";

export type ClientStatus = "Active" | "Expired" | "Frozen";

/** CometBFT's MaxChainIDLen. */
export const MAX_CHAIN_ID_LENGTH = 50;
/** CometBFT's version.BlockProtocol: the block version every v0.38 header carries. */
export const BLOCK_PROTOCOL = 11n;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex").toUpperCase();
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A header with its parts checked present (see validateHeaderBasic). */
interface CompleteHeader extends Header {
  signedHeader: Required<SignedHeader>;
}

/** The IBC height of a header: the revision from its chain id, its CometBFT height. */
export function headerHeight(header: Header): Height {
  const h = cometHeaderOf(header);
  return { revisionNumber: parseRevisionNumber(h.chainId), revisionHeight: h.height };
}

/** The consensus state a verified header leaves: its time, its app hash as the commitment root, its next validators' hash. */
export function consensusStateFromHeader(header: Header): ConsensusState {
  const h = cometHeaderOf(header);
  return { timestamp: h.time, root: { hash: h.appHash }, nextValidatorsHash: h.nextValidatorsHash };
}

function cometHeaderOf(header: Header): CometHeader {
  const h = header.signedHeader?.header;
  if (h === undefined) throw lightClientClientError(LightClientClientCode.InvalidHeader, "the header has no CometBFT header (signed_header.header is missing)");
  return h;
}

// ---- Client state ----

/**
 * ibc-go's ClientState.Validate: a chain id (at most 50 bytes), a trust level in [1/3, 1], positive trusting
 * and unbonding periods with trusting < unbonding, a positive max clock drift, a latest height in the chain
 * id's revision and above zero, proof specs, and no empty upgrade path key. Throws the 07-tendermint code that fits.
 */
export function validateClientState(cs: ClientState): void {
  if (cs.chainId.trim() === "") throw tendermintError(TendermintCode.InvalidChainId, "the client state's chain id is empty");
  if (Buffer.byteLength(cs.chainId, "utf8") > MAX_CHAIN_ID_LENGTH)
    throw tendermintError(
      TendermintCode.InvalidChainId,
      `the chain id is ${Buffer.byteLength(cs.chainId, "utf8")} bytes long; at most ${MAX_CHAIN_ID_LENGTH} are allowed`,
    );
  const { numerator, denominator } = cs.trustLevel;
  if (denominator === 0n || numerator * 3n < denominator || numerator > denominator)
    throw tendermintError(TendermintCode.InvalidTrustLevel, `the trust level ${numerator}/${denominator} is outside [1/3, 1]`);
  const trusting = nanos(cs.trustingPeriod);
  const unbonding = nanos(cs.unbondingPeriod);
  if (trusting <= 0n) throw tendermintError(TendermintCode.InvalidTrustingPeriod, "the trusting period must be greater than zero");
  if (unbonding <= 0n) throw tendermintError(TendermintCode.InvalidUnbondingPeriod, "the unbonding period must be greater than zero");
  if (nanos(cs.maxClockDrift) <= 0n) throw tendermintError(TendermintCode.InvalidMaxClockDrift, "the max clock drift must be greater than zero");
  const revision = parseRevisionNumber(cs.chainId);
  if (cs.latestHeight.revisionNumber !== revision)
    throw tendermintError(
      TendermintCode.InvalidHeaderHeight,
      `the latest height's revision number ${cs.latestHeight.revisionNumber} does not match chain id ${cs.chainId}'s revision ${revision}`,
    );
  if (cs.latestHeight.revisionHeight === 0n) throw tendermintError(TendermintCode.InvalidHeaderHeight, "the latest height's revision height cannot be zero");
  if (trusting >= unbonding)
    throw tendermintError(
      TendermintCode.InvalidTrustingPeriod,
      `the trusting period (${trusting} ns) must be shorter than the unbonding period (${unbonding} ns)`,
    );
  if (cs.proofSpecs.length === 0) throw tendermintError(TendermintCode.InvalidProofSpecs, "the client state has no proof specs");
  cs.upgradePath.forEach((key, i) => {
    if (key.trim() === "") throw lightClientClientError(LightClientClientCode.InvalidClient, `key ${i} of the upgrade path is empty`);
  });
}

/** ibc-go's status: Frozen once a misbehaviour froze it, Expired once the latest consensus state is a trusting period old (or missing), else Active. */
export function clientStatus(cs: ClientState, latest: ConsensusState | undefined, nowNs: bigint): ClientStatus {
  if (!isZeroHeight(cs.frozenHeight)) return "Frozen";
  if (latest === undefined) return "Expired";
  return nanos(latest.timestamp) + nanos(cs.trustingPeriod) <= nowNs ? "Expired" : "Active";
}

// ---- Header shape (CometBFT's SignedHeader.ValidateBasic and ibc-go's Header.ValidateBasic) ----

function checkHashLength(what: string, b: Uint8Array): void {
  if (b.length !== 0 && b.length !== 32) throw tendermintError(TendermintCode.InvalidHeader, `the header's ${what} is ${b.length} bytes; a hash is 32`);
}

function checkBlockId(what: string, b: BlockID): void {
  checkHashLength(`${what} hash`, b.hash);
  checkHashLength(`${what} part set hash`, b.partSetHeader.hash);
}

/** CometBFT's Header.ValidateBasic. */
function checkCometHeader(h: CometHeader): void {
  if (h.version.block !== BLOCK_PROTOCOL)
    throw tendermintError(TendermintCode.InvalidHeader, `the header's block version is ${h.version.block}, not ${BLOCK_PROTOCOL}`);
  if (Buffer.byteLength(h.chainId, "utf8") > MAX_CHAIN_ID_LENGTH)
    throw tendermintError(TendermintCode.InvalidChainId, `the header's chain id is longer than ${MAX_CHAIN_ID_LENGTH} bytes`);
  if (h.height <= 0n) throw tendermintError(TendermintCode.InvalidHeaderHeight, `the header's height ${h.height} is not positive`);
  checkBlockId("last block id", h.lastBlockId);
  checkHashLength("last commit hash", h.lastCommitHash);
  checkHashLength("data hash", h.dataHash);
  checkHashLength("evidence hash", h.evidenceHash);
  checkHashLength("last results hash", h.lastResultsHash);
  checkHashLength("next validators hash", h.nextValidatorsHash);
  checkHashLength("consensus hash", h.consensusHash);
  if (h.validatorsHash.length !== 32)
    throw tendermintError(TendermintCode.InvalidHeader, `the header's validators hash is ${h.validatorsHash.length} bytes; a hash is 32`);
  if (h.proposerAddress.length !== 20)
    throw tendermintError(TendermintCode.InvalidHeader, `the header's proposer address is ${h.proposerAddress.length} bytes; an address is 20`);
}

/**
 * ibc-go's Header.ValidateBasic with CometBFT's SignedHeader.ValidateBasic: every part present, the commit
 * well formed and for this very header (same height, block id hash = the header's hash), the trusted height
 * below the header's, and the validator set the one the header names.
 */
function validateHeaderBasic(header: Header): asserts header is CompleteHeader {
  const signed = header.signedHeader;
  if (signed === undefined) throw lightClientClientError(LightClientClientCode.InvalidHeader, "the header has no signed header");
  if (signed.header === undefined) throw lightClientClientError(LightClientClientCode.InvalidHeader, "the signed header has no CometBFT header");
  if (signed.commit === undefined) throw lightClientClientError(LightClientClientCode.InvalidHeader, "the signed header has no commit");
  if (header.validatorSet === undefined) throw lightClientClientError(LightClientClientCode.InvalidHeader, "the header has no validator set");
  const h = signed.header;
  const commit = signed.commit;
  checkCometHeader(h);

  // Commit.ValidateBasic
  if (commit.round < 0) throw tendermintError(TendermintCode.InvalidHeader, `the commit's round ${commit.round} is negative`);
  if (isZeroBlockId(commit.blockId)) throw tendermintError(TendermintCode.InvalidHeader, "the commit is for a nil block");
  checkBlockId("commit's block id", commit.blockId);
  if (commit.signatures.length === 0) throw tendermintError(TendermintCode.InvalidHeader, "the commit has no signatures");
  commit.signatures.forEach((sig, i) => {
    if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT) {
      if (sig.validatorAddress.length !== 0 || sig.signature.length !== 0)
        throw tendermintError(TendermintCode.InvalidHeader, `commit signature ${i} is marked absent but carries an address or a signature`);
    } else if (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT || sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_NIL) {
      if (sig.validatorAddress.length !== 20)
        throw tendermintError(
          TendermintCode.InvalidHeader,
          `commit signature ${i} has a ${sig.validatorAddress.length}-byte validator address; an address is 20`,
        );
      if (sig.signature.length === 0 || sig.signature.length > 64)
        throw tendermintError(TendermintCode.InvalidHeader, `commit signature ${i} is ${sig.signature.length} bytes; a signature is 1 to 64`);
    } else {
      throw tendermintError(TendermintCode.InvalidHeader, `commit signature ${i} has unknown block id flag ${sig.blockIdFlag}`);
    }
  });

  if (commit.height !== h.height)
    throw tendermintError(TendermintCode.InvalidHeader, `the header is at height ${h.height} but its commit is for height ${commit.height}`);
  const hash = headerHash(h);
  if (!sameBytes(hash, commit.blockId.hash))
    throw tendermintError(TendermintCode.InvalidHeader, `the commit signs block ${hex(commit.blockId.hash)}, but the header hashes to ${hex(hash)}`);

  const height = headerHeight(header);
  if (compareHeights(header.trustedHeight, height) >= 0)
    throw tendermintError(
      TendermintCode.InvalidHeaderHeight,
      `the trusted height ${formatHeight(header.trustedHeight)} must be below the header's height ${formatHeight(height)}`,
    );

  validateValidatorSet(header.validatorSet, "the header's validator set");
  const valsHash = validatorSetHash(header.validatorSet);
  if (!sameBytes(valsHash, h.validatorsHash))
    throw lightClientClientError(
      LightClientClientCode.InvalidHeader,
      `the header's validator set hashes to ${hex(valsHash)}, but the header's validators hash is ${hex(h.validatorsHash)}`,
    );
}

/** ibc-go's checkTrustedHeader: the header's trusted validators are the ones the trusted consensus state names as next. */
function checkTrustedValidators(header: Header, trusted: ConsensusState): void {
  validateValidatorSet(header.trustedValidators, "the header's trusted validator set");
  const hash = validatorSetHash(header.trustedValidators);
  if (!sameBytes(hash, trusted.nextValidatorsHash))
    throw tendermintError(
      TendermintCode.InvalidValidatorSet,
      `the header's trusted validators hash to ${hex(hash)}, but the trusted consensus state's next validators hash is ${hex(trusted.nextValidatorsHash)}`,
    );
}

function checkNotExpired(cs: ClientState, trusted: ConsensusState, nowNs: bigint): void {
  const expiry = nanos(trusted.timestamp) + nanos(cs.trustingPeriod);
  if (expiry <= nowNs)
    throw tendermintError(
      TendermintCode.TrustingPeriodExpired,
      `the trusted consensus state (time ${formatNanos(nanos(trusted.timestamp))}) left the trusting period at ${formatNanos(expiry)}; now is ${formatNanos(nowNs)}`,
    );
}

// ---- MsgUpdateClient ----

/**
 * The check MsgUpdateClient makes of a header against the consensus state stored at its trusted height
 * (ibc-go's verifyHeader over CometBFT's light.Verify). Throws a ChainError saying what failed; returns when
 * the header may be stored. `nowNs` is this chain's block time.
 *
 * Adjacent (one height above the trusted one): the header's validators are the trusted next validators and
 * more than 2/3 of them signed. Skipping: trusted validators holding more than the trust level signed, and
 * more than 2/3 of the header's own validators signed.
 */
export function verifyHeader(cs: ClientState, trusted: ConsensusState, header: Header, nowNs: bigint): void {
  const chainId = header.signedHeader?.header?.chainId;
  if (chainId !== undefined && chainId !== cs.chainId)
    throw tendermintError(
      TendermintCode.InvalidChainId,
      `the header is for chain ${JSON.stringify(chainId)}, but the client tracks ${JSON.stringify(cs.chainId)}`,
    );
  validateHeaderBasic(header);
  checkTrustedValidators(header, trusted);
  const h = header.signedHeader.header;
  const commit = header.signedHeader.commit;
  const height = headerHeight(header);
  if (height.revisionNumber !== header.trustedHeight.revisionNumber)
    throw tendermintError(
      TendermintCode.InvalidHeaderHeight,
      `the header's revision ${height.revisionNumber} does not match the trusted height's revision ${header.trustedHeight.revisionNumber}`,
    );

  checkNotExpired(cs, trusted, nowNs);
  const time = nanos(h.time);
  const trustedTime = nanos(trusted.timestamp);
  if (time <= trustedTime)
    throw tendermintError(
      TendermintCode.InvalidHeader,
      `the header's time ${formatNanos(time)} is not after the trusted consensus state's time ${formatNanos(trustedTime)}`,
    );
  const drift = nanos(cs.maxClockDrift);
  if (time >= nowNs + drift)
    throw tendermintError(
      TendermintCode.InvalidHeader,
      `the header's time ${formatNanos(time)} is in the future: now is ${formatNanos(nowNs)} and the max clock drift ${drift} ns allows times before ${formatNanos(nowNs + drift)}`,
    );

  if (h.height === header.trustedHeight.revisionHeight + 1n) {
    if (!sameBytes(h.validatorsHash, trusted.nextValidatorsHash))
      throw tendermintError(
        TendermintCode.InvalidValidatorSet,
        `the adjacent header's validators hash ${hex(h.validatorsHash)} is not the trusted next validators hash ${hex(trusted.nextValidatorsHash)}`,
      );
  } else {
    // The trusted set first: the header's own set can be made large to make the check slow (CometBFT's order).
    verifyCommitLightTrusting(cs.chainId, header.trustedValidators!, commit, cs.trustLevel);
  }
  verifyCommitLight(cs.chainId, header.validatorSet!, commit.blockId, h.height, commit);
}

// ---- Misbehaviour ----

function consensusStatesEqual(a: ConsensusState, b: ConsensusState): boolean {
  return nanos(a.timestamp) === nanos(b.timestamp) && sameBytes(a.root.hash, b.root.hash) && sameBytes(a.nextValidatorsHash, b.nextValidatorsHash);
}

/**
 * ibc-go's CheckForMisbehaviour for a verified header: true when the client already stores a different
 * consensus state at the header's height (`existing`), or the header's time is not strictly between the
 * times of the stored consensus states just below (`prev`) and just above (`next`) its height.
 */
export function checkForMisbehaviour(_cs: ClientState, header: Header, existing?: ConsensusState, prev?: ConsensusState, next?: ConsensusState): boolean {
  const own = consensusStateFromHeader(header);
  if (existing !== undefined) return !consensusStatesEqual(existing, own);
  const time = nanos(own.timestamp);
  if (prev !== undefined && nanos(prev.timestamp) >= time) return true;
  if (next !== undefined && nanos(next.timestamp) <= time) return true;
  return false;
}

function inHeader(which: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ChainError)) throw e;
    throw lightClientClientError(LightClientClientCode.InvalidMisbehaviour, `${which} is not a valid header: ${e.message}`);
  }
}

/**
 * ibc-go's checkMisbehaviourHeader: the trusted validators are the trusted state's next ones, that state is
 * within the trusting period, and trusted validators holding more than the trust level signed the header.
 * Unlike an update, the header's time is not checked against the trusted time or the clock: a fork may lie.
 */
function checkMisbehaviourHeader(cs: ClientState, trusted: ConsensusState, header: CompleteHeader, which: string, nowNs: bigint): void {
  checkTrustedValidators(header, trusted);
  checkNotExpired(cs, trusted, nowNs);
  const revision = headerHeight(header).revisionNumber;
  const chainId = isRevisionFormat(cs.chainId) ? withRevisionNumber(cs.chainId, revision) : cs.chainId;
  if (header.signedHeader.header.chainId !== chainId)
    throw tendermintError(
      TendermintCode.InvalidChainId,
      `${which} is for chain ${JSON.stringify(header.signedHeader.header.chainId)}, not ${JSON.stringify(chainId)}`,
    );
  try {
    verifyCommitLightTrusting(chainId, header.trustedValidators!, header.signedHeader.commit, cs.trustLevel);
  } catch (e) {
    if (!(e instanceof ChainError)) throw e;
    throw lightClientClientError(LightClientClientCode.InvalidMisbehaviour, `${which}'s validators changed too much from its trusted validators: ${e.message}`);
  }
}

/**
 * MsgSubmitMisbehaviour's check (ibc-go's Misbehaviour.ValidateBasic, verifyMisbehaviour and the
 * Misbehaviour case of CheckForMisbehaviour): both headers are well formed, for one chain, each committed
 * by more than 2/3 of its own validators and by more than the trust level of the validators trusted at its
 * trusted height (`trusted1` for header1, `trusted2` for header2, still within the trusting period); header1
 * is not below header2; and they conflict: at one height they commit different blocks, at two heights the
 * higher one's time is not after the lower one's. Throws a ChainError saying which condition fails; returns
 * when the client should be frozen.
 */
export function verifyMisbehaviour(cs: ClientState, trusted1: ConsensusState, trusted2: ConsensusState, m: Misbehaviour, nowNs: bigint): void {
  const { header1, header2 } = m;
  if (header1 === undefined) throw tendermintError(TendermintCode.InvalidHeader, "the misbehaviour has no header1");
  if (header2 === undefined) throw tendermintError(TendermintCode.InvalidHeader, "the misbehaviour has no header2");
  if (header1.trustedHeight.revisionHeight === 0n) throw tendermintError(TendermintCode.InvalidHeaderHeight, "header1's trusted height is zero");
  if (header2.trustedHeight.revisionHeight === 0n) throw tendermintError(TendermintCode.InvalidHeaderHeight, "header2's trusted height is zero");
  if (header1.trustedValidators === undefined) throw tendermintError(TendermintCode.InvalidValidatorSet, "header1 has no trusted validator set");
  if (header2.trustedValidators === undefined) throw tendermintError(TendermintCode.InvalidValidatorSet, "header2 has no trusted validator set");
  const chain1 = header1.signedHeader?.header?.chainId;
  const chain2 = header2.signedHeader?.header?.chainId;
  if (chain1 !== chain2)
    throw lightClientClientError(
      LightClientClientCode.InvalidMisbehaviour,
      `the headers are for different chains (${JSON.stringify(chain1)} and ${JSON.stringify(chain2)})`,
    );

  inHeader("header1", () => validateHeaderBasic(header1));
  inHeader("header2", () => validateHeaderBasic(header2));
  const h1 = header1 as CompleteHeader;
  const h2 = header2 as CompleteHeader;
  const height1 = headerHeight(h1);
  const height2 = headerHeight(h2);
  const order = compareHeights(height1, height2);
  if (order < 0)
    throw lightClientClientError(
      LightClientClientCode.InvalidMisbehaviour,
      `header1's height ${formatHeight(height1)} is below header2's ${formatHeight(height2)}; header1 must be the higher one`,
    );
  for (const [which, h] of [
    ["header1", h1],
    ["header2", h2],
  ] as const) {
    const commit = h.signedHeader.commit;
    try {
      verifyCommitLight(h.signedHeader.header.chainId, h.validatorSet!, commit.blockId, commit.height, commit);
    } catch (e) {
      if (!(e instanceof ChainError)) throw e;
      throw lightClientClientError(LightClientClientCode.InvalidMisbehaviour, `${which}'s validator set did not commit to it: ${e.message}`);
    }
  }

  checkMisbehaviourHeader(cs, trusted1, h1, "header1", nowNs);
  checkMisbehaviourHeader(cs, trusted2, h2, "header2", nowNs);

  if (order === 0) {
    if (sameBytes(h1.signedHeader.commit.blockId.hash, h2.signedHeader.commit.blockId.hash))
      throw lightClientClientError(
        LightClientClientCode.InvalidMisbehaviour,
        `both headers commit block ${hex(h1.signedHeader.commit.blockId.hash)} at height ${formatHeight(height1)}: that is no misbehaviour`,
      );
  } else {
    const time1 = nanos(h1.signedHeader.header.time);
    const time2 = nanos(h2.signedHeader.header.time);
    if (time1 > time2)
      throw lightClientClientError(
        LightClientClientCode.InvalidMisbehaviour,
        `header1 (height ${formatHeight(height1)}, time ${formatNanos(time1)}) is after header2 (height ${formatHeight(height2)}, time ${formatNanos(time2)}) in time as well: that is no misbehaviour`,
      );
  }
}
