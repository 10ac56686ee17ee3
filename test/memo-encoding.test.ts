// The hot-path shortcuts give exactly what the plain code gives: cosmjs-types' writer with the exact
// allocator (proto/writer.ts), the address memos (app/tx/address.ts), the account decoding memo.
import { toBech32 } from "@cosmjs/encoding";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { ExecTxResult, Response } from "cosmjs-types/tendermint/abci/types";
import { createHash } from "node:crypto";
import t from "tap";
import "../proto/writer";
import { addressBytesOf, bech32Address, parseAddress } from "../app/tx/address";
import { Rng } from "./helpers/rng";

t.test("the exact allocator: every finish() owns its bytes and encodes as before", async (t) => {
  const a = BaseAccount.encode({ address: "a", pubKey: undefined, accountNumber: 1n, sequence: 2n }).finish();
  const b = BaseAccount.encode({ address: "b", pubKey: undefined, accountNumber: 3n, sequence: 4n }).finish();
  t.equal(a.buffer.byteLength, a.length, "no shared 8 KiB slab behind a small message");
  t.not(a.buffer, b.buffer, "two messages never share memory");
  t.same(BaseAccount.decode(a), { address: "a", pubKey: undefined, accountNumber: 1n, sequence: 2n });
  // Byte for byte what protobuf's wire format says: field 1 "a", field 3 = 1, field 4 = 2.
  t.same([...a], [0x0a, 0x01, 0x61, 0x18, 0x01, 0x20, 0x02]);
  const r = ExecTxResult.fromPartial({ code: 5, log: "x".repeat(5000), gasWanted: 10n, events: [{ type: "t", attributes: [{ key: "k", value: "v", index: true }] }] });
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
