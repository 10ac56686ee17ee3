// A MiraApp chain for module tests: five CosmJS wallets, genesis validators from gentxs, blocks 5 s
// apart, txs with tracked sequences, and query helpers.
import { createHash } from "node:crypto";
import path from "node:path";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import {
  QueryCommunityPoolResponse,
  QueryValidatorOutstandingRewardsRequest,
  QueryValidatorOutstandingRewardsResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { moduleAddress } from "../../modules/auth/keeper";
import { bech32Address } from "../../app/core/address";
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryUnbondingDelegationRequest,
  QueryUnbondingDelegationResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import type { CommitInfo, ExecTxResult, RequestFinalizeBlock, RequestProcessProposal, ResponseInitChain } from "cosmjs-types/tendermint/abci/types";
import type { Test } from "tap";
import { MiraApp, STORE_NAMES } from "../../app/chain/app";
import type { AppGenesis } from "../../app/chain/genesis";
import { MultiStore } from "../../app/store";
import { encodeInjectedCommit } from "../../app/chain/vote-extensions";
import { type Verdict, type VerifierStats, VoteExtension } from "../../proto/gen/mira/claims/v1/claims";
import { QueryVerifierStatsRequest, QueryVerifierStatsResponse } from "../../proto/gen/mira/claims/v1/query";
import { CHAIN_ID, finalizeRequest, signTx, wallet, Wallet } from "./app-driver";
import { consensusKey, gentx, valoper } from "./staking";
import { tempDir } from "./tmp";

export const MNEMONICS = [
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
  "legal winner thank year wave sausage worth useful legal winner thank yellow",
  "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
  "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
  "void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold",
];
export const MIRA = 1_000_000n;
export const UNBONDING_S = 20; // blocks are 5 s apart in the driver: unbonding takes 4 blocks

export interface Chain {
  app: MiraApp;
  init: ResponseInitChain | Record<string, unknown>;
  wallets: Wallet[];
  keys: Buffer[];
  seq: Map<string, number>;
  accNum: Map<string, bigint>;
}

export async function startChain(
  t: Test,
  opts: {
    validators: number;
    maxValidators?: number;
    stakes?: bigint[];
    extra?: Partial<AppGenesis>;
    keys?: Buffer[];
    voteExtensionsHeight?: bigint;
    /** consensus_params.block at genesis (CometBFT's defaults otherwise). */
    block?: { maxBytes: bigint; maxGas: bigint };
    /** Another chain id than the driver's (two chains side by side, for IBC). */
    chainId?: string;
  },
): Promise<Chain> {
  const wallets = await Promise.all(MNEMONICS.map(wallet));
  const keys = wallets.map((_, i) => opts.keys?.[i] ?? consensusKey());
  const gentxs: string[] = [];
  for (let i = 0; i < opts.validators; i++) {
    gentxs.push(await gentx(wallets[i]!, keys[i]!, ((opts.stakes?.[i] ?? BigInt(10 + i)) * MIRA).toString(), opts.chainId ?? CHAIN_ID, `val${i}`));
  }
  const genesis: AppGenesis = {
    auth: { min_gas_price: "0.025umira", accounts: [] },
    bank: { balances: wallets.map((w) => ({ address: w.address, coins: [{ denom: "umira", amount: (1000n * MIRA).toString() }] })) },
    staking: { params: { unbonding_time: `${UNBONDING_S}s`, max_validators: opts.maxValidators ?? 100, bond_denom: "umira" } },
    genutil: { gen_txs: gentxs },
    ...opts.extra,
  };
  const ms = MultiStore.open(path.join(tempDir(t), "state.db"), { stores: STORE_NAMES });
  t.teardown(() => ms.close());
  const app = new MiraApp(ms);
  const init = await app.initChain({
    time: { seconds: 1_700_000_000n, nanos: 0 },
    chainId: opts.chainId ?? CHAIN_ID,
    validators: [],
    appStateBytes: Buffer.from(JSON.stringify(genesis)),
    initialHeight: 1n,
    ...(opts.voteExtensionsHeight === undefined && opts.block === undefined
      ? {}
      : {
          consensusParams: {
            ...(opts.voteExtensionsHeight === undefined ? {} : { abci: { voteExtensionsEnableHeight: opts.voteExtensionsHeight } }),
            ...(opts.block === undefined ? {} : { block: opts.block }),
          },
        }),
  });
  const chain: Chain = { app, init, wallets, keys, seq: new Map(), accNum: new Map() };
  await run(chain, []);
  // Account numbers: genesis accounts are numbered in balance order, after none others.
  wallets.forEach((w, i) => chain.accNum.set(w.address, BigInt(i)));
  wallets.forEach((w, i) => chain.seq.set(w.address, i < opts.validators ? 1 : 0)); // gentxs used sequence 0
  return chain;
}

/** The last commit as CometBFT would report it: every bonded validator signed, with its power. */
export function allSigned(c: Chain): RequestFinalizeBlock["decidedLastCommit"] {
  const votes = validators(c.app, "BOND_STATUS_BONDED").map((v) => ({
    validator: {
      address: createHash("sha256").update(Ed25519PubKey.decode(v.consensusPubkey!.value).key).digest().subarray(0, 20),
      power: BigInt(v.tokens) / MIRA,
    },
    blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
  }));
  return { round: 0, votes };
}

/** One block (every bonded validator signed the last one, unless `edit` says otherwise), committed. */
export async function run(c: Chain, txs: Uint8Array[], edit?: (req: RequestFinalizeBlock) => void) {
  const req = finalizeRequest(c.app, txs);
  if (c.app.store.version > 1) req.decidedLastCommit = allSigned(c);
  edit?.(req);
  const res = await c.app.finalizeBlock(req);
  await c.app.commit();
  return res;
}

export async function tx(c: Chain, w: Wallet, msgs: Parameters<typeof signTx>[1], edit?: (req: RequestFinalizeBlock) => void): Promise<ExecTxResult> {
  const sequence = c.seq.get(w.address)!;
  const raw = await signTx(w, msgs, { accountNumber: c.accNum.get(w.address)!, sequence, gas: "400000", fee: "10000" });
  const res = await run(c, [raw], edit);
  c.seq.set(w.address, sequence + 1); // the ante passed or failed: see the code (fees are paid either way)
  return res.txResults![0] as ExecTxResult;
}

export function query<T>(app: MiraApp, method: string, data: Uint8Array, decode: (b: Uint8Array) => T): T {
  return decode(app.runQuery(method, data, BigInt(app.store.version)));
}

export function validators(app: MiraApp, status = "") {
  return query(app, "/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest.encode({ status }).finish(), QueryValidatorsResponse.decode).validators;
}

export function pool(app: MiraApp) {
  const p = query(app, "/cosmos.staking.v1beta1.Query/Pool", QueryPoolRequest.encode({}).finish(), QueryPoolResponse.decode).pool;
  return { bonded: BigInt(p.bondedTokens), notBonded: BigInt(p.notBondedTokens) };
}

export function balance(app: MiraApp, address: string): bigint {
  const b = query(
    app,
    "/cosmos.bank.v1beta1.Query/AllBalances",
    QueryAllBalancesRequest.encode({ address, resolveDenom: false }).finish(),
    QueryAllBalancesResponse.decode,
  ).balances;
  return BigInt(b.find((c) => c.denom === "umira")?.amount ?? "0");
}

export function delegationBalance(app: MiraApp, delegator: string, validator: string): bigint | undefined {
  try {
    const r = query(
      app,
      "/cosmos.staking.v1beta1.Query/Delegation",
      QueryDelegationRequest.encode({ delegatorAddr: delegator, validatorAddr: validator }).finish(),
      QueryDelegationResponse.decode,
    );
    return BigInt(r.delegationResponse!.balance.amount);
  } catch (err) {
    if (/key not found/.test((err as Error).message)) return undefined;
    throw err;
  }
}

export function unbondingEntries(app: MiraApp, delegator: string, validator: string) {
  try {
    return query(
      app,
      "/cosmos.staking.v1beta1.Query/UnbondingDelegation",
      QueryUnbondingDelegationRequest.encode({ delegatorAddr: delegator, validatorAddr: validator }).finish(),
      QueryUnbondingDelegationResponse.decode,
    ).unbond.entries;
  } catch (err) {
    if (/key not found/.test((err as Error).message)) return [];
    throw err;
  }
}

/**
 * Supply = the sum of all balances (pools included); the bonded pool holds exactly the tokens of
 * bonded validators; the not-bonded pool those of the others plus every unbonding entry.
 */
export function checkInvariants(t: Test, c: Chain, label: string): void {
  const app = c.app;
  const supply = BigInt(
    query(app, "/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest.encode({}).finish(), QueryTotalSupplyResponse.decode).supply.find(
      (x) => x.denom === "umira",
    )!.amount,
  );
  const holders = [
    ...c.wallets.map((w) => w.address),
    bech32Address(moduleAddress("fee_collector")),
    bech32Address(moduleAddress("bonded_tokens_pool")),
    bech32Address(moduleAddress("not_bonded_tokens_pool")),
    bech32Address(moduleAddress("distribution")),
    bech32Address(moduleAddress("gov")), // deposits
  ];
  const sum = holders.reduce((a, h) => a + balance(app, h), 0n);
  const vals = validators(app);
  const bondedTokens = vals.filter((v) => v.status === BondStatus.BOND_STATUS_BONDED).reduce((a, v) => a + BigInt(v.tokens), 0n);
  const otherTokens = vals.filter((v) => v.status !== BondStatus.BOND_STATUS_BONDED).reduce((a, v) => a + BigInt(v.tokens), 0n);
  let unbonding = 0n;
  for (const w of c.wallets) for (const v of vals) for (const e of unbondingEntries(app, w.address, v.operatorAddress)) unbonding += BigInt(e.balance);
  const p = pool(app);
  // Distribution holds exactly what it owes: every validator's outstanding rewards and the community pool.
  const distHeld = balance(app, bech32Address(moduleAddress("distribution"))) * 10n ** 18n;
  const communityPool = query(app, "/cosmos.distribution.v1beta1.Query/CommunityPool", new Uint8Array(), QueryCommunityPoolResponse.decode).pool.reduce(
    (a, x) => a + BigInt(x.amount),
    0n,
  );
  let owed = communityPool;
  for (const v of vals) {
    const r = query(
      app,
      "/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards",
      QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: v.operatorAddress }).finish(),
      QueryValidatorOutstandingRewardsResponse.decode,
    );
    owed += r.rewards.rewards.reduce((a, x) => a + BigInt(x.amount), 0n);
  }
  if (distHeld !== owed) t.fail(`${label}: distribution holds ${distHeld} atomics but owes ${owed}`);
  const ok = supply === sum && p.bonded === bondedTokens && p.notBonded === otherTokens + unbonding;
  if (!ok)
    t.fail(
      `${label}: supply ${supply} vs balances ${sum}; bonded pool ${p.bonded} vs ${bondedTokens}; not bonded ${p.notBonded} vs ${otherTokens}+${unbonding}`,
    );
  // Every delegation is worth at most its validator's tokens, and shares add up per validator.
  for (const v of vals) {
    let shares = 0n;
    for (const w of c.wallets) {
      const b = delegationBalance(app, w.address, v.operatorAddress);
      if (b !== undefined && b > BigInt(v.tokens)) t.fail(`${label}: a delegation is worth more than its validator`);
      if (b !== undefined) shares += 1n;
    }
    if (BigInt(v.delegatorShares) > 0n && shares === 0n) t.fail(`${label}: validator ${v.operatorAddress} has shares but no delegation`);
  }
}

