// The 07-tendermint light client (modules/ibc/lightclient) on made-up chains with real ed25519 keys:
// what MsgUpdateClient accepts and refuses (adjacent and skipping updates, signatures, voting power,
// trust level, trusting period, clock drift, chain id, validator hashes, block hash), what counts as
// misbehaviour, the client state's validation, revisions and status. Each refusal is checked by its
// ibc-go codespace and code and by what its message says.
import t from "tap";
import type { Misbehaviour } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { SignedMsgType } from "cosmjs-types/tendermint/types/types";
import { CLIENT_CODESPACE, LightClientClientCode, TENDERMINT_CODESPACE, TendermintCode } from "../modules/ibc/lightclient/errors";
import { merkleRoot } from "../modules/ibc/lightclient/hash";
import {
  checkForMisbehaviour,
  clientStatus,
  consensusStateFromHeader,
  headerHash,
  headerHeight,
  isRevisionFormat,
  parseRevisionNumber,
  validateClientState,
  validatorSetHash,
  verifyCommitLight,
  verifyCommitLightTrusting,
  verifyHeader,
  verifyMisbehaviour,
  voteSignBytes,
} from "../modules/ibc/lightclient/tendermint";
import { timestampFromNanos } from "../modules/ibc/lightclient/time";
import {
  blockIdOf,
  clientState,
  cometHeader,
  GENESIS_NS,
  ibcHeader,
  IbcHeaderSpec,
  SECOND,
  signCommit,
  testValidator,
  trustedState,
  validatorSet,
} from "./helpers/lightclient";

const CHAIN = "counterparty-3"; // revision 3: heights are {3, h}
const [A, B, C, D, E, F] = ["a", "b", "c", "d", "e", "f"].map((name) => testValidator(name, 10n));
const ABCD = [A!, B!, C!, D!];
const ABC = [A!, B!, C!];
const T0 = GENESIS_NS + 100n * SECOND; // the trusted consensus state's time, at height 10
const NOW = T0 + 60n * SECOND;
const CS = clientState(CHAIN, 10n);
const DAY = 86_400n * SECOND;

/** A header at `height` one to a few seconds after the trusted state, signed by all of `vals`, trusting ABCD at 10. */
function header(spec: Partial<IbcHeaderSpec> = {}) {
  const h = spec.height ?? 11n;
  return ibcHeader({ chainId: CHAIN, height: h, timeNs: T0 + (h - 10n) * SECOND, vals: ABCD, trustedHeight: 10n, trustedVals: ABCD, ...spec });
}

const tm = (code: number, message: RegExp) => ({ name: "ChainError", codespace: TENDERMINT_CODESPACE, code, message });
const client = (code: number, message: RegExp) => ({ name: "ChainError", codespace: CLIENT_CODESPACE, code, message });

t.test("an adjacent header signed by the trusted next validators is accepted", async (t) => {
  const h = header();
  t.doesNotThrow(() => verifyHeader(CS, trustedState(T0, ABCD), h, NOW));
  t.same(headerHeight(h), { revisionNumber: 3n, revisionHeight: 11n }, "the height's revision comes from the chain id");
  const cons = consensusStateFromHeader(h);
  t.same(cons.root.hash, h.signedHeader!.header!.appHash, "the commitment root is the app hash");
  t.same(cons.nextValidatorsHash, validatorSetHash(validatorSet(ABCD)));
  t.same(cons.timestamp, h.signedHeader!.header!.time);
  // one of four absent still leaves 30 of 40 > 2/3
  t.doesNotThrow(() => verifyHeader(CS, trustedState(T0, ABCD), header({ signers: ["a", "b", "c"] }), NOW), "three of four signers are enough");
});

