// The shared key builder: the exact bytes modules have always stored under (state written before it
// must still be found), order by the numbers in keys, and refusals of parts that cannot be encoded.
import t from "tap";
import { lp, storeKey, twoAddresses, u64 } from "../app/core/store-keys";
import { Rng } from "./helpers/rng";

// What modules built by hand before the builder: Buffer.concat of a prefix, length-prefixed parts and 8-byte big-endian numbers.
const byHand = (prefix: number, ...parts: Array<Uint8Array | { lp: Uint8Array } | bigint>): Buffer =>
  Buffer.concat([
    Buffer.of(prefix),
    ...parts.map((p) => {
      if (typeof p === "bigint") {
        const b = Buffer.alloc(8);
        b.writeBigUInt64BE(p);
        return b;
      }
      return p instanceof Uint8Array ? Buffer.from(p) : Buffer.concat([Buffer.of(p.lp.length), p.lp]);
    }),
  ]);

t.test("keys have the bytes of the hand-built forms, for random parts", async (t) => {
  const rng = new Rng(7);
  for (let i = 0; i < 500; i++) {
    const parts: Array<Uint8Array | { lp: Uint8Array } | bigint> = [];
    const n = rng.int(5);
    for (let j = 0; j < n; j++) {
      const kind = rng.int(3);
      const bytes = rng.bytes(rng.int(40));
      parts.push(kind === 0 ? bytes : kind === 1 ? lp(bytes) : BigInt(rng.int(2 ** 31)) * BigInt(rng.int(2 ** 31)));
    }
    const prefix = rng.int(256);
    const a = storeKey(prefix, ...parts);
    const b = byHand(prefix, ...parts);
    if (!a.equals(b)) {
      t.fail(`parts ${i}: ${a.toString("hex")} != ${b.toString("hex")}`);
      return;
    }
  }
  t.pass("500 random keys match");
});

t.test("a known key, byte by byte", async (t) => {
  const granter = Buffer.alloc(20, 0xaa);
  const grantee = Buffer.alloc(20, 0xbb);
  const key = storeKey(0x12, 1_700_000_000_000n, lp(granter), lp(grantee), 5n);
  t.equal(key.toString("hex"), "12" + "0000018bcfe56800" + "14" + "aa".repeat(20) + "14" + "bb".repeat(20) + "0000000000000005");
  t.same(twoAddresses(key, 9), [granter, grantee]);
  t.equal(u64(258n).toString("hex"), "0000000000000102");
});

t.test("numbers in keys sort as numbers", async (t) => {
  const xs = [0n, 1n, 255n, 256n, 65_535n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n];
  const keys = xs.map((x) => storeKey(1, x, lp(Buffer.of(9))));
  const sorted = [...keys].sort(Buffer.compare);
  t.same(sorted, keys);
});

t.test("parts that cannot be encoded are refused", async (t) => {
  t.throws(() => storeKey(1, -1n), RangeError);
  t.throws(() => storeKey(1, 2n ** 64n), RangeError);
  t.throws(() => storeKey(1, lp(Buffer.alloc(256))), /at most 255 bytes/);
  t.throws(() => u64(-5n), RangeError);
});
