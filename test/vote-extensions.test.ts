// Vote extension signatures as CometBFT makes them: a real node with extensions enabled from
// height 1 hands the proposer its extended last commit; app/chain/vote-extensions.ts verifies it with the
// validator's key, and refuses it once altered (extension, chain id, height, order, power, flags).
import { ChildProcess } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { CommitInfo, ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import t from "tap";
import { AbciServer } from "../abci";
import { MultiStore } from "../app/store";
import { matchesLastCommit, verifyExtendedCommit, voteExtensionSignBytes } from "../app/chain/vote-extensions";
import { editGenesis, freePort, initHome, setConfig, startNode, waitForHeight } from "../app/cli/cometbft";
import { KV_STORES, kvApp } from "./helpers/kv-app";
import { tempDir } from "./helpers/tmp";

const CHAIN = "mira-ve-test";

t.test("a real CometBFT node's extended commit verifies, and every alteration is refused", async (t) => {
  const dir = tempDir(t);
  const home = path.join(dir, "cmt");
  const [abciPort, rpcPort, p2pPort] = [await freePort(), await freePort(), await freePort()];
  initHome(home);
  setConfig(home, {
    "": { proxy_app: `"tcp://127.0.0.1:${abciPort}"`, log_level: `"error"` },
    rpc: { laddr: `"tcp://127.0.0.1:${rpcPort}"` },
    p2p: { laddr: `"tcp://127.0.0.1:${p2pPort}"` },
    consensus: { timeout_commit: `"150ms"`, timeout_propose: `"1s"` },
  });
  editGenesis(home, (g) => {
    g["chain_id"] = CHAIN;
    (g["consensus_params"] as { abci: { vote_extensions_enable_height: string } }).abci.vote_extensions_enable_height = "1";
  });
  const key = JSON.parse(fs.readFileSync(path.join(home, "config", "priv_validator_key.json"), "utf8")) as { address: string; pub_key: { value: string } };
  const pubkey = Buffer.from(key.pub_key.value, "base64");
  const address = Buffer.from(key.address, "hex");

  const ms = MultiStore.open(path.join(dir, "state.db"), { stores: KV_STORES });
  const captured: { height: bigint; commit: ExtendedCommitInfo }[] = [];
  const lastCommits = new Map<bigint, CommitInfo>();
  const base = kvApp(ms);
  const app = {
    ...base,
    extendVote: (req: { height: bigint }) => ({ voteExtension: Buffer.from(`verdicts at ${req.height}`) }),
    prepareProposal: (req: { height: bigint; txs: Uint8Array[]; localLastCommit?: ExtendedCommitInfo }) => {
      if (req.localLastCommit !== undefined && req.height > 1n) captured.push({ height: req.height - 1n, commit: req.localLastCommit });
      return { txs: req.txs };
    },
    processProposal: (req: { height: bigint; proposedLastCommit?: CommitInfo }) => {
      if (req.proposedLastCommit !== undefined) lastCommits.set(req.height - 1n, req.proposedLastCommit);
      return { status: 1 };
    },
  };
  const server = new AbciServer(app, { log: () => {} });
  await server.listen(`tcp://127.0.0.1:${abciPort}`);
  const node: ChildProcess = startNode(home, path.join(dir, "cometbft.log"));
  t.teardown(async () => {
    node.kill("SIGKILL");
    await server.close();
    ms.close();
  });
  await waitForHeight(`http://127.0.0.1:${rpcPort}`, 5);

  const withExt = captured.find((c) => c.commit.votes.some((v) => v.voteExtension.length > 0));
  t.ok(withExt, "the proposer received extended commits carrying our extensions");
  const { height, commit } = withExt!;
  t.equal(Buffer.from(commit.votes[0]!.voteExtension).toString(), `verdicts at ${height}`);
  const publicKeyOf = (a: Uint8Array) => (Buffer.from(a).equals(address) ? pubkey : undefined);
  t.same(
    verifyExtendedCommit(commit, { chainId: CHAIN, height, publicKeyOf }),
    { signedPower: 10n, totalPower: 10n },
    "CometBFT's signature verifies over our sign bytes",
  );
  const last = lastCommits.get(height);
  t.ok(last, "ProcessProposal saw the same height's last commit");
  t.doesNotThrow(() => matchesLastCommit(commit, last!), "the extended commit matches the last commit CometBFT reports");

  const clone = (): ExtendedCommitInfo => ({
    round: commit.round,
    votes: commit.votes.map((v) => ({
      ...v,
      validator: { ...v.validator },
      voteExtension: Buffer.from(v.voteExtension),
      extensionSignature: Buffer.from(v.extensionSignature),
    })),
  });
  const altered = clone();
  altered.votes[0]!.voteExtension = Buffer.from(`verdicts at ${height}!`);
  t.throws(() => verifyExtendedCommit(altered, { chainId: CHAIN, height, publicKeyOf }), /bad extension signature/, "an altered extension");
  t.throws(() => verifyExtendedCommit(commit, { chainId: "other-chain", height, publicKeyOf }), /bad extension signature/, "another chain id");
  t.throws(() => verifyExtendedCommit(commit, { chainId: CHAIN, height: height + 1n, publicKeyOf }), /bad extension signature/, "another height");
  t.throws(() => verifyExtendedCommit(commit, { chainId: CHAIN, height, publicKeyOf: () => undefined }), /unknown validator/, "an unknown validator");
  const absent = clone();
  absent.votes[0]!.blockIdFlag = BlockIDFlag.BLOCK_ID_FLAG_ABSENT;
  t.throws(() => verifyExtendedCommit(absent, { chainId: CHAIN, height, publicKeyOf }), /did not commit but carries an extension/);
  const lastAbsent = {
    round: last!.round,
    votes: last!.votes.map((v, i) => ({ ...v, blockIdFlag: i === 0 ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : v.blockIdFlag })),
  };
  t.throws(() => matchesLastCommit(commit, lastAbsent), /block id flag differs/, "a vote the last commit has as absent cannot be injected as a commit");
  const pruned = clone();
  Object.assign(pruned.votes[0]!, { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array() });
  t.doesNotThrow(() => matchesLastCommit(pruned, last!), "a commit vote the proposer pruned to absent (its extension did not verify) is allowed");
  const morePower = clone();
  morePower.votes[0]!.validator.power = 11n;
  t.throws(() => matchesLastCommit(morePower, last!), /validator or power/, "powers must match the last commit");
});

t.test("order, duplicates and the 2/3 rule, with generated keys", async (t) => {
  const vals = [0, 1, 2, 3].map((i) => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const pub = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
    return { address: Buffer.alloc(20, i + 1), pub, privateKey, power: BigInt(40 - i * 10) };
  });
  const height = 7n;
  const vote = (i: number, flag = BlockIDFlag.BLOCK_ID_FLAG_COMMIT) => {
    const v = vals[i]!;
    const ext = Buffer.from(`ext ${i}`);
    const sig = flag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? sign(null, voteExtensionSignBytes(ext, height, 0n, CHAIN), v.privateKey) : Buffer.alloc(0);
    return {
      validator: { address: v.address, power: v.power },
      voteExtension: flag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? ext : Buffer.alloc(0),
      extensionSignature: sig,
      blockIdFlag: flag,
    };
  };
  const publicKeyOf = (a: Uint8Array) => vals.find((v) => v.address.equals(Buffer.from(a)))?.pub;
  const opts = { chainId: CHAIN, height, publicKeyOf };
  t.same(verifyExtendedCommit({ round: 0, votes: [vote(0), vote(1), vote(2), vote(3)] }, opts), { signedPower: 100n, totalPower: 100n });
  t.same(
    verifyExtendedCommit({ round: 0, votes: [vote(0), vote(1), vote(2, BlockIDFlag.BLOCK_ID_FLAG_ABSENT), vote(3)] }, opts).signedPower,
    80n,
    "absent votes count in the total only",
  );
  t.throws(
    () =>
      verifyExtendedCommit({ round: 0, votes: [vote(0), vote(1, BlockIDFlag.BLOCK_ID_FLAG_ABSENT), vote(2, BlockIDFlag.BLOCK_ID_FLAG_ABSENT), vote(3)] }, opts),
    /not more than 2\/3/,
    "50 of 100 is not enough",
  );
  t.throws(() => verifyExtendedCommit({ round: 0, votes: [vote(1), vote(0), vote(2), vote(3)] }, opts), /order/, "re-ordered votes");
  t.throws(() => verifyExtendedCommit({ round: 0, votes: [vote(0), vote(0), vote(1)] }, opts), /twice/, "a duplicated vote");
  t.throws(() => verifyExtendedCommit({ round: 1, votes: [vote(0), vote(1), vote(2), vote(3)] }, opts), /bad extension signature/, "another round");
  // Exactly 2/3 is not more than 2/3.
  const three = [0, 1, 2].map((i) => ({ ...vote(i), validator: { address: vals[i]!.address, power: 10n } }));
  const sorted = [...three].sort((a, b) => Buffer.compare(a.validator.address, b.validator.address));
  t.throws(
    () =>
      verifyExtendedCommit(
        {
          round: 0,
          votes: [
            sorted[0]!,
            sorted[1]!,
            { ...sorted[2]!, voteExtension: Buffer.alloc(0), extensionSignature: Buffer.alloc(0), blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_NIL },
          ],
        },
        { ...opts, publicKeyOf },
      ),
    /not more than 2\/3/,
  );
});
