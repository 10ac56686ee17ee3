import { createHash } from "node:crypto";
import { BaseAccount, ModuleAccount, Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Context } from "../../app/core/context";
import { BoundedMemo, latin1Key } from "../../app/core/memo";
import { GasPrice, parseGasPrice } from "../../app/core/coins";
import { bech32Address } from "../../app/core/address";
import { SECP256K1_PUBKEY_URL } from "../../app/core/tx-decode";
import { int64Length, putInt64, putUvarint, uvarintLength } from "../../proto/varint";
import { accountKey, accountPrefix, minGasPriceKey, nextAccountNumberKey, paramsKey, STORE } from "./keys";
import { DEFAULT_MIN_GAS_PRICE, DEFAULT_PARAMS } from "./params";

const BASE_ACCOUNT_URL = "/cosmos.auth.v1beta1.BaseAccount";
const MODULE_ACCOUNT_URL = "/cosmos.auth.v1beta1.ModuleAccount";

/** An account as the ante handler and modules need it. */
export interface Account {
  address: Buffer;
  accountNumber: bigint;
  sequence: bigint;
  pubkey: Uint8Array | undefined;
  /** Set for module accounts (fee_collector, ...). */
  moduleName?: string;
}

/** The address of a module account: the first 20 bytes of sha256(module name), as the SDK does. */
export function moduleAddress(name: string): Buffer {
  let address = moduleAddresses.get(name);
  if (address === undefined) {
    address = createHash("sha256").update(name).digest().subarray(0, 20);
    moduleAddresses.set(name, address);
  }
  return Buffer.from(address);
}

const moduleAddresses = new Map<string, Buffer>();

export const FEE_COLLECTOR = "fee_collector";

/**
 * Accounts are read and written several times in every tx (signer, fee collector, recipients) and
 * decoding is a pure function of the stored bytes: keep the latest decodings, keyed by those bytes
 * (filled by encoding too, since a written account is usually read again by the next tx).
 */
const decoded = new BoundedMemo<Omit<Account, "address">>(20_000);

function remember(bytes: Uint8Array, a: Omit<Account, "address">): void {
  decoded.set(latin1Key(bytes), a);
}

function encodeAccount(a: Account): Uint8Array {
  const bytes = encodeAccountUncached(a);
  remember(bytes, {
    accountNumber: a.accountNumber,
    sequence: a.sequence,
    pubkey: a.pubkey === undefined ? undefined : Buffer.from(a.pubkey),
    moduleName: a.moduleName,
  });
  return bytes;
}

function decodeAccount(address: Buffer, bytes: Uint8Array): Account {
  const hit = decoded.get(latin1Key(bytes));
  if (hit !== undefined) return { address, ...hit, pubkey: hit.pubkey === undefined ? undefined : Buffer.from(hit.pubkey) };
  const a = decodeAccountUncached(address, bytes);
  remember(bytes, {
    accountNumber: a.accountNumber,
    sequence: a.sequence,
    pubkey: a.pubkey === undefined ? undefined : Buffer.from(a.pubkey),
    moduleName: a.moduleName,
  });
  return a;
}

function encodeAccountUncached(a: Account): Uint8Array {
  if (a.moduleName === undefined) return encodeBaseAccountAny(bech32Address(a.address), a.pubkey, a.accountNumber, a.sequence);
  const pubKey = a.pubkey === undefined ? undefined : Any.fromPartial({ typeUrl: SECP256K1_PUBKEY_URL, value: PubKey.encode({ key: a.pubkey }).finish() });
  const base = BaseAccount.fromPartial({ address: bech32Address(a.address), pubKey, accountNumber: a.accountNumber, sequence: a.sequence });
  return Any.encode({ typeUrl: MODULE_ACCOUNT_URL, value: ModuleAccount.encode({ baseAccount: base, name: a.moduleName, permissions: [] }).finish() }).finish();
}

const BASE_ACCOUNT_URL_BYTES = Buffer.from(BASE_ACCOUNT_URL);
const PUBKEY_URL_BYTES = Buffer.from(SECP256K1_PUBKEY_URL);

