// The module wiring of the Mira application: which keepers exist and which others each is given,
// the hooks between them, their messages and queries, and the order in which genesis, begin block
// and end block run them, written as data that app.ts walks. This file is the one place that knows
// every module; the tx pipeline and the ABCI methods see only what it exports.
import type { ExtendedCommitInfo } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../core/context";
import { MsgRouter, QueryRouter, type RoutedMsg } from "../core/router";
import { initGenesis, type AppGenesis } from "./genesis";
import { AuthKeeper, moduleAddress } from "../../modules/auth/keeper";
import { authMsgHandlers } from "../../modules/auth/msgs";
import { registerAuthQueries } from "../../modules/auth/queries";
import { BankKeeper } from "../../modules/bank/keeper";
import { bankMsgHandlers } from "../../modules/bank/msgs";
import { registerBankQueries } from "../../modules/bank/queries";
import { initStakingGenesis } from "../../modules/staking/genesis";
import { type PowerUpdate, StakingKeeper } from "../../modules/staking/keeper";
import { stakingMsgHandlers } from "../../modules/staking/msgs";
import { registerStakingQueries } from "../../modules/staking/queries";
import { initSlashingGenesis } from "../../modules/slashing/genesis";
import { type CommitVote, SlashingKeeper } from "../../modules/slashing/keeper";
import { slashingMsgHandlers } from "../../modules/slashing/msgs";
import { registerSlashingQueries } from "../../modules/slashing/queries";
import { initDistributionGenesis } from "../../modules/distribution/genesis";
import { DISTRIBUTION_MODULE, DistributionKeeper } from "../../modules/distribution/keeper";
import { distributionMsgHandlers } from "../../modules/distribution/msgs";
import { registerDistributionQueries } from "../../modules/distribution/queries";
import { initMintGenesis } from "../../modules/mint/genesis";
import { MintKeeper } from "../../modules/mint/keeper";
import { mintMsgHandlers } from "../../modules/mint/msgs";
import { registerMintQueries } from "../../modules/mint/queries";
import { initClaimsGenesis } from "../../modules/claims/genesis";
import { ClaimsKeeper } from "../../modules/claims/keeper";
import { claimsMsgHandlers } from "../../modules/claims/msgs";
import { registerClaimsQueries } from "../../modules/claims/queries";
import { initSessionsGenesis } from "../../modules/sessions/genesis";
import { SessionsKeeper } from "../../modules/sessions/keeper";
import { sessionsMsgHandlers } from "../../modules/sessions/msgs";
import { registerSessionsQueries } from "../../modules/sessions/queries";
import { ConsensusKeeper } from "../../modules/consensus/keeper";
import { consensusMsgHandlers } from "../../modules/consensus/msgs";
import { registerConsensusQueries } from "../../modules/consensus/queries";
import { initIbcGenesis } from "../../modules/ibc/genesis";
import { ChannelKeeper } from "../../modules/ibc/channel";
import { ConnectionKeeper } from "../../modules/ibc/connection";
import { initTransferGenesis } from "../../modules/transfer/genesis";
import { PORT_ID as TRANSFER_PORT, TransferKeeper } from "../../modules/transfer/keeper";
import { transferMsgHandlers } from "../../modules/transfer/msgs";
import { registerTransferQueries } from "../../modules/transfer/queries";
import { durationNs, IbcKeeper } from "../../modules/ibc/keeper";
import { ibcMsgHandlers } from "../../modules/ibc/msgs";
import { registerIbcQueries } from "../../modules/ibc/queries";
import { checkRedundantRelay } from "../../modules/ibc/ante";
import { initGovGenesis } from "../../modules/gov/genesis";
import { GOV_MODULE, GovKeeper } from "../../modules/gov/keeper";
import { govMsgHandlers } from "../../modules/gov/msgs";
import { registerGovQueries } from "../../modules/gov/queries";

export type { CommitVote };

/** One substore per module, named as the module (the app hash is their simple Merkle root). */
export const STORE_NAMES = ["auth", "bank", "claims", "consensus", "distribution", "gov", "ibc", "mint", "sessions", "slashing", "staking", "transfer"];

