// The validator's side of claims: after each commit, the claims newly assigned to this validator go
// to its sidecar (never awaited on the ABCI path); ExtendVote packs whatever verdicts are ready. A
// slow, dead or crashing sidecar only means fewer verdicts, never a slower block.
import type { Context } from "../core/context";
import { VoteExtension, type ExtVerdict } from "../../proto/gen/mira/claims/v1/claims";
import { modelAllowed } from "../../modules/claims/extension";
import type { SidecarClient } from "./sidecar-client";
import { KNOWN_VERDICTS } from "../../modules/claims/extension";

/** What the bridge reads from the app: this validator's pending claims and their source passages. */
export interface BridgeView {
  committedContext(): Context;
  myValoper(ctx: Context): string | undefined;
  pendingFor(ctx: Context, valoper: string): { id: bigint; text: string; source: string; voted: boolean }[];
  stillOpen(ctx: Context, claimId: bigint, valoper: string): boolean;
  /** The claims params' cap on an extension's bytes. */
  maxExtensionBytes(ctx: Context): number;
  /** The claims params' model allow-list (empty: any model). */
  allowedModelHashes(ctx: Context): Uint8Array[];
}

export class VerifierBridge {
  private readonly ready = new Map<bigint, { verdict: ExtVerdict; modelHash: Uint8Array }>();
  private readonly inFlight = new Set<bigint>();

  constructor(
    private readonly client: SidecarClient,
    private readonly view: BridgeView,
    private readonly opts: { deadlineMs: number; maxBatch: number; log: (line: string) => void },
  ) {}

  /** Sends this validator's new pending claims to the sidecar; returns at once. */
  afterCommit(): void {
    const ctx = this.view.committedContext();
    const me = this.view.myValoper(ctx);
    if (me === undefined) return;
    const all = this.view.pendingFor(ctx, me).filter((c) => !c.voted && !this.ready.has(c.id) && !this.inFlight.has(c.id));
    // Everything new goes now, in requests of at most maxBatch claims (the sidecar runs them one model call each).
    for (let at = 0; at < all.length; at += this.opts.maxBatch) this.send(all.slice(at, at + this.opts.maxBatch));
  }

  private send(items: { id: bigint; text: string; source: string }[]): void {
    for (const c of items) this.inFlight.add(c.id);
    void this.client
      .verify(
        items.map((c) => ({ claimId: c.id, claim: c.text, source: c.source })),
        this.opts.deadlineMs,
      )
      .then((res) => {
        if (!res.ok) {
          this.opts.log(`mirad: sidecar: ${res.codeName}: ${res.message} (${items.length} claims left without a verdict for now)`);
          return;
        }
        for (const r of res.value)
          this.ready.set(r.claimId, { verdict: { claimId: r.claimId, verdict: r.verdict, confidenceBp: r.confidenceBp }, modelHash: r.modelHash });
      })
      .finally(() => {
        for (const c of items) this.inFlight.delete(c.id);
      });
  }

  /** Height of the last extension each ready verdict went out in. */
  private readonly sentAt = new Map<bigint, bigint>();

  /**
   * The verdicts ready for claims still open to this validator, encoded and capped in bytes. An
   * extension names one model (the one behind the newest verdict); verdicts of another model, from
   * before the sidecar swapped it, are dropped rather than attributed to the wrong one.
   */
  extension(height = 0n): Uint8Array {
    const ctx = this.view.committedContext();
    const me = this.view.myValoper(ctx);
    if (me === undefined || this.ready.size === 0) return new Uint8Array();
    let modelHash: Uint8Array | undefined;
    for (const r of this.ready.values()) modelHash = r.modelHash;
    const verdicts: ExtVerdict[] = [];
    for (const [id, r] of this.ready) {
      if (!this.view.stillOpen(ctx, id, me) || !Buffer.from(r.modelHash).equals(Buffer.from(modelHash!))) {
        this.ready.delete(id); // settled, our vote is already on chain, or made by a model no longer served
        continue;
      }
      // What peers' VerifyVoteExtension would refuse never goes out: a refusal drops this validator's precommit.
      if (!KNOWN_VERDICTS.has(r.verdict.verdict) || r.verdict.confidenceBp > 10_000) continue;
      // Sent in the previous height's extension: the block being decided now records it; send it again
      // only if that height's commit turns out not to carry it (then it is still open at the next height).
      if (height > 0n && this.sentAt.get(id) === height - 1n) continue;
      verdicts.push(r.verdict);
    }
    if (verdicts.length === 0) return new Uint8Array();
    const allowed = this.view.allowedModelHashes(ctx);
    if (modelHash!.length !== 32 || !modelAllowed(allowed, modelHash!)) {
      this.opts.log(
        `mirad: the sidecar's model ${Buffer.from(modelHash!).toString("hex")} is not allowed by the claims params (allowed_model_hashes): no verdicts sent`,
      );
      return new Uint8Array();
    }
    let bytes = VoteExtension.encode({ verdicts, modelHash: modelHash! }).finish();
    const maxBytes = this.view.maxExtensionBytes(ctx);
    while (bytes.length > maxBytes && verdicts.length > 0) {
      verdicts.splice(Math.ceil(verdicts.length / 2));
      bytes = VoteExtension.encode({ verdicts, modelHash: modelHash! }).finish();
    }
    for (const v of verdicts) this.sentAt.set(v.claimId, height);
    for (const id of this.sentAt.keys()) if (!this.ready.has(id)) this.sentAt.delete(id);
    return bytes;
  }
}