t.test("a skipping header is accepted when trusted signers hold more than the trust level", async (t) => {
  // Height 10 trusted ABC next; at height 15 the set is A, B, E: A and B hold 20 of the trusted 30 (> 1/3).
  const h = header({ height: 15n, vals: [A!, B!, E!], trustedVals: ABC });
  t.doesNotThrow(() => verifyHeader(CS, trustedState(T0, ABC), h, NOW));
  // A alone of the trusted set: 10 of 30 is exactly 1/3, not more.
  const weak = header({ height: 15n, vals: [A!, E!, F!], trustedVals: ABC });
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABC), weak, NOW),
    tm(TendermintCode.InvalidHeader, /trusted validators that signed hold 10 of 30 trusted voting power; more than 1\/3/),
  );
  // The same with a 2/3 trust level needs more than 20: A and B are not enough, A, B and C are.
  const strict = clientState(CHAIN, 10n, { trustLevel: { numerator: 2n, denominator: 3n } });
  t.throws(() => verifyHeader(strict, trustedState(T0, ABC), h, NOW), tm(TendermintCode.InvalidHeader, /hold 20 of 30 .* more than 2\/3/));
  t.doesNotThrow(() => verifyHeader(strict, trustedState(T0, ABC), header({ height: 15n, vals: ABCD, trustedVals: ABC }), NOW));
});

t.test("a forged signature is refused", async (t) => {
  const h = header();
  const sig = h.signedHeader!.commit!.signatures[2]!;
  sig.signature = Buffer.from(sig.signature);
  sig.signature[10] ^= 1;
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, NOW),
    tm(TendermintCode.InvalidHeader, /signature of validator [0-9A-F]{40} \(commit signature 2\) does not verify/),
  );
  // Signed for another chain id: every signature is valid ed25519, over the wrong bytes.
  const other = header({ signChainId: "other-3" });
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), other, NOW),
    tm(TendermintCode.InvalidHeader, /does not verify for height 11 round 0 on chain counterparty-3/),
  );
});

t.test("a header signed by 2/3 or less of its validators is refused", async (t) => {
  const trusted = trustedState(T0, ABC);
  const twoThirds = header({ vals: ABC, trustedVals: ABC, signers: ["a", "b"] });
  t.throws(
    () => verifyHeader(CS, trusted, twoThirds, NOW),
    tm(TendermintCode.InvalidHeader, /validators that signed hold 20 of 30 voting power; more than 2\/3 \(more than 20\) must sign/),
  );
  // C votes nil: it signs, but nil votes do not count.
  const withNil = header({ vals: ABC, trustedVals: ABC, signers: ["a", "b"], nil: ["c"] });
  t.equal(withNil.signedHeader!.commit!.signatures.filter((s) => s.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_NIL).length, 1);
  t.throws(() => verifyHeader(CS, trusted, withNil, NOW), tm(TendermintCode.InvalidHeader, /hold 20 of 30/));
  t.doesNotThrow(
    () => verifyHeader(CS, trustedState(T0, ABCD), header({ signers: ["a", "b", "c"], nil: ["d"] }), NOW),
    "a nil vote beside enough commits is fine",
  );
  // Skipping: the trusted part passes (A, B of ABC), the new set's 2/3 does not.
  const skipping = header({ height: 20n, vals: [A!, B!, E!], trustedVals: ABC, signers: ["a", "b"] });
  t.throws(() => verifyHeader(CS, trusted, skipping, NOW), tm(TendermintCode.InvalidHeader, /validators that signed hold 20 of 30 voting power/));
});

t.test("an expired trusting period is refused", async (t) => {
  const h = header();
  const expiry = T0 + 14n * DAY;
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, expiry),
    tm(TendermintCode.TrustingPeriodExpired, /left the trusting period at 2025-01-15T00:01:40.000000000Z/),
  );
  t.doesNotThrow(() => verifyHeader(CS, trustedState(T0, ABCD), h, expiry - 1n), "one nanosecond before the end it is still trusted");
});

t.test("a header from beyond the max clock drift is refused", async (t) => {
  const h = header({ timeNs: NOW + 10n * SECOND });
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, NOW),
    tm(TendermintCode.InvalidHeader, /is in the future: now is .* max clock drift 10000000000 ns/),
  );
  t.doesNotThrow(() => verifyHeader(CS, trustedState(T0, ABCD), header({ timeNs: NOW + 10n * SECOND - 1n }), NOW), "one nanosecond inside the drift");
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), header({ timeNs: T0 }), NOW),
    tm(TendermintCode.InvalidHeader, /header's time .* is not after the trusted consensus state's time/),
    "a header time equal to the trusted time is refused",
  );
});

