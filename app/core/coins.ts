import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { chainError, SdkCode } from "./errors";

/** An amount of one denom; amounts are bigint, never floats. */
export interface Amount {
  denom: string;
  amount: bigint;
}

const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const UINT = /^(0|[1-9][0-9]{0,76})$/;

export function validDenom(denom: string): boolean {
  return DENOM.test(denom);
}

/** Parses protobuf coins; rejects bad denoms, bad or negative amounts, duplicates and bad order. */
export function parseCoins(coins: readonly Coin[], what = "coins", allowZero = false): Amount[] {
  const out: Amount[] = [];
  for (const c of coins) {
    if (!validDenom(c.denom)) throw chainError(SdkCode.InvalidCoins, `invalid denom "${c.denom}" in ${what}`);
    if (!UINT.test(c.amount)) throw chainError(SdkCode.InvalidCoins, `invalid amount "${c.amount}" for ${c.denom} in ${what}`);
    const amount = BigInt(c.amount);
    if (amount === 0n && !allowZero) throw chainError(SdkCode.InvalidCoins, `zero amount of ${c.denom} in ${what}`);
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.denom >= c.denom) {
      throw chainError(SdkCode.InvalidCoins, `${what} must be sorted by denom without duplicates: ${prev.denom}, ${c.denom}`);
    }
    out.push({ denom: c.denom, amount });
  }
  return out;
}

export function toCoin(a: Amount): Coin {
  return { denom: a.denom, amount: a.amount.toString() };
}

export function formatAmounts(amounts: readonly Amount[]): string {
  return amounts.map((a) => `${a.amount}${a.denom}`).join(",");
}

/** Parses "1000umira,5stake" (the SDK's text form). */
export function parseCoinsText(text: string): Amount[] {
  if (text.trim() === "") return [];
  const coins = text.split(",").map((part) => {
    const m = /^\s*([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$/.exec(part);
    if (!m) throw chainError(SdkCode.InvalidCoins, `invalid coin "${part}"; expected e.g. 1000umira`);
    return { denom: m[2]!, amount: m[1]! };
  });
  coins.sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
  return parseCoins(coins);
}

/** A decimal price such as 0.025umira per unit of gas, kept exact as a fraction. */
export interface GasPrice {
  denom: string;
  numerator: bigint;
  denominator: bigint;
}

export function parseGasPrice(text: string): GasPrice {
  const m = /^([0-9]+)(?:\.([0-9]{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  if (!m) throw chainError(SdkCode.InvalidCoins, `invalid gas price "${text}"; expected e.g. 0.025umira`);
  const frac = m[2] ?? "";
  return { denom: m[3]!, numerator: BigInt(m[1]! + frac), denominator: 10n ** BigInt(frac.length) };
}

/** The smallest whole fee that pays `gasLimit` at `price` (rounded up, as the SDK does). */
export function requiredFee(price: GasPrice, gasLimit: bigint): bigint {
  return (price.numerator * gasLimit + price.denominator - 1n) / price.denominator;
}
