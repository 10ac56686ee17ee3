import { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { latin1Key } from "../../app/core/memo";
import type { Context } from "../../app/core/context";
import { Amount, formatAmounts } from "../../app/core/coins";
import { bech32Address } from "../../app/core/address";
import { insufficientFunds } from "./errors";
import {
  ATTR_AMOUNT,
  ATTR_BURNER,
  ATTR_RECEIVER,
  ATTR_RECIPIENT,
  ATTR_SENDER,
  ATTR_SPENDER,
  EVENT_BURN,
  EVENT_COIN_RECEIVED,
  EVENT_COIN_SPENT,
  EVENT_TRANSFER,
} from "./events";
import type { AccountKeeper } from "./expected-keepers";
import { balanceKey, balancesPrefix, denomMetadataKey, denomMetadataPrefix, paramsKey, STORE, supplyKey, supplyPrefix } from "./keys";
import { DEFAULT_BANK_PARAMS } from "./params";

/** Params{default_send_enabled: false} with the field written out. */
const EXPLICIT_SENDS_OFF = Buffer.of(0x10, 0x00);

/** The bank params last decoded, by their stored bytes (read by every send, changed only by governance). */
let lastParams: { key: string; params: Params } | undefined;

/** Read-only bank state: what other modules get when they only need to look. */
export class BankViewKeeper {
  /** Reads the bank params (the SDK's defaults when none are stored). */
  getParams(ctx: Context): Params {
    const bytes = ctx.store(STORE).get(paramsKey);
    if (bytes === undefined) return { ...DEFAULT_BANK_PARAMS, sendEnabled: [] };
    const key = latin1Key(bytes);
    if (lastParams?.key !== key) lastParams = { key, params: Params.decode(bytes) };
    return { ...lastParams.params, sendEnabled: [...lastParams.params.sendEnabled] };
  }

  /** Reads the balance of `address` in `denom` (0 when none). */
  getBalance(ctx: Context, address: Uint8Array, denom: string): bigint {
    const v = ctx.store(STORE).get(balanceKey(address, denom));
    return v === undefined ? 0n : BigInt(v.toString());
  }

  /** Reads all balances of an address, sorted by denom. */
  getAllBalances(ctx: Context, address: Uint8Array): Amount[] {
    const prefix = balancesPrefix(address);
    const out: Amount[] = [];
    for (const [k, v] of ctx.store(STORE).iterate({ prefix })) {
      out.push({ denom: k.subarray(prefix.length).toString(), amount: BigInt(v.toString()) });
    }
    return out;
  }

  /** Reads the total supply of `denom` (0 when none). */
  getSupply(ctx: Context, denom: string): bigint {
    const v = ctx.store(STORE).get(supplyKey(denom));
    return v === undefined ? 0n : BigInt(v.toString());
  }

  /** Reads the supply of every denom, sorted by denom. */
  getTotalSupply(ctx: Context): Amount[] {
    const out: Amount[] = [];
    for (const [k, v] of ctx.store(STORE).iterate({ prefix: supplyPrefix })) {
      out.push({ denom: k.subarray(1).toString(), amount: BigInt(v.toString()) });
    }
    return out;
  }

  /** Reads the metadata of `denom` (undefined when none). */
  getDenomMetadata(ctx: Context, denom: string): Metadata | undefined {
    const v = ctx.store(STORE).get(denomMetadataKey(denom));
    return v === undefined ? undefined : Metadata.decode(v);
  }

  /** Reads every denom's metadata, sorted by base denom. */
  *allDenomMetadata(ctx: Context): Generator<Metadata> {
    for (const [, v] of ctx.store(STORE).iterate({ prefix: denomMetadataPrefix })) yield Metadata.decode(v);
  }

  /** Writes the balance of `address` in `denom`; a zero balance is deleted. */
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

  /** Takes `coins` from `address` (reported to `ctx.spendWatch` first), emits coin_spent; throws insufficient funds (sdk 5) if a balance falls short. */
  subtractCoins(ctx: Context, address: Uint8Array, coins: readonly Amount[]): void {
    ctx.spendWatch?.(address, coins);
    for (const c of coins) {
      const have = this.getBalance(ctx, address, c.denom);
      if (have < c.amount) {
        throw insufficientFunds(have, c.amount, c.denom);
      }
      this.setBalance(ctx, address, c.denom, have - c.amount);
    }
    if (ctx.events.on) ctx.events.emit(EVENT_COIN_SPENT, { [ATTR_SPENDER]: bech32Address(address), [ATTR_AMOUNT]: formatAmounts(coins) });
  }

  /** Adds `coins` to the balances of `address` (its account is not created here), emits coin_received. */
  addCoins(ctx: Context, address: Uint8Array, coins: readonly Amount[]): void {
    for (const c of coins) this.setBalance(ctx, address, c.denom, this.getBalance(ctx, address, c.denom) + c.amount);
    if (ctx.events.on) ctx.events.emit(EVENT_COIN_RECEIVED, { [ATTR_RECEIVER]: bech32Address(address), [ATTR_AMOUNT]: formatAmounts(coins) });
  }

  /** Makes sure a receiving address has an account (auth writes one if none). */
  accountsEnsure(ctx: Context, address: Uint8Array): void {
    this.accounts.ensureAccount(ctx, address);
  }

  /** Moves `coins` from `from` to `to` (creating `to`'s account), emits coin_spent, coin_received, transfer; throws insufficient funds (sdk 5). */
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void {
    this.subtractCoins(ctx, from, coins);
    this.accounts.ensureAccount(ctx, to);
    this.addCoins(ctx, to, coins);
    if (ctx.events.on)
      ctx.events.emit(EVENT_TRANSFER, { [ATTR_RECIPIENT]: bech32Address(to), [ATTR_SENDER]: bech32Address(from), [ATTR_AMOUNT]: formatAmounts(coins) });
  }
}

/** Minting and burning (genesis, rewards) on top of transfers. */
export class BankKeeper extends BankSendKeeper {
  /** Writes the bank params (genesis and MsgUpdateParams, after validateBankParams). */
  setParams(ctx: Context, params: Params): void {
    const bytes = Params.encode(params).finish();
    // Sends off and no entries encode to nothing, which the store cannot hold (and absence means the
    // defaults): write default_send_enabled = false explicitly (field 2, varint 0), which decodes the same.
    ctx.store(STORE).set(paramsKey, bytes.length > 0 ? bytes : EXPLICIT_SENDS_OFF);
  }

  /** Creates `coins` in `to`'s balances (creating its account) and writes the grown supply; emits coin_received. */
  mintCoins(ctx: Context, to: Uint8Array, coins: readonly Amount[]): void {
    this.accounts.ensureAccount(ctx, to);
    this.addCoins(ctx, to, coins);
    for (const c of coins) ctx.store(STORE).set(supplyKey(c.denom), Buffer.from((this.getSupply(ctx, c.denom) + c.amount).toString()));
  }

  /** Destroys coins held by `from` (slashed stake): the supply shrinks by as much; emits coin_spent, burn; throws insufficient funds (sdk 5). */
  burnCoins(ctx: Context, from: Uint8Array, coins: readonly Amount[]): void {
    this.subtractCoins(ctx, from, coins);
    for (const c of coins) ctx.store(STORE).set(supplyKey(c.denom), Buffer.from((this.getSupply(ctx, c.denom) - c.amount).toString()));
    ctx.events.emit(EVENT_BURN, { [ATTR_BURNER]: bech32Address(from), [ATTR_AMOUNT]: formatAmounts(coins) });
  }

  /** Writes the metadata of `metadata.base`. */
  setDenomMetadata(ctx: Context, metadata: Metadata): void {
    ctx.store(STORE).set(denomMetadataKey(metadata.base), Metadata.encode(metadata).finish());
  }
}
