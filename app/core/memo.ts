/**
 * Memos for pure functions of bytes that hot paths call again and again (address encodings, decoded
 * accounts and session records): results kept by key, at most `max` of them, all dropped when full
 * (a cheap bound; a hit costs one Map lookup). Only ever a cache: no result depends on a hit.
 */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, value);
  }
}

/** One code unit per byte: a cheap exact Map key for short byte strings (the store's own key form). */
export { keyString as latin1Key } from "../store/encoding";

/** Unsigned byte-string order (the store's key order), compared in place. */
export { compareBytes } from "../store/encoding";
