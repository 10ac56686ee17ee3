import "../../proto/writer";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Tx, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type {
  Event,
  ExecTxResult,
  RequestCheckTx,
  RequestFinalizeBlock,
  RequestInitChain,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
  ResponseCheckTx,
  ResponseInitChain,
  ResponseQuery,
} from "cosmjs-types/tendermint/abci/types";
import { CheckTxType, MisbehaviorType, ResponseProcessProposal_ProposalStatus, ResponseVerifyVoteExtension_VerifyStatus } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { DeepPartial } from "cosmjs-types/helpers";
import type { Application } from "../../abci";
import { runAnte } from "./ante";
import { latin1Key } from "../core/memo";
import { Context, type FeeGrantUse } from "../core/context";
import { ChainError, chainError, SdkCode } from "../core/errors";
import { GasMeter, infiniteGasMeter } from "../core/gas";
import { initGenesis, parseAppGenesis } from "./genesis";
import { MsgRouter, QueryRouter, RoutedMsg } from "../core/router";
import { Branch, MultiStore, StoreError } from "../store";
import { bech32Address } from "../core/address";
import { millis } from "../core/time";
import { decodeTx, DecodedTx } from "../core/tx-decode";
import { AuthKeeper } from "../../modules/auth/keeper";
import { chainIdKey, STORE as AUTH_STORE, voteExtensionsHeightKey } from "../../modules/auth/keys";
import type { SidecarClient } from "./sidecar-client";
import { BridgeView, VerifierBridge } from "./verifier-bridge";
import { decodeInjectedCommit, encodeInjectedCommit, INJECTED_COMMIT_RESULT_LOG, isInjectedCommit, matchesLastCommit, pruneExtendedCommit, verifyExtendedCommit, VoteExtensionError } from "./vote-extensions";
import { registerAuthQueries } from "../../modules/auth/queries";
import { BankKeeper } from "../../modules/bank/keeper";
import { msgMultiSendHandler, msgSendHandler } from "../../modules/bank/msgs";
import { registerBankQueries } from "../../modules/bank/queries";
import { initStakingGenesis } from "../../modules/staking/genesis";
import { PowerUpdate, StakingKeeper } from "../../modules/staking/keeper";
import {
  msgBeginRedelegateHandler,
  msgCancelUnbondingHandler,
  msgCreateValidatorHandler,
  msgDelegateHandler,
  msgEditValidatorHandler,
  msgUndelegateHandler,
} from "../../modules/staking/msgs";
import { registerStakingQueries } from "../../modules/staking/queries";
import { initSlashingGenesis } from "../../modules/slashing/genesis";
import { CommitVote, SlashingKeeper } from "../../modules/slashing/keeper";
import { msgUnjailHandler } from "../../modules/slashing/msgs";
import { registerSlashingQueries } from "../../modules/slashing/queries";
import { initDistributionGenesis } from "../../modules/distribution/genesis";
import { DistributionKeeper } from "../../modules/distribution/keeper";
import {
  msgFundCommunityPoolHandler,
  msgSetWithdrawAddressHandler,
  msgWithdrawDelegatorRewardHandler,
  msgWithdrawValidatorCommissionHandler,
} from "../../modules/distribution/msgs";
import { registerDistributionQueries } from "../../modules/distribution/queries";
import { initMintGenesis } from "../../modules/mint/genesis";
import { initClaimsGenesis } from "../../modules/claims/genesis";
import { SessionsKeeper } from "../../modules/sessions/keeper";
import { msgCreateSessionHandler, msgExecSessionHandler, msgRevokeSessionHandler } from "../../modules/sessions/msgs";
import { registerSessionsQueries } from "../../modules/sessions/queries";
import { initSessionsGenesis } from "../../modules/sessions/genesis";
import { MintKeeper } from "../../modules/mint/keeper";
import { registerMintQueries } from "../../modules/mint/queries";
import { ClaimsKeeper } from "../../modules/claims/keeper";
import { extensionShapeProblem } from "../../modules/claims/extension";
import { msgSubmitContentHandler } from "../../modules/claims/msgs";
import { registerClaimsQueries } from "../../modules/claims/queries";

