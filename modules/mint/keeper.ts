// A fixed yearly inflation, minted by block time: every block mints supply × inflation × (time
// since the last block) / year into the fee collector, so that stake earns even when no fees flow.
import { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import type { Amount } from "../../app/core/coins";
import type { Context } from "../../app/core/context";
import { formatDec, ONE_DEC } from "../../app/core/dec";

export const STORE = "mint";
const PARAMS = Buffer.of(0x01);
const LAST_BLOCK_TIME = Buffer.of(0x02);
const YEAR_MS = 365n * 24n * 3600n * 1000n;

export interface MintBank {
  getSupply(ctx: Context, denom: string): bigint;
  mintCoins(ctx: Context, to: Uint8Array, coins: readonly Amount[]): void;
}

export interface MintAccounts {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** 7% a year in umira; inflationMin = inflationMax = the fixed rate (the SDK's fields, kept for its queries). */
export function defaultMintParams(inflation = (ONE_DEC * 7n) / 100n): Params {
  return {
    mintDenom: "umira",
    inflationRateChange: "0",
    inflationMax: inflation.toString(),
    inflationMin: inflation.toString(),
    goalBonded: ((ONE_DEC * 67n) / 100n).toString(),
    blocksPerYear: 31_536_000n, // one-second blocks; informative only: minting follows block time
  };
}

export class MintKeeper {
  constructor(
    private readonly bank: MintBank,
    private readonly accounts: MintAccounts,
  ) {}

  params(ctx: Context): Params {
    const v = ctx.store(STORE).get(PARAMS);
    return v === undefined ? defaultMintParams() : Params.decode(v);
  }

  setParams(ctx: Context, p: Params): void {
    ctx.store(STORE).set(PARAMS, Params.encode(p).finish());
  }

  inflation(ctx: Context): bigint {
    return BigInt(this.params(ctx).inflationMax);
  }

  /** Supply × inflation, in atomics of the mint denom per year. */
  annualProvisions(ctx: Context): bigint {
    const p = this.params(ctx);
    return this.bank.getSupply(ctx, p.mintDenom) * BigInt(p.inflationMax);
  }

  /** Mints this block's share (by the time since the last block) to the fee collector. */
  beginBlock(ctx: Context): bigint {
    const store = ctx.store(STORE);
    const last = store.get(LAST_BLOCK_TIME);
    store.set(LAST_BLOCK_TIME, Buffer.from(ctx.blockTimeMs.toString()));
    if (last === undefined) return 0n;
    const elapsed = ctx.blockTimeMs - BigInt(last.toString());
    if (elapsed <= 0n) return 0n;
    const p = this.params(ctx);
    const provisions = this.annualProvisions(ctx);
    const amount = (provisions * elapsed) / (YEAR_MS * ONE_DEC);
    if (amount === 0n) return 0n;
    this.bank.mintCoins(ctx, this.accounts.moduleAccount(ctx, "fee_collector").address, [{ denom: p.mintDenom, amount }]);
    ctx.events.emit("mint", { inflation: formatDec(BigInt(p.inflationMax)), annual_provisions: formatDec(provisions), amount: amount.toString() });
    return amount;
  }
}
