// The tx pipeline: decode (kept by the tx's bytes), route each message to its handler, run the ante
// checks, then the messages in a branch of their own; simulate. ABCI methods (app.ts) call it for
// CheckTx, FinalizeBlock, gentxs and the Simulate query.
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import { bech32Address } from "../core/address";
import { Context, type ExecMode, type FeeGrantUse } from "../core/context";
import { ChainError, SdkCode } from "../core/errors";
import { GasMeter, infiniteGasMeter } from "../core/gas";
import { latin1Key } from "../core/memo";
import type { RoutedMsg } from "../core/router";
import { decodeTx, type DecodedTx } from "../core/tx-decode";
import { type Branch, type MultiStore, StoreError } from "../store";
import { runAnte } from "./ante";
import type { Modules } from "./modules";

/** Decoded txs kept for recheck and FinalizeBlock (about one mempool's worth). */
const DECODED_TX_CACHE = 20_000;

/** The SDK's ErrPanic (codespace "undefined"). */
export const PANIC_CODE = 111222;

/** The outcome of running one tx. */
export interface TxOutcome {
  code: number;
  codespace: string;
  log: string;
  data: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: Event[];
  msgResponses: Any[];
}

/** The block the pipeline runs in: set by the ABCI methods as blocks come. */
export interface BlockEnv {
  chainId: string;
  blockTimeMs: bigint;
  /** consensus_params.block.max_gas as last committed: -1 (or 0) for no limit. */
  maxBlockGas: bigint;
}

/** A tx's decoded form and routed messages, with the signatures of these bytes already verified. */
interface DecodedEntry {
  tx: DecodedTx;
  msgs: RoutedMsg[];
  verified: Set<string>;
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
  return {
    code: PANIC_CODE,
    codespace: "undefined",
    log: `panic: ${(err as Error)?.message ?? String(err)}`,
    data: new Uint8Array(),
    gasWanted,
    gasUsed,
    events,
    msgResponses: [],
  };
}

export class TxPipeline {
  private readonly decodedTxs = new Map<string, DecodedEntry>();

  constructor(
    private readonly modules: Modules,
    private readonly store: MultiStore,
    private readonly env: BlockEnv,
  ) {}

  /**
   * Runs a tx without signature checks and without keeping anything, on a branch of `base`: the
   * mempool's state, as the SDK simulates on its check state, so that a relayer's second tx in a row
   * (one sequence ahead of the committed account) is estimated instead of refused.
   */
  simulate(txBytes: Uint8Array, base: Branch): TxOutcome {
    const branch = base.branch();
    const out = this.runTx(branch, txBytes, "simulate", BigInt(this.store.version + 1));
    branch.discard();
    return out;
  }

  /** The post-handler of a fee-granted tx: its fee counted against the session (a small bounded write, not metered). */
  private countGrantedFee(branch: Branch, height: bigint, mode: ExecMode, grant: FeeGrantUse): Event[] {
    const post = branch.branch();
    const ctx = new Context(post, height, this.env.blockTimeMs, this.env.chainId, infiniteGasMeter(), mode);
    this.modules.sessions.countGrantedFee(ctx, grant);
    post.write();
    return ctx.events.events;
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
      hit = { tx, msgs: tx.body.messages.map((m) => this.modules.msgs.route(m)), verified: new Set() };
      if (this.decodedTxs.size >= DECODED_TX_CACHE) this.decodedTxs.clear();
      this.decodedTxs.set(id, hit);
    }
    return hit;
  }

  /** A tx's declared gas limit (fee.gas_limit), or undefined when its bytes do not decode as a tx. */
  gasLimitOf(txBytes: Uint8Array): bigint | undefined {
    try {
      return this.decodeAndRoute(txBytes).tx.authInfo.fee?.gasLimit ?? 0n;
    } catch {
      return undefined;
    }
  }

  /**
   * Runs one tx in `branch`: ante checks, then (unless checking) its messages in a nested branch.
   * Whatever fails is discarded; fees and sequences stay once the ante checks pass.
   */
  runTx(branch: Branch, txBytes: Uint8Array, mode: ExecMode, height: bigint, recheck = false): TxOutcome {
    let tx: DecodedTx;
    let msgs: RoutedMsg[];
    let verified: Set<string>;
    try {
      ({ tx, msgs, verified } = this.decodeAndRoute(txBytes));
    } catch (err) {
      return failure(err, 0n, 0n);
    }
    const { chainId, blockTimeMs } = this.env;
    const declaredGas = tx.authInfo.fee?.gasLimit ?? 0n;
    // gas_wanted is an int64 on the wire: a limit beyond it is refused by the ante and reported as 0.
    const gasWanted = declaredGas > 2n ** 63n - 1n ? 0n : declaredGas;
    const meter = new GasMeter(mode === "simulate" ? 2n ** 63n - 1n : declaredGas);
    const anteBranch = branch.branch();
    const anteCtx = new Context(anteBranch, height, blockTimeMs, chainId, meter, mode);
    let feeGrant: FeeGrantUse | undefined;
    try {
      feeGrant = runAnte(anteCtx, { auth: this.modules.auth, bank: this.modules.bank, feeGrants: this.modules.sessions }, tx, txBytes, msgs, {
        recheck,
        verified,
        maxBlockGas: this.env.maxBlockGas,
      });
      if (mode === "check" || mode === "simulate") for (const check of this.modules.mempoolChecks) check(anteCtx, msgs);
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
        const ctx = new Context(msgBranch, height, blockTimeMs, chainId, meter, mode);
        ctx.feeGrant = feeGrant;
        ctx.events.emit("message", { action: handler.typeUrl, sender: bech32Address(handler.signers(msg)[0]!), module: handler.module });
        msgResponses.push(handler.execute(ctx, msg));
        msgEvents.push(...ctx.events.events);
      }
    } catch (err) {
      msgBranch.discard();
      // A granted fee was paid whatever the messages did: it counts against its session now.
      // Its events (the session used up by this use) go with the failed tx's ante events.
      const postEvents = feeGrant !== undefined ? this.countGrantedFee(branch, height, mode, feeGrant) : [];
      return failure(err, gasWanted, meter.consumed, [...events, ...postEvents]);
    }
    if (feeGrant !== undefined && !feeGrant.charged) msgEvents.push(...this.countGrantedFee(msgBranch, height, mode, feeGrant));
    msgBranch.write();
    const data = TxMsgData.encode({ data: [], msgResponses }).finish();
    return { code: 0, codespace: "", log: "", data, gasWanted, gasUsed: meter.consumed, events: [...events, ...msgEvents], msgResponses };
  }
}