export const STORE_NAMES = ["auth", "bank", "claims", "distribution", "mint", "sessions", "slashing", "staking"];
/** Decoded txs kept for recheck and FinalizeBlock (about one mempool's worth). */
const DECODED_TX_CACHE = 20_000;
/** A vote extension larger than this is refused (verdicts for a few hundred claims fit). */
export const MAX_VOTE_EXTENSION_BYTES = 64 * 1024;
export const APP_VERSION = "0.1.0";

/** A tx's decoded form and routed messages, with the signatures of these bytes already verified. */
interface DecodedEntry {
  tx: DecodedTx;
  msgs: RoutedMsg[];
  verified: Set<string>;
}

/** The outcome of running one tx. */
interface TxOutcome {
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
  msgResponses: Any[];
}

function validatorUpdate(u: PowerUpdate): { pubKey: { ed25519: Uint8Array }; power: bigint } {
  return { pubKey: { ed25519: u.consensusKey }, power: u.power };
}

function failure(err: unknown, gasWanted: bigint, gasUsed: bigint, events: Event[] = []): TxOutcome {
  if (err instanceof ChainError) {
    return { code: err.code, codespace: err.codespace, log: err.message, data: new Uint8Array(), gasWanted, gasUsed, events, msgResponses: [] };
  }
  if (err instanceof StoreError) {
    return { code: SdkCode.InvalidRequest, codespace: "sdk", log: err.message, data: new Uint8Array(), gasWanted, gasUsed, events, msgResponses: [] };
  }
  // A bug, not bad input. As the SDK's baseapp recovers a panic in a tx into ErrPanic, the tx fails
  // (the same way on every node: the same code ran on the same state) instead of halting the chain;
  // the message says where, for the bug report.
  process.stderr.write(`mirad: a tx hit a bug: ${(err as Error)?.stack ?? String(err)}\n`);
  return { code: PANIC_CODE, codespace: "undefined", log: `panic: ${(err as Error)?.message ?? String(err)}`, data: new Uint8Array(), gasWanted, gasUsed, events, msgResponses: [] };
}

/** The SDK's ErrPanic (codespace "undefined"). */
export const PANIC_CODE = 111222;

/**
 * The Mira application: module wiring, tx execution and queries over the multistore. It is a
 * plain object that the ABCI server drives and tests call directly.
 */
export class MiraApp implements Application {
  readonly auth = new AuthKeeper();
  readonly bank = new BankKeeper(this.auth);
  readonly staking = new StakingKeeper(this.auth, this.bank);
  readonly slashing = new SlashingKeeper(this.staking);
  readonly distribution = new DistributionKeeper(this.auth, this.bank, this.staking);
  readonly mint = new MintKeeper(this.bank, this.auth);
  readonly claims = new ClaimsKeeper(this.bank, this.auth, this.staking, this.slashing);
  readonly sessions = new SessionsKeeper(this.auth);
  readonly msgs = new MsgRouter();
  readonly queries = new QueryRouter();
  private chainId = "";
  /** consensus_params.abci.vote_extensions_enable_height (0: off). */
  private voteExtensionsHeight = 0n;
  /** CheckTx state: a branch over the last commit, reset at every Commit. */
  private checkState: Branch;
  private blockTimeMs = 0n;
  private readonly decodedTxs = new Map<string, DecodedEntry>();

