// DecCoins: amounts per denom in LegacyDec atomics (10^-18 units), kept sorted by denom.
import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Amount } from "../../app/core/coins";
import { DEC_PRECISION } from "../../app/core/dec";

export type DecCoins = Map<string, bigint>;

export function decCoins(list: readonly DecCoin[] | undefined): DecCoins {
  return new Map((list ?? []).map((c) => [c.denom, BigInt(c.amount)]));
}

export function toDecCoinList(d: DecCoins): DecCoin[] {
  return [...d]
    .filter(([, a]) => a !== 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
}

export function fromCoins(coins: readonly Amount[]): DecCoins {
  return new Map(coins.map((c) => [c.denom, c.amount * DEC_PRECISION]));
}

export function add(a: DecCoins, b: DecCoins): DecCoins {
  const out = new Map(a);
  for (const [d, v] of b) out.set(d, (out.get(d) ?? 0n) + v);
  return out;
}

export function sub(a: DecCoins, b: DecCoins): DecCoins {
  const out = new Map(a);
  for (const [d, v] of b) out.set(d, (out.get(d) ?? 0n) - v);
  return out;
}

/** Each amount × num / den, rounded down. */
export function mulDiv(a: DecCoins, num: bigint, den: bigint): DecCoins {
  const out: DecCoins = new Map();
  for (const [d, v] of a) out.set(d, (v * num) / den);
  return out;
}

/** Whole coins (rounded down) and the decimal change left over. */
export function truncate(a: DecCoins): { coins: Amount[]; change: DecCoins } {
  const coins: Amount[] = [];
  const change: DecCoins = new Map();
  for (const [denom, v] of [...a].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const whole = v / DEC_PRECISION;
    if (whole > 0n) coins.push({ denom, amount: whole });
    change.set(denom, v - whole * DEC_PRECISION);
  }
  return { coins, change };
}

/** The smaller of each amount (for capping a payout at what is outstanding). */
export function min(a: DecCoins, b: DecCoins): DecCoins {
  const out: DecCoins = new Map();
  for (const [d, v] of a) {
    const w = b.get(d) ?? 0n;
    out.set(d, v < w ? v : w);
  }
  return out;
}

export function isZero(a: DecCoins): boolean {
  for (const v of a.values()) if (v !== 0n) return false;
  return true;
}
