// The certificate page's checks, run in the browser (and in tests under Node): a certificate's bytes in
// the claims store, proven with @confio/ics23 against the app hash of header H+1, whose commit
// signatures are checked against the validator set the page fetched, with the same CometBFT hashing
// and commit rules as the chain's IBC light client (modules/ibc/lightclient). Every step says in words
// what it checked and whether it passed. Inputs are the REST API's JSON, as the page fetched it.
import { calculateExistenceRoot, iavlSpec, ics23, tendermintSpec, verifyMembership } from "@confio/ics23";
import { fromBech32 } from "@cosmjs/encoding";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { BlockID, Commit, Header } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag, type ValidatorSet } from "cosmjs-types/tendermint/types/validator";
import { verifyCommitLight } from "../../modules/ibc/lightclient/commit";
import { headerHash, validatorSetHash } from "../../modules/ibc/lightclient/hash";
import { Certificate, ClaimStatus, Verdict } from "../../proto/gen/mira/claims/v1/claims";

/** The claims store's name in the multistore, and its certificate key prefix (modules/claims/keys.ts). */
export const CLAIMS_STORE = "claims";
export const CERTIFICATE_PREFIX = 0x16;

export interface CheckStep {
  /** What was checked, in words. */
  name: string;
  ok: boolean;
  /** Why it passed or failed, in words. */
  detail: string;
}

type Json = Record<string, unknown>;

/** The claims store key of a content's certificate: 0x16 ‖ content id (8 bytes, big-endian). */
export function certificateKey(contentId: bigint): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = CERTIFICATE_PREFIX;
  new DataView(key.buffer).setBigUint64(1, contentId);
  return key;
}

const b64 = (text: unknown): Uint8Array => {
  const s = typeof text === "string" ? text : "";
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
};
const toB64 = (bytes: Uint8Array): string => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};
const hexOf = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .toUpperCase();
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const big = (v: unknown): bigint => BigInt(typeof v === "string" || typeof v === "number" ? v : 0);

/** RFC 3339 with up to nine fraction digits, as a Timestamp (Date would drop the nanoseconds). */
export function timestampFromJson(text: unknown): Timestamp {
  const m = typeof text === "string" ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text) : null;
  if (!m) throw new Error(`not an RFC 3339 UTC time: ${JSON.stringify(text)}`);
  return { seconds: BigInt(Date.parse(`${m[1]}Z`) / 1000), nanos: Number((m[2] ?? "").padEnd(9, "0")) };
}

export function blockIdFromJson(j: Json): BlockID {
  const psh = (j.part_set_header ?? {}) as Json;
  return { hash: b64(j.hash), partSetHeader: { total: Number(psh.total ?? 0), hash: b64(psh.hash) } };
}

export function headerFromJson(j: Json): Header {
  const version = (j.version ?? {}) as Json;
  return Header.fromPartial({
    version: { block: big(version.block), app: big(version.app) },
    chainId: String(j.chain_id ?? ""),
    height: big(j.height),
    time: timestampFromJson(j.time),
    lastBlockId: blockIdFromJson((j.last_block_id ?? {}) as Json),
    lastCommitHash: b64(j.last_commit_hash),
    dataHash: b64(j.data_hash),
    validatorsHash: b64(j.validators_hash),
    nextValidatorsHash: b64(j.next_validators_hash),
    consensusHash: b64(j.consensus_hash),
    appHash: b64(j.app_hash),
    lastResultsHash: b64(j.last_results_hash),
    evidenceHash: b64(j.evidence_hash),
    proposerAddress: b64(j.proposer_address),
  });
}

const FLAGS: Record<string, BlockIDFlag> = {
  BLOCK_ID_FLAG_UNKNOWN: BlockIDFlag.BLOCK_ID_FLAG_UNKNOWN,
  BLOCK_ID_FLAG_ABSENT: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
  BLOCK_ID_FLAG_COMMIT: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
  BLOCK_ID_FLAG_NIL: BlockIDFlag.BLOCK_ID_FLAG_NIL,
};

