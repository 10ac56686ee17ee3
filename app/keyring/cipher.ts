import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";

/**
 * A secret encrypted with a password: scrypt(password, salt) → AES-256-GCM key. The parameters travel
 * with the ciphertext so that a later version can raise them and still open older files.
 */
export interface EncryptedSecret {
  kdf: { name: "scrypt"; n: number; r: number; p: number; salt: string };
  cipher: { name: "aes-256-gcm"; nonce: string; tag: string };
  ciphertext: string;
}

const SCRYPT = { n: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 32;
const NONCE_BYTES = 12;
/** scrypt needs 128·n·r bytes; Node's default cap (32 MiB) is exactly too small for n = 2^15, r = 8. */
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;
/** Bound into the GCM tag: a ciphertext only decrypts under the format it was written for. */
const ASSOCIATED_DATA = Buffer.from("mira-keyring-secret-v1");

export async function encryptSecret(plaintext: string, password: string): Promise<EncryptedSecret> {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const key = await scryptKey(password, salt, SCRYPT);
  const cipher = createCipheriv("aes-256-gcm", key, nonce).setAAD(ASSOCIATED_DATA);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return {
    kdf: { name: "scrypt", ...SCRYPT, salt: salt.toString("base64") },
    cipher: { name: "aes-256-gcm", nonce: nonce.toString("base64"), tag: cipher.getAuthTag().toString("base64") },
    ciphertext: ciphertext.toString("base64"),
  };
}

/** The plaintext, or undefined when the password is wrong (the GCM tag does not verify). */
export async function decryptSecret(secret: EncryptedSecret, password: string): Promise<string | undefined> {
  const key = await scryptKey(password, Buffer.from(secret.kdf.salt, "base64"), secret.kdf);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(secret.cipher.nonce, "base64"))
    .setAAD(ASSOCIATED_DATA)
    .setAuthTag(Buffer.from(secret.cipher.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(secret.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function scryptKey(password: string, salt: Buffer, params: { n: number; r: number; p: number }): Promise<Buffer> {
  // NFKC: the same password typed on two systems gives the same bytes.
  const options = { N: params.n, r: params.r, p: params.p, maxmem: SCRYPT_MAX_MEMORY };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
