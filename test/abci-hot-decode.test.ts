// abci/server.ts decodes the two per-tx requests (Flush, CheckTx) itself: the same requests as
// cosmjs-types' Request.decode on random frames, and every other shape left to Request.decode.
import { CheckTxType, Request } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { decodeHotRequest } from "../abci/server";
import { Rng } from "./helpers/rng";

const r = new Rng(47);

t.test("Flush and CheckTx decode as Request.decode does", async (t) => {
  t.same(decodeHotRequest(Buffer.from(Request.encode({ flush: {} }).finish())), { flush: {} });
  let checked = 0;
  for (let i = 0; i < 500; i++) {
    const size = r.pick([0, 1, 127, 128, 300, 16_383, 16_384, 70_000, r.int(2_000)]);
    const req = Request.fromPartial({ checkTx: { tx: r.bytes(size), type: r.pick([CheckTxType.NEW, CheckTxType.RECHECK]) } });
    const frame = Buffer.from(Request.encode(req).finish());
    const mine = decodeHotRequest(frame);
    if (mine === undefined) {
      t.fail(`CheckTx of ${size} bytes was not decoded`);
      continue;
    }
    const theirs = Request.decode(frame);
    t.same(Buffer.from(mine.checkTx!.tx), Buffer.from(theirs.checkTx!.tx));
    t.equal(mine.checkTx!.type, theirs.checkTx!.type);
    // A copy, not a view of the frame: the app may keep the bytes.
    if (size > 0) t.not(mine.checkTx!.tx.buffer, frame.buffer);
    checked++;
  }
  t.equal(checked, 500);
});

t.test("other requests and unexpected shapes are left to Request.decode", async (t) => {
  const others = [
    Request.fromPartial({ echo: { message: "hi" } }),
    Request.fromPartial({ info: { version: "0.38.26" } }),
    Request.fromPartial({ commit: {} }),
    Request.fromPartial({ query: { path: "/x", data: new Uint8Array([1]) } }),
    Request.fromPartial({ finalizeBlock: { txs: [new Uint8Array([1, 2])], height: 5n } }),
  ];
  for (const req of others) t.equal(decodeHotRequest(Buffer.from(Request.encode(req).finish())), undefined);
  // CheckTx with a field this decoder does not know (3: a varint), or cut short.
  const withUnknown = Buffer.from([0x42, 0x06, 0x0a, 0x01, 0xaa, 0x18, 0x01, 0x10]);
  t.equal(decodeHotRequest(withUnknown), undefined);
  const full = Buffer.from(Request.encode(Request.fromPartial({ checkTx: { tx: new Uint8Array(10) } })).finish());
  for (let cut = 1; cut < full.length; cut++) t.equal(decodeHotRequest(full.subarray(0, cut)), undefined, `cut at ${cut}`);
  // Trailing bytes after the CheckTx field: not the shape expected.
  t.equal(decodeHotRequest(Buffer.concat([full, Buffer.from([0x12, 0x00])])), undefined);
});
