// Content submission, fee escrow and verifier assignment (the first part of #5: verdict intake,
// tally, certificates and payouts come next). State is protobuf (proto/gen/mira/claims/v1).
import { createHash } from "node:crypto";
import { Claim as ClaimRecord, ClaimStatus, Content, Params, Verdict } from "../../proto/gen/mira/claims/v1/claims";
import type { MsgSubmitContent } from "../../proto/gen/mira/claims/v1/tx";
import type { Amount } from "../../app/coins";
import type { Context } from "../../app/context";
import { parseAddress } from "../../app/tx/address";
import { assignVerifiers } from "./assign";
import { ClaimsCode, claimsError } from "./errors";
import * as keys from "./keys";
import { claimsFromList, splitClaims } from "./split";

export const CLAIMS_MODULE = "claims";

export const DEFAULT_CLAIMS_PARAMS: Params = {
  maxClaims: 64,
  maxClaimBytes: 512,
  maxContentBytes: 16_384,
  defaultVerifiersPerClaim: 7,
  maxVerifiersPerClaim: 21,
  defaultThresholdBp: 6667,
  minThresholdBp: 5001,
  deadlineBlocks: 10n,
  feePerClaim: { denom: "umira", amount: "1000" },
  faultWindow: 100n,
  maxFaultBp: 3000,
  slashFractionVerification: "0.001",
  jailDuration: { seconds: 600n, nanos: 0 },
  allowedModelHashes: [],
  maxExtensionBytes: 65_536,
};

export interface ClaimsBank {
  sendCoins(ctx: Context, from: Uint8Array, to: Uint8Array, coins: readonly Amount[]): void;
}

export interface ClaimsAccounts {
  moduleAccount(ctx: Context, name: string): { address: Buffer };
}

/** The active set with its consensus power, as assignment weighs it. */
export interface ClaimsValidators {
  bondedPowers(ctx: Context): { operator: Buffer; power: bigint }[];
  valoperAddress(operator: Uint8Array): string;
}

export class ClaimsKeeper {
  constructor(
    private readonly bank: ClaimsBank,
    private readonly accounts: ClaimsAccounts,
    private readonly validators: ClaimsValidators,
  ) {}

  params(ctx: Context): Params {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    return v === undefined ? DEFAULT_CLAIMS_PARAMS : Params.decode(v);
  }

