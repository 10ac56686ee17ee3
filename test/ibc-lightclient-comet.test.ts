// The 07-tendermint light client against a real CometBFT v0.38 chain (one Mira validator): the header
// hash, the validator set hash and the precommit sign bytes the client computes are the ones CometBFT
// computed and signed, so real headers pass verifyHeader (adjacent and skipping) and a header with one
// byte of its app hash changed does not.
import t from "tap";
import type { ClientState, ConsensusState, Header } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import { rpc, waitForHeight } from "../app/cli/cometbft";
import { TENDERMINT_CODESPACE, TendermintCode } from "../modules/ibc/lightclient/errors";
import {
  consensusStateFromHeader,
  headerHash,
  headerHeight,
  parseRevisionNumber,
  validateClientState,
  validatorSetHash,
  verifyCommitLight,
  verifyHeader,
} from "../modules/ibc/lightclient/tendermint";
import { fetchLightBlock, LightBlock } from "./helpers/comet-light-block";
import { SINGLE_NODE_CHAIN_ID, startSingleNode } from "./helpers/single-node";

const OFFSET = 5_000; // its own ports (the other single-node and localnet tests use -6000..4000), below the ephemeral range
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

t.test("real CometBFT headers: hashes, sign bytes and updates", async (t) => {
  const chain = await startSingleNode(t, OFFSET);
  const H = 2;
  await waitForHeight(chain.rpc, H + 4); // the commits for H..H+3 are final once H+4 exists
  const [first, b0, b1, b3] = (await Promise.all([1, H, H + 1, H + 3].map((h) => fetchLightBlock(chain.rpc, h)))) as [
    LightBlock,
    LightBlock,
    LightBlock,
    LightBlock,
  ];

  for (const [name, b] of [
    ["1 (no last block id)", first],
    ["H", b0],
    ["H+1", b1],
    ["H+3", b3],
  ] as const) {
    const height = Number(b.signedHeader.header.height);
    t.equal(hex(headerHash(b.signedHeader.header)), hex(b.blockIdHash), `${name}: headerHash is the block id hash CometBFT reports`);
    const block = await rpc<{ block_id: { hash: string } }>(chain.rpc, "block", { height: String(height) });
    t.equal(hex(headerHash(b.signedHeader.header)), block.block_id.hash, `${name}: and the one /block reports`);
    t.equal(hex(validatorSetHash(b.validatorSet)), hex(b.signedHeader.header.validatorsHash), `${name}: validatorSetHash is the header's validators_hash`);
    t.doesNotThrow(
      () => verifyCommitLight(SINGLE_NODE_CHAIN_ID, b.validatorSet, b.signedHeader.commit.blockId, BigInt(height), b.signedHeader.commit),
      `${name}: the real commit's signatures verify over our precommit sign bytes`,
    );
  }
  t.equal(hex(b1.signedHeader.header.lastBlockId.hash), hex(headerHash(b0.signedHeader.header)), "H+1's last_block_id is our hash of H");

  const revision = parseRevisionNumber(SINGLE_NODE_CHAIN_ID);
  t.equal(revision, 1n, `${SINGLE_NODE_CHAIN_ID} is revision 1`);
  const cs: ClientState = {
    chainId: SINGLE_NODE_CHAIN_ID,
    trustLevel: { numerator: 1n, denominator: 3n },
    trustingPeriod: { seconds: 3600n, nanos: 0 },
    unbondingPeriod: { seconds: 7200n, nanos: 0 },
    maxClockDrift: { seconds: 10n, nanos: 0 },
    frozenHeight: { revisionNumber: 0n, revisionHeight: 0n },
    latestHeight: { revisionNumber: revision, revisionHeight: BigInt(H) },
    proofSpecs: [{ maxDepth: 0, minDepth: 0 }],
    upgradePath: ["upgrade", "upgradedIBCState"],
    allowUpdateAfterExpiry: false,
    allowUpdateAfterMisbehaviour: false,
  };
  t.doesNotThrow(() => validateClientState(cs));

  const ibcHeader = (b: LightBlock, trusted: LightBlock): Header => ({
    signedHeader: b.signedHeader,
    validatorSet: b.validatorSet,
    trustedHeight: headerHeight({ signedHeader: trusted.signedHeader, trustedHeight: { revisionNumber: 0n, revisionHeight: 0n } }),
    trustedValidators: trusted.validatorSet, // one validator, unchanged: the validators of H are H's next validators too
  });
  const trusted: ConsensusState = consensusStateFromHeader({ signedHeader: b0.signedHeader, trustedHeight: { revisionNumber: 0n, revisionHeight: 0n } });
  t.equal(hex(validatorSetHash(b0.validatorSet)), hex(trusted.nextValidatorsHash), "the validator set did not change (H's next validators are H's)");
  const now = BigInt(Date.now()) * 1_000_000n;

  t.doesNotThrow(() => verifyHeader(cs, trusted, ibcHeader(b1, b0), now), "adjacent H -> H+1 is accepted");
  t.doesNotThrow(() => verifyHeader(cs, trusted, ibcHeader(b3, b0), now), "skipping H -> H+3 is accepted");
  t.same(headerHeight(ibcHeader(b3, b0)), { revisionNumber: 1n, revisionHeight: BigInt(H + 3) });

  const tampered = structuredClone(ibcHeader(b1, b0));
  tampered.signedHeader!.header!.appHash[0] ^= 1;
  t.throws(
    () => verifyHeader(cs, trusted, tampered, now),
    {
      name: "ChainError",
      codespace: TENDERMINT_CODESPACE,
      code: TendermintCode.InvalidHeader,
      message: /the commit signs block [0-9A-F]{64}, but the header hashes to/,
    },
    "one byte of the app hash changed: the commit no longer signs this header",
  );
  // Re-point the commit at the tampered header: now the signatures no longer verify.
  tampered.signedHeader!.commit!.blockId.hash = headerHash(tampered.signedHeader!.header!);
  t.throws(
    () => verifyHeader(cs, trusted, tampered, now),
    {
      name: "ChainError",
      codespace: TENDERMINT_CODESPACE,
      code: TendermintCode.InvalidHeader,
      message: /signature of validator [0-9A-F]{40} .* does not verify/,
    },
    "and with the commit re-pointed at it, the real signature refuses it",
  );
});
