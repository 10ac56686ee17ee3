import { randomBytes } from "node:crypto";
import { Bip39, EnglishMnemonic, stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { addressBytesOf, bech32Address, BECH32_PREFIX } from "../core/address";
import { keyringError, KeyringCode } from "./errors";

/** BIP44 indexes are 31-bit; the top bit marks a hardened index. */
const MAX_HD_INDEX = 2 ** 31 - 1;
const MNEMONIC_WORD_COUNTS = [12, 15, 18, 21, 24];

/** Which key of a mnemonic: m/44'/118'/account'/0/index, as `simd keys add --account --index`. */
export interface HdOptions {
  account?: number;
  index?: number;
}

export interface DerivedKey {
  wallet: DirectSecp256k1HdWallet;
  address: string;
  /** 33-byte compressed secp256k1 public key. */
  pubkey: Uint8Array;
}

export function cosmosHdPath({ account = 0, index = 0 }: HdOptions = {}): string {
  assertHdIndex("account", account);
  assertHdIndex("index", index);
  return `m/44'/118'/${account}'/0/${index}`;
}

function assertHdIndex(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_HD_INDEX) {
    throw keyringError(KeyringCode.InvalidHdPath, `invalid HD ${what} ${value}: expected an integer from 0 to ${MAX_HD_INDEX}`);
  }
}

/** A fresh 24-word BIP39 mnemonic from 256 bits of entropy. */
export function generateMnemonic(): string {
  return Bip39.encode(randomBytes(32)).toString();
}

/** Trims, lowercases and single-spaces a mnemonic, then checks its words and BIP39 checksum. */
export function normalizeMnemonic(input: string): string {
  const words = input
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== "");
  if (!MNEMONIC_WORD_COUNTS.includes(words.length)) {
    throw keyringError(KeyringCode.InvalidMnemonic, `invalid mnemonic: ${words.length} words, expected 12, 15, 18, 21 or 24`);
  }
  const mnemonic = words.join(" ");
  try {
    new EnglishMnemonic(mnemonic);
  } catch (err) {
    throw keyringError(KeyringCode.InvalidMnemonic, `invalid mnemonic: ${lowerFirst((err as Error).message)}`);
  }
  return mnemonic;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The key at hdPath, derived by CosmJS itself so addresses match Keplr and any CosmJS wallet. */
export async function deriveKey(mnemonic: string, hdPath: string): Promise<DerivedKey> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: BECH32_PREFIX, hdPaths: [stringToPath(hdPath)] });
  const [account] = await wallet.getAccounts();
  if (account === undefined) throw new Error("CosmJS wallet derived no account");
  return { wallet, pubkey: account.pubkey, address: bech32Address(addressBytesOf(account.pubkey)) };
}
