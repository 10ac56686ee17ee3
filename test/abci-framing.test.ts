import { Request } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { encodeFrame, FrameDecoder, FramingError, MAX_FRAME_BYTES } from "../abci";
import { Rng } from "./helpers/rng";

function echo(message: string): Buffer {
  return encodeFrame(Request.encode({ echo: { message } }).finish());
}

t.test("frames split at every byte boundary come out whole and in order", async (t) => {
  const stream = Buffer.concat([echo("a"), echo("b".repeat(300)), echo("")]);
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
    const messages = frames.map((f) => Request.decode(f).echo!.message);
    if (messages.join("|") !== `a|${"b".repeat(300)}|`) t.fail(`cut at ${cut}: ${messages.join("|")}`);
  }
  t.pass("every split point decodes the same three frames");
});

t.test("random chunking of many packed frames", async (t) => {
  const rng = new Rng(7);
  const messages = Array.from({ length: 200 }, (_, i) => `m${i}-${"x".repeat(rng.int(500))}`);
  const stream = Buffer.concat(messages.map(echo));
  const d = new FrameDecoder();
  const out: string[] = [];
  for (let pos = 0; pos < stream.length;) {
    const n = 1 + rng.int(700);
    for (const f of d.push(stream.subarray(pos, pos + n))) out.push(Request.decode(f).echo!.message);
    pos += n;
  }
  t.same(out, messages);
});

t.test("the length is an unsigned varint", async (t) => {
  t.same([...encodeFrame(Buffer.alloc(300)).subarray(0, 2)], [0xac, 0x02], "300 = 0xac 0x02");
  t.same([...encodeFrame(Buffer.alloc(1)).subarray(0, 1)], [1]);
});

t.test("oversized and malformed lengths are refused", async (t) => {
  const tooBig = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]);
  t.throws(() => new FrameDecoder().push(tooBig), FramingError);
  t.ok(0xffffffff * 8 > MAX_FRAME_BYTES);
  t.throws(() => new FrameDecoder().push(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80])), FramingError);
});