t.test("a header of another chain is refused", async (t) => {
  const h = header({ chainId: "impostor-3" });
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, NOW),
    tm(TendermintCode.InvalidChainId, /header is for chain "impostor-3", but the client tracks "counterparty-3"/),
  );
});

t.test("trusted validators that are not the trusted next validators are refused", async (t) => {
  const h = header({ trustedVals: [A!, B!, C!, E!] });
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, NOW),
    tm(TendermintCode.InvalidValidatorSet, /trusted validators hash to [0-9A-F]{64}, but the trusted consensus state's next validators hash is/),
  );
  // Adjacent, trusted validators right, but the header's own set is not the trusted next set.
  const changed = header({ vals: [A!, B!, C!, E!] });
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), changed, NOW),
    tm(TendermintCode.InvalidValidatorSet, /adjacent header's validators hash [0-9A-F]{64} is not the trusted next validators hash/),
  );
  // The validator set sent along is not the one the header names.
  const swapped = header();
  swapped.validatorSet = validatorSet([A!, B!, C!, E!]);
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), swapped, NOW),
    client(LightClientClientCode.InvalidHeader, /validator set hashes to [0-9A-F]{64}, but the header's validators hash is/),
  );
});

t.test("a commit for another block is refused", async (t) => {
  const h = header();
  const otherHeader = cometHeader({ chainId: CHAIN, height: 11n, timeNs: T0 + SECOND, vals: ABCD, appHash: new Uint8Array(32).fill(0xee) });
  h.signedHeader!.commit = signCommit(otherHeader, ABCD); // validly signed, for a block with another app hash
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, NOW),
    tm(TendermintCode.InvalidHeader, /the commit signs block [0-9A-F]{64}, but the header hashes to [0-9A-F]{64}/),
  );
  // verifyCommitLight on its own refuses a commit for another block id.
  const commit = header().signedHeader!.commit!;
  t.throws(
    () => verifyCommitLight(CHAIN, validatorSet(ABCD), { ...commit.blockId, hash: new Uint8Array(32) }, 11n, commit),
    tm(TendermintCode.InvalidHeader, /the commit is for block [0-9A-F]{64}, not 0{64}/),
  );
  t.throws(
    () => verifyCommitLight(CHAIN, validatorSet(ABCD), commit.blockId, 12n, commit),
    tm(TendermintCode.InvalidHeader, /commit is for height 11, not 12/),
  );
  t.throws(
    () => verifyCommitLight(CHAIN, validatorSet(ABC), commit.blockId, 11n, commit),
    tm(TendermintCode.InvalidHeader, /has 4 signatures but the validator set has 3/),
  );
});

t.test("header heights: the trusted height must be below the header's, in the same revision", async (t) => {
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), header({ height: 10n }), NOW),
    tm(TendermintCode.InvalidHeaderHeight, /trusted height 3-10 must be below the header's height 3-10/),
  );
  const h = header();
  h.trustedHeight = { revisionNumber: 2n, revisionHeight: 10n };
  t.throws(
    () => verifyHeader(CS, trustedState(T0, ABCD), h, NOW),
    tm(TendermintCode.InvalidHeaderHeight, /header's revision 3 does not match the trusted height's revision 2/),
  );
  const noVals = header();
  delete noVals.validatorSet;
  t.throws(() => verifyHeader(CS, trustedState(T0, ABCD), noVals, NOW), client(LightClientClientCode.InvalidHeader, /header has no validator set/));
});

