// Two mends to cosmjs-types 0.11's BinaryWriter, installed once per process by importing this file
// (app/chain/app.ts, abci/server.ts and mirad's main do):
//
// 1. `alloc` builds a fresh 8 KiB pool on every call (it calls `pool(...)` each time instead of
//    once), so every `.finish()` of a message under 4 KiB allocated 8 KiB: accounts, balances and
//    ABCI responses in every tx. That garbage made the collector one of the chain's largest costs.
//    Replaced by an exact-size allocation; the encoded bytes are identical.
// 2. `int64`/`uint64` write every value from 2^31 to 2^32-1 wrongly: the low word is kept signed,
//    so the varint loop stops at once and writes one byte of a 5-byte length (2^31 becomes 0 and
//    four stray zero bytes). A tx with a gas limit in that range made the CheckTx and FinalizeBlock
//    responses undecodable for CometBFT, which then stops. Replaced by the same split with the
//    words unsigned, which is plain protobuf (LEB128 of the two's complement).
// test/memo-encoding.test.ts checks both.
import { BinaryWriter } from "cosmjs-types/binary";
import { int64FromString, int64Length, writeVarint64 } from "cosmjs-types/varint";

let installed = false;

interface Pushing {
  _push(fn: (val: { lo: number; hi: number }, buf: Uint8Array, pos: number) => void, len: number, val: { lo: number; hi: number }): BinaryWriter;
}

export function installExactAllocator(): void {
  if (installed) return;
  installed = true;
  BinaryWriter.alloc = (size: number): Uint8Array => new Uint8Array(size);
  const int64 = function (this: BinaryWriter, value: string | number | bigint): BinaryWriter {
    const bits = int64FromString(value.toString());
    const lo = bits.lo >>> 0;
    const hi = bits.hi >>> 0;
    return (this as unknown as Pushing)._push(writeVarint64, int64Length(lo, hi), { lo, hi });
  };
  // `uint64` is an instance field copied from the prototype's int64 when a writer is made: it follows.
  BinaryWriter.prototype.int64 = int64;
}

installExactAllocator();