export function commitFromJson(j: Json): Commit {
  return Commit.fromPartial({
    height: big(j.height),
    round: Number(j.round ?? 0),
    blockId: blockIdFromJson((j.block_id ?? {}) as Json),
    signatures: ((j.signatures ?? []) as Json[]).map((s) => ({
      blockIdFlag: typeof s.block_id_flag === "number" ? s.block_id_flag : (FLAGS[String(s.block_id_flag)] ?? BlockIDFlag.BLOCK_ID_FLAG_UNKNOWN),
      validatorAddress: b64(s.validator_address),
      timestamp: timestampFromJson(s.timestamp),
      signature: b64(s.signature),
    })),
  });
}

/** The REST validator set (GetValidatorSetByHeight: valcons addresses, Any ed25519 keys) as CometBFT's. */
export function validatorSetFromJson(j: Json): ValidatorSet {
  const validators = ((j.validators ?? []) as Json[]).map((v) => {
    const pub = (v.pub_key ?? {}) as Json;
    if (pub["@type"] !== "/cosmos.crypto.ed25519.PubKey") throw new Error(`validator ${String(v.address)} has a ${String(pub["@type"])} key, not ed25519`);
    return {
      address: fromBech32(String(v.address), 90).data,
      pubKey: { ed25519: b64(pub.key) },
      votingPower: big(v.voting_power),
      proposerPriority: big(v.proposer_priority),
    };
  });
  return { validators, proposer: undefined, totalVotingPower: 0n };
}

/** A certificate as the REST API prints it (the gateway's JSON), to compare with what was served. */
export function certificateJson(c: Certificate): Json {
  return {
    content_id: c.contentId.toString(),
    content_hash: c.contentHash.length > 0 ? toB64(c.contentHash) : null,
    claims: c.claims.map((claim) => ({
      claim_id: claim.claimId.toString(),
      claim_hash: claim.claimHash.length > 0 ? toB64(claim.claimHash) : null,
      status: ClaimStatus[claim.status] ?? claim.status,
      verdict: Verdict[claim.verdict] ?? claim.verdict,
      stake_for: claim.stakeFor,
      stake_against: claim.stakeAgainst,
      stake_assigned: claim.stakeAssigned,
      voters: claim.voters.map((v) => ({
        validator: v.validator,
        verdict: Verdict[v.verdict] ?? v.verdict,
        model_hash: v.modelHash.length > 0 ? toB64(v.modelHash) : null,
        power: v.power,
      })),
    })),
    height: c.height.toString(),
  };
}

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Json).sort()) : x));

export interface CertificateEvidence {
  chainId: string;
  contentId: bigint;
  /** The certificate as the REST API served it (JSON). */
  served: Json;
  /** abci_query of store/claims/key at height H with prove=true (the REST ABCIQuery answer). */
  query: Json;
  /** Block H+1 (REST GetBlockByHeight): its block_id and header. */
  block: Json;
  /** Block H+2's last_commit: the commit of block H+1. */
  commit: Json;
  /** The validator set at H+1 (REST GetValidatorSetByHeight). */
  validators: Json;
}