  constructor(readonly store: MultiStore) {
    this.msgs.register(msgSendHandler(this.bank));
    this.msgs.register(msgMultiSendHandler(this.bank));
    this.msgs.register(msgCreateValidatorHandler(this.staking));
    this.msgs.register(msgEditValidatorHandler(this.staking));
    this.msgs.register(msgDelegateHandler(this.staking));
    this.msgs.register(msgUndelegateHandler(this.staking));
    this.msgs.register(msgBeginRedelegateHandler(this.staking));
    this.msgs.register(msgCancelUnbondingHandler(this.staking));
    registerAuthQueries(this.queries, this.auth);
    registerStakingQueries(this.queries, this.staking);
    this.msgs.register(msgUnjailHandler(this.slashing));
    this.staking.hooks = this.distribution;
    this.msgs.register(msgWithdrawDelegatorRewardHandler(this.distribution));
    this.msgs.register(msgWithdrawValidatorCommissionHandler(this.distribution));
    this.msgs.register(msgSetWithdrawAddressHandler(this.distribution));
    this.msgs.register(msgFundCommunityPoolHandler(this.distribution));
    registerDistributionQueries(this.queries, this.distribution, this.staking);
    registerMintQueries(this.queries, this.mint);
    this.msgs.register(msgSubmitContentHandler(this.claims));
    registerClaimsQueries(this.queries, this.claims);
    this.msgs.register(msgCreateSessionHandler(this.sessions, this.msgs));
    this.msgs.register(msgRevokeSessionHandler(this.sessions));
    this.msgs.register(msgExecSessionHandler(this.sessions, this.msgs));
    registerSessionsQueries(this.queries, this.sessions);
    registerSlashingQueries(this.queries, this.slashing);
    registerBankQueries(this.queries, this.bank);
    this.checkState = store.branchCommitted();
    this.chainId = this.readChainId();
    this.voteExtensionsHeight = this.readVoteExtensionsHeight();
  }

  private readVoteExtensionsHeight(): bigint {
    if (this.store.versions.length === 0) return 0n;
    const v = this.store.viewAt(AUTH_STORE, this.store.version).get(voteExtensionsHeightKey);
    return v === undefined ? 0n : BigInt(v.toString());
  }

  private readChainId(): string {
    if (this.store.versions.length === 0) return "";
    const v = this.store.viewAt(AUTH_STORE, this.store.version).get(chainIdKey);
    return v?.toString() ?? "";
  }

  info(): { data: string; version: string; appVersion: bigint; lastBlockHeight: bigint; lastBlockAppHash: Uint8Array } {
    const height = this.store.versions.length === 0 ? 0n : BigInt(this.store.version);
    return { data: "mira", version: APP_VERSION, appVersion: 1n, lastBlockHeight: height, lastBlockAppHash: this.store.appHash };
  }

  initChain(req: RequestInitChain): DeepPartial<ResponseInitChain> {
    this.chainId = req.chainId;
    const ctx = new Context(this.store.working, req.initialHeight, 0n, req.chainId, infiniteGasMeter(), "deliver");
    if (req.initialHeight !== BigInt(this.store.version + 1)) {
      throw new Error(`genesis initial_height ${req.initialHeight} does not follow the store's version ${this.store.version}`);
    }
    this.blockTimeMs = millis(req.time);
    this.store.working.store(AUTH_STORE).set(chainIdKey, Buffer.from(req.chainId));
    this.voteExtensionsHeight = req.consensusParams?.abci?.voteExtensionsEnableHeight ?? 0n;
    this.store.working.store(AUTH_STORE).set(voteExtensionsHeightKey, Buffer.from(this.voteExtensionsHeight.toString()));
    const genesis = parseAppGenesis(req.appStateBytes);
    initGenesis(ctx, this.auth, this.bank, genesis);
    initStakingGenesis(ctx, this.staking, genesis.staking);
    initSlashingGenesis(ctx, this.slashing, genesis.slashing);
    initDistributionGenesis(ctx, this.distribution, genesis.distribution);
    initMintGenesis(ctx, this.mint, genesis.mint);
    initClaimsGenesis(ctx, this.claims, genesis.claims);
    initSessionsGenesis(ctx, this.sessions, genesis.sessions);
    // Gentxs (each validator's MsgCreateValidator) run as ordinary txs; one that fails makes the genesis invalid.
    (genesis.genutil?.gen_txs ?? []).forEach((b64, i) => {
      const branch = this.store.working.branch();
      const out = this.runTx(branch, Buffer.from(b64, "base64"), "genesis", req.initialHeight);
      branch.write();
      if (out.code !== 0) throw new Error(`genesis tx ${i} failed (code ${out.code}, codespace ${out.codespace}): ${out.log}`);
    });
    const updates = this.staking.applyValidatorSetUpdates(ctx);
    // The genesis state is committed with block `initialHeight`, as the SDK does; no app hash yet.
    // Validators returned here replace the genesis file's (which may then be empty).
    return { validators: updates.map(validatorUpdate) };
  }