/**
 * `Any{BaseAccount}` written straight into one buffer: every tx writes its signer's account (the
 * sequence moves), and cosmjs-types' generic writer spent five writers and a copy of each on it.
 * The bytes are exactly cosmjs-types' (proto3: zero and empty fields left out, fields in number
 * order); test/memo-encoding.test.ts compares both on random accounts.
 */
export function encodeBaseAccountAny(address: string, pubkey: Uint8Array | undefined, accountNumber: bigint, sequence: bigint): Buffer {
  const addressLen = Buffer.byteLength(address);
  // PubKey{key} inside Any{type_url, value}.
  const keyMsgLen = pubkey === undefined || pubkey.length === 0 ? 0 : 1 + uvarintLength(pubkey.length) + pubkey.length;
  const pubAnyLen =
    pubkey === undefined
      ? 0
      : 1 + uvarintLength(PUBKEY_URL_BYTES.length) + PUBKEY_URL_BYTES.length + (keyMsgLen === 0 ? 0 : 1 + uvarintLength(keyMsgLen) + keyMsgLen);
  const baseLen =
    (addressLen === 0 ? 0 : 1 + uvarintLength(addressLen) + addressLen) +
    (pubkey === undefined ? 0 : 1 + uvarintLength(pubAnyLen) + pubAnyLen) +
    (accountNumber === 0n ? 0 : 1 + int64Length(accountNumber)) +
    (sequence === 0n ? 0 : 1 + int64Length(sequence));
  const total = 1 + uvarintLength(BASE_ACCOUNT_URL_BYTES.length) + BASE_ACCOUNT_URL_BYTES.length + (baseLen === 0 ? 0 : 1 + uvarintLength(baseLen) + baseLen);
  const buf = Buffer.allocUnsafe(total);
  let o = 0;
  buf[o++] = 0x0a; // Any.type_url
  o = putUvarint(buf, o, BASE_ACCOUNT_URL_BYTES.length);
  o += BASE_ACCOUNT_URL_BYTES.copy(buf, o);
  if (baseLen > 0) {
    buf[o++] = 0x12; // Any.value
    o = putUvarint(buf, o, baseLen);
    if (addressLen > 0) {
      buf[o++] = 0x0a; // BaseAccount.address
      o = putUvarint(buf, o, addressLen);
      o += buf.write(address, o);
    }
    if (pubkey !== undefined) {
      buf[o++] = 0x12; // BaseAccount.pub_key
      o = putUvarint(buf, o, pubAnyLen);
      buf[o++] = 0x0a;
      o = putUvarint(buf, o, PUBKEY_URL_BYTES.length);
      o += PUBKEY_URL_BYTES.copy(buf, o);
      if (keyMsgLen > 0) {
        buf[o++] = 0x12;
        o = putUvarint(buf, o, keyMsgLen);
        buf[o++] = 0x0a; // PubKey.key
        o = putUvarint(buf, o, pubkey.length);
        buf.set(pubkey, o);
        o += pubkey.length;
      }
    }
    if (accountNumber !== 0n) {
      buf[o++] = 0x18; // BaseAccount.account_number
      o = putInt64(buf, o, accountNumber);
    }
    if (sequence !== 0n) {
      buf[o++] = 0x20; // BaseAccount.sequence
      o = putInt64(buf, o, sequence);
    }
  }
  if (o !== total) throw new Error(`account encoding wrote ${o} of ${total} bytes`);
  return buf;
}

function decodeAccountUncached(address: Buffer, bytes: Uint8Array): Account {
  const any = Any.decode(bytes);
  let base: BaseAccount;
  let moduleName: string | undefined;
  if (any.typeUrl === MODULE_ACCOUNT_URL) {
    const m = ModuleAccount.decode(any.value);
    base = m.baseAccount!;
    moduleName = m.name;
  } else {
    base = BaseAccount.decode(any.value);
  }
  const pubkey = base.pubKey === undefined ? undefined : PubKey.decode(base.pubKey.value).key;
  return { address, accountNumber: base.accountNumber, sequence: base.sequence, pubkey, moduleName };
}

/** The auth params last decoded, by their stored bytes. */
let lastParams: { key: string; params: Params } | undefined;

