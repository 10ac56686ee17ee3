// A light block (signed header and validator set) read from a real CometBFT's RPC (/commit and
// /validators) and turned into the protobuf messages a relayer puts in an 07-tendermint Header: hashes
// come as upper-case hex, signatures and keys as base64, times as RFC 3339 with nanoseconds, int64s as
// strings, and an absent signature as null.
import type { BlockID, SignedHeader } from "cosmjs-types/tendermint/types/types";
import { BlockIDFlag, ValidatorSet } from "cosmjs-types/tendermint/types/validator";
import { rpc } from "../../app/cli/cometbft";
import { parseUtcTime } from "./evidence";

interface BlockIdJson {
  hash: string;
  parts: { total: number; hash: string };
}

interface CommitResult {
  signed_header: {
    header: {
      version: { block: string; app?: string };
      chain_id: string;
      height: string;
      time: string;
      last_block_id: BlockIdJson;
      last_commit_hash: string;
      data_hash: string;
      validators_hash: string;
      next_validators_hash: string;
      consensus_hash: string;
      app_hash: string;
      last_results_hash: string;
      evidence_hash: string;
      proposer_address: string;
    };
    commit: {
      height: string;
      round: number;
      block_id: BlockIdJson;
      signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[];
    };
  };
}

interface ValidatorsResult {
  validators: { address: string; pub_key: { type: string; value: string }; voting_power: string; proposer_priority: string }[];
  total: string;
}

const fromHex = (s: string): Uint8Array => Buffer.from(s, "hex");

function blockId(b: BlockIdJson): BlockID {
  return { hash: fromHex(b.hash), partSetHeader: { total: b.parts.total, hash: fromHex(b.parts.hash) } };
}

export interface LightBlock {
  signedHeader: Required<SignedHeader>;
  validatorSet: ValidatorSet;
  /** The block id hash CometBFT itself reports for this height (the commit's). */
  blockIdHash: Uint8Array;
}

/** The signed header at `height` and the validators that signed it, as protobuf messages. */
export async function fetchLightBlock(rpcUrl: string, height: number): Promise<LightBlock> {
  const { signed_header: sh } = await rpc<CommitResult>(rpcUrl, "commit", { height: String(height) });
  const h = sh.header;
  const header = {
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? "0") },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: parseUtcTime(h.time),
    lastBlockId: blockId(h.last_block_id),
    lastCommitHash: fromHex(h.last_commit_hash),
    dataHash: fromHex(h.data_hash),
    validatorsHash: fromHex(h.validators_hash),
    nextValidatorsHash: fromHex(h.next_validators_hash),
    consensusHash: fromHex(h.consensus_hash),
    appHash: fromHex(h.app_hash),
    lastResultsHash: fromHex(h.last_results_hash),
    evidenceHash: fromHex(h.evidence_hash),
    proposerAddress: fromHex(h.proposer_address),
  };
  const commit = {
    height: BigInt(sh.commit.height),
    round: sh.commit.round,
    blockId: blockId(sh.commit.block_id),
    signatures: sh.commit.signatures.map((s) => ({
      blockIdFlag: s.block_id_flag as BlockIDFlag,
      validatorAddress: fromHex(s.validator_address),
      timestamp: parseUtcTime(s.timestamp),
      signature: Buffer.from(s.signature ?? "", "base64"),
    })),
  };

  const vals = await rpc<ValidatorsResult>(rpcUrl, "validators", { height: String(height), per_page: "100" });
  if (vals.validators.length !== Number(vals.total)) throw new Error(`/validators at ${height} gave ${vals.validators.length} of ${vals.total} validators`);
  const validators = vals.validators.map((v) => {
    if (v.pub_key.type !== "tendermint/PubKeyEd25519") throw new Error(`validator ${v.address} has a ${v.pub_key.type} key; only ed25519 is handled`);
    return {
      address: fromHex(v.address),
      pubKey: { ed25519: Buffer.from(v.pub_key.value, "base64") },
      votingPower: BigInt(v.voting_power),
      proposerPriority: BigInt(v.proposer_priority),
    };
  });
  const proposer = validators.find((v) => Buffer.from(v.address).equals(Buffer.from(header.proposerAddress)));
  return {
    signedHeader: { header, commit },
    validatorSet: { validators, proposer, totalVotingPower: validators.reduce((s, v) => s + v.votingPower, 0n) },
    blockIdHash: commit.blockId.hash,
  };
}