  checkTx(req: RequestCheckTx): DeepPartial<ResponseCheckTx> {
    if (isInjectedCommit(req.tx)) return { code: SdkCode.TxDecode, codespace: "sdk", log: "an extended commit goes only into a proposal, never through the mempool" };
    const ctxBranch = this.checkState.branch();
    const recheck = req.type === CheckTxType.RECHECK;
    const out = this.runTx(ctxBranch, req.tx, "check", BigInt(this.store.version + 1), recheck);
    if (out.code === 0) ctxBranch.write();
    else ctxBranch.discard();
    // No events: CometBFT's mempool reads only the code, gas and log, and every validator answers
    // every tx (and again at each recheck), so the bytes would be encoded and parsed for nothing.
    return { code: out.code, codespace: out.codespace, log: out.log, gasWanted: out.gasWanted, gasUsed: out.gasUsed };
  }

  /** From this height on, a block must start with the previous height's extended commit. */
  private mustCarryExtensions(height: bigint): boolean {
    return this.voteExtensionsHeight > 0n && height > this.voteExtensionsHeight;
  }

  prepareProposal(req: RequestPrepareProposal) {
    let bytes = 0n;
    const txs: Uint8Array[] = [];
    if (this.mustCarryExtensions(req.height)) {
      const ctx = this.committedContext();
      const maxBytes = this.claims.params(ctx).maxExtensionBytes;
      const { commit, pruned } = pruneExtendedCommit(
        req.localLastCommit ?? { round: 0, votes: [] },
        { chainId: this.chainId, height: req.height - 1n, publicKeyOf: (address) => this.staking.consensusKeyOf(ctx, address) },
        (ext) => extensionShapeProblem(ext, maxBytes),
      );
      for (const why of pruned) process.stderr.write(`mirad: proposing height ${req.height}: injecting a vote as absent: ${why}\n`);
      const injected = encodeInjectedCommit(commit);
      txs.push(injected);
      bytes += BigInt(injected.length);
    }
    for (const tx of req.txs) {
      if (isInjectedCommit(tx)) continue; // never a user tx (CheckTx refuses it)
      bytes += BigInt(tx.length);
      if (bytes > req.maxTxBytes) break;
      txs.push(tx);
    }
    return { txs };
  }

