/**
 * Which validators verify a claim: `count` distinct validators drawn stake-weighted, without
 * replacement, from randomness every node derives alike from block data. Consensus code: bigint
 * only, a canonical order, no dependence on the caller's order.
 *
 * THE DRAW
 * - Validators with power 0 are left out; the rest are sorted by operator bytes (Buffer.compare), so
 *   the caller's order does not matter. Duplicate operators and negative powers are refused.
 * - `n = min(count, eligible validators)` draws. Draw number k takes 32-byte digests
 *   `sha256(seed ‖ claimHash ‖ u64be(counter))`, counter = 0, 1, 2, ... over the whole assignment
 *   (one counter value per digest, never reused), read as a big-endian 256-bit integer x. With
 *   T = the remaining validators' total power, a digest with x >= floor(2^256 / T) * T is skipped
 *   (rejection sampling, so r = x mod T is exactly uniform on [0, T)); otherwise the pick is the first
 *   remaining validator, in canonical order, whose cumulative power exceeds r. It is removed and the
 *   next draw runs over the rest. claimHash is exactly 32 bytes and the counter 8, so the
 *   concatenation is unambiguous whatever the seed's length.
 * - The first pick is exactly stake-proportional; later ones are proportional among those not yet
 *   picked, so a validator's chance to be among the n is increasing in its stake but flattens for
 *   large stakes (a validator with half the stake is not picked for half of every slot).
 *
 * On a large validator set each claim is seen by only `count` validators: no validator sees every
 * claim, and a validator's share of the claims it verifies tracks its share of the stake. The cost is
 * O(n × validators) bigint steps per claim, fine for sets of hundreds.
 */
import { createHash } from "node:crypto";
import { ClaimsCode, claimsError } from "./errors";

export interface WeightedValidator {
  operator: Buffer;
  power: bigint;
}

const TWO_256 = 1n << 256n;

function digestAt(seed: Uint8Array, claimHash: Uint8Array, counter: bigint): bigint {
  const ctr = Buffer.alloc(8);
  ctr.writeBigUInt64BE(counter);
  const d = createHash("sha256").update(seed).update(claimHash).update(ctr).digest();
  return BigInt("0x" + d.toString("hex"));
}

/**
 * The validators in canonical order (operator bytes ascending), without those of power 0 unless
 * `keepZeroPower`; refuses malformed sets (missing operator, negative or non-bigint power, duplicates).
 */
export function canonicalValidators(validators: WeightedValidator[], keepZeroPower = false): WeightedValidator[] {
  if (!Array.isArray(validators)) throw claimsError(ClaimsCode.InvalidValidatorSet, "validators must be a list");
  const sorted = validators.map((v, i) => {
    if (!v || !Buffer.isBuffer(v.operator) || v.operator.length === 0) {
      throw claimsError(ClaimsCode.InvalidValidatorSet, `validator ${i} has no operator address`);
    }
    if (typeof v.power !== "bigint" || v.power < 0n) {
      throw claimsError(ClaimsCode.InvalidValidatorSet, `validator ${v.operator.toString("hex")} has an invalid power`);
    }
    return v;
  });
  sorted.sort((a, b) => Buffer.compare(a.operator, b.operator));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i - 1]!.operator.equals(sorted[i]!.operator)) {
      throw claimsError(ClaimsCode.InvalidValidatorSet, `validator ${sorted[i]!.operator.toString("hex")} appears twice`);
    }
  }
  return keepZeroPower ? sorted : sorted.filter((v) => v.power > 0n);
}

/**
 * The operators (copies) of the `count` validators assigned to verify the claim `claimHash` (32 bytes),
 * in draw order; all eligible validators when fewer than `count` have power.
 */
export function assignVerifiers(seed: Uint8Array, claimHash: Uint8Array, validators: WeightedValidator[], count: number): Buffer[] {
  if (!(seed instanceof Uint8Array) || seed.length === 0) throw claimsError(ClaimsCode.InvalidValidatorSet, "the assignment seed must be non-empty bytes");
  if (!(claimHash instanceof Uint8Array) || claimHash.length !== 32) {
    throw claimsError(ClaimsCode.InvalidValidatorSet, "the claim hash must be 32 bytes");
  }
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 0) {
    throw claimsError(ClaimsCode.InvalidValidatorSet, `the verifier count must be a non-negative integer, got ${String(count)}`);
  }
  const remaining = canonicalValidators(validators);
  const n = Math.min(count, remaining.length);
  let total = 0n;
  for (const v of remaining) total += v.power;
  const picked: Buffer[] = [];
  let counter = 0n;
  while (picked.length < n) {
    const limit = (TWO_256 / total) * total;
    let x = digestAt(seed, claimHash, counter++);
    while (x >= limit) x = digestAt(seed, claimHash, counter++);
    const r = x % total;
    let cum = 0n;
    let idx = remaining.length - 1;
    for (let i = 0; i < remaining.length; i++) {
      cum += remaining[i]!.power;
      if (r < cum) {
        idx = i;
        break;
      }
    }
    const [chosen] = remaining.splice(idx, 1);
    picked.push(Buffer.from(chosen!.operator));
    total -= chosen!.power;
  }
  return picked;
}
