import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { chainError, SdkCode } from "./errors";

const DEFAULT_LIMIT = 100n;
const MAX_LIMIT = 1000n;

/**
 * Pages through items in store order. `next_key` is the position of the next item (8 bytes, big
 * endian), so a client can pass it back as `key`; `offset` works as in the SDK.
 */
export function paginate<T>(items: Iterable<T>, page: PageRequest | undefined): { items: T[]; pagination: PageResponse } {
  const limit = page === undefined || page.limit === 0n ? DEFAULT_LIMIT : page.limit;
  if (limit > MAX_LIMIT) throw chainError(SdkCode.InvalidRequest, `pagination limit ${limit} exceeds ${MAX_LIMIT}`);
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
