import { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { Context } from "../../app/core/context";
import { Amount, formatAmounts } from "../../app/core/coins";
import { chainError, SdkCode } from "../../app/core/errors";
import { bech32Address } from "../../app/core/address";
import type { AccountKeeper } from "./expected-keepers";
import { balanceKey, balancesPrefix, denomMetadataKey, denomMetadataPrefix, STORE, supplyKey, supplyPrefix } from "./keys";

/** Read-only bank state: what other modules get when they only need to look. */
export class BankViewKeeper {
  getBalance(ctx: Context, address: Uint8Array, denom: string): bigint {
    const v = ctx.store(STORE).get(balanceKey(address, denom));
    return v === undefined ? 0n : BigInt(v.toString());
  }

  /** All balances of an address, sorted by denom. */
  getAllBalances(ctx: Context, address: Uint8Array): Amount[] {
    const prefix = balancesPrefix(address);
    const out: Amount[] = [];
    for (const [k, v] of ctx.store(STORE).iterate({ prefix })) {
      out.push({ denom: k.subarray(prefix.length).toString(), amount: BigInt(v.toString()) });
    }
    return out;
  }

  getSupply(ctx: Context, denom: string): bigint {
    const v = ctx.store(STORE).get(supplyKey(denom));
    return v === undefined ? 0n : BigInt(v.toString());
  }

  getTotalSupply(ctx: Context): Amount[] {
    const out: Amount[] = [];
    for (const [k, v] of ctx.store(STORE).iterate({ prefix: supplyPrefix })) {
      out.push({ denom: k.subarray(1).toString(), amount: BigInt(v.toString()) });
    }
    return out;
  }

  getDenomMetadata(ctx: Context, denom: string): Metadata | undefined {
    const v = ctx.store(STORE).get(denomMetadataKey(denom));
    return v === undefined ? undefined : Metadata.decode(v);
  }

  *allDenomMetadata(ctx: Context): Generator<Metadata> {
    for (const [, v] of ctx.store(STORE).iterate({ prefix: denomMetadataPrefix })) yield Metadata.decode(v);
  }

  protected setBalance(ctx: Context, address: Uint8Array, denom: string, amount: bigint): void {
    const key = balanceKey(address, denom);
    if (amount === 0n) ctx.store(STORE).delete(key);
    else ctx.store(STORE).set(key, Buffer.from(amount.toString()));
  }
}

/** Transfers between accounts, with the SDK's events. */
export class BankSendKeeper extends BankViewKeeper {
  constructor(protected readonly accounts: AccountKeeper) {
    super();
  }

  subtractCoins(ctx: Context, address: Uint8Array, coins: readonly Amount[]): void {
    ctx.spendWatch?.(address, coins);
    for (const c of coins) {
      const have = this.getBalance(ctx, address, c.denom);
      if (have < c.amount) {
        throw chainError(SdkCode.InsufficientFunds, `spendable balance ${have}${c.denom} is smaller than ${c.amount}${c.denom}: insufficient funds`);
      }
      this.setBalance(ctx, address, c.denom, have - c.amount);
    }
    if (ctx.events.on) ctx.events.emit("coin_spent", { spender: bech32Address(address), amount: formatAmounts(coins) });
  }

  addCoins(ctx: Context, address: Uint8Array, coins: readonly Amount[]): void {
    for (const c of coins) this.setBalance(ctx, address, c.denom, this.getBalance(ctx, address, c.denom) + c.amount);
    if (ctx.events.on) ctx.events.emit("coin_received", { receiver: bech32Address(address), amount: formatAmounts(coins) });
  }

  /** Makes sure a receiving address has an account. */
  accountsEnsure(ctx: Context, address: Uint8Array): void {
    this.accounts.ensureAccount(ctx, address);
  }

  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void {
    this.subtractCoins(ctx, from, coins);
    this.accounts.ensureAccount(ctx, to);
    this.addCoins(ctx, to, coins);
    if (ctx.events.on) ctx.events.emit("transfer", { recipient: bech32Address(to), sender: bech32Address(from), amount: formatAmounts(coins) });
  }
}

/** Minting and burning (genesis, rewards) on top of transfers. */
export class BankKeeper extends BankSendKeeper {
  mintCoins(ctx: Context, to: Uint8Array, coins: readonly Amount[]): void {
    this.accounts.ensureAccount(ctx, to);
    this.addCoins(ctx, to, coins);
    for (const c of coins) ctx.store(STORE).set(supplyKey(c.denom), Buffer.from((this.getSupply(ctx, c.denom) + c.amount).toString()));
  }

  /** Destroys coins held by `from` (slashed stake): the supply shrinks by as much. */
  burnCoins(ctx: Context, from: Uint8Array, coins: readonly Amount[]): void {
    this.subtractCoins(ctx, from, coins);
    for (const c of coins) ctx.store(STORE).set(supplyKey(c.denom), Buffer.from((this.getSupply(ctx, c.denom) - c.amount).toString()));
    ctx.events.emit("burn", { burner: bech32Address(from), amount: formatAmounts(coins) });
  }

  setDenomMetadata(ctx: Context, metadata: Metadata): void {
    ctx.store(STORE).set(denomMetadataKey(metadata.base), Metadata.encode(metadata).finish());
  }
}