  setParams(ctx: Context, p: Params): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Params.encode(p).finish());
  }

  private nextId(ctx: Context, key: Buffer): bigint {
    const store = ctx.store(keys.STORE);
    const v = store.get(key);
    const id = v === undefined ? 1n : BigInt(v.toString());
    store.set(key, Buffer.from((id + 1n).toString()));
    return id;
  }

  content(ctx: Context, id: bigint): Content | undefined {
    const v = ctx.store(keys.STORE).get(keys.contentKey(id));
    return v === undefined ? undefined : Content.decode(v);
  }

  claim(ctx: Context, id: bigint): ClaimRecord | undefined {
    const v = ctx.store(keys.STORE).get(keys.claimKey(id));
    return v === undefined ? undefined : ClaimRecord.decode(v);
  }

  private putClaim(ctx: Context, c: ClaimRecord): void {
    ctx.store(keys.STORE).set(keys.claimKey(c.id), ClaimRecord.encode(c).finish());
  }

  /** The fee for `claims` claims checked by `verifiers` validators each: the per-claim fee scales with the verifiers asked for. */
  fee(p: Params, claims: number, verifiers: number): Amount {
    const per = BigInt(p.feePerClaim?.amount ?? "0");
    const amount = (per * BigInt(claims) * BigInt(verifiers) + BigInt(p.defaultVerifiersPerClaim) - 1n) / BigInt(p.defaultVerifiersPerClaim);
    return { denom: p.feePerClaim?.denom ?? "umira", amount };
  }

  /** MsgSubmitContent: split, escrow the fee, store the content and its claims (assigned at the end of the block). */
  submit(ctx: Context, msg: MsgSubmitContent): { contentId: bigint; claimIds: bigint[] } {
    const p = this.params(ctx);
    const submitter = parseAddress(msg.submitter);
    const limits = { maxClaims: p.maxClaims, maxClaimBytes: p.maxClaimBytes, maxContentBytes: p.maxContentBytes };
    if ((msg.content === "") === (msg.claims.length === 0)) throw claimsError(ClaimsCode.InvalidContent, "give either the content text or the list of claims, not both");
    const claims = msg.content !== "" ? splitClaims(msg.content, limits) : claimsFromList(msg.claims, limits);
    const threshold = msg.thresholdBp === 0 ? p.defaultThresholdBp : msg.thresholdBp;
    if (threshold < p.minThresholdBp || threshold > 10_000) {
      throw claimsError(ClaimsCode.InvalidThreshold, `threshold ${threshold} bp is outside [${p.minThresholdBp}, 10000]`);
    }
    const verifiers = msg.verifiersPerClaim === 0 ? p.defaultVerifiersPerClaim : msg.verifiersPerClaim;
    if (verifiers < 1 || verifiers > p.maxVerifiersPerClaim) {
      throw claimsError(ClaimsCode.InvalidLimits, `verifiers per claim ${verifiers} is outside [1, ${p.maxVerifiersPerClaim}]`);
    }
    if (Buffer.byteLength(msg.sourceContext, "utf8") > p.maxContentBytes) {
      throw claimsError(ClaimsCode.ContentTooLong, `source context is over ${p.maxContentBytes} bytes`);
    }
    const fee = this.fee(p, claims.length, verifiers);
    if (fee.amount > 0n) this.bank.sendCoins(ctx, submitter, this.accounts.moduleAccount(ctx, CLAIMS_MODULE).address, [fee]);
    const contentId = this.nextId(ctx, keys.nextContentIdKey);
    const claimIds: bigint[] = [];
    const store = ctx.store(keys.STORE);
    claims.forEach((c, index) => {
      const id = this.nextId(ctx, keys.nextClaimIdKey);
      claimIds.push(id);
      this.putClaim(ctx, {
        id,
        contentId,
        index,
        text: c.text,
        hash: c.hash,
        assigned: [],
        status: ClaimStatus.CLAIM_STATUS_PENDING,
        verdict: Verdict.VERDICT_UNSPECIFIED,
        deadlineHeight: ctx.height + p.deadlineBlocks,
        votes: [],
      });
      store.set(keys.unassignedKey(id), keys.PRESENT);
    });
    const contentHash = createHash("sha256").update(msg.content !== "" ? msg.content : msg.claims.join("\n")).digest();
    const content: Content = {
      id: contentId,
      submitter: msg.submitter,
      contentHash,
      sourceContext: msg.sourceContext,
      claimIds,
      height: ctx.height,
      fee: { denom: fee.denom, amount: fee.amount.toString() },
      thresholdBp: threshold,
      verifiersPerClaim: verifiers,
      settled: 0,
    };
    store.set(keys.contentKey(contentId), Content.encode(content).finish());
    store.set(keys.bySubmitterKey(submitter, contentId), keys.PRESENT);
    ctx.events.emit("content_submitted", { content_id: contentId.toString(), submitter: msg.submitter, claims: claims.length.toString(), fee: `${fee.amount}${fee.denom}` });
    return { contentId, claimIds };
  }

  /** End of block: each claim submitted in it goes to its verifiers, drawn by stake from the block hash. */
  assignNew(ctx: Context, blockHash: Uint8Array): void {
    const store = ctx.store(keys.STORE);
    const ids = [...store.iterate({ prefix: keys.unassignedPrefix })].map(([k]) => keys.idOfKey(k));
    if (ids.length === 0) return;
    const active = this.validators.bondedPowers(ctx);
    const seed = blockHash.length > 0 ? blockHash : Buffer.from(`height ${ctx.height}`);
    for (const id of ids) {
      store.delete(keys.unassignedKey(id));
      const c = this.claim(ctx, id)!;
      const content = this.content(ctx, c.contentId)!;
      const chosen = active.length === 0 ? [] : assignVerifiers(seed, c.hash, active, content.verifiersPerClaim);
      c.assigned = chosen.map((op) => this.validators.valoperAddress(op));
      this.putClaim(ctx, c);
      store.set(keys.pendingKey(id), keys.PRESENT);
      ctx.events.emit("claim_assigned", { content_id: c.contentId.toString(), claim_id: id.toString(), validators: c.assigned.join(",") });
    }
  }

  *contentsBySubmitter(ctx: Context, submitter: Uint8Array): Generator<Content> {
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix: keys.bySubmitterPrefix(submitter) })) yield this.content(ctx, keys.idOfKey(k))!;
  }

  *pendingClaims(ctx: Context, validator: string): Generator<ClaimRecord> {
    for (const [k] of ctx.store(keys.STORE).iterate({ prefix: keys.pendingPrefix })) {
      const c = this.claim(ctx, keys.idOfKey(k))!;
      if (validator === "" || c.assigned.includes(validator)) yield c;
    }
  }
}
