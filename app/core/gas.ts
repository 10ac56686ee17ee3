import { chainError, SdkCode } from "./errors";
import type { IterateOptions, KV, KVStore } from "../store";

/** Gas costs of store access, the Cosmos SDK's defaults so that fees feel familiar to wallets. */
export const KV_GAS = {
  hasCost: 1000n,
  deleteCost: 1000n,
  readCostFlat: 1000n,
  readCostPerByte: 3n,
  writeCostFlat: 2000n,
  writeCostPerByte: 30n,
  iterNextCostFlat: 30n,
} as const;

/** Deterministic gas accounting; running past the limit throws OutOfGas (code 11). */
export class GasMeter {
  private used = 0n;

  constructor(readonly limit: bigint) {}

  get consumed(): bigint {
    return this.used;
  }

  consume(amount: bigint, descriptor: string): void {
    this.used += amount;
    if (this.used > this.limit) {
      throw chainError(SdkCode.OutOfGas, `out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
    }
  }
}

/** An effectively unlimited meter for genesis, block hooks and queries. */
export function infiniteGasMeter(): GasMeter {
  return new GasMeter(2n ** 63n - 1n);
}

/** readCostPerByte × n for the sizes most entries have, made once (a scan reads thousands of entries). */
const READ_COSTS = Array.from({ length: 512 }, (_, n) => KV_GAS.readCostPerByte * BigInt(n));
const readCost = (n: number): bigint => READ_COSTS[n] ?? KV_GAS.readCostPerByte * BigInt(n);

/** A KVStore that charges every access to a gas meter before doing it. */
export class GasKVStore implements KVStore {
  constructor(
    private readonly inner: KVStore,
    private readonly meter: GasMeter,
  ) {}

  get(key: Uint8Array): Buffer | undefined {
    this.meter.consume(KV_GAS.readCostFlat, "ReadFlat");
    const v = this.inner.get(key);
    this.meter.consume(readCost(key.length + (v?.length ?? 0)), "ReadPerByte");
    return v;
  }

  has(key: Uint8Array): boolean {
    this.meter.consume(KV_GAS.hasCost, "Has");
    return this.inner.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.meter.consume(KV_GAS.writeCostFlat, "WriteFlat");
    this.meter.consume(KV_GAS.writeCostPerByte * BigInt(key.length + value.length), "WritePerByte");
    this.inner.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.meter.consume(KV_GAS.deleteCost, "Delete");
    this.inner.delete(key);
  }

  /** Charges each entry as it is read. A plain iterator over the inner one rather than a generator: a scan pays a step per layer. */
  iterate(opts?: IterateOptions): Generator<KV> {
    const inner = this.inner.iterate(opts);
    const meter = this.meter;
    const it: Generator<KV> = {
      next(): IteratorResult<KV> {
        const r = inner.next();
        if (r.done === true) return r;
        meter.consume(KV_GAS.iterNextCostFlat, "IterNextFlat");
        meter.consume(readCost(r.value[0].length + r.value[1].length), "ValuePerByte");
        return r;
      },
      return: (value) => inner.return(value),
      throw: (err) => inner.throw(err),
      [Symbol.iterator]: () => it,
    };
    return it;
  }
}
