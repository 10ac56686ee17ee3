/**
 * The values the IBC store commits to for packets, as ibc-go v8 computes them
 * (modules/core/04-channel/types/packet.go and keeper.go), so that a counterparty's proofs of them
 * verify.
 */
import { createHash } from "node:crypto";
import { HostCode, hostError } from "./errors";

/** A timeout height: revision number and height (ibc.core.client.v1.Height). Zero means none. */
export interface TimeoutHeight {
  revisionNumber: bigint;
  revisionHeight: bigint;
}

/** The value stored at a packet receipt path once a packet is received: the single byte 0x01. */
export const PACKET_RECEIPT_BYTE = 0x01;

const MAX_UINT64 = (1n << 64n) - 1n;

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

function uint64BigEndian(what: string, n: bigint): Buffer {
  if (n < 0n || n > MAX_UINT64) throw hostError(HostCode.InvalidPacket, `${what} must be an unsigned 64-bit integer, got ${n}`);
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(n);
  return out;
}

/**
 * ibc-go's CommitPacket: sha256(timeout timestamp ‖ timeout revision number ‖ timeout revision
 * height ‖ sha256(data)), each number 8 bytes big-endian. Throws InvalidPacket for a number
 * outside uint64.
 */
export function packetCommitment(timeoutTimestampNs: bigint, timeoutHeight: TimeoutHeight, data: Uint8Array): Uint8Array {
  return sha256(
    Buffer.concat([
      uint64BigEndian("timeout timestamp", timeoutTimestampNs),
      uint64BigEndian("timeout revision number", timeoutHeight.revisionNumber),
      uint64BigEndian("timeout revision height", timeoutHeight.revisionHeight),
      sha256(data),
    ]),
  );
}

/** ibc-go's CommitAcknowledgement: sha256 of the acknowledgement bytes. */
export function acknowledgementCommitment(acknowledgement: Uint8Array): Uint8Array {
  return sha256(acknowledgement);
}

/** A fresh copy of the packet receipt value, [0x01]. */
export function packetReceiptValue(): Uint8Array {
  return Uint8Array.of(PACKET_RECEIPT_BYTE);
}
