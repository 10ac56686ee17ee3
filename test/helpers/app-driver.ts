// Drives MiraApp directly (no socket): genesis, blocks of txs, commits; and signs txs with CosmJS.
import path from "node:path";
import { DirectSecp256k1HdWallet, EncodeObject, type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { MsgUpdateParams as AuthMsgUpdateParams } from "cosmjs-types/cosmos/auth/v1beta1/tx";
import { MsgUpdateParams as BankMsgUpdateParams } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgUpdateParams as ConsensusMsgUpdateParams } from "cosmjs-types/cosmos/consensus/v1/tx";
import { MsgCommunityPoolSpend, MsgUpdateParams as DistributionMsgUpdateParams } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgUpdateParams as MintMsgUpdateParams } from "cosmjs-types/cosmos/mint/v1beta1/tx";
import { MsgUpdateParams as SlashingMsgUpdateParams } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { MsgUpdateParams as StakingMsgUpdateParams } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { miraTypes } from "../../modules/sessions/client";
import { defaultRegistryTypes, SigningStargateClient } from "@cosmjs/stargate";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { MsgCancelProposal } from "cosmjs-types/cosmos/gov/v1/tx";
import { MsgVoteWeighted as MsgVoteWeightedV1beta1 } from "cosmjs-types/cosmos/gov/v1beta1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { Test } from "tap";
import { MiraApp, STORE_NAMES } from "../../app/chain/app";
import type { AppGenesis } from "../../app/chain/genesis";
import { MultiStore } from "../../app/store";
import { tempDir } from "./tmp";

export const CHAIN_ID = "mira-test-1";

export interface Wallet {
  address: string;
  client: SigningStargateClient;
}

export async function wallet(mnemonic: string): Promise<Wallet> {
  const w = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "mira" });
  const [a] = await w.getAccounts();
  return { address: a!.address, client: await SigningStargateClient.offline(w, { registry: registry() }) };
}

/** CosmJS's default types plus the SDK messages it leaves out (MsgUnjail, the governance-only ones, gov's MsgCancelProposal and v1beta1 MsgVoteWeighted) and the chain's own. */
export function registry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail],
    ["/cosmos.gov.v1.MsgCancelProposal", MsgCancelProposal],
    ["/cosmos.gov.v1beta1.MsgVoteWeighted", MsgVoteWeightedV1beta1],
    ...GOVERNANCE_TYPES,
    ...miraTypes,
  ]);
}

/** The SDK's governance-only messages (each module's MsgUpdateParams, MsgCommunityPoolSpend), which CosmJS's defaults leave out. */
export const GOVERNANCE_TYPES: ReadonlyArray<[string, GeneratedType]> = [
  ["/cosmos.auth.v1beta1.MsgUpdateParams", AuthMsgUpdateParams],
  ["/cosmos.bank.v1beta1.MsgUpdateParams", BankMsgUpdateParams],
  ["/cosmos.staking.v1beta1.MsgUpdateParams", StakingMsgUpdateParams],
  ["/cosmos.slashing.v1beta1.MsgUpdateParams", SlashingMsgUpdateParams],
  ["/cosmos.distribution.v1beta1.MsgUpdateParams", DistributionMsgUpdateParams],
  ["/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", MsgCommunityPoolSpend],
  ["/cosmos.mint.v1beta1.MsgUpdateParams", MintMsgUpdateParams],
  ["/cosmos.consensus.v1.MsgUpdateParams", ConsensusMsgUpdateParams],
];

export async function signTx(
  w: Wallet,
  msgs: EncodeObject[],
  opts: { accountNumber: bigint; sequence: number; fee?: string; gas?: string; chainId?: string; memo?: string; granter?: string },
): Promise<Uint8Array> {
  // A fee of "0" is no fee coin at all (a zero coin is invalid), as genesis txs carry.
  const fee = {
    amount: opts.fee === "0" ? [] : [{ denom: "umira", amount: opts.fee ?? "5000" }],
    gas: opts.gas ?? "200000",
    ...(opts.granter === undefined ? {} : { granter: opts.granter }),
  };
  const raw = await w.client.sign(w.address, msgs, fee, opts.memo ?? "", {
    accountNumber: opts.accountNumber,
    sequence: opts.sequence,
    chainId: opts.chainId ?? CHAIN_ID,
  });
  return TxRaw.encode(raw).finish();
}

export function send(from: string, to: string, amount: string): EncodeObject {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: from, toAddress: to, amount: [{ denom: "umira", amount }] } };
}

/** A fresh app on a temp database, with genesis applied and block 1 committed. */
export async function startApp(t: Test, genesis: AppGenesis): Promise<{ app: MiraApp; ms: MultiStore; height: () => bigint }> {
  const ms = MultiStore.open(path.join(tempDir(t), "state.db"), { stores: STORE_NAMES });
  t.teardown(() => ms.close());
  const app = new MiraApp(ms);
  await app.initChain({
    time: { seconds: 1_700_000_000n, nanos: 0 },
    chainId: CHAIN_ID,
    validators: [],
    appStateBytes: Buffer.from(JSON.stringify(genesis)),
    initialHeight: 1n,
  });
  await block(app, []);
  return { app, ms, height: () => BigInt(ms.version) };
}

/** The FinalizeBlock request of the next block with these txs (block time 5 s per height). */
export function finalizeRequest(app: MiraApp, txs: Uint8Array[]): RequestFinalizeBlock {
  const height = BigInt(app.store.version + 1);
  return {
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height,
    time: { seconds: 1_700_000_000n + height * 5n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}

/** Runs one block with these txs and commits it; returns the tx results. */
export async function block(app: MiraApp, txs: Uint8Array[]) {
  const res = await app.finalizeBlock(finalizeRequest(app, txs));
  await app.commit();
  return res.txResults;
}
