/**
 * ABCI socket framing (CometBFT v0.38): each message is an unsigned varint byte length followed
 * by that many bytes of protobuf. A TCP chunk may hold part of a frame or several frames.
 */

import { putUvarint, uvarintLength } from "../proto/varint";

/** Frames larger than this are refused: CometBFT's own limit for a block is far smaller. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export class FramingError extends Error {
  override name = "FramingError";
}

export function encodeFrame(payload: Uint8Array): Buffer {
  const head = uvarintLength(payload.length);
  const frame = Buffer.allocUnsafe(head + payload.length);
  putUvarint(frame, 0, payload.length);
  frame.set(payload, head);
  return frame;
}

/** Collects bytes as they arrive and hands out whole frames. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds a chunk and returns the frames it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      const frame = this.next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  private next(): Buffer | undefined {
    if (this.buffered === 0) return undefined;
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [data];
    let len = 0;
    let shift = 0;
    let pos = 0;
    for (;;) {
      if (pos >= data.length) return undefined; // the length itself is not complete yet
      const b = data[pos++]!;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
      if (shift > 35) throw new FramingError("frame length varint is too long");
    }
    if (len > MAX_FRAME_BYTES) throw new FramingError(`frame of ${len} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit`);
    if (data.length - pos < len) return undefined;
    const frame = data.subarray(pos, pos + len);
    const rest = data.subarray(pos + len);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return frame;
  }
}
