// The claims CLI as a user runs it (child processes, a temp keyring) against a real one-validator chain
// (CometBFT + mirad, no sidecar: claims settle UNRESOLVED at their deadline, which still writes a
// certificate): tx claims submit, query claims ..., certificate --prove, verify-certificate; and the
// @confio/ics23 verification of verify-certificate against tampered proofs and app hashes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fromBase64, fromHex } from "@cosmjs/encoding";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { CommitmentProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import t, { Test } from "tap";
import { fetchProvenCertificate, ProvenCertificate } from "../app/cli/query-claims";
import { verifyCertificateProof } from "../app/cli/verify-certificate";
import { REPO_ROOT, rpc, waitForHeight } from "../app/cli/cometbft";
import { Certificate, ClaimStatus } from "../proto/gen/mira/claims/v1/claims";
import { startSingleNode } from "./helpers/single-node";
import { tempDir } from "./helpers/tmp";

const MAIN = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
const OFFSET = 3_000; // its own ports (cli-chain uses 2000, the localnet tests 1000, -2000, -6000), below the ephemeral ones

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface TxJson {
  txhash: string;
  height: string;
  code: number;
}

interface SubmittedJson {
  content_id: string;
  claim_ids: string[];
  txhash: string;
}

interface ContentJson {
  id: string;
  submitter: string;
  content_hash: string;
  source_context: string;
  claim_ids: string[];
  height: string;
  fee: { denom: string; amount: string };
  threshold_bp: number;
  verifiers_per_claim: number;
  settled: number;
}

interface ClaimJson {
  id: string;
  content_id: string;
  text: string;
  assigned: string[];
  status: string;
  deadline_height: string;
}

interface CertificateJson {
  content_id: string;
  content_hash: string;
  height: string;
  claims: { claim_id: string; status: string; verdict: string }[];
}

interface ProofJson {
  height: string;
  store: string;
  key: string;
  value: string;
  proof_ops: { type: string; key: string; data: string }[];
}

interface VerifiedJson {
  content_id: string;
  height: string;
  header_height: string;
  app_hash: string;
  verified: boolean;
}

