// `mirad query claims ...`: content, claim, certificate (with --prove, its store proof), claims-by-submitter,
// pending, verifier-stats and params, over the claims module's gRPC query methods.
import { toBase64 } from "@cosmjs/encoding";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { certificateKey, STORE as CLAIMS_STORE } from "../../modules/claims/keys";
import { Certificate, Claim, Content, Params, VerifierStats } from "../../proto/gen/mira/claims/v1/claims";
import {
  QueryCertificateRequest,
  QueryCertificateResponse,
  QueryClaimRequest,
  QueryClaimResponse,
  QueryClaimsBySubmitterRequest,
  QueryClaimsBySubmitterResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryMethods,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryPendingClaimsRequest,
  QueryPendingClaimsResponse,
  QueryVerifierStatsRequest,
  QueryVerifierStatsResponse,
} from "../../proto/gen/mira/claims/v1/query";
import { parseAddress } from "../core/address";
import { integerFlag, NODE_FLAGS, NODE_HELP, parseFlags, positionalArguments, printHelp } from "./flags";
import { OutputFormat, parseOutputFormat, printJson, printLine, printRecords, usageError } from "./output";
import { nullWhenNotFound, QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler, withNode, withQueryClient } from "./query-client";
import { isJsonObject, JsonObject, PAGE_FLAGS, PAGE_FLAGS_HELP, pageRequest, printPage, queryMethod, sdkObject, textRecord } from "./query-records";
import { durationText, validatorArg } from "./staking-args";

const CONTENT_HELP = `A submitted content: its submitter, the SHA-256 of its text, its claims' ids, the fee it escrowed,
its certification threshold and verifiers per claim, and how many of its claims are settled.

Usage: mirad query claims content <content-id> [flags]

${QUERY_FLAGS_HELP}`;

const CLAIM_HELP = `One claim: its content, its text and hash, the validators assigned to verify it, their votes, its deadline,
status (PENDING, CERTIFIED, UNRESOLVED) and verdict.

Usage: mirad query claims claim <claim-id> [flags]

${QUERY_FLAGS_HELP}`;

const CERTIFICATE_HELP = `A content's certificate, written once every claim of the content is settled: per claim its status, verdict,
the stake for and against it, and who voted. With --prove, also the certificate's bytes in the claims store
(key 0x16 + content id) and their ICS-23 proof (abci_query store/${CLAIMS_STORE}/key, prove=true) at the same height H;
the proof verifies against the app hash in the header of block H+1 ('mirad verify-certificate' does that).

Usage: mirad query claims certificate <content-id> [--prove] [flags]

      --prove                      add the store value and its proof ops (base64)
${QUERY_FLAGS_HELP}`;

const BY_SUBMITTER_HELP = `The contents an account submitted, oldest first, one page at a time.

Usage: mirad query claims claims-by-submitter <address> [--limit N] [--page-key KEY] [flags]

${PAGE_FLAGS_HELP}
${QUERY_FLAGS_HELP}`;

const PENDING_HELP = `Claims waiting for verdicts (assigned, not yet settled), by id, one page at a time: all of them, or those
assigned to one validator.

Usage: mirad query claims pending [--validator miravaloper1...] [--limit N] [--page-key KEY] [flags]

      --validator V                only the claims assigned to this validator (its miravaloper1... address)
${PAGE_FLAGS_HELP}
${QUERY_FLAGS_HELP}`;

const STATS_HELP = `A validator's verification record: claims assigned to it and settled, how often it agreed with the settled
verdict, disagreed, or missed; its faults in the current window and how often it was slashed for them.

Usage: mirad query claims verifier-stats <validator-addr> [flags]

${QUERY_FLAGS_HELP}`;

const VERDICTS_HELP = `A validator's most recent verdicts as the chain recorded them, newest first: the height of the block that
recorded each, the content and claim, the verdict, its confidence, and whether it came late (after the claim was
certified). Read from the claim_verified events of finalized blocks through CometBFT's block event index
(block_search; the node must index events, indexer = "kv", CometBFT's default), so a pruned or non-indexing node
shows fewer. For counts over its whole history: mirad query claims verifier-stats.

Usage: mirad query claims verdicts <validator-addr> [--limit N] [flags]

      --limit N                    at most N verdicts (default 20, at most 1000)
${NODE_HELP}`;

