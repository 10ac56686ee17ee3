// A fixed yearly inflation, minted by block time: every block mints supply × inflation × (time
// since the last block) / year into the fee collector, so that stake earns even when no fees flow.
import { Params } from "cosmjs-types/cosmos/mint/v1beta1/mint";
import type { Context } from "../../app/core/context";
import { formatDec, ONE_DEC } from "../../app/core/dec";
import { ATTR_AMOUNT, ATTR_ANNUAL_PROVISIONS, ATTR_INFLATION, EVENT_MINT } from "./events";
import type { AccountKeeper, BankKeeper } from "./expected-keepers";
import { lastBlockTimeKey, paramsKey, STORE } from "./keys";
import { defaultMintParams } from "./params";

const YEAR_MS = 365n * 24n * 3600n * 1000n;

export class MintKeeper {
  constructor(
    private readonly bank: BankKeeper,
    private readonly accounts: AccountKeeper,
  ) {}

  /** Reads the mint params (the defaults when none are stored). */
  params(ctx: Context): Params {
    const v = ctx.store(STORE).get(paramsKey);
    return v === undefined ? defaultMintParams() : Params.decode(v);
  }

  /** Writes the mint params. */
  setParams(ctx: Context, p: Params): void {
    ctx.store(STORE).set(paramsKey, Params.encode(p).finish());
  }

  /** Reads the yearly inflation (LegacyDec atomics) from the params. */
  inflation(ctx: Context): bigint {
    return BigInt(this.params(ctx).inflationMax);
  }

  /** Supply × inflation, in atomics of the mint denom per year (reads the params and bank's supply). */
  annualProvisions(ctx: Context): bigint {
    const p = this.params(ctx);
    return this.bank.getSupply(ctx, p.mintDenom) * BigInt(p.inflationMax);
  }

  /** Mints this block's share (by the time since the last block) to the fee collector; writes the block time, emits mint. */
  beginBlock(ctx: Context): bigint {
    const store = ctx.store(STORE);
    const last = store.get(lastBlockTimeKey);
    store.set(lastBlockTimeKey, Buffer.from(ctx.blockTimeMs.toString()));
    if (last === undefined) return 0n;
    const elapsed = ctx.blockTimeMs - BigInt(last.toString());
    if (elapsed <= 0n) return 0n;
    const p = this.params(ctx);
    const provisions = this.annualProvisions(ctx);
    const amount = (provisions * elapsed) / (YEAR_MS * ONE_DEC);
    if (amount === 0n) return 0n;
    this.bank.mintCoins(ctx, this.accounts.moduleAccount(ctx, "fee_collector").address, [{ denom: p.mintDenom, amount }]);
    ctx.events.emit(EVENT_MINT, {
      [ATTR_INFLATION]: formatDec(BigInt(p.inflationMax)),
      [ATTR_ANNUAL_PROVISIONS]: formatDec(provisions),
      [ATTR_AMOUNT]: amount.toString(),
    });
    return amount;
  }
}
