// The Mira application's ABCI 2.0 methods: InitChain, CheckTx, the proposal and vote-extension
// methods, FinalizeBlock, Commit and Query. The modules and their order come from modules.ts, tx
// execution from tx-pipeline.ts; this file holds what happens per block and per request.
import "../../proto/writer";
import type {
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
import {
  CheckTxType,
  MisbehaviorType,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { DeepPartial } from "cosmjs-types/helpers";
import type { Application } from "../../abci";
import { Context } from "../core/context";
import { ChainError, chainError, SdkCode } from "../core/errors";
import { infiniteGasMeter } from "../core/gas";
import { millis } from "../core/time";
import type { GrpcBackend } from "../grpc/backend";
import { abciQueryErrorOf } from "../grpc/errors";
import { queryServices, type QueryServices } from "../grpc/services";
import { Branch, MultiStore, StoreError } from "../store";
import { parseAppGenesis } from "./genesis";
import { BEGIN_BLOCKERS, type BeginBlockInput, type CommitVote, END_BLOCKERS, GENESIS_ORDER, Modules } from "./modules";
import type { SidecarClient } from "./sidecar-client";
import { type BlockEnv, TxPipeline, type TxOutcome } from "./tx-pipeline";
import { BridgeView, VerifierBridge } from "./verifier-bridge";
import {
  decodeInjectedCommit,
  encodeInjectedCommit,
  INJECTED_COMMIT_RESULT_LOG,
  isInjectedCommit,
  matchesLastCommit,
  pruneExtendedCommit,
  verifyExtendedCommit,
  VoteExtensionError,
} from "./vote-extensions";
import type { PowerUpdate } from "../../modules/staking/keeper";
import { chainIdKey, STORE as AUTH_STORE } from "../../modules/auth/keys";
import { initConsensusGenesis } from "../../modules/consensus/genesis";
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import { extensionShapeProblem } from "../../modules/claims/extension";

export { STORE_NAMES } from "./modules";
export { PANIC_CODE } from "./tx-pipeline";
/** A vote extension larger than this is refused (verdicts for a few hundred claims fit). */
export const MAX_VOTE_EXTENSION_BYTES = 64 * 1024;
export const APP_VERSION = "0.1.0";

function validatorUpdate(u: PowerUpdate): { pubKey: { ed25519: Uint8Array }; power: bigint } {
  return { pubKey: { ed25519: u.consensusKey }, power: u.power };
}

/**
 * The Mira application: the modules (modules.ts) and the tx pipeline over the multistore, driven
 * through the ABCI methods. It is a plain object that the ABCI server drives and tests call directly.
 */
/**
 * How long one Verify request to the sidecar may take (mirad start --sidecar-timeout-ms). It never holds up
 * a block: claims wait off the ABCI path, and a claim whose request timed out is sent again after the next
 * commit. An LLM judge needs far more than an ONNX model.
 */
export const DEFAULT_SIDECAR_TIMEOUT_MS = 2_000;

export interface MiraAppOptions {
  /** The node's CometBFT RPC, for the query methods that read blocks, txs or the mempool; without it they answer UNAVAILABLE. */
  cometRpcUrl?: string;
}

export class MiraApp implements Application {
  readonly modules = new Modules();
  readonly auth = this.modules.auth;
  readonly bank = this.modules.bank;
  readonly staking = this.modules.staking;
  readonly slashing = this.modules.slashing;
  readonly distribution = this.modules.distribution;
  readonly mint = this.modules.mint;
  readonly claims = this.modules.claims;
  readonly sessions = this.modules.sessions;
  readonly msgs = this.modules.msgs;
  readonly queries = this.modules.queries;
  /** The chain id and the block time the pipeline and the contexts read. */
  private readonly env: BlockEnv = { chainId: "", blockTimeMs: 0n, maxBlockGas: -1n };
  private readonly pipeline: TxPipeline;
  /** consensus_params.abci.vote_extensions_enable_height (0: off) as last committed (the consensus module's, read again at each Commit). */
  private voteExtensionsHeight = 0n;
  /** CheckTx state: a branch over the last commit, reset at every Commit. */
  private checkState: Branch;
  /** Every query method by path: what ABCI Query answers, and what the node's gRPC server serves. */
  readonly services: QueryServices;

  constructor(
    readonly store: MultiStore,
    options: MiraAppOptions = {},
  ) {
    this.pipeline = new TxPipeline(this.modules, store, this.env);
    this.checkState = store.branchCommitted();
    this.env.chainId = this.readChainId();
    this.env.blockTimeMs = this.readLastBlockTime();
    this.readConsensusLimits();
    this.services = queryServices(this.queryBackend(options.cometRpcUrl));
  }

  /** What the query registry needs from the app: the module queries, Simulate, and the node's CometBFT RPC. */
  private queryBackend(cometRpcUrl: string | undefined): GrpcBackend {
    const committedContext = () => this.committedContext();
    const auth = this.auth;
    return {
      cometRpcUrl,
      /** The consensus minimum gas price as last committed (governance may change it). */
      get minimumGasPrice(): string {
        return auth.getMinGasPriceText(committedContext());
      },
      queryMethods: () => this.queries.methods(),
      abciQuery: async (request) => (await this.query(request)) as Partial<ResponseQuery>,
      query: async (method, request, height) => {
        const h = height === 0n ? BigInt(this.store.version) : height;
        return { value: this.runQuery(method, request, h), height: h };
      },
      simulate: async (txBytes) => {
        const out = this.simulate(txBytes);
        if (out.code !== 0) throw new ChainError(out.code, out.log, out.codespace);
        return { gasWanted: out.gasWanted, gasUsed: out.gasUsed, result: { data: out.data, log: out.log, events: out.events, msgResponses: out.msgResponses } };
      },
    };
  }

  /**
   * What the app keeps of the last committed consensus params, in one read: abci.vote_extensions_enable_height
   * (0: off) and block.max_gas (-1: no limit); both off before any state.
   */
  private readConsensusLimits(): void {
    const p = this.store.versions.length === 0 ? undefined : this.modules.consensus.params(this.committedContext());
    this.voteExtensionsHeight = p?.abci.voteExtensionsEnableHeight ?? 0n;
    this.env.maxBlockGas = p?.block.maxGas ?? -1n;
  }

  /**
   * The time of the last committed block, for CheckTx after a restart (before the first new block):
   * from staking's historical info of that height (kept for historical_entries blocks; the SDK's
   * default is 10000). Without it (historical_entries 0) CheckTx sees 0 until the next block.
   */
  private readLastBlockTime(): bigint {
    if (this.store.versions.length === 0) return 0n;
    const info = this.modules.staking.historicalInfo(this.committedContext(), BigInt(this.store.version));
    return info?.header?.time ? millis(info.header.time) : 0n;
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
    this.env.chainId = req.chainId;
    const ctx = new Context(this.store.working, req.initialHeight, 0n, req.chainId, infiniteGasMeter(), "deliver");
    if (req.initialHeight !== BigInt(this.store.version + 1)) {
      throw new Error(`genesis initial_height ${req.initialHeight} does not follow the store's version ${this.store.version}`);
    }
    this.env.blockTimeMs = millis(req.time);
    this.store.working.store(AUTH_STORE).set(chainIdKey, Buffer.from(req.chainId));
    initConsensusGenesis(ctx, this.modules.consensus, req.consensusParams);
    const consensus = this.modules.consensus.params(ctx);
    this.voteExtensionsHeight = consensus.abci.voteExtensionsEnableHeight;
    this.env.maxBlockGas = consensus.block.maxGas;
    const genesis = parseAppGenesis(req.appStateBytes);
    for (const step of GENESIS_ORDER) step.run(this.modules, ctx, genesis);
    // Gentxs (each validator's MsgCreateValidator) run as ordinary txs; one that fails makes the genesis invalid.
    (genesis.genutil?.gen_txs ?? []).forEach((b64, i) => {
      const branch = this.store.working.branch();
      const out = this.pipeline.runTx(branch, Buffer.from(b64, "base64"), "genesis", req.initialHeight);
      branch.write();
      if (out.code !== 0) throw new Error(`genesis tx ${i} failed (code ${out.code}, codespace ${out.codespace}): ${out.log}`);
    });
    const updates = this.staking.applyValidatorSetUpdates(ctx);
    // The genesis state is committed with block `initialHeight`, as the SDK does; no app hash yet.
    // Validators returned here replace the genesis file's (which may then be empty).
    return { validators: updates.map(validatorUpdate) };
  }

  checkTx(req: RequestCheckTx): DeepPartial<ResponseCheckTx> {
    if (isInjectedCommit(req.tx))
      return { code: SdkCode.TxDecode, codespace: "sdk", log: "an extended commit goes only into a proposal, never through the mempool" };
    const ctxBranch = this.checkState.branch();
    const recheck = req.type === CheckTxType.RECHECK;
    const out = this.pipeline.runTx(ctxBranch, req.tx, "check", BigInt(this.store.version + 1), recheck);
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
        { chainId: this.env.chainId, height: req.height - 1n, publicKeyOf: (address) => this.staking.consensusKeyOf(ctx, address) },
        (ext) => extensionShapeProblem(ext, maxBytes),
      );
      for (const why of pruned) process.stderr.write(`mirad: proposing height ${req.height}: injecting a vote as absent: ${why}\n`);
      const injected = encodeInjectedCommit(commit);
      txs.push(injected);
      bytes += BigInt(injected.length);
    }
    // As the SDK's default proposal handler: a tx that does not fit the bytes or block.max_gas left is
    // skipped (a smaller one after it may fit), and the selection stops once either is used up.
    const maxGas = this.env.maxBlockGas;
    let gas = 0n;
    for (const tx of req.txs) {
      if (isInjectedCommit(tx)) continue; // never a user tx (CheckTx refuses it)
      const size = BigInt(tx.length);
      if (bytes + size > req.maxTxBytes) continue;
      if (maxGas > 0n) {
        const limit = this.pipeline.gasLimitOf(tx);
        if (limit === undefined || gas + limit > maxGas) continue;
        gas += limit;
      }
      bytes += size;
      txs.push(tx);
      if (bytes >= req.maxTxBytes || (maxGas > 0n && gas >= maxGas)) break;
    }
    return { txs };
  }

  /**
   * Accepts a proposal only if its injected extended commit (first tx, from the height where
   * extensions start) is the last commit CometBFT reports, every extension signature verifies
   * against the validator's consensus key, and the signers hold more than 2/3 of the power; and only
   * if its txs' declared gas limits add up to no more than block.max_gas (when it is set), as the
   * SDK's proposal handler checks.
   */
  processProposal(req: RequestProcessProposal) {
    const reject = (why: string) => {
      process.stderr.write(`mirad: rejecting the proposal for height ${req.height}: ${why}\n`);
      return { status: ResponseProcessProposal_ProposalStatus.REJECT };
    };
    const maxGas = this.env.maxBlockGas;
    if (maxGas > 0n) {
      // The gas the block's txs declare (an undecodable tx declares none, and fails in FinalizeBlock).
      const wanted = req.txs.reduce((sum, tx) => sum + (isInjectedCommit(tx) ? 0n : (this.pipeline.gasLimitOf(tx) ?? 0n)), 0n);
      if (wanted > maxGas) return reject(`its txs want ${wanted} gas, over block.max_gas ${maxGas}`);
    }
    const must = this.mustCarryExtensions(req.height);
    const injectedAt = req.txs.findIndex((tx) => isInjectedCommit(tx));
    if (!must) return injectedAt < 0 ? { status: ResponseProcessProposal_ProposalStatus.ACCEPT } : reject("an extended commit before vote extensions start");
    if (injectedAt !== 0 || req.txs.slice(1).some((tx) => isInjectedCommit(tx))) return reject("the extended commit must be the first tx, once");
    try {
      const commit = decodeInjectedCommit(req.txs[0]!);
      matchesLastCommit(commit, req.proposedLastCommit ?? { round: 0, votes: [] });
      const ctx = new Context(this.store.branchCommitted(), req.height, this.env.blockTimeMs, this.env.chainId, infiniteGasMeter(), "check");
      verifyExtendedCommit(commit, { chainId: this.env.chainId, height: req.height - 1n, publicKeyOf: (address) => this.staking.consensusKeyOf(ctx, address) });
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
  attachVerifier(client: SidecarClient, consAddress: Uint8Array, log: (line: string) => void, timeoutMs = DEFAULT_SIDECAR_TIMEOUT_MS): void {
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
    this.verifier = new VerifierBridge(client, view, { deadlineMs: timeoutMs, maxBatch: 256, log });
  }

  /**
   * Only what is certainly invalid is refused, since a refusal drops that validator's precommit:
   * over the cap, undecodable, bad enums or duplicates, or verdicts on claims that are not pending
   * and assigned to that validator in the committed state both sides voted on (extension.ts).
   */
  verifyVoteExtension(req: RequestVerifyVoteExtension) {
    const ctx = this.committedContext();
    try {
      if (req.voteExtension.length > MAX_VOTE_EXTENSION_BYTES)
        throw new VoteExtensionError(`an extension of ${req.voteExtension.length} bytes is over the hard cap`);
      this.claims.verifyExtension(ctx, req.validatorAddress, req.voteExtension);
    } catch (err) {
      if (!(err instanceof ChainError) && !(err instanceof VoteExtensionError)) throw err;
      process.stderr.write(
        `mirad: refusing the vote extension of ${Buffer.from(req.validatorAddress).toString("hex")} at height ${req.height}: ${err.message}\n`,
      );
      return { status: ResponseVerifyVoteExtension_VerifyStatus.REJECT };
    }
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  /** A read-only context over the last committed state (queries, tests, the verifier bridge). */
  committedContext(): Context {
    return new Context(this.store.branchCommitted(), BigInt(this.store.version), this.env.blockTimeMs, this.env.chainId, infiniteGasMeter(), "check");
  }

  finalizeBlock(req: RequestFinalizeBlock) {
    const height = req.height;
    if (BigInt(this.store.version + 1) !== height) {
      throw new Error(`FinalizeBlock for height ${height} but the store is at version ${this.store.version}`);
    }
    this.env.blockTimeMs = millis(req.time);
    // Begin-block: liveness from the last commit's signatures, then CometBFT's verified evidence.
    const beginCtx = new Context(this.store.working, height, this.env.blockTimeMs, this.env.chainId, infiniteGasMeter(), "deliver");
    const votes: CommitVote[] = (req.decidedLastCommit?.votes ?? []).map((v) => ({
      consAddress: v.validator.address,
      power: v.validator.power,
      signed: v.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
    }));
    const doubleSigns = req.misbehavior
      .filter((m) => m.type === MisbehaviorType.DUPLICATE_VOTE)
      .map((m) => ({ consAddress: m.validator.address, height: m.height, power: m.validator.power }));
    const begin: BeginBlockInput = {
      votes,
      doubleSigns,
      injectedCommit: req.txs.length > 0 && isInjectedCommit(req.txs[0]!) ? decodeInjectedCommit(req.txs[0]!) : undefined,
      header: {
        chainId: this.env.chainId,
        height,
        timeMs: this.env.blockTimeMs,
        time: req.time === undefined ? undefined : { seconds: req.time.seconds, nanos: req.time.nanos },
        appHash: this.store.appHash, // the header of block H carries the app hash after H-1
        nextValidatorsHash: req.nextValidatorsHash,
        proposerAddress: req.proposerAddress,
      },
    };
    for (const step of BEGIN_BLOCKERS) step.run(this.modules, beginCtx, begin);
    const txResults: DeepPartial<ExecTxResult>[] = req.txs.map((tx, i) => {
      // The injected extended commit is data for the modules (ProcessProposal checked it), not a tx.
      if (i === 0 && isInjectedCommit(tx)) return { code: 0, log: `${INJECTED_COMMIT_RESULT_LOG}${height - 1n}` };
      const branch = this.store.working.branch();
      const out = this.pipeline.runTx(branch, tx, "deliver", height);
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
    const endCtx = new Context(this.store.working, height, this.env.blockTimeMs, this.env.chainId, infiniteGasMeter(), "deliver");
    const validatorUpdates: ReturnType<typeof validatorUpdate>[] = [];
    for (const step of END_BLOCKERS) {
      const updates = step.run(this.modules, endCtx, { blockHash: req.hash });
      if (updates !== undefined) validatorUpdates.push(...updates.map(validatorUpdate));
    }
    return {
      txResults,
      events: [...beginCtx.events.events, ...endCtx.events.events],
      validatorUpdates,
      consensusParamUpdates: this.consensusParamUpdates(endCtx),
      appHash: this.store.workingHash(),
    };
  }

  /**
   * The consensus params this block changed (governance's MsgUpdateParams), for CometBFT to apply
   * from the next height: the stored block, evidence, validator and abci sections when they differ
   * from the last committed ones, else none.
   */
  private consensusParamUpdates(ctx: Context): ConsensusParams | undefined {
    const now = this.modules.consensus.stored(ctx);
    if (now === undefined || this.store.versions.length === 0) return undefined;
    const before = this.modules.consensus.stored(this.committedContext());
    const bytes = (p: ConsensusParams | undefined) => (p === undefined ? Buffer.alloc(0) : Buffer.from(ConsensusParams.encode(p).finish()));
    // The version section is not governance's (CometBFT keeps the app version Info reports): never sent back.
    return bytes(before).equals(bytes(now)) ? undefined : { ...now, version: undefined };
  }

  commit() {
    this.store.commit();
    this.checkState = this.store.branchCommitted();
    // A block may have changed abci.vote_extensions_enable_height or block.max_gas (CometBFT applies them from the next height).
    this.readConsensusLimits();
    this.verifier?.afterCommit();
    return { retainHeight: 0n };
  }

  /**
   * ABCI Query. `store/<name>/key` reads one raw key (with its ICS-23 proof when asked); every other
   * path is a method of `services`, the registry the gRPC server serves, so abci_query answers with
   * the same bytes, and fails with the chain error's own code or, for other failures, the SDK code
   * of the gRPC status (abciQueryErrorOf). An unknown path answers code 6 (UnknownRequest).
   * A method reads state synchronously, before its first await: the ABCI server lets later
   * requests run while a Query waits (on CometBFT's RPC), so that such a wait never holds up a block.
   */
  query(req: RequestQuery): DeepPartial<ResponseQuery> | Promise<DeepPartial<ResponseQuery>> {
    const height = req.height === 0n ? BigInt(this.store.version) : req.height;
    const failure = (e: ChainError): DeepPartial<ResponseQuery> => ({ code: e.code, codespace: e.codespace, log: e.message, height });
    if (req.path.startsWith("/store/") || req.path.startsWith("store/")) {
      try {
        return this.rawQuery(req, height);
      } catch (err) {
        const e = err instanceof ChainError ? err : err instanceof StoreError ? chainError(SdkCode.InvalidRequest, err.message) : undefined;
        if (e === undefined) throw err;
        return failure(e);
      }
    }
    const method = this.services.get(req.path);
    if (method === undefined) return failure(chainError(SdkCode.UnknownRequest, `unknown query path: ${req.path}`));
    return method(req.data, height).then(
      ({ value, height: at }): DeepPartial<ResponseQuery> => ({ code: 0, value, height: at ?? height }),
      (err: unknown) => failure(abciQueryErrorOf(err)),
    );
  }

  /** A module's query method at `height` (the registry's module methods run this). */
  runQuery(method: string, data: Uint8Array, height: bigint): Uint8Array {
    const handler = this.queries.get(method);
    if (handler === undefined) throw chainError(SdkCode.UnknownRequest, `unknown query path: ${method}`);
    try {
      const ctx = new Context(this.store.branchAt(Number(height)), height, 0n, this.env.chainId, infiniteGasMeter(), "check");
      return handler(ctx, data);
    } catch (err) {
      if (err instanceof ChainError) throw err;
      // A height pruned or not yet committed: the request is what is wrong, as in the SDK's query context.
      if (err instanceof StoreError) throw chainError(SdkCode.InvalidRequest, err.message);
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

  /** Runs a tx on the mempool's state (the last committed one plus the txs CheckTx accepted since) without signature checks and without keeping anything. */
  simulate(txBytes: Uint8Array): TxOutcome {
    return this.pipeline.simulate(txBytes, this.checkState);
  }
}