const PARAMS_HELP = `The claims module's parameters: claim and content limits, verifiers per claim, thresholds, deadline, fee per
claim, fault window and slashing, allowed model hashes.

Usage: mirad query claims params [flags]

${QUERY_FLAGS_HELP}`;

export const COMMANDS: Readonly<Record<string, QueryHandler>> = {
  content: contentCommand,
  claim: claimCommand,
  certificate: certificateCommand,
  "claims-by-submitter": claimsBySubmitterCommand,
  pending: pendingCommand,
  "verifier-stats": verifierStatsCommand,
  verdicts: verdictsCommand,
  params: paramsCommand,
};

/** An id the chain numbers from 1 (a content's or a claim's): a uint64. */
export function idArg(text: string, what: string, command: string): bigint {
  if (!/^\d+$/.test(text) || BigInt(text) === 0n || BigInt(text) >= 1n << 64n)
    throw usageError(`invalid ${what} "${text}": expected a positive integer`, command);
  return BigInt(text);
}

async function contentCommand(args: string[]): Promise<number> {
  const command = "query claims content";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(CONTENT_HELP);
  const [idText] = positionalArguments(flags.positionals, ["content-id"], command);
  const id = idArg(idText, "content id", command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const found = await queryMethod(flags.values.node, height, QueryMethods.Content, QueryContentRequest.encode({ id }).finish(), QueryContentResponse.decode);
  const content = found?.content;
  if (content === undefined) throw new Error(`content ${id} not found; 'mirad query claims claims-by-submitter <address>' lists an account's contents`);
  const json = sdkObject(Content.toJSON(content));
  if (output === "json") printJson({ content: json });
  else printRecords([textRecord(json)]);
  return 0;
}

async function claimCommand(args: string[]): Promise<number> {
  const command = "query claims claim";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(CLAIM_HELP);
  const [idText] = positionalArguments(flags.positionals, ["claim-id"], command);
  const id = idArg(idText, "claim id", command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const found = await queryMethod(flags.values.node, height, QueryMethods.Claim, QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode);
  const claim = found?.claim;
  if (claim === undefined) throw new Error(`claim ${id} not found; 'mirad query claims content <content-id>' lists a content's claim ids`);
  const json = sdkObject(Claim.toJSON(claim));
  if (output === "json") printJson({ claim: json });
  else printRecords([textRecord(json)]);
  return 0;
}

async function certificateCommand(args: string[]): Promise<number> {
  const command = "query claims certificate";
  const flags = parseFlags(args, { ...QUERY_FLAGS, prove: { type: "boolean" } }, command);
  if (flags.values.help === true) return printHelp(CERTIFICATE_HELP);
  const [idText] = positionalArguments(flags.positionals, ["content-id"], command);
  const contentId = idArg(idText, "content id", command);
  const output = parseOutputFormat(flags.values.output);
  const requested = integerFlag(flags.values.height, "height", command);
  const request = QueryCertificateRequest.encode({ contentId }).finish();
  const found = await withQueryClient(flags.values.node, requested, (client) => client.queryAbci(QueryMethods.Certificate, request).catch(nullWhenNotFound));
  const certificate = found === null ? undefined : QueryCertificateResponse.decode(found.value).certificate;
  if (found === null || certificate === undefined) {
    throw new Error(
      `no certificate for content ${contentId} yet: one is written once all its claims are settled; 'mirad query claims content ${contentId}' shows how many are`,
    );
  }
  const json = sdkObject(Certificate.toJSON(certificate));
  // The proof is of the same state the certificate was read from.
  const proof = flags.values.prove === true ? await withNode(flags.values.node, (comet) => fetchProvenCertificate(comet, contentId, found.height)) : undefined;
  printCertificate(json, proof, output);
  return 0;
}

function printCertificate(json: JsonObject, proof: ProvenCertificate | undefined, output: OutputFormat): void {
  const proofJson = proof === undefined ? undefined : provenJson(proof);
  if (output === "json") {
    printJson(proofJson === undefined ? { certificate: json } : { certificate: json, proof: proofJson });
    return;
  }
  const { claims, ...header } = json;
  const claimRecords = Array.isArray(claims) ? claims.filter(isJsonObject).map(textRecord) : [];
  const records = [textRecord({ ...header, claims: claimRecords.length }), ...claimRecords];
  if (proofJson !== undefined) {
    const { proof_ops: ops, ...rest } = proofJson;
    records.push(textRecord(rest), ...ops.map((op) => textRecord({ ...op })));
  }
  printRecords(records);
}

function provenJson(proof: ProvenCertificate) {
  return {
    height: String(proof.height),
    store: CLAIMS_STORE,
    key: toBase64(proof.key),
    value: toBase64(proof.value),
    proof_ops: proof.proofOps.map((op) => ({ type: op.type, key: toBase64(op.key), data: toBase64(op.data) })),
  };
}

async function claimsBySubmitterCommand(args: string[]): Promise<number> {
  const command = "query claims claims-by-submitter";
  const flags = parseFlags(args, { ...QUERY_FLAGS, ...PAGE_FLAGS }, command);
  if (flags.values.help === true) return printHelp(BY_SUBMITTER_HELP);
  const [submitter] = positionalArguments(flags.positionals, ["address"], command);
  parseAddress(submitter);
  const pagination = pageRequest(flags.values.limit, flags.values["page-key"], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const request = QueryClaimsBySubmitterRequest.encode({ submitter, pagination }).finish();
  const res = await queryMethod(flags.values.node, height, QueryMethods.ClaimsBySubmitter, request, QueryClaimsBySubmitterResponse.decode);
  const contents = (res?.contents ?? []).map((c) => sdkObject(Content.toJSON(c)));
  printPage("contents", contents, res?.pagination, output, `No contents submitted by ${submitter}.`);
  return 0;
}

async function pendingCommand(args: string[]): Promise<number> {
  const command = "query claims pending";
  const flags = parseFlags(args, { ...QUERY_FLAGS, ...PAGE_FLAGS, validator: { type: "string" } }, command);
  if (flags.values.help === true) return printHelp(PENDING_HELP);
  positionalArguments(flags.positionals, [], command);
  const validator = flags.values.validator ?? "";
  if (validator !== "") validatorArg(validator, command);
  const pagination = pageRequest(flags.values.limit, flags.values["page-key"], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const request = QueryPendingClaimsRequest.encode({ validator, pagination }).finish();
  const res = await queryMethod(flags.values.node, height, QueryMethods.PendingClaims, request, QueryPendingClaimsResponse.decode);
  const claims = (res?.claims ?? []).map((c) => sdkObject(Claim.toJSON(c)));
  printPage("claims", claims, res?.pagination, output, validator === "" ? "No pending claims." : `No pending claims assigned to ${validator}.`);
  return 0;
}

/** One verdict a block recorded (a claim_verified event). */
export interface RecordedVerdict {
  height: string;
  content_id: string;
  claim_id: string;
  verdict: string;
  confidence_bp: string;
  late: boolean;
}

/** The newest `limit` verdicts of `validator`, from the claim_verified events of the blocks CometBFT's index finds. */
export async function recentVerdicts(comet: CometClient, validator: string, limit: number): Promise<RecordedVerdict[]> {
  const out: RecordedVerdict[] = [];
  const query = `claim_verified.validator='${validator}'`;
  for (let page = 1; out.length < limit; page++) {
    const found = await comet.blockSearch({ query, page, per_page: 20, order_by: "desc" });
    // CometBFT pages newest first (order_by desc); CosmJS re-sorts each page oldest first: newest first again.
    const blocks = [...found.blocks].sort((x, y) => y.block.header.height - x.block.header.height);
    for (const { block } of blocks) {
      const height = block.header.height;
      const results = await comet.blockResults(height);
      const events = "finalizeBlockEvents" in results ? results.finalizeBlockEvents : [];
      const mine = events
        .filter((e) => e.type === "claim_verified")
        .map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])))
        .filter((a) => a["validator"] === validator);
      for (const a of mine) {
        if (out.length >= limit) break;
        out.push({
          height: String(height),
          content_id: a["content_id"] ?? "",
          claim_id: a["claim_id"] ?? "",
          verdict: a["verdict"] ?? "",
          confidence_bp: a["confidence_bp"] ?? "",
          late: a["late"] === "true",
        });
      }
    }
    if (found.blocks.length === 0 || page * 20 >= found.totalCount) break;
  }
  return out;
}