export const consAddress = (c: { keys: Buffer[] }, i: number) => createHash("sha256").update(c.keys[i]!).digest().subarray(0, 20);

/** The injected commit of the previous height in which validator i says `verdicts[i]` (FinalizeBlock does not check signatures: ProcessProposal did). */
export function injected(c: { keys: Buffer[] }, powers: bigint[], verdicts: ({ claimId: bigint; verdict: Verdict }[] | undefined)[]) {
  return encodeInjectedCommit({
    round: 0,
    votes: verdicts.map((vs, i) => ({
      validator: { address: consAddress(c, i), power: powers[i]! },
      voteExtension:
        vs === undefined
          ? new Uint8Array()
          : VoteExtension.encode({ verdicts: vs.map((v) => ({ ...v, confidenceBp: 9000 })), modelHash: Buffer.alloc(32, 1) }).finish(),
      extensionSignature: Buffer.alloc(64, 1),
      blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    })),
  });
}

/** A ProcessProposal request for the next height carrying `txs`, with `last` as the proposed last commit. */
export function proposalRequest(c: Chain, txs: Uint8Array[], last: CommitInfo = { round: 0, votes: [] }): RequestProcessProposal {
  return {
    txs,
    proposedLastCommit: last,
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(c.app.store.version + 1),
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}

/** A validator's claims VerifierStats (by its account's wallet), as the query answers it at the latest height. */
export function verifierStats(c: { app: MiraApp }, w: Wallet): VerifierStats {
  return query(
    c.app,
    "/mira.claims.v1.Query/VerifierStats",
    QueryVerifierStatsRequest.encode({ validator: valoper(w.address) }).finish(),
    QueryVerifierStatsResponse.decode,
  ).stats!;
}
