// The proposer injects the previous height's extended commit; ProcessProposal accepts it only when
// it is genuine (MiraApp driven directly, commits signed with the validators' own ed25519 keys).
import { createHash, generateKeyPairSync, KeyObject, sign } from "node:crypto";
import type { CommitInfo, ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import t from "tap";
import { decodeInjectedCommit, encodeInjectedCommit, voteExtensionSignBytes } from "../app/chain/vote-extensions";
import { Verdict, VoteExtension } from "../proto/gen/mira/claims/v1/claims";
import { CHAIN_ID, send } from "./helpers/app-driver";
import { proposalRequest, run, startChain } from "./helpers/chain";
import { signTx } from "./helpers/app-driver";

const ACCEPT = 1;
const REJECT = 2;

function keyPairs(n: number): { pub: Buffer; priv: KeyObject }[] {
  return Array.from({ length: n }, () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    return { pub: Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url"), priv: privateKey };
  });
}

const addr = (pub: Buffer): Buffer => createHash("sha256").update(pub).digest().subarray(0, 20);

/** The extended commit CometBFT would hand the proposer of `height` (votes for height - 1), in its order. */
/** A well-formed extension carrying no verdicts yet (each validator's differs by its model hash). */
const wellFormed = (i: number): Uint8Array => VoteExtension.encode({ verdicts: [], modelHash: Buffer.alloc(32, i + 1) }).finish();

function extendedCommit(
  keys: { pub: Buffer; priv: KeyObject }[],
  powers: bigint[],
  height: bigint,
  absent: number[] = [],
  extOf: (i: number) => Uint8Array = wellFormed,
): ExtendedCommitInfo {
  const votes = keys.map((k, i) => {
    const present = !absent.includes(i);
    const ext = present ? extOf(i) : new Uint8Array();
    return {
      validator: { address: addr(k.pub), power: powers[i]! },
      voteExtension: ext,
      extensionSignature: present ? sign(null, voteExtensionSignBytes(ext, height - 1n, 0n, CHAIN_ID), k.priv) : Buffer.alloc(0),
      blockIdFlag: present ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    };
  });
  votes.sort((a, b) =>
    a.validator.power !== b.validator.power ? (a.validator.power > b.validator.power ? -1 : 1) : Buffer.compare(a.validator.address, b.validator.address),
  );
  return { round: 0, votes };
}

function lastCommitOf(ext: ExtendedCommitInfo): CommitInfo {
  return { round: ext.round, votes: ext.votes.map((v) => ({ validator: { ...v.validator }, blockIdFlag: v.blockIdFlag })) };
}

const proposal = proposalRequest;

t.test("PrepareProposal injects the extended commit; ProcessProposal accepts only a genuine one", async (t) => {
  const keys = keyPairs(3);
  const c = await startChain(t, { validators: 3, keys: keys.map((k) => k.pub), voteExtensionsHeight: 1n });
  await run(c, []);
  const height = BigInt(c.app.store.version + 1);
  const powers = [10n, 11n, 12n];
  const ext = extendedCommit(keys, powers, height);
  const userTx = await signTx(c.wallets[3]!, [send(c.wallets[3]!.address, c.wallets[4]!.address, "5")], { accountNumber: 3n, sequence: 0 });
  const prepared = await c.app.prepareProposal({
    maxTxBytes: 1_000_000n,
    txs: [userTx],
    localLastCommit: ext,
    misbehavior: [],
    height,
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  const txs = prepared.txs as Uint8Array[];
  t.equal(txs.length, 2);
  t.same(Buffer.from(txs[0]!), encodeInjectedCommit(ext), "the extended commit comes first");
  t.same(Buffer.from(txs[1]!), Buffer.from(userTx), "then the user txs");
  const last = lastCommitOf(ext);
  t.equal((await c.app.processProposal(proposal(c, txs, last))).status, ACCEPT, "a genuine proposal is accepted");

  const reject = async (why: string, bad: Uint8Array[], lastCommit = last) =>
    t.equal((await c.app.processProposal(proposal(c, bad, lastCommit))).status, REJECT, why);
  const altered = extendedCommit(keys, powers, height);
  altered.votes[0]!.voteExtension = Buffer.from("forged verdicts");
  await reject("an altered extension", [encodeInjectedCommit(altered), userTx]);
  const reordered = extendedCommit(keys, powers, height);
  reordered.votes.reverse();
  await reject("re-ordered votes", [encodeInjectedCommit(reordered), userTx], lastCommitOf(reordered));
  await reject("no extended commit", [userTx]);
  await reject("the extended commit not first", [userTx, txs[0]!]);
  await reject("the extended commit twice", [txs[0]!, txs[0]!]);
  const weak = extendedCommit(keys, powers, height, [1, 2]);
  await reject("extensions with 10 of 33 power", [encodeInjectedCommit(weak)], lastCommitOf(weak));
  const otherPowers = lastCommitOf(ext);
  otherPowers.votes[0]!.validator.power += 1n;
  await reject("powers that differ from CometBFT's last commit", txs, otherPowers);
  const stranger = keyPairs(1)[0]!;
  const withStranger = extendedCommit([...keys.slice(0, 2), stranger], powers, height);
  await reject("a signer that is no validator", [encodeInjectedCommit(withStranger)], lastCommitOf(withStranger));
  const oldHeight = extendedCommit(keys, powers, height - 1n);
  await reject("extensions signed for another height", [encodeInjectedCommit(oldHeight)], lastCommitOf(oldHeight));
  const garbage = extendedCommit(keys, powers, height, [], (i) => (i === 2 ? Buffer.from("not a protobuf VoteExtension") : wellFormed(i)));
  await reject("a correctly signed extension that does not decode", [encodeInjectedCommit(garbage)], lastCommitOf(garbage));
  const badEnum = extendedCommit(keys, powers, height, [], (i) =>
    i === 0
      ? VoteExtension.encode({ verdicts: [{ claimId: 1n, verdict: 7 as Verdict, confidenceBp: 1 }], modelHash: Buffer.alloc(32) }).finish()
      : wellFormed(i),
  );
  await reject("a correctly signed extension with an unknown verdict", [encodeInjectedCommit(badEnum)], lastCommitOf(badEnum));
  const absentOne = extendedCommit(keys, powers, height, [0]);
  t.equal(
    (await c.app.processProposal(proposal(c, [encodeInjectedCommit(absentOne)], lastCommitOf(absentOne)))).status,
    ACCEPT,
    "one absent validator (23 of 33 signed) is fine",
  );

  const check = await c.app.checkTx({ tx: txs[0]!, type: 0 });
  t.equal(check.code, 2, "the mempool refuses an injected commit");
  const res = await c.app.finalizeBlock({
    txs,
    decidedLastCommit: last,
    misbehavior: [],
    hash: new Uint8Array(32),
    height,
    time: { seconds: 1_700_000_000n + height * 5n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  t.same(
    res.txResults!.map((r) => r.code),
    [0, 0],
    "FinalizeBlock treats the commit as data and runs the user tx",
  );
  t.match(res.txResults![0]!.log, /extended commit of height/);
});

t.test("the proposer injects a vote whose extension does not verify as absent, and that proposal is accepted", async (t) => {
  const keys = keyPairs(3);
  const c = await startChain(t, { validators: 3, keys: keys.map((k) => k.pub), voteExtensionsHeight: 1n });
  await run(c, []);
  const height = BigInt(c.app.store.version + 1);
  const powers = [10n, 11n, 12n];
  // A late precommit reaches PrepareProposal unverified (cometbft#2361): validator 0's is forged,
  // validator 1's is signed but is no VoteExtension.
  const local = extendedCommit(keys, powers, height, [], (i) => (i === 1 ? Buffer.from("\xff\xff not protobuf") : wellFormed(i)));
  const v0 = local.votes.find((v) => v.validator.power === 10n)!;
  v0.voteExtension = VoteExtension.encode({
    verdicts: [{ claimId: 5n, verdict: Verdict.VERDICT_SUPPORTED, confidenceBp: 1 }],
    modelHash: Buffer.alloc(32),
  }).finish();
  const last = lastCommitOf(local);
  const prepared = await c.app.prepareProposal({
    maxTxBytes: 1_000_000n,
    txs: [],
    localLastCommit: local,
    misbehavior: [],
    height,
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  const injected = decodeInjectedCommit(prepared.txs![0]!);
  t.same(
    injected.votes.map((v) => [v.validator.power, v.blockIdFlag, v.voteExtension.length]),
    [
      [12n, BlockIDFlag.BLOCK_ID_FLAG_COMMIT, wellFormed(2).length],
      [11n, BlockIDFlag.BLOCK_ID_FLAG_ABSENT, 0],
      [10n, BlockIDFlag.BLOCK_ID_FLAG_ABSENT, 0],
    ],
    "the two bad votes are injected as absent, without extensions",
  );
  t.equal((await c.app.processProposal(proposal(c, prepared.txs as Uint8Array[], last))).status, REJECT, "12 of 33 power left: not more than 2/3, refused");
  const oneBad = extendedCommit(keys, powers, height, [], (i) => (i === 0 ? Buffer.from("\xff\xff not protobuf") : wellFormed(i)));
  const prepared2 = await c.app.prepareProposal({
    maxTxBytes: 1_000_000n,
    txs: [],
    localLastCommit: oneBad,
    misbehavior: [],
    height,
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  t.equal(
    (await c.app.processProposal(proposal(c, prepared2.txs as Uint8Array[], lastCommitOf(oneBad)))).status,
    ACCEPT,
    "one pruned vote, 23 of 33 left: accepted",
  );
  const upgraded = decodeInjectedCommit(prepared2.txs![0]!);
  const lastWithAbsent = lastCommitOf(upgraded);
  const flipped = extendedCommit(keys, powers, height);
  t.equal(
    (await c.app.processProposal(proposal(c, [encodeInjectedCommit(flipped)], lastWithAbsent))).status,
    REJECT,
    "a vote CometBFT reports absent cannot be injected as a commit",
  );
});

t.test("without vote extensions nothing is injected, and an injected commit is refused", async (t) => {
  const c = await startChain(t, { validators: 2 });
  const height = BigInt(c.app.store.version + 1);
  const prepared = await c.app.prepareProposal({
    maxTxBytes: 1_000_000n,
    txs: [],
    localLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    height,
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  t.equal(prepared.txs!.length, 0);
  const injected = encodeInjectedCommit({ round: 0, votes: [] });
  t.equal((await c.app.processProposal(proposal(c, [injected], { round: 0, votes: [] }))).status, REJECT);
  t.equal(
    (await c.app.verifyVoteExtension({ hash: new Uint8Array(32), validatorAddress: new Uint8Array(20), height, voteExtension: Buffer.alloc(70_000) })).status,
    2,
    "an oversized extension is refused",
  );
  t.equal(
    (await c.app.verifyVoteExtension({ hash: new Uint8Array(32), validatorAddress: new Uint8Array(20), height, voteExtension: Buffer.alloc(0) })).status,
    1,
  );
});