async function verdictsCommand(args: string[]): Promise<number> {
  const command = "query claims verdicts";
  const flags = parseFlags(args, { ...NODE_FLAGS, limit: { type: "string" } }, command);
  if (flags.values.help === true) return printHelp(VERDICTS_HELP);
  const [validator] = positionalArguments(flags.positionals, ["validator-addr"], command);
  validatorArg(validator, command);
  const limit = integerFlag(flags.values.limit, "limit", command) ?? 20;
  if (limit < 1 || limit > 1000) throw usageError(`--limit ${limit} is outside [1, 1000]`, command);
  const output = parseOutputFormat(flags.values.output);
  const verdicts = await withNode(flags.values.node, (comet) => recentVerdicts(comet, validator, limit));
  if (output === "json") printJson({ validator, verdicts });
  else if (verdicts.length === 0) printLine(`no recorded verdicts of ${validator} in this node's event index`);
  else printRecords(verdicts.map((v) => ({ ...v, late: String(v.late) })));
  return 0;
}

async function verifierStatsCommand(args: string[]): Promise<number> {
  const command = "query claims verifier-stats";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(STATS_HELP);
  const [validator] = positionalArguments(flags.positionals, ["validator-addr"], command);
  validatorArg(validator, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const request = QueryVerifierStatsRequest.encode({ validator }).finish();
  const res = await queryMethod(flags.values.node, height, QueryMethods.VerifierStats, request, QueryVerifierStatsResponse.decode);
  if (res?.stats === undefined) throw new Error(`the node answered without verifier stats for ${validator}`);
  const json = sdkObject(VerifierStats.toJSON(res.stats));
  if (output === "json") printJson({ stats: json });
  else printRecords([textRecord(json)]);
  return 0;
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query claims params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const res = await queryMethod(flags.values.node, height, QueryMethods.Params, QueryParamsRequest.encode({}).finish(), QueryParamsResponse.decode);
  if (res?.params === undefined) throw new Error("the node answered without the claims parameters");
  // A Duration's JSON is "600s", as the SDK writes it.
  const json = { ...sdkObject(Params.toJSON(res.params)), jail_duration: durationText(res.params.jailDuration) };
  if (output === "json") printJson({ params: json });
  else printRecords([textRecord(json)]);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// proofs

/** A proof op as CometBFT returns it (tendermint.crypto.ProofOp). */
export interface ProofOp {
  type: string;
  key: Uint8Array;
  data: Uint8Array;
}

/** A certificate's entry in the claims store at a height, with its proof: what abci_query store/claims/key answers. */
export interface ProvenCertificate {
  contentId: bigint;
  /** The state height the value and the proof are of (the state after block `height`). */
  height: number;
  key: Uint8Array;
  /** Empty when the store holds no certificate for the content at that height. */
  value: Uint8Array;
  proofOps: ProofOp[];
}

/** The certificate's store bytes and their proof at `height` (the latest when undefined). */
export async function fetchProvenCertificate(comet: CometClient, contentId: bigint, height: number | undefined): Promise<ProvenCertificate> {
  const key = certificateKey(contentId);
  const res = await comet.abciQuery({ path: `store/${CLAIMS_STORE}/key`, data: key, height, prove: true });
  const at = height === undefined ? "the latest height" : `height ${height}`;
  if (res.code) throw new Error(`the node could not prove the certificate's store entry at ${at}: code ${res.code}: ${res.log ?? ""}`);
  if (!res.height) throw new Error("the node answered the proof query without a height");
  if (height !== undefined && res.height !== height) throw new Error(`asked for a proof at height ${height}, the node answered for height ${res.height}`);
  const proofOps = (res.proof?.ops ?? []).map((op) => ({ type: op.type, key: op.key, data: op.data }));
  return { contentId, height: res.height, key, value: res.value, proofOps };
}
