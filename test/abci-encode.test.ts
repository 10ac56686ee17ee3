// abci/encode.ts writes FinalizeBlock's and CheckTx's answers by hand: byte for byte what cosmjs-types' encoder
// (with proto/writer.ts's mends) writes, on random answers of every shape, and decodable.
import { Event, ExecTxResult, Response, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { encodeCheckTxResponse, encodeFinalizeBlockResponse } from "../abci/encode";
import "../proto/writer";
import { Rng } from "./helpers/rng";

const r = new Rng(23);
const ALPHABETS = ["abcxyz019/_-.", "mira1qpzry9x8gf2tvdw0s3jn54khce6mua7l", "é€☃中", "😀𝄞", "\u0000\u007f\u0080\u07ff\u0800\uffff"];

function text(max: number): string {
  const n = r.int(max + 1);
  const alphabet = [...r.pick(ALPHABETS)]; // code points: surrogate pairs stay whole
  let s = "";
  for (let i = 0; i < n; i++) s += r.pick(alphabet);
  return s;
}

function int64(): bigint {
  return r.pick([
    0n,
    1n,
    127n,
    128n,
    71_234n,
    2n ** 31n - 1n,
    2n ** 31n,
    3_000_000_000n,
    2n ** 32n,
    2n ** 53n + 1n,
    2n ** 63n - 1n,
    -1n,
    -(2n ** 63n),
    BigInt(r.int(1e9)),
  ]);
}

function event(): Event {
  return {
    type: r.int(8) === 0 ? "" : text(12),
    attributes: Array.from({ length: r.int(4) }, () => ({ key: r.int(6) === 0 ? "" : text(10), value: r.int(6) === 0 ? "" : text(60), index: r.int(3) !== 0 })),
  };
}

function result(): ExecTxResult {
  return {
    code: r.pick([0, 0, 0, 5, 32, 111222, 2 ** 31, 2 ** 32 - 1]),
    data: r.int(3) === 0 ? new Uint8Array() : r.bytes(r.int(200)),
    log: r.int(2) === 0 ? "" : text(300),
    info: r.int(4) === 0 ? text(20) : "",
    gasWanted: int64(),
    gasUsed: int64(),
    events: Array.from({ length: r.int(14) }, event),
    codespace: r.int(3) === 0 ? text(8) : "",
  };
}

function response(): ResponseFinalizeBlock {
  return ResponseFinalizeBlock.fromPartial({
    events: Array.from({ length: r.int(5) }, event),
    txResults: Array.from({ length: r.int(30) }, result),
    validatorUpdates: Array.from({ length: r.int(3) === 0 ? r.int(4) : 0 }, () => ({ pubKey: { ed25519: r.bytes(32) }, power: BigInt(r.int(1000)) })),
    consensusParamUpdates: r.int(5) === 0 ? { block: { maxBytes: 22020096n, maxGas: -1n }, abci: { voteExtensionsEnableHeight: 1n } } : undefined,
    appHash: r.int(6) === 0 ? new Uint8Array() : r.bytes(32),
  });
}

t.test("the hand-written FinalizeBlock answer equals cosmjs-types' encoding", async (t) => {
  for (let i = 0; i < 400; i++) {
    const res = i === 0 ? ResponseFinalizeBlock.fromPartial({}) : response();
    const want = Response.encode({ finalizeBlock: res }).finish();
    const got = encodeFinalizeBlockResponse(res);
    if (!Buffer.from(got).equals(Buffer.from(want))) {
      t.fail(`response ${i}: ${got.length} bytes, cosmjs-types ${want.length}; first difference at ${Buffer.from(got).findIndex((b, j) => b !== want[j])}`);
      continue;
    }
    t.same(Response.decode(got).finalizeBlock, res, `response ${i} (${res.txResults.length} txs, ${got.length} bytes) decodes back`);
  }
});

t.test("a block of 1,000 bank-send results", async (t) => {
  const ev = (type: string, attrs: Record<string, string>): Event => ({
    type,
    attributes: Object.entries(attrs).map(([key, value]) => ({ key, value, index: true })),
  });
  const a = "mira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu";
  const txResults = Array.from({ length: 1000 }, (_, i) =>
    ExecTxResult.fromPartial({
      data: r.bytes(40),
      gasWanted: 200_000n,
      gasUsed: BigInt(70_000 + i),
      events: [
        ev("coin_spent", { spender: a, amount: "5000umira" }),
        ev("tx", { acc_seq: `${a}/${i}` }),
        ev("message", { action: "/cosmos.bank.v1beta1.MsgSend", sender: a, module: "bank" }),
      ],
    }),
  );
  const res = ResponseFinalizeBlock.fromPartial({ txResults, appHash: r.bytes(32) });
  t.same(Buffer.from(encodeFinalizeBlockResponse(res)), Buffer.from(Response.encode({ finalizeBlock: res }).finish()));
});

t.test("the hand-written CheckTx answer equals cosmjs-types' encoding", async (t) => {
  for (let i = 0; i < 300; i++) {
    const res = result(); // ResponseCheckTx has ExecTxResult's fields
    const want = Response.encode({ checkTx: res }).finish();
    const got = encodeCheckTxResponse(res);
    t.same(Buffer.from(got), Buffer.from(want), `answer ${i}`);
    t.same(Response.decode(got).checkTx, res, `answer ${i} decodes back`);
  }
  t.same(Buffer.from(encodeCheckTxResponse(ExecTxResult.fromPartial({}))), Buffer.from([0x4a, 0x00]), "an empty answer: the field alone");
});