/** Runs mirad with a clean environment: only PATH and HOME. */
function mirad(args: string[], input = ""): Run {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const result = spawnSync(process.execPath, [MAIN, ...args], { input, env, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function succeeds(t: Test, run: Run, what: string): string {
  t.equal(run.code, 0, `${what}: ${run.stderr}`);
  return run.stdout;
}

function failsWithOneLine(t: Test, run: Run, message: RegExp): void {
  t.equal(run.code, 1, "exit code 1");
  t.equal(run.stdout, "", "nothing on stdout");
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  t.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(run.stderr)}`);
  t.match(lines[0], /^Error: /);
  t.match(lines[0], message);
}

function jsonLines<T extends unknown[]>(text: string): T {
  return text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as unknown) as T;
}

t.test("the claims CLI against a one-validator chain", async (t) => {
  const chain = await startSingleNode(t, OFFSET);
  const node = ["--node", chain.rpc];
  const keyHome = tempDir(t);
  succeeds(t, mirad(["keys", "import", "user", "--keyring-backend", "test", "--home", keyHome], chain.user.mnemonic + "\n"), "keys import");
  const txFlags = ["--keyring-backend", "test", "--home", keyHome, "--gas", "auto", "--gas-prices", "0.025umira", "--yes", ...node];
  const sequence = (): string => {
    const run = mirad(["query", "auth", "account", chain.user.address, ...node, "-o", "json"]);
    return (JSON.parse(succeeds(t, run, "query auth account")) as { account: { sequence: string } }).account.sequence;
  };

  await t.test("submit refuses bad input before it signs anything", async (t) => {
    const submit = (...args: string[]) => mirad(["tx", "claims", "submit", "user", ...args, ...txFlags]);
    failsWithOneLine(
      t,
      submit("--content", "The sky is blue.", "--claim", "The sky is blue."),
      /give one of --content, --content-file and --claim, not --content and --claim \(see 'mirad tx claims submit --help'\)/,
    );
    failsWithOneLine(t, submit(), /nothing to submit/);
    failsWithOneLine(t, submit("--content", "  "), /the content is empty/);
    failsWithOneLine(t, submit("--claim", "one", "--claim", ""), /--claim number 2 is empty/);
    failsWithOneLine(t, submit("--content", "x", "--threshold-bp", "10001"), /--threshold-bp must be in basis points/);
    failsWithOneLine(t, submit("--content", "x", "--verifiers", "0"), /--verifiers must be 1 or more/);
    failsWithOneLine(t, submit("--content-file", path.join(keyHome, "missing.txt")), /cannot read --content-file/);
    failsWithOneLine(t, submit("--content", "x", "--source", "a", "--source-file", "b"), /give --source or --source-file, not both/);
    t.equal(sequence(), "0", "nothing was broadcast: the account never signed a tx");
    t.match(succeeds(t, mirad(["tx", "claims", "submit", "--help"]), "help"), /--content-file FILE/);
    t.match(succeeds(t, mirad(["query", "claims", "--help"]), "help"), /verifier-stats <validator-addr>/);
    t.match(succeeds(t, mirad(["query", "claims", "--help"]), "help"), /verdicts <validator-addr>/);
    t.match(succeeds(t, mirad(["query", "claims", "verdicts", "--help"]), "help"), /claim_verified events/);
    failsWithOneLine(t, mirad(["query", "claims", "verdicts", "miravaloper1nothing"]), /invalid validator address|valoper|bech32/i);
    failsWithOneLine(t, mirad(["query", "claims", "verdicts", chain.validator.valoper, "--limit", "0"]), /--limit 0 is outside \[1, 1000\]/);
    t.match(succeeds(t, mirad(["verify-certificate", "--help"]), "help"), /@confio\/ics23/);
  });

  // Two claims, each verified by the one validator, which has no sidecar: they settle UNRESOLVED at the deadline.
  const content = "The Eiffel Tower is in Paris. It was completed in 1889.";
  const source = "The Eiffel Tower, in Paris, was completed in 1889 for the World's Fair.";
  const run = mirad(["tx", "claims", "submit", "user", "--content", content, "--source", source, "--verifiers", "1", "-o", "json", ...txFlags]);
  const [tx, submitted] = jsonLines<[TxJson, SubmittedJson]>(succeeds(t, run, "tx claims submit"));
  t.equal(tx.code, 0, "the tx succeeded");
  t.equal(submitted.txhash, tx.txhash, "the ids are read from the same tx");
  t.equal(submitted.content_id, "1");
  t.same(submitted.claim_ids, ["1", "2"], "the content was split into two claims");
  const txHeight = Number(tx.height);

  await t.test("query claims: content, claim, pending, claims-by-submitter, verifier-stats, params", async (t) => {
    const query = <T>(...args: string[]): T => JSON.parse(succeeds(t, mirad(["query", "claims", ...args, ...node, "-o", "json"]), args[0]!)) as T;
    const { content: c } = query<{ content: ContentJson }>("content", "1");
    t.match(c, {
      id: "1",
      submitter: chain.user.address,
      source_context: source,
      claim_ids: ["1", "2"],
      height: tx.height,
      verifiers_per_claim: 1,
      threshold_bp: 6667,
    });
    t.equal(Buffer.from(c.content_hash, "base64").length, 32, "content_hash: a SHA-256, base64");
    t.match(c.fee, { denom: "umira" });

    // At the tx's height the claims are assigned and pending; their deadline is 10 blocks on.
    const { claim } = query<{ claim: ClaimJson }>("claim", "2", "--height", tx.height);
    t.match(claim, {
      id: "2",
      content_id: "1",
      text: "The Eiffel Tower was completed in 1889",
      assigned: [chain.validator.valoper],
      status: "CLAIM_STATUS_PENDING",
      deadline_height: String(txHeight + 10),
    });
    const pending = query<{ claims: ClaimJson[]; pagination: { next_key: string | null } }>("pending", "--height", tx.height);
    t.same(
      pending.claims.map((x) => x.id),
      ["1", "2"],
    );
    const page = query<{ claims: ClaimJson[]; pagination: { next_key: string | null } }>(
      "pending",
      "--height",
      tx.height,
      "--limit",
      "1",
      "--validator",
      chain.validator.valoper,
    );
    t.same(
      page.claims.map((x) => x.id),
      ["1"],
      "--limit 1: the first page",
    );
    t.type(page.pagination.next_key, "string");
    const next = query<{ claims: ClaimJson[] }>("pending", "--height", tx.height, "--limit", "1", "--page-key", page.pagination.next_key!);
    t.same(
      next.claims.map((x) => x.id),
      ["2"],
      "--page-key: the next page",
    );

    const mine = query<{ contents: ContentJson[] }>("claims-by-submitter", chain.user.address);
    t.same(
      mine.contents.map((x) => x.id),
      ["1"],
    );
    t.match(query<{ stats: { validator: string } }>("verifier-stats", chain.validator.valoper), { stats: { validator: chain.validator.valoper } });
    t.match(query<{ params: Record<string, unknown> }>("params"), {
      params: { deadline_blocks: "10", default_threshold_bp: 6667, fee_per_claim: { denom: "umira", amount: "1000" }, jail_duration: "600s" },
    });

    const text = succeeds(t, mirad(["query", "claims", "content", "1", ...node]), "content, text");
    t.match(text, new RegExp(`^- id: 1\\n  submitter: ${chain.user.address}\\n`));
    t.match(text, /\n {2}claim_ids: 1,2\n/);
    t.match(text, /\n {2}fee: \d+umira\n/);
    failsWithOneLine(t, mirad(["query", "claims", "content", "99", ...node]), /content 99 not found/);
    failsWithOneLine(t, mirad(["query", "claims", "claim", "0", ...node]), /invalid claim id "0"/);
    failsWithOneLine(t, mirad(["query", "claims", "certificate", "1", "--height", tx.height, ...node]), /no certificate for content 1 yet/);
    failsWithOneLine(t, mirad(["query", "claims", "nope", ...node]), /unknown query command "claims nope"/);
  });

  await t.test("a second submission: --claim list and --source-file, text output", async (t) => {
    const sourceFile = path.join(tempDir(t), "source.txt");
    fs.writeFileSync(sourceFile, source);
    const out = succeeds(
      t,
      mirad([
        "tx",
        "claims",
        "submit",
        "user",
        "--claim",
        "Paris is in France.",
        "--claim",
        "The tower is 330 m tall.",
        "--source-file",
        sourceFile,
        "--verifiers",
        "1",
        ...txFlags,
      ]),
      "submit --claim",
    );
    t.match(out, /^- txhash: [0-9A-F]{64}\n {2}height: \d+\n {2}code: 0\n/);
    t.match(out, /\n- content_id: 2\n {2}claim_ids: 3,4\n {2}txhash: [0-9A-F]{64}\n$/);
  });

  // The deadline (10 blocks on, as params says) settles both claims UNRESOLVED and writes the certificate. Wait for
  // the chain to pass it rather than for a while: once block deadline + 1 is stored, the app has committed the deadline's block.
  await waitForHeight(chain.rpc, txHeight + 11, 180_000);
  const settled = mirad(["query", "claims", "certificate", "1", ...node, "-o", "json"]);
  if (settled.code !== 0) throw new Error(`no certificate for content 1 after the claims' deadline, height ${txHeight + 10}: ${settled.stderr}`);
  const certificate = (JSON.parse(settled.stdout) as { certificate: CertificateJson }).certificate;
  const certHeight = Number(certificate.height);
  t.equal(certHeight, txHeight + 10, "written at the claims' deadline");
  t.same(
    certificate.claims.map((c) => [c.claim_id, c.status, c.verdict]),
    [
      ["1", "CLAIM_STATUS_UNRESOLVED", "VERDICT_UNSPECIFIED"],
      ["2", "CLAIM_STATUS_UNRESOLVED", "VERDICT_UNSPECIFIED"],
    ],
  );

  await t.test("certificate --prove: the store value and its proof ops, with the height", async (t) => {
    const out = JSON.parse(
      succeeds(t, mirad(["query", "claims", "certificate", "1", "--prove", "--height", String(certHeight), ...node, "-o", "json"]), "certificate --prove"),
    ) as {
      certificate: CertificateJson;
      proof: ProofJson;
    };
    t.same(out.certificate, certificate);
    t.match(out.proof, { height: String(certHeight), store: "claims" });
    t.equal(Buffer.from(out.proof.key, "base64").toString("hex"), "16" + "1".padStart(16, "0"), "key: 0x16 and the content id");
    t.same(
      out.proof.proof_ops.map((op) => [op.type, Buffer.from(op.key, "base64").toString("hex")]),
      [
        ["ics23:iavl", "160000000000000001"],
        ["ics23:simple", Buffer.from("claims").toString("hex")],
      ],
    );
    t.equal(Certificate.decode(fromBase64(out.proof.value)).contentId, 1n, "the value is the certificate's bytes");
    const text = succeeds(t, mirad(["query", "claims", "certificate", "1", "--prove", ...node]), "certificate --prove, text");
    t.match(text, /^- content_id: 1\n/);
    t.match(text, /\n- type: ics23:iavl\n {2}key: \S+\n {2}data: \S+\n- type: ics23:simple\n/);
  });

  await t.test("verify-certificate: the proof checks out against the next header's app hash", async (t) => {
    const out = JSON.parse(succeeds(t, mirad(["verify-certificate", "1", ...node]), "verify-certificate")) as VerifiedJson;
    const header = await rpc<{ block: { header: { app_hash: string } } }>(chain.rpc, "block", { height: String(certHeight + 1) });
    t.match(out, {
      content_id: "1",
      height: String(certHeight),
      header_height: String(certHeight + 1),
      app_hash: header.block.header.app_hash,
      verified: true,
    });
    // The app's last committed height (CometBFT's status counts a block a moment before the app has committed it).
    const later = Number((await rpc<{ response: { last_block_height: string } }>(chain.rpc, "abci_info")).response.last_block_height);
    t.match(
      JSON.parse(succeeds(t, mirad(["verify-certificate", "1", "--height", String(later), ...node]), "--height later")),
      { height: String(later), verified: true },
      "at a later height too",
    );
    t.match(succeeds(t, mirad(["verify-certificate", "1", "-o", "text", ...node]), "text"), /\n {2}verified: true\n$/);

    failsWithOneLine(
      t,
      mirad(["verify-certificate", "1", "--height", String(certHeight - 1), ...node]),
      /holds no certificate for content 1 at height \d+: not settled by then/,
    );
    failsWithOneLine(t, mirad(["verify-certificate", "99", ...node]), /no certificate for content 99 yet/);
    failsWithOneLine(t, mirad(["verify-certificate", "x", ...node]), /invalid content id "x"/);
  });

  await t.test("verifyCertificateProof (@confio/ics23) rejects anything tampered with", async (t) => {
    // The CLI calls above ran synchronously for many seconds: a kept-alive connection of this process to the node may have
    // been closed by CometBFT meanwhile, and the first request over it fails with "other side closed". Once more, then.
    const comet = await connectComet(chain.rpc).catch(() => connectComet(chain.rpc));
    t.teardown(() => comet.disconnect());
    const proven = await fetchProvenCertificate(comet, 1n, certHeight);
    await waitForHeight(chain.rpc, certHeight + 1);
    const appHash = (await comet.commit(certHeight + 1)).header.appHash;
    t.equal(verifyCertificateProof(proven, appHash).contentId, 1n, "the genuine proof verifies");

    const flip = (bytes: Uint8Array, at = bytes.length - 1): Uint8Array => {
      const copy = Uint8Array.from(bytes);
      copy[at] = copy[at]! ^ 0x01;
      return copy;
    };
    const rejects = (what: string, tampered: ProvenCertificate, hash: Uint8Array, message: RegExp) =>
      t.throws(() => verifyCertificateProof(tampered, hash), message, what);

    rejects("another app hash", proven, flip(appHash), /multistore proof does not lead from the claims store root [0-9A-F]+ to app hash/);
    const before = (await comet.commit(certHeight)).header.appHash;
    rejects("the header of the wrong height (block H, not H+1)", proven, before, /multistore proof does not lead/);
    rejects("a changed value", { ...proven, value: flip(proven.value) }, appHash, /store proof does not prove the certificate's key and value/);
    rejects("another content's key", { ...proven, contentId: 2n, key: fromHex("160000000000000002") }, appHash, /proof op 0 \(ics23:iavl\) is for key/);

    // A sibling hash in the store proof changed: the proof computes another store root, which the multistore proof does not commit to.
    const storeProof = CommitmentProof.decode(proven.proofOps[0]!.data);
    const step = storeProof.exist!.path[0]!;
    const sibling = step.suffix.length > 0 ? { ...step, suffix: flip(step.suffix) } : { ...step, prefix: flip(step.prefix) };
    const tamperedStore = CommitmentProof.encode({
      ...storeProof,
      exist: { ...storeProof.exist!, path: [sibling, ...storeProof.exist!.path.slice(1)] },
    }).finish();
    rejects(
      "a store proof with a changed sibling",
      { ...proven, proofOps: [{ ...proven.proofOps[0]!, data: tamperedStore }, proven.proofOps[1]!] },
      appHash,
      /multistore proof does not lead/,
    );
    const rootOp = proven.proofOps[1]!;
    rejects(
      "a changed multistore proof",
      { ...proven, proofOps: [proven.proofOps[0]!, { ...rootOp, data: flip(rootOp.data, Math.floor(rootOp.data.length / 2)) }] },
      appHash,
      /multistore proof|CommitmentProof/,
    );
    rejects("no multistore proof", { ...proven, proofOps: [proven.proofOps[0]!] }, appHash, /expected 2 proof ops/);
    rejects(
      "ops swapped",
      { ...proven, proofOps: [proven.proofOps[1]!, proven.proofOps[0]!] },
      appHash,
      /proof op 0 has type "ics23:simple", expected "ics23:iavl"/,
    );
    rejects(
      "garbage instead of a proof",
      { ...proven, proofOps: [{ ...proven.proofOps[0]!, data: Uint8Array.of(0xff, 0xff, 0xff) }, rootOp] },
      appHash,
      /does not hold a CommitmentProof/,
    );
    rejects("no value (the certificate did not exist yet)", { ...proven, value: new Uint8Array() }, appHash, /holds no certificate for content 1/);
    t.equal(ClaimStatus[Certificate.decode(proven.value).claims[0]!.status], "CLAIM_STATUS_UNRESOLVED");
  });
});
