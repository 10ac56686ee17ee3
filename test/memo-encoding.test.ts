// The hot-path shortcuts give exactly what the plain code gives: cosmjs-types' writer with the exact
// allocator (proto/writer.ts), the address memos (app/core/address.ts), the account decoding memo,
// the hand-written account encoding; and the mended 64-bit integer writer is plain protobuf.
import { toBech32 } from "@cosmjs/encoding";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { Any } from "cosmjs-types/google/protobuf/any";
import { Fee } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ExecTxResult, Response } from "cosmjs-types/tendermint/abci/types";
import { createHash } from "node:crypto";
import t from "tap";
import "../proto/writer";
import { addressBytesOf, bech32Address, parseAddress } from "../app/core/address";
import { encodeBaseAccountAny } from "../modules/auth/keeper";
import { Rng } from "./helpers/rng";

t.test("the exact allocator: every finish() owns its bytes and encodes as before", async (t) => {
  const a = BaseAccount.encode({ address: "a", pubKey: undefined, accountNumber: 1n, sequence: 2n }).finish();
  const b = BaseAccount.encode({ address: "b", pubKey: undefined, accountNumber: 3n, sequence: 4n }).finish();
  t.equal(a.buffer.byteLength, a.length, "no shared 8 KiB slab behind a small message");
  t.not(a.buffer, b.buffer, "two messages never share memory");
  t.same(BaseAccount.decode(a), { address: "a", pubKey: undefined, accountNumber: 1n, sequence: 2n });
  // Byte for byte what protobuf's wire format says: field 1 "a", field 3 = 1, field 4 = 2.
  t.same([...a], [0x0a, 0x01, 0x61, 0x18, 0x01, 0x20, 0x02]);
  const r = ExecTxResult.fromPartial({
    code: 5,
    log: "x".repeat(5000),
    gasWanted: 10n,
    events: [{ type: "t", attributes: [{ key: "k", value: "v", index: true }] }],
  });
  const bytes = Response.encode({ finalizeBlock: { txResults: [r], events: [], validatorUpdates: [], appHash: new Uint8Array(32) } }).finish();
  t.same(Response.decode(bytes).finalizeBlock?.txResults[0], r, "a large response (past the old pool's 4 KiB) round-trips");
});

t.test("address memos agree with the uncached functions on random inputs, and hand out copies", async (t) => {
  const r = new Rng(7);
  const bytes = (n: number): Buffer => r.bytes(n);
  for (let i = 0; i < 300; i++) {
    const raw = bytes(i % 3 === 0 ? 32 : 20);
    const address = toBech32("mira", raw);
    for (let rep = 0; rep < 2; rep++) {
      t.equal(bech32Address(raw), address);
      t.same(parseAddress(address), raw);
    }
    const key = Buffer.concat([Buffer.from([2]), bytes(32)]);
    const want = createHash("ripemd160").update(createHash("sha256").update(key).digest()).digest();
    t.same(addressBytesOf(key), want);
    t.same(addressBytesOf(key), want, "again, from the memo");
  }
  const a = toBech32("mira", Buffer.alloc(20, 9));
  const first = parseAddress(a);
  first.fill(0);
  t.same(parseAddress(a), Buffer.alloc(20, 9), "changing a returned buffer does not change the memo");
  const key = Buffer.concat([Buffer.from([3]), Buffer.alloc(32, 1)]);
  addressBytesOf(key).fill(0);
  t.same(addressBytesOf(key), createHash("ripemd160").update(createHash("sha256").update(key).digest()).digest());
  t.equal(bech32Address(Buffer.alloc(20, 9), "cosmos"), toBech32("cosmos", Buffer.alloc(20, 9)), "other prefixes are kept apart");
  t.equal(bech32Address(Buffer.alloc(20, 9)), a);
  t.throws(() => parseAddress(toBech32("cosmos", Buffer.alloc(20, 9))), /prefix must be "mira"/);
  t.throws(() => parseAddress(a.slice(0, -1) + (a.endsWith("q") ? "p" : "q")), /invalid address/, "bad checksum refused, every time");
  t.throws(() => parseAddress(a.slice(0, -1) + (a.endsWith("q") ? "p" : "q")), /invalid address/);
});

