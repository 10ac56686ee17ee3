// IBC heights and chain-id revisions as ibc-go's 02-client defines them (types/height.go): a chain id
// "name-N" (N without leading zeros) is revision N of chain "name"; any other chain id is revision 0.
import type { Height } from "cosmjs-types/ibc/core/client/v1/client";

// ibc-go's regexp ^.*[^\n-]-{1}[1-9][0-9]*$, with Go's "." (anything but \n) spelt out for JavaScript.
const REVISION_FORMAT = /^[^\n]*[^\n-]-[1-9][0-9]*$/;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Whether a chain id ends in a revision number, as in "mira-1". */
export function isRevisionFormat(chainId: string): boolean {
  return REVISION_FORMAT.test(chainId);
}

/** The revision number of a chain id: N for "name-N", otherwise 0 (also when N does not fit in a uint64). */
export function parseRevisionNumber(chainId: string): bigint {
  if (!isRevisionFormat(chainId)) return 0n;
  const revision = BigInt(chainId.slice(chainId.lastIndexOf("-") + 1));
  return revision > MAX_UINT64 ? 0n : revision;
}

/** The chain id with its revision number replaced (ibc-go's SetRevisionNumber); a chain id without one is returned as it is. */
export function withRevisionNumber(chainId: string, revision: bigint): string {
  if (!isRevisionFormat(chainId)) return chainId;
  return `${chainId.slice(0, chainId.lastIndexOf("-"))}-${revision}`;
}

/** -1, 0 or 1 as `a` is below, at or above `b`: revision number first, then revision height. */
export function compareHeights(a: Height, b: Height): number {
  if (a.revisionNumber !== b.revisionNumber) return a.revisionNumber < b.revisionNumber ? -1 : 1;
  if (a.revisionHeight !== b.revisionHeight) return a.revisionHeight < b.revisionHeight ? -1 : 1;
  return 0;
}

export function isZeroHeight(h: Height): boolean {
  return h.revisionNumber === 0n && h.revisionHeight === 0n;
}

/** "N-H", as ibc-go prints heights. */
export function formatHeight(h: Height): string {
  return `${h.revisionNumber}-${h.revisionHeight}`;
}
