// node:crypto for the browser bundle, as much of it as the light client's hashing and commit checks use
// (modules/ibc/lightclient): sha256 through createHash, and ed25519 verification of a JWK public key,
// with @noble/hashes and @noble/curves. esbuild maps "node:crypto" here (scripts/build-web.js).
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Buffer } from "buffer";

interface Hash {
  update(data: Uint8Array | string): Hash;
  digest(): Buffer;
}

export function createHash(algorithm: string): Hash {
  if (algorithm !== "sha256") throw new Error(`the page's crypto has sha256 only, not ${algorithm}`);
  const hasher = sha256.create();
  const hash: Hash = {
    update(data) {
      hasher.update(typeof data === "string" ? new TextEncoder().encode(data) : data);
      return hash;
    },
    digest: () => Buffer.from(hasher.digest()),
  };
  return hash;
}

interface Ed25519Key {
  raw: Uint8Array;
}

const ED25519_SPKI_PREFIX = "302a300506032b6570032100";

/** An ed25519 public key given as DER SubjectPublicKeyInfo (what the light client passes). */
export function createPublicKey(spec: { key: Uint8Array; format: string; type: string }): Ed25519Key {
  const der = Buffer.from(spec.key);
  if (spec.format !== "der" || spec.type !== "spki" || der.length !== 44 || der.subarray(0, 12).toString("hex") !== ED25519_SPKI_PREFIX) {
    throw new Error("the page's crypto takes ed25519 keys as DER SubjectPublicKeyInfo only");
  }
  return { raw: new Uint8Array(der.subarray(12)) };
}

export function verify(_algorithm: null, message: Uint8Array, key: Ed25519Key, signature: Uint8Array): boolean {
  return ed25519.verify(signature, message, key.raw);
}
