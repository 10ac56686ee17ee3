// The FinalizeBlock answer written straight into one buffer. Each tx result carries a dozen events
// of a few string attributes (what tx_search and relayers need), so a block of 1,000 bank sends is
// about 1.3 MB of protobuf: cosmjs-types' generic writer (a list of operations, one fork per nested
// message, a copy at the end) took 55-70 µs per tx result for it, as long as executing the tx.
// Here the sizes are computed first and every byte is written once.
//
// CheckTx's answer goes the same way (the same fields as a tx result).
//
// The bytes are exactly cosmjs-types' `Response.encode({ finalizeBlock })` (and `{ checkTx }`) (proto3: zero and empty
// fields left out, fields in number order); test/abci-encode.test.ts compares both on random
// responses. The rare parts (validator updates, consensus parameter changes) go through
// cosmjs-types and are copied in.
import "../proto/writer";
import { Event, ExecTxResult, ResponseCheckTx, ResponseFinalizeBlock, ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import { int64Length, putInt64, putUvarint, uvarintLength } from "../proto/varint";

/** UTF-8 byte length; ASCII strings (nearly all here) without a native call. */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, "utf8");
  return s.length;
}

/** Length of a length-delimited field's body plus its tag (one byte here) and length prefix. */
function delimited(bodyLength: number): number {
  return 1 + uvarintLength(bodyLength) + bodyLength;
}

