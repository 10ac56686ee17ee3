import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { EncryptedSecret } from "./cipher";
import { keyringError, KeyringCode } from "./errors";

export const KEY_FILE_VERSION = 1 as const;
const KEY_NAME = /^[a-zA-Z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HD_PATH = /^m(\/\d{1,10}'?)+$/;

interface KeyRecordBase {
  version: typeof KEY_FILE_VERSION;
  name: string;
  address: string;
  /** base64 of the 33-byte compressed secp256k1 public key. */
  pubkey: string;
  hdPath: string;
}

/** `test` backend: the mnemonic in clear, for localnets and tests only. */
export interface PlainKeyRecord extends KeyRecordBase {
  mnemonic: string;
}

/** `file` backend: the mnemonic encrypted with the keyring password. */
export interface EncryptedKeyRecord extends KeyRecordBase {
  encryptedMnemonic: EncryptedSecret;
}

export type KeyRecord = PlainKeyRecord | EncryptedKeyRecord;

/** Key names become file names, so they are held to a safe alphabet. */
export function assertKeyName(name: string): void {
  if (!KEY_NAME.test(name)) {
    throw keyringError(KeyringCode.InvalidName, `invalid key name "${name}": use 1 to 64 characters from a-z A-Z 0-9 _ . -`);
  }
}

export function keyNotFound(name: string): Error {
  return keyringError(KeyringCode.KeyNotFound, `key "${name}" not found in the keyring`);
}

export function keyExists(name: string): Error {
  return keyringError(KeyringCode.KeyExists, `key "${name}" already exists in the keyring; delete it first or choose another name`);
}

/** One folder of key files `<name>.json`: folder 0700, files 0600, each written whole or not at all. */
export class KeyFileStore {
  constructor(readonly dir: string) {}

  has(name: string): boolean {
    return fs.existsSync(this.fileOf(name));
  }

  read(name: string): KeyRecord {
    const file = this.fileOf(name);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      if (errnoCode(err) === "ENOENT") throw keyNotFound(name);
      throw err;
    }
    const record = parseKeyRecord(text, file);
    if (record.name !== name) throw corruptFile(file, `it holds key "${record.name}"`);
    return record;
  }

  readAll(): KeyRecord[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((file) => file.endsWith(".json") && KEY_NAME.test(file.slice(0, -".json".length)))
      .map((file) => this.read(file.slice(0, -".json".length)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Writes a new key file; never replaces one (link(2) fails if the name is taken). */
  create(record: KeyRecord): void {
    const file = this.fileOf(record.name);
    this.ensureDir();
    const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(record, null, 2) + "\n", { mode: 0o600, flag: "wx", flush: true });
    try {
      fs.linkSync(temp, file);
    } catch (err) {
      if (errnoCode(err) === "EEXIST") throw keyExists(record.name);
      throw err;
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  remove(name: string): void {
    try {
      fs.unlinkSync(this.fileOf(name));
    } catch (err) {
      if (errnoCode(err) === "ENOENT") throw keyNotFound(name);
      throw err;
    }
  }

  private fileOf(name: string): string {
    assertKeyName(name);
    return path.join(this.dir, `${name}.json`);
  }

  private ensureDir(): void {
    fs.mkdirSync(path.dirname(this.dir), { recursive: true });
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }
}

function parseKeyRecord(text: string, file: string): KeyRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw corruptFile(file, "it is not JSON");
  }
  if (!isObject(value)) throw corruptFile(file, "it is not a JSON object");
  if (value.version !== KEY_FILE_VERSION) throw corruptFile(file, `unsupported version ${String(value.version)}`);
  const base: KeyRecordBase = {
    version: KEY_FILE_VERSION,
    name: stringField(value, "name", file),
    address: stringField(value, "address", file),
    pubkey: stringField(value, "pubkey", file),
    hdPath: stringField(value, "hdPath", file),
  };
  if (!HD_PATH.test(base.hdPath)) throw corruptFile(file, `"hdPath" is not an HD path: ${base.hdPath}`);
  if (typeof value.mnemonic === "string") return { ...base, mnemonic: value.mnemonic };
  return { ...base, encryptedMnemonic: encryptedSecretField(value.encryptedMnemonic, file) };
}

function encryptedSecretField(value: unknown, file: string): EncryptedSecret {
  if (!isObject(value) || !isObject(value.kdf) || !isObject(value.cipher)) throw corruptFile(file, "no mnemonic or encryptedMnemonic");
  const { kdf, cipher } = value;
  if (kdf.name !== "scrypt" || cipher.name !== "aes-256-gcm") throw corruptFile(file, "unknown kdf or cipher");
  return {
    kdf: { name: "scrypt", n: intField(kdf, "n", file), r: intField(kdf, "r", file), p: intField(kdf, "p", file), salt: base64Field(kdf, "salt", file) },
    cipher: { name: "aes-256-gcm", nonce: base64Field(cipher, "nonce", file), tag: base64Field(cipher, "tag", file) },
    ciphertext: base64Field(value, "ciphertext", file),
  };
}

function stringField(obj: Record<string, unknown>, key: string, file: string): string {
  const value = obj[key];
  if (typeof value !== "string") throw corruptFile(file, `"${key}" is missing or not a string`);
  return value;
}

function base64Field(obj: Record<string, unknown>, key: string, file: string): string {
  const value = stringField(obj, key, file);
  if (!BASE64.test(value)) throw corruptFile(file, `"${key}" is not base64`);
  return value;
}

function intField(obj: Record<string, unknown>, key: string, file: string): number {
  const value = obj[key];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw corruptFile(file, `"${key}" is not a positive integer`);
  return value;
}

function corruptFile(file: string, why: string): Error {
  return keyringError(KeyringCode.CorruptKeyFile, `key file ${file} is unreadable: ${why}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && "code" in err && typeof err.code === "string" ? err.code : undefined;
}
