// The chain's client of the verification sidecar (app/sidecar/service.ts). Every call carries a gRPC deadline
// and resolves, never rejects: a sidecar that is down, slow or misbehaving is an error value the caller may
// ignore (a validator without verdicts simply abstains), never an unhandled rejection.
import * as grpc from "@grpc/grpc-js";
import {
  InfoRequest,
  InfoResponse,
  VerifierMethods,
  VerifyRequest,
  VerifyResponse,
  type VerifyItem,
  type VerifyResult,
} from "../../proto/gen/mira/verifier/v1/verifier";

export type { VerifyItem, VerifyResult };

/** What a call failed with: the gRPC status code (DEADLINE_EXCEEDED, UNAVAILABLE, INVALID_ARGUMENT...) and why. */
export interface SidecarError {
  ok: false;
  code: grpc.status;
  /** The code's name, e.g. "UNAVAILABLE". */
  codeName: string;
  message: string;
}
export type SidecarResult<T> = { ok: true; value: T } | SidecarError;

export interface SidecarInfo {
  /** sha256 of each model, hex. */
  modelHashes: string[];
  executionProviders: string[];
  maxBatch: number;
}

export const DEFAULT_DEADLINE_MS = 5_000;

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function failure(code: grpc.status, message: string): SidecarError {
  return { ok: false, code, codeName: grpc.status[code] ?? String(code), message };
}

export class SidecarClient {
  private readonly client: grpc.Client;
  private closed = false;

  /** `address` is "host:port"; connecting is lazy, so a sidecar that is not up yet is no error here. */
  constructor(readonly address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 64 * 1024 * 1024,
      // Reconnect quickly once a restarted sidecar is back.
      "grpc.initial_reconnect_backoff_ms": 200,
      "grpc.max_reconnect_backoff_ms": 2_000,
    });
  }

  /**
   * Judges `items`; on success the results are in the items' order, at most one per item, each checked to carry
   * an asked claim id. A sidecar may leave an item out (its model gave no verdict: it abstains or failed on it);
   * the bridge then asks for that claim again later.
   */
  async verify(items: readonly VerifyItem[], deadlineMs = DEFAULT_DEADLINE_MS): Promise<SidecarResult<VerifyResult[]>> {
    const response = await this.unary(
      VerifierMethods.Verify,
      (m: VerifyRequest) => toBuffer(VerifyRequest.encode(m).finish()),
      (b: Buffer) => VerifyResponse.decode(b),
      { items: items.map(({ claimId, claim, source }) => ({ claimId, claim, source })) },
      deadlineMs,
    );
    if (!response.ok) return response;
    const results = response.value.results;
    // The results must be a subsequence of the items: in their order, none twice, none that was not asked.
    let next = 0;
    for (const r of results) {
      while (next < items.length && items[next]!.claimId !== r.claimId) next++;
      if (next === items.length) {
        return failure(grpc.status.INTERNAL, `sidecar ${this.address} answered claim ${r.claimId}, which was not asked, or not in the order asked, or twice`);
      }
      next++;
    }
    return { ok: true, value: results };
  }

  /** The sidecar's model hashes, execution providers and batch limit. */
  async info(deadlineMs = DEFAULT_DEADLINE_MS): Promise<SidecarResult<SidecarInfo>> {
    const response = await this.unary(
      VerifierMethods.Info,
      (m: InfoRequest) => toBuffer(InfoRequest.encode(m).finish()),
      (b: Buffer) => InfoResponse.decode(b),
      {},
      deadlineMs,
    );
    if (!response.ok) return response;
    const { modelHashes, executionProviders, maxBatch } = response.value;
    return { ok: true, value: { modelHashes: modelHashes.map((h) => Buffer.from(h).toString("hex")), executionProviders, maxBatch } };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  private unary<Req, Res>(
    path: string,
    serialize: (m: Req) => Buffer,
    deserialize: (b: Buffer) => Res,
    request: Req,
    deadlineMs: number,
  ): Promise<SidecarResult<Res>> {
    if (this.closed) return Promise.resolve(failure(grpc.status.CANCELLED, "sidecar client is closed"));
    return new Promise<SidecarResult<Res>>((resolve) => {
      try {
        const deadline = new Date(Date.now() + Math.max(1, deadlineMs));
        this.client.makeUnaryRequest(path, serialize, deserialize, request, new grpc.Metadata(), { deadline }, (err, value) => {
          if (err) resolve(failure(err.code ?? grpc.status.UNKNOWN, `sidecar ${this.address}: ${err.details || err.message}`));
          else if (value === undefined) resolve(failure(grpc.status.INTERNAL, `sidecar ${this.address}: empty response`));
          else resolve({ ok: true, value });
        });
      } catch (err) {
        resolve(failure(grpc.status.INTERNAL, `sidecar ${this.address}: ${(err as Error).message}`));
      }
    });
  }
}
