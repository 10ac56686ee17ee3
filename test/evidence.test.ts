// Double-sign evidence built by test/helpers/evidence.ts against a real CometBFT v0.38 node running
// its built-in kvstore app: sign bytes match CometBFT's own, broadcast_evidence accepts the evidence
// and refuses a tampered copy, and a block commits it (kvstore then cuts the validator's power by 1).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { freePort, initHome, rpc, setConfig, startNode, waitForHeight } from "../app/cli/cometbft";
import { broadcastEvidence, buildDoubleSignEvidence, DUPLICATE_VOTE_EVIDENCE, EvidenceJson, submitDoubleSign, voteSignBytes } from "./helpers/evidence";
import { tempDir } from "./helpers/tmp";

interface BlockResult {
  block: {
    header: { height: string; evidence_hash: string };
    evidence: { evidence: { type: string; value: { vote_a: { height: string; validator_address: string }; ValidatorPower: string } }[] };
  };
}

t.test("vote sign bytes match CometBFT's VoteSignBytes", async (t) => {
  // Known answers printed by CometBFT v0.38.26's types.VoteSignBytes for the same vote.
  const vote = {
    type: 1,
    height: 2n,
    round: 1,
    blockId: { hash: Buffer.alloc(32, 1), partsTotal: 1, partsHash: Buffer.alloc(32, 2) },
    timestamp: "2024-05-06T07:08:09.123456789Z",
  };
  const signBytes = (round: number) =>
    voteSignBytes("mira-test", { ...vote, round })
      .toString("hex")
      .toUpperCase();
  const tail = "22480A20" + "01".repeat(32) + "12240801" + "1220" + "02".repeat(32) + "2A0B08D983E2B10610959AEF3A32096D6972612D74657374";
  t.equal(signBytes(1), "76" + "0801" + "110200000000000000" + "190100000000000000" + tail, "round 1 is an sfixed64");
  t.equal(signBytes(0), "6D" + "0801" + "110200000000000000" + tail, "round 0 is left out");
});

t.test("double-sign evidence is accepted, tampered evidence refused, and a block commits it", async (t) => {
  const dir = tempDir(t);
  const home = path.join(dir, "cmt");
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  initHome(home);
  setConfig(home, {
    "": { proxy_app: `"kvstore"`, log_level: `"error"` },
    rpc: { laddr: `"tcp://127.0.0.1:${rpcPort}"` },
    p2p: { laddr: `"tcp://127.0.0.1:${p2pPort}"` },
    consensus: { timeout_commit: `"150ms"`, timeout_propose: `"1s"` },
  });
  const chainId = (JSON.parse(fs.readFileSync(path.join(home, "config", "genesis.json"), "utf8")) as { chain_id: string }).chain_id;
  const node = startNode(home, path.join(dir, "cometbft.log"));
  const exited = new Promise((r) => node.once("exit", r));
  t.teardown(async () => {
    node.kill("SIGKILL");
    await exited;
  });
  await waitForHeight(rpcUrl, 3);

  const opts = { rpcUrl, chainId, privValidatorKeyFile: path.join(home, "config", "priv_validator_key.json"), height: 2 };

  // Flip one bit of vote_a's signature: everything else stays valid, so only the signature check can refuse it.
  const tampered: EvidenceJson = structuredClone((await buildDoubleSignEvidence(opts)).json);
  const sig = Buffer.from(tampered.value.vote_a.signature, "base64");
  sig[0] ^= 1;
  tampered.value.vote_a.signature = sig.toString("base64");
  await t.rejects(
    broadcastEvidence(rpcUrl, tampered),
    /failed to add evidence: .*verifying VoteA: invalid signature/,
    "a flipped signature bit is refused by the signature check",
  );

  // The height before the evidence is submitted: a block after it carries the evidence (read after submitting, a
  // slow run could already be past that block).
  const start = Number((await rpc<{ sync_info: { latest_block_height: string } }>(rpcUrl, "status")).sync_info.latest_block_height);
  const { hash, evidence } = await submitDoubleSign(opts);
  t.match(hash, /^[0-9A-F]{64}$/, "broadcast_evidence answers the evidence hash, equal to our own encoding's");

  // Poll new blocks until one carries the evidence.
  let found: BlockResult | undefined;
  for (let h = start; !found && h < start + 40; h++) {
    await waitForHeight(rpcUrl, h, 10_000);
    const b = await rpc<BlockResult>(rpcUrl, "block", { height: String(h) });
    if ((b.block.evidence.evidence ?? []).length > 0) found = b;
  }
  if (!found) return t.fail(`no block from ${start} to ${start + 39} contains the evidence`);
  const included = found.block.evidence.evidence;
  t.equal(included.length, 1, "one piece of evidence");
  t.equal(included[0]!.type, DUPLICATE_VOTE_EVIDENCE, "of type DuplicateVoteEvidence");
  t.equal(included[0]!.value.vote_a.height, "2", "for the height we double-signed at");
  t.equal(included[0]!.value.vote_a.validator_address, evidence.validatorAddress, "against our validator");
  // A one-leaf merkle root is sha256(0x00 || leaf): the header commits to exactly our protobuf bytes.
  const leaf = createHash("sha256")
    .update(Buffer.from([0]))
    .update(evidence.bytes)
    .digest("hex")
    .toUpperCase();
  t.equal(found.block.header.evidence_hash, leaf, "the header's evidence_hash is over our evidence bytes");

  // kvstore answers DUPLICATE_VOTE misbehavior by lowering the power by 1; updates apply two blocks later.
  const includedAt = Number(found.block.header.height);
  await waitForHeight(rpcUrl, includedAt + 2, 10_000);
  const vals = await rpc<{ validators: { address: string; voting_power: string }[] }>(rpcUrl, "validators", { height: String(includedAt + 2) });
  const before = BigInt(included[0]!.value.ValidatorPower);
  t.equal(vals.validators[0]?.voting_power, String(before - 1n), "the app saw the misbehavior and cut the power");
});