/** Runs every check; each step is reported, and a step that cannot run (an earlier one failed) says so. */
export function checkCertificate(e: CertificateEvidence): { ok: boolean; steps: CheckStep[]; proven?: Certificate } {
  const steps: CheckStep[] = [];
  const step = (name: string, run: () => string): boolean => {
    try {
      steps.push({ name, ok: true, detail: run() });
      return true;
    } catch (err) {
      steps.push({ name, ok: false, detail: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };
  let header: Header | undefined;
  let vals: ValidatorSet | undefined;
  let commit: Commit | undefined;
  let proven: Certificate | undefined;
  const queryHeight = big(e.query.height);
  step("the node's answers can be read", () => {
    header = headerFromJson(((e.block.block as Json).header ?? {}) as Json);
    vals = validatorSetFromJson(e.validators);
    commit = commitFromJson(e.commit);
    if (Number(e.query.code ?? 0) !== 0) throw new Error(`abci_query failed: ${String(e.query.log)}`);
    return `header ${header.height}, ${vals.validators.length} validators, commit of height ${commit.height}, proof at height ${queryHeight}`;
  });
  if (!header || !vals || !commit) return { ok: false, steps };
  const h = header;
  const v = vals;
  const c = commit;
  step("the header is the one after the proof's height", () => {
    if (h.height !== queryHeight + 1n)
      throw new Error(`header ${h.height} is not the one after the proof's height ${queryHeight}: its app hash does not commit to that state`);
    if (h.chainId !== e.chainId) throw new Error(`header is of chain ${h.chainId}, not ${e.chainId}`);
    return `header ${h.height} of ${h.chainId} holds the app hash of the state at ${queryHeight}`;
  });
  step("the validator set is the header's", () => {
    const got = validatorSetHash(v);
    if (!sameBytes(got, h.validatorsHash)) throw new Error(`the fetched validators hash to ${hexOf(got)}, the header names ${hexOf(h.validatorsHash)}`);
    return `${v.validators.length} validators hash to the header's validators_hash ${hexOf(h.validatorsHash).slice(0, 16)}…`;
  });
  step("the commit signs this header", () => {
    const hash = headerHash(h);
    if (!sameBytes(hash, c.blockId.hash)) throw new Error(`the header hashes to ${hexOf(hash)}, the commit signs block ${hexOf(c.blockId.hash)}`);
    return `header hash ${hexOf(hash).slice(0, 16)}… is the block the commit signs`;
  });
  step("validators with more than 2/3 of the power signed it", () => {
    verifyCommitLight(e.chainId, v, c.blockId, h.height, c);
    const total = v.validators.reduce((s, x) => s + x.votingPower, 0n);
    const signed = c.signatures.reduce(
      (s, sig, i) => s + (sig.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT ? (v.validators[i]?.votingPower ?? 0n) : 0n),
      0n,
    );
    return `ed25519 signatures holding ${signed} of ${total} voting power verify (more than 2/3 needed)`;
  });
  const ops = (((e.query.proof_ops ?? {}) as Json).ops ?? []) as Json[];
  const key = certificateKey(e.contentId);
  const value = b64(e.query.value);
  let storeRoot: Uint8Array | undefined;
  step("the certificate is in the claims store (ICS-23, IAVL)", () => {
    if (ops.length !== 2 || ops[0]!.type !== "ics23:iavl" || ops[1]!.type !== "ics23:simple")
      throw new Error(`want two proof ops (ics23:iavl, ics23:simple), got ${ops.map((o) => String(o.type)).join(", ") || "none"}`);
    if (value.length === 0) throw new Error("the node proved no value under the certificate's key");
    if (!sameBytes(b64(ops[0]!.key), key)) throw new Error("the proof is for another key");
    const proof = ics23.CommitmentProof.decode(b64(ops[0]!.data));
    if (!proof.exist) throw new Error("the proof is not an existence proof");
    storeRoot = calculateExistenceRoot(proof.exist);
    if (!verifyMembership(proof, iavlSpec, storeRoot, key, value)) throw new Error("the existence proof does not verify for this key and value");
    return `key ${hexOf(key)} holds ${value.length} bytes under claims store root ${hexOf(storeRoot).slice(0, 16)}…`;
  });
  step("the claims store is in the header's app hash (ICS-23, simple Merkle)", () => {
    if (!storeRoot) throw new Error("no store root: the store proof failed");
    const proof = ics23.CommitmentProof.decode(b64(ops[1]!.data));
    const name = new TextEncoder().encode(CLAIMS_STORE);
    if (!verifyMembership(proof, tendermintSpec, h.appHash, name, storeRoot)) throw new Error(`the store proof does not lead to app hash ${hexOf(h.appHash)}`);
    return `the claims store root leads to app hash ${hexOf(h.appHash).slice(0, 16)}… of header ${h.height}`;
  });
  step("the certificate shown is the one proven", () => {
    if (value.length === 0) throw new Error("nothing was proven");
    proven = Certificate.decode(value);
    if (proven.contentId !== e.contentId) throw new Error(`the proven certificate is of content ${proven.contentId}, not ${e.contentId}`);
    if (canonical(certificateJson(proven)) !== canonical(e.served))
      throw new Error("the certificate the API served differs from the bytes in the proven state");
    return `content ${proven.contentId}: ${proven.claims.length} claims, settled at height ${proven.height}`;
  });
  return { ok: steps.every((s) => s.ok), steps, proven };
}
