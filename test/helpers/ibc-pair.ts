// Two Mira chains side by side in one process, and a relayer written for tests, to drive IBC end to end
// without CometBFT: every block's header is made up (test/helpers/lightclient.ts) and signed by validators
// of the light client's own, but it carries the chain's real app hash and block time, and the chain's
// FinalizeBlock is told the same next-validators hash. So each chain's light client of the other checks
// real proofs of the other's real state, as with a real relayer (the Hermes tests do it with CometBFT).
// The relayer sends what Hermes sends: MsgUpdateClient with the header, then the message with its proofs
// from the other chain's store at the header's height - 1.
import type { EncodeObject } from "@cosmjs/proto-signing";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Height } from "cosmjs-types/ibc/core/client/v1/client";
import type { ExecTxResult, RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { ClientState, ConsensusState, Header } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import type { Test } from "tap";
import type { AppGenesis } from "../../app/chain/genesis";
import { encodeMerkleProof, proofOpsToMerkleProof, sdkProofSpecs } from "../../modules/ibc/commitment/merkle";
import { consensusStateFromHeader } from "../../modules/ibc/lightclient/tendermint";
import { validatorSetHash } from "../../modules/ibc/lightclient/hash";
import { parseRevisionNumber } from "../../modules/ibc/lightclient/height";
import { signTx } from "./app-driver";
import { type Chain, run, startChain } from "./chain";
import { ibcHeader, SECOND, type TestValidator, testValidator, validatorSet } from "./lightclient";

export const UNBONDING_S = 1_814_400n; // 21 days: light clients of these chains trust 14

export interface SimChain {
  chainId: string;
  chain: Chain;
  vals: TestValidator[];
  /** Block time (ns) of each height this test made. */
  timeNs: Map<bigint, bigint>;
  /** The app hash after each committed height. */
  appHash: Map<bigint, Uint8Array>;
}

/** Block `h`'s time: 5 s a block from 2025-01-01, with nanoseconds, so that any rounding to milliseconds would show. */
const blockTimeNs = (h: bigint): bigint => 1_735_689_600n * SECOND + h * 5n * SECOND + 123_456_789n;

export async function startSimChain(t: Test, chainId: string, valName: string, extra: Partial<AppGenesis> = {}): Promise<SimChain> {
  const chain = await startChain(t, {
    validators: 1,
    chainId,
    extra: { staking: { params: { unbonding_time: `${UNBONDING_S}s`, max_validators: 100, bond_denom: "umira" } }, ...extra },
  });
  const sim: SimChain = { chainId, chain, vals: [testValidator(valName, 10n)], timeNs: new Map(), appHash: new Map() };
  sim.appHash.set(BigInt(chain.app.store.version), chain.app.store.appHash);
  return sim;
}

/** One block with `txs`, its time and next-validators hash as the made-up headers say. */
export async function block(c: SimChain, txs: Uint8Array[] = []) {
  const height = BigInt(c.chain.app.store.version + 1);
  const edit = (req: RequestFinalizeBlock) => {
    const ns = blockTimeNs(height);
    req.time = { seconds: ns / SECOND, nanos: Number(ns % SECOND) };
    req.nextValidatorsHash = validatorSetHash(validatorSet(c.vals));
  };
  const res = await run(c.chain, txs, edit);
  c.timeNs.set(height, blockTimeNs(height));
  c.appHash.set(height, c.chain.app.store.appHash);
  return res;
}

export const height = (c: SimChain): bigint => BigInt(c.chain.app.store.version);
export const ibcHeight = (c: SimChain, h: bigint): Height => ({ revisionNumber: parseRevisionNumber(c.chainId), revisionHeight: h });

/** The header of committed height `h` of `c` (its app hash is the state after h - 1), trusted from `trusted`. */
export function headerOf(c: SimChain, h: bigint, trusted: bigint): Header {
  const time = c.timeNs.get(h);
  const appHash = c.appHash.get(h - 1n);
  if (time === undefined || appHash === undefined) throw new Error(`${c.chainId} has no block ${h} made by this test`);
  return ibcHeader({ chainId: c.chainId, height: h, timeNs: time, vals: c.vals, appHash, trustedHeight: trusted, trustedVals: c.vals });
}

/** A 07-tendermint client state of `c` at height `h`, as Hermes makes one: SDK proof specs, 1/3 trust, 14 days of trust. */
export function clientStateOf(c: SimChain, h: bigint): ClientState {
  return {
    chainId: c.chainId,
    trustLevel: { numerator: 1n, denominator: 3n },
    trustingPeriod: { seconds: 14n * 86_400n, nanos: 0 },
    unbondingPeriod: { seconds: UNBONDING_S, nanos: 0 },
    maxClockDrift: { seconds: 40n, nanos: 0 },
    frozenHeight: { revisionNumber: 0n, revisionHeight: 0n },
    latestHeight: ibcHeight(c, h),
    proofSpecs: sdkProofSpecs(),
    upgradePath: ["upgrade", "upgradedIBCState"],
    allowUpdateAfterExpiry: false,
    allowUpdateAfterMisbehaviour: false,
  };
}

export const anyOf = (typeUrl: string, value: Uint8Array): Any => Any.fromPartial({ typeUrl, value });
export const clientStateAny = (cs: ClientState): Any => anyOf("/ibc.lightclients.tendermint.v1.ClientState", ClientState.encode(cs).finish());
export const consensusStateAny = (cs: ConsensusState): Any => anyOf("/ibc.lightclients.tendermint.v1.ConsensusState", ConsensusState.encode(cs).finish());
export const headerAny = (h: Header): Any => anyOf("/ibc.lightclients.tendermint.v1.Header", Header.encode(h).finish());

/** `c`'s proof of `path` in its "ibc" substore at committed height `h` (checked against header h + 1). */
export function proveAt(c: SimChain, path: string, h: bigint): { value: Uint8Array | undefined; proof: Uint8Array } {
  const q = c.chain.app.store.prove("ibc", Buffer.from(path), Number(h));
  return { value: q.value, proof: encodeMerkleProof(proofOpsToMerkleProof(q.proofOps)) };
}

/** Signs and runs `msgs` as wallet `w` of `c` in the next block; returns the tx result. */
export async function send(c: SimChain, msgs: EncodeObject[], w = 0): Promise<ExecTxResult> {
  const wallet = c.chain.wallets[w]!;
  const sequence = c.chain.seq.get(wallet.address)!;
  const raw = await signTx(wallet, msgs, { accountNumber: c.chain.accNum.get(wallet.address)!, sequence, gas: "3000000", fee: "75000", chainId: c.chainId });
  const res = await block(c, [raw]);
  c.chain.seq.set(wallet.address, sequence + 1);
  return res.txResults![0] as ExecTxResult;
}

/** MsgCreateClient on `host` for a client of `of` at its latest committed height; returns the client id from the tx's events. */
export async function createClient(host: SimChain, of: SimChain, signer: string): Promise<{ clientId: string; res: ExecTxResult }> {
  await block(of);
  const h = height(of);
  const header = headerOf(of, h, h - 1n);
  const res = await send(host, [
    {
      typeUrl: "/ibc.core.client.v1.MsgCreateClient",
      value: { clientState: clientStateAny(clientStateOf(of, h)), consensusState: consensusStateAny(consensusStateFromHeader(header)), signer },
    },
  ]);
  const clientId = res.events.find((e) => e.type === "create_client")?.attributes.find((a) => a.key === "client_id")?.value ?? "";
  return { clientId, res };
}

/** A MsgUpdateClient bringing `host`'s client of `of` to `of`'s latest committed height (from `trusted`). */
export function updateMsg(of: SimChain, clientId: string, trusted: bigint, signer: string): EncodeObject {
  return { typeUrl: "/ibc.core.client.v1.MsgUpdateClient", value: { clientId, clientMessage: headerAny(headerOf(of, height(of), trusted)), signer } };
}
