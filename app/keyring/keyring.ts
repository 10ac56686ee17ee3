import path from "node:path";
import type { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { decryptSecret, encryptSecret } from "./cipher";
import { keyringError, KeyringCode } from "./errors";
import { cosmosHdPath, deriveKey, generateMnemonic, HdOptions, normalizeMnemonic } from "./hd";
import { assertKeyName, KEY_FILE_VERSION, KeyFileStore, keyExists, KeyRecord } from "./store";

export type { HdOptions } from "./hd";

/** As the Cosmos SDK's: `file` encrypts each mnemonic with a password; `test` keeps it in clear. */
export type KeyringBackend = "file" | "test";
export const KEYRING_BACKENDS: readonly KeyringBackend[] = ["file", "test"];

export const MIN_PASSWORD_LENGTH = 8;

/** Asked at most once per keyring, and only when a key must be encrypted or decrypted. */
export type PasswordSource = (request: { newKeyring: boolean }) => Promise<string>;

export interface KeyringOptions {
  home: string;
  backend?: string;
  password?: string | PasswordSource;
}

export interface KeyInfo {
  name: string;
  address: string;
  /** base64 of the 33-byte compressed secp256k1 public key. */
  pubkey: string;
  hdPath: string;
}

export interface AddedKey extends KeyInfo {
  /** Present only when the keyring generated the mnemonic: the one chance to write it down. */
  mnemonic?: string;
}

export interface AddKeyOptions extends HdOptions {
  /** Recover this mnemonic instead of generating a new one. */
  mnemonic?: string;
}

export function openKeyring(options: KeyringOptions): Keyring {
  const backend = parseBackend(options.backend ?? "file");
  const store = new KeyFileStore(path.join(options.home, `keyring-${backend}`));
  const password = options.password;
  const source: PasswordSource | undefined = typeof password === "string" ? async () => password : password;
  return new Keyring(backend, store, source);
}

export function parseBackend(name: string): KeyringBackend {
  const backend = KEYRING_BACKENDS.find((b) => b === name);
  if (backend === undefined) {
    throw keyringError(KeyringCode.InvalidBackend, `unknown keyring backend "${name}": use ${KEYRING_BACKENDS.join(" or ")}`);
  }
  return backend;
}

export class Keyring {
  private password?: Promise<string>;
  private unlocked = false;

  constructor(
    readonly backend: KeyringBackend,
    private readonly store: KeyFileStore,
    private readonly passwordSource: PasswordSource | undefined,
  ) {}

  /** Adds a key from a new 24-word mnemonic (returned once), or from `options.mnemonic`. */
  async add(name: string, options: AddKeyOptions = {}): Promise<AddedKey> {
    this.assertAddable(name);
    const hdPath = cosmosHdPath(options);
    if (options.mnemonic !== undefined) return this.save(name, normalizeMnemonic(options.mnemonic), hdPath);
    const mnemonic = generateMnemonic();
    return { ...(await this.save(name, mnemonic, hdPath)), mnemonic };
  }

  import(name: string, mnemonic: string, options: HdOptions = {}): Promise<KeyInfo> {
    return this.add(name, { ...options, mnemonic });
  }

  async list(): Promise<KeyInfo[]> {
    return this.store.readAll().map(keyInfoOf);
  }

  async show(name: string): Promise<KeyInfo> {
    return keyInfoOf(this.store.read(name));
  }

  async has(name: string): Promise<boolean> {
    return this.store.has(name);
  }

  async delete(name: string): Promise<void> {
    this.store.remove(name);
  }

  /** A CosmJS wallet for the key, usable by SigningStargateClient. */
  async signer(name: string): Promise<DirectSecp256k1HdWallet> {
    const record = this.store.read(name);
    const derived = await deriveKey(await this.mnemonicOf(record), record.hdPath);
    if (derived.address !== record.address) {
      throw keyringError(KeyringCode.CorruptKeyFile, `key "${name}": its mnemonic derives ${derived.address}, not the recorded ${record.address}`);
    }
    return derived.wallet;
  }

  /** Throws unless `name` is a valid name not yet taken: lets a CLI fail before any prompt. */
  assertAddable(name: string): void {
    assertKeyName(name);
    if (this.store.has(name)) throw keyExists(name);
  }

  /**
   * Asks for the password now (file backend; nothing for test) and checks it against an existing
   * key, so that one keyring never mixes passwords. Lets a CLI order its prompts.
   */
  async unlock(): Promise<void> {
    if (this.backend === "test" || this.unlocked) return;
    const existing = this.store.readAll()[0];
    if (existing === undefined) await this.obtainPassword(true);
    else await this.mnemonicOf(existing);
    this.unlocked = true;
  }

  private async save(name: string, mnemonic: string, hdPath: string): Promise<KeyInfo> {
    const derived = await deriveKey(mnemonic, hdPath);
    const info: KeyInfo = { name, address: derived.address, pubkey: Buffer.from(derived.pubkey).toString("base64"), hdPath };
    const base = { version: KEY_FILE_VERSION, ...info };
    if (this.backend === "test") {
      this.store.create({ ...base, mnemonic });
    } else {
      await this.unlock();
      this.store.create({ ...base, encryptedMnemonic: await encryptSecret(mnemonic, await this.obtainPassword(false)) });
    }
    return info;
  }

  private async mnemonicOf(record: KeyRecord): Promise<string> {
    if ("mnemonic" in record) return record.mnemonic;
    const password = await this.obtainPassword(false);
    let mnemonic: string | undefined;
    try {
      mnemonic = await decryptSecret(record.encryptedMnemonic, password);
    } catch (err) {
      throw keyringError(KeyringCode.CorruptKeyFile, `key "${record.name}" cannot be decrypted: ${(err as Error).message}`);
    }
    if (mnemonic === undefined) {
      throw keyringError(KeyringCode.WrongPassword, `wrong keyring password: it does not decrypt key "${record.name}"`);
    }
    return mnemonic;
  }

  private obtainPassword(newKeyring: boolean): Promise<string> {
    this.password ??= this.askPassword(newKeyring).catch((err: unknown) => {
      this.password = undefined;
      throw err;
    });
    return this.password;
  }

  private async askPassword(newKeyring: boolean): Promise<string> {
    if (this.passwordSource === undefined) {
      throw keyringError(KeyringCode.InvalidPassword, `the "file" keyring needs a password; pass one to openKeyring, or use the "test" backend`);
    }
    const password = await this.passwordSource({ newKeyring });
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw keyringError(KeyringCode.InvalidPassword, `the keyring password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    return password;
  }
}

function keyInfoOf(record: KeyRecord): KeyInfo {
  return { name: record.name, address: record.address, pubkey: record.pubkey, hdPath: record.hdPath };
}
