import type { Branch, KVStore } from "../store";
import { EventManager } from "./events";
import { GasKVStore, GasMeter } from "./gas";
import type { Amount } from "./coins";

/** Told of every coin that leaves an account (the bank calls it before the balance drops); may refuse by throwing. */
export type SpendWatch = (address: Uint8Array, coins: readonly Amount[]) => void;

/**
 * A fee the ante took from a fee granter (a session's granter) for `payer`'s tx: the session's
 * exec counts it against the spend limit together with what the messages spend (one usage write);
 * if the messages fail, the app counts it alone afterwards.
 */
export interface FeeGrantUse {
  granter: Buffer;
  payer: Buffer;
  fee: readonly Amount[];
  charged: boolean;
  /** What the fee-grant check read (the session it found live), for the tx's first exec to reuse; owned by the sessions keeper. */
  found?: unknown;
}

/** How a tx runs: "genesis" is the gentxs delivered by InitChain (signed for account number 0, no minimum fee). */
export type ExecMode = "check" | "simulate" | "deliver" | "genesis";

/** What a module sees while it runs: the state branch, block data, gas and events. */
export class Context {
  /** Kept except in CheckTx, whose answer carries no events: hot paths skip building them (`events.on`). */
  readonly events: EventManager;
  /** Set while a session acts for its granter, to count (and cap) what leaves the granter's account. */
  spendWatch: SpendWatch | undefined = undefined;
  /** Set on the messages' contexts of a tx whose fee a granter paid. */
  feeGrant: FeeGrantUse | undefined = undefined;

  constructor(
    readonly branch: Branch,
    readonly height: bigint,
    /** Block time in unix milliseconds (never wall-clock time). */
    readonly blockTimeMs: bigint,
    readonly chainId: string,
    readonly gas: GasMeter,
    readonly mode: ExecMode,
  ) {
    this.events = new EventManager(mode !== "check");
  }

  /**
   * A context over a branch of this one's state, with its own events: what it does is kept only by
   * `keep(child)` (IBC runs an application's packet callback this way, and drops it on an error ack).
   */
  child(): Context {
    const c = new Context(this.branch.branch(), this.height, this.blockTimeMs, this.chainId, this.gas, this.mode);
    c.spendWatch = this.spendWatch;
    c.feeGrant = this.feeGrant;
    return c;
  }

  /** Writes a `child()`'s state changes into this context's branch and appends its events. */
  keep(child: Context): void {
    child.branch.write();
    if (this.events.on) this.events.events.push(...child.events.events);
  }

  /** Drops a `child()`'s state changes but appends its events (they tell what failed). */
  keepEventsOnly(child: Context): void {
    child.branch.discard();
    if (this.events.on) this.events.events.push(...child.events.events);
  }

  /** Substore `name`, gas-metered. */
  store(name: string): KVStore {
    return new GasKVStore(this.branch.store(name), this.gas);
  }
}
