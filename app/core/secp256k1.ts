import { createHash } from "node:crypto";
import libsecp256k1 from "secp256k1";

/** secp256k1 group order n, and n/2: signatures with s above it are malleable and refused. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = N >> 1n;

export function isCompressedPubKey(pubkey: Uint8Array): boolean {
  return pubkey.length === 33 && (pubkey[0] === 0x02 || pubkey[0] === 0x03);
}

/**
 * Verifies a Cosmos secp256k1 signature: 64 bytes r ‖ s over sha256(message), low-S only (as the
 * SDK and CometBFT require), with a 33-byte compressed public key. Returns false for anything
 * malformed instead of throwing.
 */
export function verifySecp256k1(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64 || !isCompressedPubKey(pubkey)) return false;
  const r = BigInt("0x" + Buffer.from(signature.subarray(0, 32)).toString("hex"));
  const s = BigInt("0x" + Buffer.from(signature.subarray(32)).toString("hex"));
  if (r === 0n || r >= N || s === 0n || s > HALF_N) return false;
  try {
    // libsecp256k1 (Bitcoin Core's library, prebuilt in the package): ~4× OpenSSL's rate here.
    return libsecp256k1.ecdsaVerify(signature, createHash("sha256").update(message).digest(), pubkey);
  } catch {
    return false; // a key that is not on the curve
  }
}