/**
 * The one authority of every governance-only message (each module's MsgUpdateParams,
 * MsgCommunityPoolSpend): the gov module account, derived once here and handed to each module.
 */
export const GOV_AUTHORITY: Buffer = moduleAddress(GOV_MODULE);

/** Every keeper, wired to the ones it needs, with the message and query routers filled. */
export class Modules {
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly staking = new StakingKeeper(this.auth, this.bank);
  readonly slashing = new SlashingKeeper(this.staking);
  readonly distribution = new DistributionKeeper(this.auth, this.bank, this.staking);
  readonly mint = new MintKeeper(this.bank, this.auth);
  readonly claims = new ClaimsKeeper(this.bank, this.auth, this.staking, this.slashing);
  readonly sessions = new SessionsKeeper(this.auth);
  readonly consensus = new ConsensusKeeper();
  readonly ibc = new IbcKeeper();
  /** IBC's connections check a counterparty's view of this chain against staking's record of it. */
  readonly connections = new ConnectionKeeper(this.ibc, {
    historicalHeader: (ctx, height) => {
      const h = this.staking.historicalInfo(ctx, height)?.header;
      return h === undefined ? undefined : { time: h.time, appHash: h.appHash, nextValidatorsHash: h.nextValidatorsHash };
    },
    unbondingTimeNs: (ctx) => durationNs(this.staking.params(ctx).unbondingTime),
  });
  readonly channels = new ChannelKeeper(this.ibc, this.connections);
  readonly transfer = new TransferKeeper(this.bank, this.auth);
  readonly msgs = new MsgRouter();
  readonly queries = new QueryRouter();
  /**
   * What CheckTx and simulation run after the ante checks, on the mempool's state, since they never
   * run a tx's messages: IBC's client updates and packet messages (ibc-go's redundant-relay check).
   */
  readonly mempoolChecks: readonly ((ctx: Context, msgs: readonly RoutedMsg[]) => void)[] = [checkRedundantRelay];
  /** Governance runs passed proposals' messages through the router as the gov module account, the authority of every MsgUpdateParams. */
  readonly gov = new GovKeeper(this.auth, this.bank, this.staking, this.distribution, this.msgs, GOV_AUTHORITY, moduleAddress(DISTRIBUTION_MODULE));

  constructor() {
    // Distribution follows every change of stake (the SDK's staking hooks).
    this.staking.hooks = this.distribution;
    // ICS-20 sends its packets through IBC's channels, and IBC calls it back on the "transfer" port.
    this.transfer.channels = this.channels;
    this.channels.bindPort(TRANSFER_PORT, this.transfer);
    const authority = GOV_AUTHORITY;
    const handlers = [
      ...authMsgHandlers(this.auth, authority),
      ...bankMsgHandlers(this.bank, authority),
      ...stakingMsgHandlers(this.staking, authority),
      ...slashingMsgHandlers(this.slashing, authority),
      ...distributionMsgHandlers(this.distribution, authority),
      ...mintMsgHandlers(this.mint, authority),
      ...claimsMsgHandlers(this.claims, authority),
      // Sessions run other modules' messages through the router.
      ...sessionsMsgHandlers(this.sessions, this.msgs, authority),
      ...consensusMsgHandlers(this.consensus, authority),
      ...ibcMsgHandlers(this.ibc, this.connections, this.channels),
      ...transferMsgHandlers(this.transfer),
      ...govMsgHandlers(this.gov),
    ];
    for (const handler of handlers) this.msgs.register(handler);
    registerAuthQueries(this.queries, this.auth);
    registerBankQueries(this.queries, this.bank);
    registerStakingQueries(this.queries, this.staking);
    registerSlashingQueries(this.queries, this.slashing);
    registerDistributionQueries(this.queries, this.distribution, this.staking);
    registerMintQueries(this.queries, this.mint);
    registerClaimsQueries(this.queries, this.claims);
    registerSessionsQueries(this.queries, this.sessions);
    registerConsensusQueries(this.queries, this.consensus);
    registerIbcQueries(this.queries, this.ibc, this.connections, this.channels);
    registerTransferQueries(this.queries, this.transfer);
    registerGovQueries(this.queries, this.gov);
  }
}

