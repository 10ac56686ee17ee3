// `mirad verify-certificate`: checks a claims certificate against a block header the way a light
// client would, with @confio/ics23 as the verifier (independent of the store's own proof code):
// the certificate's store proof against the claims store root, then that root against the app hash.
import * as ics23 from "@confio/ics23";
import { toHex } from "@cosmjs/encoding";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { certificateKey, STORE as CLAIMS_STORE } from "../../modules/claims/keys";
import { Certificate } from "../../proto/gen/mira/claims/v1/claims";
import { QueryCertificateRequest, QueryCertificateResponse, QueryMethods } from "../../proto/gen/mira/claims/v1/query";
import { PROOF_OP_IAVL, PROOF_OP_SIMPLE } from "../store/ics23";
import { DEFAULT_NODE, integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { parseOutputFormat, printJson, printNotice, printRecords, usageError } from "./output";
import { fetchProvenCertificate, idArg, ProofOp, ProvenCertificate } from "./query-claims";
import { withNode } from "./query-client";

const HEADER_WAIT_MS = 30_000;
const HEADER_POLL_MS = 300;

const FLAGS = {
  node: { type: "string", default: DEFAULT_NODE },
  height: { type: "string" },
  output: { type: "string", short: "o", default: "json" },
  help: { type: "boolean", short: "h" },
} as const;

const HELP = `Verify a content's certificate against a block header, as a light client would: fetches the certificate's
bytes in the claims store with their ICS-23 proof (abci_query store/claims/key, prove=true) at height H, and the
header of block H+1, whose app hash commits the state after block H; then checks with @confio/ics23 that the
store proof (iavl spec) leads to the claims store's root, that the multistore proof (tendermint spec) leads from
that root to the header's app hash, and that the proven bytes are the certificate of <content-id>.
Exits 0 and prints a summary when all holds; exits 1 with the reason on stderr when anything does not.

The header comes from the node; compare app_hash (or block_hash, the hash of block H+1) with a header you
trust, e.g. from a light client or another node, to trust the verdict without trusting this node.

Usage: mirad verify-certificate <content-id> [flags]    e.g. mirad verify-certificate 7 --node http://127.0.0.1:26657

      --height H                   prove the state after block H (default: the height the certificate was written at;
                                   the node must still keep that version: see mirad start --pruning-keep-recent)
      --node URL                   CometBFT RPC of a node (default ${DEFAULT_NODE})
  -o, --output json|text           output format (default json)
  -h, --help                       this help`;

/**
 * Checks with @confio/ics23 that `proven` shows the certificate of its content in the claims store
 * under `appHash` (the app hash of the header of block proven.height + 1). Returns the certificate;
 * throws an Error that says what does not hold.
 */
export function verifyCertificateProof(proven: ProvenCertificate, appHash: Uint8Array): Certificate {
  const { contentId, height, value, proofOps } = proven;
  const key = certificateKey(contentId); // what is proven must be this content's entry, whatever key came with it
  if (value.length === 0) {
    throw new Error(`the claims store holds no certificate for content ${contentId} at height ${height}: not settled by then, or no such content`);
  }
  if (proofOps.length !== 2) throw new Error(`expected 2 proof ops (${PROOF_OP_IAVL}, ${PROOF_OP_SIMPLE}), got ${proofOps.length}`);
  const storeKey = new TextEncoder().encode(CLAIMS_STORE);
  const storeOp = expectOp(proofOps[0]!, 0, PROOF_OP_IAVL, key);
  const rootOp = expectOp(proofOps[1]!, 1, PROOF_OP_SIMPLE, storeKey);

  const storeProof = decodeCommitmentProof(storeOp);
  if (!storeProof.exist) throw new Error(`proof op 0 (${PROOF_OP_IAVL}) is not an existence proof`);
  let storeRoot: Uint8Array;
  try {
    storeRoot = ics23.calculateExistenceRoot(storeProof.exist);
  } catch (err) {
    throw new Error(`proof op 0 (${PROOF_OP_IAVL}) does not compute a root: ${messageOf(err)}`, { cause: err });
  }
  if (!ics23.verifyMembership(storeProof, ics23.iavlSpec, storeRoot, key, value)) {
    throw new Error(
      `the store proof does not prove the certificate's key and value in the ${CLAIMS_STORE} store (iavl spec): ${whyNot(storeProof, ics23.iavlSpec, storeRoot, key, value)}`,
    );
  }
  const rootProof = decodeCommitmentProof(rootOp);
  if (!ics23.verifyMembership(rootProof, ics23.tendermintSpec, appHash, storeKey, storeRoot)) {
    throw new Error(
      `the multistore proof does not lead from the ${CLAIMS_STORE} store root ${hex(storeRoot)} to app hash ${hex(appHash)} (tendermint spec): ${whyNot(rootProof, ics23.tendermintSpec, appHash, storeKey, storeRoot)}`,
    );
  }
  let certificate: Certificate;
  try {
    certificate = Certificate.decode(value);
  } catch (err) {
    throw new Error(`the proven value is not a certificate: ${messageOf(err)}`, { cause: err });
  }
  if (certificate.contentId !== contentId) throw new Error(`the proven certificate is for content ${certificate.contentId}, not ${contentId}`);
  if (certificate.height > BigInt(height))
    throw new Error(`the proven certificate says it was written at height ${certificate.height}, after the proven state (height ${height})`);
  return certificate;
}

function expectOp(op: ProofOp, index: number, type: string, key: Uint8Array): ProofOp {
  if (op.type !== type) throw new Error(`proof op ${index} has type ${JSON.stringify(op.type)}, expected ${JSON.stringify(type)}`);
  if (hex(op.key) !== hex(key)) throw new Error(`proof op ${index} (${type}) is for key ${hex(op.key)}, expected ${hex(key)}`);
  return op;
}

function decodeCommitmentProof(op: ProofOp): ics23.ics23.CommitmentProof {
  try {
    return ics23.ics23.CommitmentProof.decode(op.data);
  } catch (err) {
    throw new Error(`proof op ${op.type} does not hold a CommitmentProof: ${messageOf(err)}`, { cause: err });
  }
}

/** verifyMembership only says no; verifyExistence on the same proof says why. */
function whyNot(proof: ics23.ics23.CommitmentProof, spec: ics23.ics23.IProofSpec, root: Uint8Array, key: Uint8Array, value: Uint8Array): string {
  if (!proof.exist) return "it holds no existence proof";
  try {
    ics23.verifyExistence(proof.exist, spec, root, key, value);
    return "rejected";
  } catch (err) {
    return messageOf(err);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function hex(bytes: Uint8Array): string {
  return toHex(bytes).toUpperCase();
}

/** What a successful verification prints. */
interface VerifiedSummary {
  content_id: string;
  height: string;
  header_height: string;
  chain_id: string;
  app_hash: string;
  block_hash: string;
  store: string;
  key: string;
  claims: number;
  certificate_height: string;
  verified: true;
}

export async function run(args: string[]): Promise<number> {
  const command = "verify-certificate";
  const flags = parseFlags(args, FLAGS, command);
  if (flags.values.help === true) return printHelp(HELP);
  const [idText] = positionalArguments(flags.positionals, ["content-id"], command);
  const contentId = idArg(idText, "content id", command);
  const height = integerFlag(flags.values.height, "height", command);
  if (height === 0) throw usageError("--height must be a block height (1 or more)", command);
  const output = parseOutputFormat(flags.values.output);
  const summary = await withNode(flags.values.node, (comet) => verifyCertificate(comet, contentId, height));
  if (output === "json") printJson(summary);
  else printRecords([{ ...summary, claims: String(summary.claims), verified: "true" }]);
  return 0;
}

async function verifyCertificate(comet: CometClient, contentId: bigint, requestedHeight: number | undefined): Promise<VerifiedSummary> {
  const height = requestedHeight ?? (await certificateHeight(comet, contentId));
  const proven = await fetchProvenCertificate(comet, contentId, height).catch((err: unknown) => {
    if (requestedHeight !== undefined || !(err instanceof Error)) throw err;
    throw new Error(`${err.message}; a later state holds the certificate too: prove one this node keeps with --height (e.g. the latest height)`);
  });
  const header = await headerAfter(comet, height);
  const certificate = verifyCertificateProof(proven, header.appHash);
  return {
    content_id: contentId.toString(),
    height: String(height),
    header_height: String(header.height),
    chain_id: header.chainId,
    app_hash: hex(header.appHash),
    block_hash: hex(header.blockHash),
    store: CLAIMS_STORE,
    key: hex(certificateKey(contentId)),
    claims: certificate.claims.length,
    certificate_height: certificate.height.toString(),
    verified: true,
  };
}

/** The height the certificate was written at, from the chain's Certificate query. */
async function certificateHeight(comet: CometClient, contentId: bigint): Promise<number> {
  const res = await comet.abciQuery({ path: QueryMethods.Certificate, data: QueryCertificateRequest.encode({ contentId }).finish() });
  if (res.code) {
    throw new Error(
      `no certificate for content ${contentId} yet (code ${res.code}: ${res.log ?? ""}); 'mirad query claims content ${contentId}' shows how many of its claims are settled`,
    );
  }
  const certificate = QueryCertificateResponse.decode(res.value).certificate;
  if (certificate === undefined) throw new Error(`the node answered the certificate query for content ${contentId} without a certificate`);
  return Number(certificate.height);
}

interface HeaderFacts {
  height: number;
  chainId: string;
  appHash: Uint8Array;
  blockHash: Uint8Array;
}

/** The header of block height + 1 (its app hash commits the state after block `height`), waiting for it if needed. */
async function headerAfter(comet: CometClient, height: number): Promise<HeaderFacts> {
  const next = height + 1;
  const deadline = Date.now() + HEADER_WAIT_MS;
  let noticed = false;
  while ((await comet.status()).syncInfo.latestBlockHeight < next) {
    if (Date.now() > deadline)
      throw new Error(`block ${next} (whose header commits the state after block ${height}) did not come within ${HEADER_WAIT_MS / 1000} s`);
    if (!noticed) printNotice(`waiting for block ${next}, whose header commits the state after block ${height}...`);
    noticed = true;
    await new Promise((resolve) => setTimeout(resolve, HEADER_POLL_MS));
  }
  const { header, commit } = await comet.commit(next);
  if (header.height !== next) throw new Error(`asked for the header of block ${next}, the node answered with block ${header.height}`);
  return { height: next, chainId: header.chainId, appHash: header.appHash, blockHash: commit.blockId.hash };
}
