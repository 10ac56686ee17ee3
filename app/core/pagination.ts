import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { chainError, SdkCode } from "./errors";

const DEFAULT_LIMIT = 100n;
/** The most items one page holds, whatever the limit asked (relayers ask for u32::MAX and page on with next_key). */
export const MAX_LIMIT = 10_000n;

/**
 * Pages through items in store order. `next_key` is the position of the next item (8 bytes, big
 * endian), so a client can pass it back as `key`; `offset` works as in the SDK. A limit above MAX_LIMIT
 * gets MAX_LIMIT items and a next_key when there are more (the SDK has no cap; Hermes asks for 2^32 - 1).
 */
export function paginate<T>(items: Iterable<T>, page: PageRequest | undefined): { items: T[]; pagination: PageResponse } {
  const asked = page === undefined || page.limit === 0n ? DEFAULT_LIMIT : page.limit;
  const limit = asked > MAX_LIMIT ? MAX_LIMIT : asked;
  if (page !== undefined && page.key.length > 0 && page.offset > 0n) {
    throw chainError(SdkCode.InvalidRequest, "either offset or key is expected, got both");
  }
  const start = page !== undefined && page.key.length === 8 ? Buffer.from(page.key).readBigUInt64BE() : (page?.offset ?? 0n);
  const out: T[] = [];
  let index = 0n;
  let more = false;
  for (const item of items) {
    if (index >= start) {
      if (BigInt(out.length) === limit) {
        more = true;
        if (!page?.countTotal) break;
      } else out.push(item);
    }
    index++;
  }
  const nextKey = more ? Buffer.alloc(8) : new Uint8Array();
  if (more) (nextKey as Buffer).writeBigUInt64BE(start + limit);
  return { items: out, pagination: { nextKey, total: page?.countTotal ? index : 0n } };
}