/** What begin block hands the modules: the last commit's signatures, evidence, and this block's header. */
export interface BeginBlockInput {
  votes: CommitVote[];
  doubleSigns: { consAddress: Uint8Array; height: bigint; power: bigint }[];
  /** The previous height's extended commit, when the proposer injected one. */
  injectedCommit: ExtendedCommitInfo | undefined;
  header: {
    chainId: string;
    height: bigint;
    timeMs: bigint;
    time?: { seconds: bigint; nanos: number };
    appHash: Uint8Array;
    nextValidatorsHash: Uint8Array;
    proposerAddress: Uint8Array;
  };
}

/** What end block hands the modules. */
export interface EndBlockInput {
  blockHash: Uint8Array;
}

interface Step<In, Out = void> {
  module: string;
  run: (m: Modules, ctx: Context, input: In) => Out;
}

/** Genesis, in order: accounts and balances first, then the modules that read them; gentxs run after all. */
export const GENESIS_ORDER: readonly Step<AppGenesis>[] = [
  { module: "auth,bank", run: (m, ctx, g) => initGenesis(ctx, m.auth, m.bank, g) },
  { module: "staking", run: (m, ctx, g) => initStakingGenesis(ctx, m.staking, g.staking) },
  { module: "slashing", run: (m, ctx, g) => initSlashingGenesis(ctx, m.slashing, g.slashing) },
  { module: "distribution", run: (m, ctx, g) => initDistributionGenesis(ctx, m.distribution, g.distribution) },
  { module: "mint", run: (m, ctx, g) => initMintGenesis(ctx, m.mint, g.mint) },
  { module: "claims", run: (m, ctx, g) => initClaimsGenesis(ctx, m.claims, g.claims) },
  { module: "sessions", run: (m, ctx, g) => initSessionsGenesis(ctx, m.sessions, g.sessions) },
  { module: "ibc", run: (m, ctx, g) => initIbcGenesis(ctx, m.ibc, g.ibc) },
  { module: "transfer", run: (m, ctx, g) => initTransferGenesis(ctx, m.transfer, g.transfer) },
  { module: "gov", run: (m, ctx, g) => initGovGenesis(ctx, m.gov, g.gov) },
];

/**
 * Begin block, in the SDK's order: mint, distribution (of the fee collector to those who signed),
 * slashing (liveness and evidence); then claims records the injected verdicts, and staking keeps
 * this header for historical queries.
 */
export const BEGIN_BLOCKERS: readonly Step<BeginBlockInput>[] = [
  { module: "mint", run: (m, ctx) => m.mint.beginBlock(ctx) },
  {
    module: "distribution",
    run: (m, ctx, b) =>
      m.distribution.allocate(
        ctx,
        b.votes.filter((v) => v.signed),
      ),
  },
  { module: "slashing", run: (m, ctx, b) => m.slashing.beginBlock(ctx, b.votes, b.doubleSigns) },
  {
    module: "claims",
    run: (m, ctx, b) => {
      if (b.injectedCommit === undefined) return;
      m.claims.recordPrunedVotes(ctx, b.votes, b.injectedCommit);
      m.claims.recordVerdicts(ctx, b.injectedCommit);
    },
  },
  { module: "staking", run: (m, ctx, b) => m.staking.trackHistoricalInfo(ctx, b.header) },
];

/**
 * End block. Claims settle first: a validator jailed for verification faults leaves the set in this
 * block's updates, and the new claims are assigned over the set as it stands after them. Only
 * staking returns validator updates.
 */
export const END_BLOCKERS: readonly Step<EndBlockInput, PowerUpdate[] | void>[] = [
  { module: "claims", run: (m, ctx) => m.claims.settle(ctx) },
  { module: "staking", run: (m, ctx) => m.staking.endBlock(ctx) },
  { module: "claims", run: (m, ctx, e) => m.claims.assignNew(ctx, e.blockHash) },
  { module: "sessions", run: (m, ctx) => void m.sessions.endBlock(ctx) },
  // Last: a passed proposal's messages (params changes) run after every other module's end block,
  // so they take effect from the next block on, for every module alike.
  { module: "gov", run: (m, ctx) => m.gov.endBlock(ctx) },
];