t.test("verifyCommitLightTrusting counts only trusted signers, each once", async (t) => {
  const h = header({ height: 15n, vals: [A!, B!, E!, F!] });
  const commit = h.signedHeader!.commit!;
  t.doesNotThrow(() => verifyCommitLightTrusting(CHAIN, validatorSet(ABCD), commit, { numerator: 1n, denominator: 3n }), "A and B: 20 of 40 > 1/3");
  t.throws(
    () => verifyCommitLightTrusting(CHAIN, validatorSet(ABCD), commit, { numerator: 1n, denominator: 2n }),
    tm(TendermintCode.InvalidHeader, /hold 20 of 40 .* more than 1\/2/),
  );
  const doubled = {
    ...commit,
    signatures: [...commit.signatures, commit.signatures.find((s) => Buffer.from(s.validatorAddress).equals(Buffer.from(A!.address)))!],
  };
  t.throws(
    () => verifyCommitLightTrusting(CHAIN, validatorSet(ABCD), doubled, { numerator: 1n, denominator: 3n }),
    tm(TendermintCode.InvalidHeader, /signed the commit twice/),
  );
});

t.test("two conflicting valid headers at one height are misbehaviour; two identical ones are not", async (t) => {
  const trusted = trustedState(T0, ABCD);
  const h1 = header({ height: 12n, appHash: new Uint8Array(32).fill(1) });
  const h2 = header({ height: 12n, appHash: new Uint8Array(32).fill(2) });
  const fork: Misbehaviour = { clientId: "07-tendermint-0", header1: h1, header2: h2 };
  t.doesNotThrow(() => verifyMisbehaviour(CS, trusted, trusted, fork, NOW));
  t.throws(
    () => verifyMisbehaviour(CS, trusted, trusted, { ...fork, header2: header({ height: 12n, appHash: new Uint8Array(32).fill(1) }) }, NOW),
    client(LightClientClientCode.InvalidMisbehaviour, /both headers commit block [0-9A-F]{64} at height 3-12: that is no misbehaviour/),
  );
  // A fork signed by too little of the trusted set is no proof.
  const outsiders = header({ height: 12n, vals: [A!, E!, F!, testValidator("g", 10n)], appHash: new Uint8Array(32).fill(2) });
  t.throws(
    () => verifyMisbehaviour(CS, trusted, trusted, { ...fork, header2: outsiders }, NOW),
    client(LightClientClientCode.InvalidMisbehaviour, /header2's validators changed too much from its trusted validators: .*hold 10 of 40/),
  );
  // A forged signature in one header.
  const forged = header({ height: 12n, appHash: new Uint8Array(32).fill(2) });
  forged.signedHeader!.commit!.signatures[0]!.signature = new Uint8Array(64).fill(7);
  t.throws(
    () => verifyMisbehaviour(CS, trusted, trusted, { ...fork, header2: forged }, NOW),
    client(LightClientClientCode.InvalidMisbehaviour, /header2's validator set did not commit to it: .*does not verify/),
  );
  t.throws(() => verifyMisbehaviour(CS, trusted, trusted, fork, T0 + 14n * DAY), tm(TendermintCode.TrustingPeriodExpired, /left the trusting period/));
  const otherChain = header({ chainId: "impostor-3", height: 12n });
  t.throws(
    () => verifyMisbehaviour(CS, trusted, trusted, { ...fork, header2: otherChain }, NOW),
    client(LightClientClientCode.InvalidMisbehaviour, /headers are for different chains/),
  );
});

t.test("time going backwards across heights is misbehaviour", async (t) => {
  const trusted = trustedState(T0, ABCD);
  const later = header({ height: 13n, timeNs: T0 + 5n * SECOND });
  const earlierButNewer = header({ height: 12n, timeNs: T0 + 6n * SECOND });
  t.doesNotThrow(
    () => verifyMisbehaviour(CS, trusted, trusted, { clientId: "07-tendermint-0", header1: later, header2: earlierButNewer }, NOW),
    "height 13 at 5 s, height 12 at 6 s",
  );
  const sameTime = header({ height: 12n, timeNs: T0 + 5n * SECOND });
  t.doesNotThrow(
    () => verifyMisbehaviour(CS, trusted, trusted, { clientId: "07-tendermint-0", header1: later, header2: sameTime }, NOW),
    "equal times at two heights",
  );
  const honest = header({ height: 12n, timeNs: T0 + 4n * SECOND });
  t.throws(
    () => verifyMisbehaviour(CS, trusted, trusted, { clientId: "07-tendermint-0", header1: later, header2: honest }, NOW),
    client(
      LightClientClientCode.InvalidMisbehaviour,
      /header1 \(height 3-13, .*\) is after header2 \(height 3-12, .*\) in time as well: that is no misbehaviour/,
    ),
  );
  t.throws(
    () => verifyMisbehaviour(CS, trusted, trusted, { clientId: "07-tendermint-0", header1: earlierButNewer, header2: later }, NOW),
    client(LightClientClientCode.InvalidMisbehaviour, /header1's height 3-12 is below header2's 3-13/),
  );
});

t.test("checkForMisbehaviour: a different stored consensus state, or times out of order around the header", async (t) => {
  const h = header({ height: 12n, timeNs: T0 + 2n * SECOND });
  const own = consensusStateFromHeader(h);
  t.equal(checkForMisbehaviour(CS, h, own), false, "the same consensus state already stored: a repeated update");
  t.equal(checkForMisbehaviour(CS, h, { ...own, root: { hash: new Uint8Array(32).fill(9) } }), true, "another app hash at that height");
  t.equal(checkForMisbehaviour(CS, h, { ...own, timestamp: timestampFromNanos(T0 + 3n * SECOND) }), true, "another time at that height");
  t.equal(checkForMisbehaviour(CS, h, undefined, trustedState(T0, ABCD), trustedState(T0 + 3n * SECOND, ABCD)), false, "between its neighbours");
  t.equal(checkForMisbehaviour(CS, h, undefined, trustedState(T0 + 2n * SECOND, ABCD)), true, "not after the previous consensus state");
  t.equal(checkForMisbehaviour(CS, h, undefined, undefined, trustedState(T0 + 2n * SECOND, ABCD)), true, "not before the next consensus state");
  t.equal(checkForMisbehaviour(CS, h), false, "no neighbours");
});

t.test("client state validation follows ibc-go", async (t) => {
  t.doesNotThrow(() => validateClientState(CS));
  const bad = (overrides: Parameters<typeof clientState>[2]) => () => validateClientState(clientState(CHAIN, 10n, overrides));
  t.throws(
    () => validateClientState(clientState(" ", 10n, { latestHeight: { revisionNumber: 0n, revisionHeight: 10n } })),
    tm(TendermintCode.InvalidChainId, /chain id is empty/),
  );
  t.throws(bad({ chainId: "x".repeat(49) + "-3" }), tm(TendermintCode.InvalidChainId, /51 bytes long; at most 50/));
  t.throws(bad({ trustLevel: { numerator: 1n, denominator: 4n } }), tm(TendermintCode.InvalidTrustLevel, /1\/4 is outside \[1\/3, 1\]/));
  t.throws(bad({ trustLevel: { numerator: 4n, denominator: 3n } }), tm(TendermintCode.InvalidTrustLevel, /4\/3/));
  t.throws(bad({ trustLevel: { numerator: 0n, denominator: 0n } }), tm(TendermintCode.InvalidTrustLevel, /0\/0/));
  t.doesNotThrow(bad({ trustLevel: { numerator: 1n, denominator: 1n } }), "a trust level of 1 is allowed");
  t.throws(bad({ trustingPeriod: { seconds: 0n, nanos: 0 } }), tm(TendermintCode.InvalidTrustingPeriod, /trusting period must be greater than zero/));
  t.throws(bad({ unbondingPeriod: { seconds: 0n, nanos: 0 } }), tm(TendermintCode.InvalidUnbondingPeriod, /unbonding period must be greater than zero/));
  t.throws(
    bad({ trustingPeriod: { seconds: 21n * 86_400n, nanos: 0 } }),
    tm(TendermintCode.InvalidTrustingPeriod, /must be shorter than the unbonding period/),
  );
  t.throws(bad({ maxClockDrift: { seconds: 0n, nanos: 0 } }), tm(TendermintCode.InvalidMaxClockDrift, /max clock drift must be greater than zero/));
  t.throws(
    bad({ latestHeight: { revisionNumber: 0n, revisionHeight: 10n } }),
    tm(TendermintCode.InvalidHeaderHeight, /revision number 0 does not match chain id counterparty-3's revision 3/),
  );
  t.throws(bad({ latestHeight: { revisionNumber: 3n, revisionHeight: 0n } }), tm(TendermintCode.InvalidHeaderHeight, /revision height cannot be zero/));
  t.throws(bad({ proofSpecs: [] }), tm(TendermintCode.InvalidProofSpecs, /no proof specs/));
  t.throws(bad({ upgradePath: ["upgrade", " "] }), client(LightClientClientCode.InvalidClient, /key 1 of the upgrade path is empty/));
  t.doesNotThrow(bad({ upgradePath: [] }), "no upgrade path is allowed");
});

t.test("revision numbers follow ibc-go's chain id format", async (t) => {
  const cases: [string, bigint][] = [
    ["mira-1", 1n],
    ["mira-single-1", 1n],
    ["cosmoshub-4", 4n],
    ["gaia-10", 10n],
    ["gaia", 0n],
    ["gaia-0", 0n],
    ["gaia-01", 0n],
    ["gaia-", 0n],
    ["-1", 0n],
    ["gaia--1", 0n],
    ["gaia-1a", 0n],
    ["gaia-18446744073709551615", 18446744073709551615n],
    ["gaia-18446744073709551616", 0n],
    ["line\n-1", 0n],
  ];
  for (const [chainId, revision] of cases) t.equal(parseRevisionNumber(chainId), revision, JSON.stringify(chainId));
  t.equal(isRevisionFormat("a-1"), true);
  t.equal(isRevisionFormat("a-"), false);
});

t.test("client status: frozen before expired, expired at the end of the trusting period", async (t) => {
  const latest = trustedState(T0, ABCD);
  t.equal(clientStatus(CS, latest, NOW), "Active");
  t.equal(clientStatus(CS, latest, T0 + 14n * DAY - 1n), "Active");
  t.equal(clientStatus(CS, latest, T0 + 14n * DAY), "Expired");
  t.equal(clientStatus(CS, undefined, NOW), "Expired", "no consensus state at the latest height");
  t.equal(clientStatus({ ...CS, frozenHeight: { revisionNumber: 0n, revisionHeight: 1n } }, latest, T0 + 30n * DAY), "Frozen");
});

t.test("sign bytes and hashes: CometBFT's known answers", async (t) => {
  // The prevote sign bytes CometBFT v0.38.26's VoteSignBytes printed (test/evidence.test.ts has the same vote).
  const blockId = { hash: Buffer.alloc(32, 1), partSetHeader: { total: 1, hash: Buffer.alloc(32, 2) } };
  const time = { seconds: 1714979289n, nanos: 123456789 };
  const tail = "22480A20" + "01".repeat(32) + "12240801" + "1220" + "02".repeat(32) + "2A0B08D983E2B10610959AEF3A32096D6972612D74657374";
  const hexOf = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();
  t.equal(
    hexOf(voteSignBytes("mira-test", 2n, 1n, blockId, time, SignedMsgType.SIGNED_MSG_TYPE_PREVOTE)),
    "76" + "0801" + "110200000000000000" + "190100000000000000" + tail,
  );
  t.equal(hexOf(voteSignBytes("mira-test", 2n, 0n, blockId, time, SignedMsgType.SIGNED_MSG_TYPE_PREVOTE)), "6D" + "0801" + "110200000000000000" + tail);
  // A nil precommit leaves block_id out; the timestamp stays.
  t.equal(hexOf(voteSignBytes("c", 5n, 0n, undefined, { seconds: 0n, nanos: 0 })), "10" + "0802" + "110500000000000000" + "2A00" + "3201" + "63");
  // CometBFT's merkle tree: empty = sha256(""), one leaf = sha256(0x00 || leaf).
  t.equal(merkleRoot([]).toString("hex"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  t.equal(merkleRoot([Buffer.alloc(0)]).toString("hex"), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  // A header without validators_hash has no hash, as in CometBFT.
  const h = cometHeader({ chainId: CHAIN, height: 1n, timeNs: T0, vals: ABCD });
  t.equal(headerHash({ ...h, validatorsHash: new Uint8Array(0) }).length, 0);
  t.equal(Buffer.from(headerHash(h)).equals(Buffer.from(blockIdOf(h).hash)), true);
});