  /**
   * Accepts a proposal only if its injected extended commit (first tx, from the height where
   * extensions start) is the last commit CometBFT reports, every extension signature verifies
   * against the validator's consensus key, and the signers hold more than 2/3 of the power.
   */
  processProposal(req: RequestProcessProposal) {
    const reject = (why: string) => {
      process.stderr.write(`mirad: rejecting the proposal for height ${req.height}: ${why}\n`);
      return { status: ResponseProcessProposal_ProposalStatus.REJECT };
    };
    const must = this.mustCarryExtensions(req.height);
    const injectedAt = req.txs.findIndex((tx) => isInjectedCommit(tx));
    if (!must) return injectedAt < 0 ? { status: ResponseProcessProposal_ProposalStatus.ACCEPT } : reject("an extended commit before vote extensions start");
    if (injectedAt !== 0 || req.txs.slice(1).some((tx) => isInjectedCommit(tx))) return reject("the extended commit must be the first tx, once");
    try {
      const commit = decodeInjectedCommit(req.txs[0]!);
      matchesLastCommit(commit, req.proposedLastCommit ?? { round: 0, votes: [] });
      const ctx = new Context(this.store.branchCommitted(), req.height, this.blockTimeMs, this.chainId, infiniteGasMeter(), "check");
      verifyExtendedCommit(commit, { chainId: this.chainId, height: req.height - 1n, publicKeyOf: (address) => this.staking.consensusKeyOf(ctx, address) });
      const maxBytes = this.claims.params(ctx).maxExtensionBytes;
      for (const v of commit.votes) {
        const why = extensionShapeProblem(v.voteExtension, maxBytes);
        if (why !== undefined) throw new VoteExtensionError(`validator ${Buffer.from(v.validator.address).toString("hex")}: ${why}`);
      }
    } catch (err) {
      if (err instanceof VoteExtensionError) return reject(err.message);
      throw err;
    }
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  /** This validator's verdicts that its sidecar has ready (nothing when it runs no sidecar). */
  extendVote(req: { height: bigint }) {
    return { voteExtension: this.verifier?.extension(req.height) ?? new Uint8Array() };
  }

  private verifier: VerifierBridge | undefined;

  /**
   * Makes this node verify the claims assigned to the validator with consensus address
   * `consAddress`, through the sidecar behind `client`.
   */
  attachVerifier(client: SidecarClient, consAddress: Uint8Array, log: (line: string) => void): void {
    const view: BridgeView = {
      committedContext: () => this.committedContext(),
      myValoper: (ctx) => {
        const v = this.staking.validatorByConsensusAddress(ctx, consAddress);
        return v === undefined ? undefined : this.staking.valoperAddress(v.operator);
      },
      pendingFor: (ctx, valoper) => {
        const sources = new Map<bigint, string>();
        const sourceOf = (id: bigint): string => {
          let s = sources.get(id);
          if (s === undefined) sources.set(id, (s = this.claims.content(ctx, id)?.sourceContext ?? ""));
          return s;
        };
        return [...this.claims.pendingClaims(ctx, valoper)].map((c) => ({
          id: c.id,
          text: c.text,
          source: sourceOf(c.contentId),
          voted: c.votes.some((v) => v.validator === valoper),
        }));
      },
      maxExtensionBytes: (ctx) => Math.min(this.claims.params(ctx).maxExtensionBytes, MAX_VOTE_EXTENSION_BYTES),
      allowedModelHashes: (ctx) => this.claims.params(ctx).allowedModelHashes,
      stillOpen: (ctx, id, valoper) => {
        const c = this.claims.claim(ctx, id);
        return c !== undefined && this.claims.acceptsVerdict(ctx, c, valoper) !== undefined;
      },
    };
    this.verifier = new VerifierBridge(client, view, { deadlineMs: 2_000, maxBatch: 256, log });
  }

  /**
   * Only what is certainly invalid is refused, since a refusal drops that validator's precommit:
   * over the cap, undecodable, bad enums or duplicates, or verdicts on claims that are not pending
   * and assigned to that validator in the committed state both sides voted on (extension.ts).
   */
  verifyVoteExtension(req: RequestVerifyVoteExtension) {
    const ctx = this.committedContext();
    try {
      if (req.voteExtension.length > MAX_VOTE_EXTENSION_BYTES) throw new VoteExtensionError(`an extension of ${req.voteExtension.length} bytes is over the hard cap`);
      this.claims.verifyExtension(ctx, req.validatorAddress, req.voteExtension);
    } catch (err) {
      if (!(err instanceof ChainError) && !(err instanceof VoteExtensionError)) throw err;
      process.stderr.write(`mirad: refusing the vote extension of ${Buffer.from(req.validatorAddress).toString("hex")} at height ${req.height}: ${err.message}\n`);
      return { status: ResponseVerifyVoteExtension_VerifyStatus.REJECT };
    }
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  private committedContext(): Context {
    return new Context(this.store.branchCommitted(), BigInt(this.store.version), this.blockTimeMs, this.chainId, infiniteGasMeter(), "check");
  }

  finalizeBlock(req: RequestFinalizeBlock) {
    const height = req.height;
    if (BigInt(this.store.version + 1) !== height) {
      throw new Error(`FinalizeBlock for height ${height} but the store is at version ${this.store.version}`);
    }
    this.blockTimeMs = millis(req.time);
    // Begin-block: liveness from the last commit's signatures, then CometBFT's verified evidence.
    const beginCtx = new Context(this.store.working, height, this.blockTimeMs, this.chainId, infiniteGasMeter(), "deliver");
    const votes: CommitVote[] = (req.decidedLastCommit?.votes ?? []).map((v) => ({
      consAddress: v.validator.address,
      power: v.validator.power,
      signed: v.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    }));
    const doubleSigns = req.misbehavior
      .filter((m) => m.type === MisbehaviorType.DUPLICATE_VOTE)
      .map((m) => ({ consAddress: m.validator.address, height: m.height, power: m.validator.power }));
    // As the SDK orders its begin-blockers: mint, distribution (of the fee collector), slashing.
    this.mint.beginBlock(beginCtx);
    this.distribution.allocate(beginCtx, votes.filter((v) => v.signed));
    this.slashing.beginBlock(beginCtx, votes, doubleSigns);
    if (req.txs.length > 0 && isInjectedCommit(req.txs[0]!)) this.claims.recordVerdicts(beginCtx, decodeInjectedCommit(req.txs[0]!));
    this.staking.trackHistoricalInfo(beginCtx, {
      chainId: this.chainId,
      height,
      timeMs: this.blockTimeMs,
      appHash: this.store.appHash, // the header of block H carries the app hash after H-1
      nextValidatorsHash: req.nextValidatorsHash,
      proposerAddress: req.proposerAddress,
    });
    const txResults: DeepPartial<ExecTxResult>[] = req.txs.map((tx, i) => {
      // The injected extended commit is data for the modules (ProcessProposal checked it), not a tx.
      if (i === 0 && isInjectedCommit(tx)) return { code: 0, log: `${INJECTED_COMMIT_RESULT_LOG}${height - 1n}` };
      const branch = this.store.working.branch();
      const out = this.runTx(branch, tx, "deliver", height);
      branch.write(); // runTx already discarded whatever must not stay
      return {
        code: out.code,
        codespace: out.codespace,
        log: out.log,
        data: out.data,
        gasWanted: out.gasWanted,
        gasUsed: out.gasUsed,
        events: out.events,
      };
    });
    const endCtx = new Context(this.store.working, height, this.blockTimeMs, this.chainId, infiniteGasMeter(), "deliver");
    // Settling first: a validator jailed for verification faults leaves the set in this block's
    // updates, and the new claims are assigned over the set as it stands after them.
    this.claims.settle(endCtx);
    const validatorUpdates = this.staking.endBlock(endCtx).map(validatorUpdate);
    this.claims.assignNew(endCtx, req.hash);
    this.sessions.endBlock(endCtx);
    return { txResults, events: [...beginCtx.events.events, ...endCtx.events.events], validatorUpdates, appHash: this.store.workingHash() };
  }

  commit() {
    this.store.commit();
    this.checkState = this.store.branchCommitted();
    this.verifier?.afterCommit();
    return { retainHeight: 0n };
  }

  query(req: RequestQuery): DeepPartial<ResponseQuery> {
    const height = req.height === 0n ? BigInt(this.store.version) : req.height;
    try {
      if (req.path.startsWith("/store/") || req.path.startsWith("store/")) return this.rawQuery(req, height);
      const value = this.runQuery(req.path, req.data, height);
      return { code: 0, value, height };
    } catch (err) {
      const e = err instanceof ChainError ? err : err instanceof StoreError ? chainError(SdkCode.InvalidRequest, err.message) : undefined;
      if (e === undefined) throw err;
      return { code: e.code, codespace: e.codespace, log: e.message, height };
    }
  }

  /** A registered gRPC query method at `height`; also used by the gRPC server. */
  runQuery(method: string, data: Uint8Array, height: bigint): Uint8Array {
    if (method === "/cosmos.tx.v1beta1.Service/Simulate") return this.simulateQuery(data);
    const handler = this.queries.get(method);
    if (handler === undefined) throw chainError(SdkCode.UnknownRequest, `unknown query path: ${method}`);
    const ctx = new Context(this.store.branchAt(Number(height)), height, 0n, this.chainId, infiniteGasMeter(), "check");
    try {
      return handler(ctx, data);
    } catch (err) {
      if (err instanceof ChainError || err instanceof StoreError) throw err;
      throw chainError(SdkCode.InvalidRequest, `bad query request: ${(err as Error).message}`);
    }
  }

  private rawQuery(req: RequestQuery, height: bigint): DeepPartial<ResponseQuery> {
    const m = /^\/?store\/([a-z0-9_]+)\/key$/.exec(req.path);
    if (!m) throw chainError(SdkCode.UnknownRequest, `unknown store query path ${req.path}; use store/<name>/key`);
    if (req.prove) {
      const q = this.store.prove(m[1]!, req.data, Number(height));
      return { code: 0, key: req.data, value: q.value ?? new Uint8Array(), height, proofOps: { ops: q.proofOps } };
    }
    const value = this.store.viewAt(m[1]!, Number(height)).get(req.data);
    return { code: 0, key: req.data, value: value ?? new Uint8Array(), height };
  }

  private simulateQuery(data: Uint8Array): Uint8Array {
    const req = SimulateRequest.decode(data);
    const txBytes = req.txBytes.length > 0 ? req.txBytes : req.tx ? this.txToRaw(req.tx) : new Uint8Array();
    const out = this.simulate(txBytes);
    if (out.code !== 0) throw new ChainError(out.code, out.log, out.codespace);
    return SimulateResponse.encode(
      SimulateResponse.fromPartial({
        gasInfo: { gasWanted: out.gasWanted, gasUsed: out.gasUsed },
        result: { data: out.data, log: out.log, events: out.events, msgResponses: out.msgResponses },
      }),
    ).finish();
  }

  private txToRaw(tx: Tx): Uint8Array {
    return TxRaw.encode({
      bodyBytes: TxBody.encode(tx.body ?? TxBody.fromPartial({})).finish(),
      authInfoBytes: AuthInfo.encode(tx.authInfo ?? AuthInfo.fromPartial({})).finish(),
      signatures: tx.signatures,
    }).finish();
  }

  /** Runs a tx on the last committed state without signatures checks and without keeping anything. */
  simulate(txBytes: Uint8Array): TxOutcome {
    const branch = this.store.branchCommitted();
    const out = this.runTx(branch, txBytes, "simulate", BigInt(this.store.version + 1));
    branch.discard();
    return out;
  }

  /** The post-handler of a fee-granted tx: its fee counted against the session (a small bounded write, not metered). */
  private countGrantedFee(branch: Branch, height: bigint, mode: "check" | "simulate" | "deliver" | "genesis", grant: FeeGrantUse): void {
    const post = branch.branch();
    this.sessions.countGrantedFee(new Context(post, height, this.blockTimeMs, this.chainId, infiniteGasMeter(), mode), grant);
    post.write();
  }

  /**
   * Decoding is a pure function of the bytes, and a tx arrives in CheckTx, again in recheck and
   * in FinalizeBlock: keep the decoded form (never mutated) by its bytes, with the signatures of
   * those bytes verified so far (only ever added to).
   */
  private decodeAndRoute(txBytes: Uint8Array): DecodedEntry {
    // Keyed by the bytes themselves (one code unit per byte): cheaper than hashing them each time.
    const id = latin1Key(txBytes);
    let hit = this.decodedTxs.get(id);
    if (hit === undefined) {
      const tx = decodeTx(txBytes);
      hit = { tx, msgs: tx.body.messages.map((m) => this.msgs.route(m)), verified: new Set() };
      if (this.decodedTxs.size >= DECODED_TX_CACHE) this.decodedTxs.clear();
      this.decodedTxs.set(id, hit);
    }
    return hit;
  }

  /**
   * Runs one tx in `branch`: ante checks, then (unless checking) its messages in a nested branch.
   * Whatever fails is discarded; fees and sequences stay once the ante checks pass.
   */
  private runTx(branch: Branch, txBytes: Uint8Array, mode: "check" | "simulate" | "deliver" | "genesis", height: bigint, recheck = false): TxOutcome {
    let tx: DecodedTx;
    let msgs: RoutedMsg[];
    let verified: Set<string>;
    try {
      ({ tx, msgs, verified } = this.decodeAndRoute(txBytes));
    } catch (err) {
      return failure(err, 0n, 0n);
    }
    const declaredGas = tx.authInfo.fee?.gasLimit ?? 0n;
    // gas_wanted is an int64 on the wire: a limit beyond it is refused by the ante and reported as 0.
    const gasWanted = declaredGas > 2n ** 63n - 1n ? 0n : declaredGas;
    const meter = new GasMeter(mode === "simulate" ? 2n ** 63n - 1n : declaredGas);
    const anteBranch = branch.branch();
    const anteCtx = new Context(anteBranch, height, this.blockTimeMs, this.chainId, meter, mode);
    let feeGrant: FeeGrantUse | undefined;
    try {
      feeGrant = runAnte(anteCtx, { auth: this.auth, bank: this.bank, feeGrants: this.sessions }, tx, txBytes, msgs, { recheck, verified });
    } catch (err) {
      anteBranch.discard();
      return failure(err, gasWanted, meter.consumed);
    }
    anteBranch.write();
    const events = [...anteCtx.events.events];
    if (mode === "check") return { code: 0, codespace: "", log: "", data: new Uint8Array(), gasWanted, gasUsed: meter.consumed, events, msgResponses: [] };

    const msgBranch = branch.branch();
    const msgResponses: Any[] = [];
    const msgEvents: Event[] = [];
    try {
      for (const { handler, msg } of msgs) {
        const ctx = new Context(msgBranch, height, this.blockTimeMs, this.chainId, meter, mode);
        ctx.feeGrant = feeGrant;
        ctx.events.emit("message", { action: handler.typeUrl, sender: bech32Address(handler.signers(msg)[0]!), module: handler.module });
        msgResponses.push(handler.execute(ctx, msg));
        msgEvents.push(...ctx.events.events);
      }
    } catch (err) {
      msgBranch.discard();
      // A granted fee was paid whatever the messages did: it counts against its session now.
      if (feeGrant !== undefined) this.countGrantedFee(branch, height, mode, feeGrant);
      return failure(err, gasWanted, meter.consumed, events);
    }
    if (feeGrant !== undefined && !feeGrant.charged) this.countGrantedFee(msgBranch, height, mode, feeGrant);
    msgBranch.write();
    const data = TxMsgData.encode({ data: [], msgResponses }).finish();
    return { code: 0, codespace: "", log: "", data, gasWanted, gasUsed: meter.consumed, events: [...events, ...msgEvents], msgResponses };
  }
}