class Out {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    this.pos = putUvarint(this.buf, this.pos, n);
  }

  int64(v: bigint): void {
    this.pos = putInt64(this.buf, this.pos, v);
  }

  /** A string of known UTF-8 length. */
  string(s: string, byteLength: number): void {
    if (byteLength === s.length) {
      for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
    } else {
      this.pos += this.buf.write(s, this.pos, "utf8");
    }
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Sizes of one event, kept for the writing pass (strings' UTF-8 lengths are measured once). */
interface EventSizes {
  typeLength: number;
  /** Per attribute: key length, value length, body length. */
  attrs: number[];
  body: number;
}

function eventSizes(e: Event): EventSizes {
  const typeLength = utf8Length(e.type);
  let body = typeLength === 0 ? 0 : delimited(typeLength);
  const attrs: number[] = [];
  for (const a of e.attributes) {
    const k = utf8Length(a.key);
    const v = utf8Length(a.value);
    const attrBody = (k === 0 ? 0 : delimited(k)) + (v === 0 ? 0 : delimited(v)) + (a.index === true ? 2 : 0);
    attrs.push(k, v, attrBody);
    body += delimited(attrBody);
  }
  return { typeLength, attrs, body };
}

function writeEvent(out: Out, e: Event, s: EventSizes): void {
  if (s.typeLength > 0) {
    out.byte(0x0a);
    out.varint(s.typeLength);
    out.string(e.type, s.typeLength);
  }
  for (let i = 0; i < e.attributes.length; i++) {
    const a = e.attributes[i]!;
    const k = s.attrs[3 * i]!;
    const v = s.attrs[3 * i + 1]!;
    out.byte(0x12);
    out.varint(s.attrs[3 * i + 2]!);
    if (k > 0) {
      out.byte(0x0a);
      out.varint(k);
      out.string(a.key, k);
    }
    if (v > 0) {
      out.byte(0x12);
      out.varint(v);
      out.string(a.value, v);
    }
    if (a.index === true) {
      out.byte(0x18);
      out.byte(0x01);
    }
  }
}

interface ResultSizes {
  log: number;
  info: number;
  codespace: number;
  events: EventSizes[];
  body: number;
}

function resultSizes(r: ExecTxResult): ResultSizes {
  const log = utf8Length(r.log);
  const info = utf8Length(r.info);
  const codespace = utf8Length(r.codespace);
  const events = r.events.map(eventSizes);
  let body = 0;
  if (r.code !== 0) body += 1 + uvarintLength(r.code >>> 0);
  if (r.data.length !== 0) body += delimited(r.data.length);
  if (log !== 0) body += delimited(log);
  if (info !== 0) body += delimited(info);
  if (r.gasWanted !== 0n) body += 1 + int64Length(r.gasWanted);
  if (r.gasUsed !== 0n) body += 1 + int64Length(r.gasUsed);
  for (const e of events) body += delimited(e.body);
  if (codespace !== 0) body += delimited(codespace);
  return { log, info, codespace, events, body };
}

function writeResult(out: Out, r: ExecTxResult, s: ResultSizes): void {
  if (r.code !== 0) {
    out.byte(0x08);
    out.varint(r.code >>> 0);
  }
  if (r.data.length !== 0) {
    out.byte(0x12);
    out.varint(r.data.length);
    out.bytes(r.data);
  }
  if (s.log !== 0) {
    out.byte(0x1a);
    out.varint(s.log);
    out.string(r.log, s.log);
  }
  if (s.info !== 0) {
    out.byte(0x22);
    out.varint(s.info);
    out.string(r.info, s.info);
  }
  if (r.gasWanted !== 0n) {
    out.byte(0x28);
    out.int64(r.gasWanted);
  }
  if (r.gasUsed !== 0n) {
    out.byte(0x30);
    out.int64(r.gasUsed);
  }
  r.events.forEach((e, i) => {
    out.byte(0x3a);
    out.varint(s.events[i]!.body);
    writeEvent(out, e, s.events[i]!);
  });
  if (s.codespace !== 0) {
    out.byte(0x42);
    out.varint(s.codespace);
    out.string(r.codespace, s.codespace);
  }
}

/** `Response{finalize_block}` (field 21) as protobuf bytes. */
export function encodeFinalizeBlockResponse(res: ResponseFinalizeBlock): Uint8Array {
  const blockEvents = res.events.map(eventSizes);
  const results = res.txResults.map(resultSizes);
  const updates = res.validatorUpdates.map((u) => ValidatorUpdate.encode(u).finish());
  const params = res.consensusParamUpdates === undefined ? undefined : ConsensusParams.encode(res.consensusParamUpdates).finish();
  let body = 0;
  for (const e of blockEvents) body += delimited(e.body);
  for (const r of results) body += delimited(r.body);
  for (const u of updates) body += delimited(u.length);
  if (params !== undefined) body += delimited(params.length);
  if (res.appHash.length !== 0) body += delimited(res.appHash.length);
  // Field 21, wire type 2: a two-byte tag (0xaa 0x01).
  const out = new Out(Buffer.allocUnsafe(2 + uvarintLength(body) + body));
  out.byte(0xaa);
  out.byte(0x01);
  out.varint(body);
  res.events.forEach((e, i) => {
    out.byte(0x0a);
    out.varint(blockEvents[i]!.body);
    writeEvent(out, e, blockEvents[i]!);
  });
  res.txResults.forEach((r, i) => {
    out.byte(0x12);
    out.varint(results[i]!.body);
    writeResult(out, r, results[i]!);
  });
  for (const u of updates) {
    out.byte(0x1a);
    out.varint(u.length);
    out.bytes(u);
  }
  if (params !== undefined) {
    out.byte(0x22);
    out.varint(params.length);
    out.bytes(params);
  }
  if (res.appHash.length !== 0) {
    out.byte(0x2a);
    out.varint(res.appHash.length);
    out.bytes(res.appHash);
  }
  if (out.pos !== out.buf.length) throw new Error(`FinalizeBlock answer: wrote ${out.pos} of ${out.buf.length} bytes`);
  return out.buf;
}

/**
 * `Response{check_tx}` (field 9) as protobuf bytes: every tx reaches every node's CheckTx, and
 * again at each recheck. ResponseCheckTx's fields are ExecTxResult's (1 to 8), written alike.
 */
export function encodeCheckTxResponse(res: ResponseCheckTx): Uint8Array {
  const sizes = resultSizes(res);
  const out = new Out(Buffer.allocUnsafe(1 + uvarintLength(sizes.body) + sizes.body));
  out.byte(0x4a);
  out.varint(sizes.body);
  writeResult(out, res, sizes);
  if (out.pos !== out.buf.length) throw new Error(`CheckTx answer: wrote ${out.pos} of ${out.buf.length} bytes`);
  return out.buf;
}
