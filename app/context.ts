import type { Branch, KVStore } from "./store";
import { EventManager } from "./events";
import { GasKVStore, GasMeter } from "./gas";

/** What a module sees while it runs: the state branch, block data, gas and events. */
export class Context {
  readonly events = new EventManager();

  constructor(
    readonly branch: Branch,
    readonly height: bigint,
    /** Block time in unix milliseconds (never wall-clock time). */
    readonly blockTimeMs: bigint,
    readonly chainId: string,
    readonly gas: GasMeter,
    /** "genesis": the gentxs delivered by InitChain (signed for account number 0, no minimum fee). */
    readonly mode: "check" | "simulate" | "deliver" | "genesis",
  ) {}

  /** Substore `name`, gas-metered. */
  store(name: string): KVStore {
    return new GasKVStore(this.branch.store(name), this.gas);
  }
}