t.test("accounts written by hand are byte for byte cosmjs-types' Any{BaseAccount}", async (t) => {
  const r = new Rng(11);
  // Not 2^31..2^32-1: cosmjs-types 0.11 writes those uint64s wrongly (the low word as signed); see below.
  const widths = [0n, 1n, 127n, 128n, 300n, 2n ** 31n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n + 5n, 2n ** 64n - 1n];
  for (let i = 0; i < 400; i++) {
    const address = i % 50 === 0 ? "" : toBech32("mira", r.bytes(i % 3 === 0 ? 32 : 20));
    const pubkey = i % 4 === 0 ? undefined : i % 97 === 0 ? new Uint8Array() : Buffer.concat([Buffer.from([2 + (i % 2)]), r.bytes(32)]);
    const accountNumber = i < 100 ? widths[i % widths.length]! : BigInt(r.int(1_000_000));
    const sequence = i < 100 ? widths[(i * 7) % widths.length]! : BigInt(r.int(1_000_000));
    const want = Any.encode({
      typeUrl: "/cosmos.auth.v1beta1.BaseAccount",
      value: BaseAccount.encode({
        address,
        pubKey:
          pubkey === undefined ? undefined : Any.fromPartial({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: pubkey }).finish() }),
        accountNumber,
        sequence,
      }).finish(),
    }).finish();
    t.same([...encodeBaseAccountAny(address, pubkey, accountNumber, sequence)], [...want], `account ${i}`);
  }
});

t.test("account numbers and sequences from 2^31 to 2^32 are plain protobuf varints (where cosmjs-types' writer is wrong)", async (t) => {
  for (const n of [2n ** 31n, 2n ** 31n + 5n, 3n * 2n ** 30n, 2n ** 32n - 1n]) {
    const bytes = encodeBaseAccountAny("", undefined, n, n + 1n);
    const leb = (v: bigint): number[] => {
      const out: number[] = [];
      for (; v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
      return [...out, Number(v)];
    };
    const value = [0x18, ...leb(n), 0x20, ...leb(n + 1n)];
    t.same([...bytes.subarray(bytes.length - value.length)], value, `${n}: field 3 and 4 as LEB128`);
    const any = Any.decode(bytes);
    t.same(BaseAccount.decode(any.value), { address: "", pubKey: undefined, accountNumber: n, sequence: n + 1n }, `${n} decodes back`);
  }
});

t.test("64-bit integers from 2^31 to 2^32 encode as protobuf says (cosmjs-types' writer mended in proto/writer.ts)", async (t) => {
  const leb = (v: bigint): number[] => {
    const out: number[] = [];
    for (v = BigInt.asUintN(64, v); v >= 0x80n; v >>= 7n) out.push(Number(v & 0x7fn) | 0x80);
    return [...out, Number(v)];
  };
  const r = new Rng(5);
  const values = [2n ** 31n, 2n ** 31n + 1n, 2n ** 32n - 1n, 2n ** 32n, 0x9abcdef0n, -1n, -(2n ** 31n), 2n ** 63n - 1n, 1n];
  for (let i = 0; i < 200; i++) values.push(2n ** 31n + BigInt(r.int(2 ** 31)));
  for (const n of values) {
    // A CheckTx answer with a tx's gas limit: CometBFT must be able to decode it (a bad one stops it).
    const bytes = Response.encode({
      checkTx: { code: 13, data: new Uint8Array(), log: "", info: "", gasWanted: n, gasUsed: 0n, events: [], codespace: "sdk" },
    }).finish();
    t.same(Response.decode(bytes).checkTx?.gasWanted, n, `int64 ${n} round-trips in a CheckTx answer`);
    const field = ExecTxResult.encode(ExecTxResult.fromPartial({ gasWanted: n })).finish();
    t.same([...field], [0x28, ...leb(n)], `int64 ${n} is its LEB128`);
    if (n > 0n) {
      const fee = Fee.encode({ amount: [], gasLimit: n, payer: "", granter: "" }).finish();
      t.same([...fee], [0x10, ...leb(n)], `uint64 ${n} is its LEB128`);
    }
  }
});