/** The last minimum gas price parsed (it changes only by governance, and is read by every tx). */
let lastGasPrice: { text: string; price: GasPrice } | undefined;

/** Accounts, their numbers and sequences, and the auth params. */
export class AuthKeeper {
  /** Reads the account stored at `address` (undefined if none); throws nothing. */
  getAccount(ctx: Context, address: Uint8Array): Account | undefined {
    const bytes = ctx.store(STORE).get(accountKey(address));
    return bytes === undefined ? undefined : decodeAccount(Buffer.from(address), bytes);
  }

  /** Reads the stored account as the `Any` that queries return (undefined if none). */
  getAccountAny(ctx: Context, address: Uint8Array): Any | undefined {
    const bytes = ctx.store(STORE).get(accountKey(address));
    return bytes === undefined ? undefined : Any.decode(bytes);
  }

  /** Reads every stored account, in key order, as the `Any` that queries return. */
  *allAccounts(ctx: Context): Generator<Any> {
    for (const [, v] of ctx.store(STORE).iterate({ prefix: accountPrefix })) yield Any.decode(v);
  }

  /** Writes `account` at its address (replacing what was there). */
  setAccount(ctx: Context, account: Account): void {
    ctx.store(STORE).set(accountKey(account.address), encodeAccount(account));
  }

  /** Writes a new account with the next account number (sequence 0, no key yet) and bumps that number. */
  newAccount(ctx: Context, address: Uint8Array, moduleName?: string): Account {
    const store = ctx.store(STORE);
    const next = store.get(nextAccountNumberKey);
    const accountNumber = next === undefined ? 0n : BigInt(next.toString());
    store.set(nextAccountNumberKey, Buffer.from((accountNumber + 1n).toString()));
    const account: Account = { address: Buffer.from(address), accountNumber, sequence: 0n, pubkey: undefined, moduleName };
    this.setAccount(ctx, account);
    return account;
  }

  /** Reads the account at `address`, writing a new one first if it does not exist yet. */
  ensureAccount(ctx: Context, address: Uint8Array): Account {
    return this.getAccount(ctx, address) ?? this.newAccount(ctx, address);
  }

  /** Reads the module account `name` (at `moduleAddress(name)`), writing it first if it does not exist yet. */
  moduleAccount(ctx: Context, name: string): Account {
    const address = moduleAddress(name);
    return this.getAccount(ctx, address) ?? this.newAccount(ctx, address, name);
  }

  /** Reads the auth params (the SDK's defaults when none are stored). */
  getParams(ctx: Context): Params {
    const bytes = ctx.store(STORE).get(paramsKey);
    if (bytes === undefined) return DEFAULT_PARAMS;
    // Read by every tx's ante and changed only by governance: the last decoding, kept by its bytes
    // (a copy each time: Params holds numbers only, so a shallow copy is a whole one).
    const key = latin1Key(bytes);
    if (lastParams?.key !== key) lastParams = { key, params: Params.decode(bytes) };
    return { ...lastParams.params };
  }

  /** Writes the auth params. */
  setParams(ctx: Context, params: Params): void {
    ctx.store(STORE).set(paramsKey, Params.encode(params).finish());
  }

  /** Reads the consensus minimum gas price as written ("0.025umira"; the default when none is stored). */
  getMinGasPriceText(ctx: Context): string {
    return ctx.store(STORE).get(minGasPriceKey)?.toString() ?? DEFAULT_MIN_GAS_PRICE;
  }

  /** Reads the consensus minimum gas price every node applies in CheckTx and FinalizeBlock alike (the default when none is stored). */
  getMinGasPrice(ctx: Context): GasPrice {
    const text = this.getMinGasPriceText(ctx);
    if (text !== lastGasPrice?.text) lastGasPrice = { text, price: parseGasPrice(text) };
    return { ...lastGasPrice.price };
  }

  /** Writes the consensus minimum gas price; throws (before writing) if `text` is not a gas price such as "0.025umira". */
  setMinGasPrice(ctx: Context, text: string): void {
    parseGasPrice(text);
    ctx.store(STORE).set(minGasPriceKey, Buffer.from(text));
  }
}
