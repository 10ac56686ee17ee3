// The claims benchmark's chain side: labelled content for MsgSubmitContent, sender accounts whose
// signing client knows /mira.claims.v1.MsgSubmitContent, a paced (open-loop) load sent through
// CosmJS, and a block scanner that reads, per block, the submissions, assignments, settlements and
// certificates (block results) and the vote extensions in the injected extended commit (block txs).
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import type { Comet38Client } from "@cosmjs/tendermint-rpc";
import { generateExamples } from "../../app/sidecar/dataset";
import { decodeInjectedCommit, isInjectedCommit } from "../../app/chain/vote-extensions";
import { VoteExtension } from "../../proto/gen/mira/claims/v1/claims";
import { registry, signTx, wallet, Wallet } from "../../test/helpers/app-driver";
import type { Sender } from "./senders";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One MsgSubmitContent's worth of labelled claims and the source passage they are checked against. */
export interface LoadContent {
  claims: string[];
  /** The generator's label of each claim (SUPPORTED, REFUTED, UNVERIFIABLE). */
  labels: string[];
  source: string;
}

/** Capitalised words that are not names: sentence openings of the templates and organisation suffixes. */
const NOT_NAMES = new Set(["The", "In", "There", "Labs", "Works", "Group", "Industries"]);

/** The generated names (people, organisations, cities) a text mentions. */
function namesIn(text: string): string[] {
  return (text.match(/\b[A-Z][a-z]+\b/g) ?? []).filter((w) => !NOT_NAMES.has(w));
}

/**
 * Contents of up to `perContent` claims each, `totalClaims` claims or a few more in all, from the evaluation split of the sidecar's
 * labelled generator (app/sidecar/dataset.ts): each example is a short passage and one claim about
 * it, so a content's source context is the passages of its claims, joined (what a retrieval step
 * would hand over with an answer). The generator draws its names from a small pool, so a content
 * only takes examples whose names (passage and claim) no other example in it mentions: a claim
 * about one passage's entity is never "supported" by another passage that happens to share the
 * name. That caps a content at about 40-60 claims (the pool has 144 names per split); the
 * examples left out go to the next contents.
 */
export function makeContents(totalClaims: number, perContent: number, limits: { maxContentBytes: number; maxClaimBytes: number }): LoadContent[] {
  let pool = generateExamples("eval", Math.ceil(totalClaims * 1.5) + 4 * perContent);
  const out: LoadContent[] = [];
  let total = 0;
  while (total < totalClaims) {
    const claims: string[] = [];
    const labels: string[] = [];
    const sources: string[] = [];
    const used = new Set<string>();
    const rest: typeof pool = [];
    let claimBytes = 0;
    let sourceBytes = 0;
    for (const e of pool) {
      const names = [...namesIn(e.source), ...namesIn(e.claim)];
      const fits =
        claims.length < perContent &&
        !claims.includes(e.claim) &&
        Buffer.byteLength(e.claim) <= limits.maxClaimBytes &&
        claimBytes + Buffer.byteLength(e.claim) <= limits.maxContentBytes &&
        sourceBytes + Buffer.byteLength(e.source) + 1 <= limits.maxContentBytes &&
        names.every((n) => !used.has(n));
      if (!fits) {
        rest.push(e);
        continue;
      }
      claims.push(e.claim);
      labels.push(e.label);
      sources.push(e.source);
      names.forEach((n) => used.add(n));
      claimBytes += Buffer.byteLength(e.claim);
      sourceBytes += Buffer.byteLength(e.source) + 1;
    }
    if (claims.length === 0) throw new Error(`the generator ran out of examples for ${totalClaims} claims in contents of up to ${perContent}`);
    out.push({ claims, labels, source: sources.join(" ") });
    total += claims.length;
    pool = rest;
  }
  return out;
}

export function submitMsg(submitter: string, c: LoadContent): { typeUrl: string; value: Record<string, unknown> } {
  return {
    typeUrl: "/mira.claims.v1.MsgSubmitContent",
    value: { submitter, content: "", claims: c.claims, sourceContext: c.source, thresholdBp: 0, verifiersPerClaim: 0 },
  };
}

/** The hex sha256 of a tx's bytes: CometBFT's tx hash. */
export function txHash(tx: Uint8Array): string {
  return createHash("sha256").update(tx).digest("hex").toUpperCase();
}

/**
 * `count` senders: the localnet's dev accounts first, then fresh accounts (random keys) funded by
 * one committed MsgMultiSend from the first dev account. Every signing client carries the
 * project's Registry (test/helpers/app-driver.ts: CosmJS's types plus /mira.claims.v1.MsgSubmitContent).
 */
export async function claimSenders(
  rpcUrl: string,
  chainId: string,
  denom: string,
  devMnemonics: readonly string[],
  count: number,
  funding: bigint,
): Promise<Sender[]> {
  const wallets: Wallet[] = await Promise.all(devMnemonics.slice(0, count).map((m) => wallet(m)));
  const query = await StargateClient.connect(rpcUrl);
  try {
    if (count > wallets.length) {
      const extra: Wallet[] = [];
      for (let i = wallets.length; i < count; i++) {
        const key = await DirectSecp256k1Wallet.fromKey(randomBytes(32), "mira");
        const [a] = await key.getAccounts();
        extra.push({ address: a!.address, client: await SigningStargateClient.offline(key, { registry: registry() }) });
      }
      const funder = wallets[0]!;
      const acct = await query.getAccount(funder.address);
      if (acct === null) throw new Error(`dev account ${funder.address} does not exist on the localnet`);
      const msg = {
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: {
          inputs: [{ address: funder.address, coins: [{ denom, amount: (funding * BigInt(extra.length)).toString() }] }],
          outputs: extra.map((w) => ({ address: w.address, coins: [{ denom, amount: funding.toString() }] })),
        },
      };
      const gas = 200_000 + 40_000 * extra.length;
      const tx = await signTx(funder, [msg], {
        accountNumber: acct.accountNumber,
        sequence: acct.sequence,
        gas: String(gas),
        fee: String(Math.ceil(gas * 0.025)),
        chainId,
      });
      const res = await query.broadcastTx(tx, 60_000, 200);
      if (res.code !== 0) throw new Error(`funding ${extra.length} extra senders failed (code ${res.code}): ${res.rawLog ?? ""}`);
      wallets.push(...extra);
    }
    const out: Sender[] = [];
    for (const w of wallets) {
      const a = await query.getAccount(w.address);
      if (a === null) throw new Error(`sender ${w.address} has no account on the chain`);
      out.push({ wallet: w, accountNumber: a.accountNumber, sequence: a.sequence });
    }
    return out;
  } finally {
    query.disconnect();
  }
}

export interface PacedLoadResult {
  sent: number;
  /** performance.now() of the first and the last broadcast_tx_sync answer. */
  firstAt: number;
  lastAt: number;
  /** Sends repeated because the mempool was full. */
  mempoolFullRetries: number;
  /** How far behind its schedule the latest send was, at worst (ms): the client could not keep the pace. */
  maxLagMs: number;
}

/** A signed tx and when to send it (ms after the load starts). */
export interface ScheduledTx {
  tx: Uint8Array;
  dueMs: number;
}

/**
 * Open-loop load: each tx goes out at its due time with CosmJS's broadcastTxSync (CheckTx on
 * node0), each stream (one sender's txs in sequence order) in order, all streams at once. A CheckTx
 * refusal stops the load.
 */
export async function pacedLoad(
  client: StargateClient,
  streams: readonly (readonly ScheduledTx[])[],
  abort: { reason?: Error } = {},
): Promise<PacedLoadResult> {
  const start = performance.now() + 50;
  const res: PacedLoadResult = { sent: 0, firstAt: Infinity, lastAt: 0, mempoolFullRetries: 0, maxLagMs: 0 };
  const runStream = async (s: number): Promise<void> => {
    const txs = streams[s]!;
    for (let k = 0; k < txs.length; k++) {
      const due = start + txs[k]!.dueMs;
      while (performance.now() < due && abort.reason === undefined) await sleep(Math.min(200, due - performance.now()));
      if (abort.reason !== undefined) return;
      res.maxLagMs = Math.max(res.maxLagMs, performance.now() - due);
      for (;;) {
        if (abort.reason !== undefined) return;
        try {
          await client.broadcastTxSync(txs[k]!.tx);
          break;
        } catch (err) {
          const text = (err as Error).message;
          if (/already exists in cache/.test(text)) break; // a repeat of one that got in
          if (/mempool is full/.test(text)) {
            res.mempoolFullRetries++;
            await sleep(50);
            continue;
          }
          abort.reason = err as Error;
          throw err;
        }
      }
      res.sent++;
      const now = performance.now();
      res.firstAt = Math.min(res.firstAt, now);
      res.lastAt = Math.max(res.lastAt, now);
    }
  };
  await Promise.all(streams.map((_, s) => runStream(s)));
  return res;
}

/** One vote in an injected extended commit. */
export interface VoteInfo {
  /** The validator's consensus address, hex. */
  validator: string;
  /** The extension's bytes (the protobuf VoteExtension) and its signature's. */
  extBytes: number;
  sigBytes: number;
  /** Claim ids of the verdicts it carries. */
  claimIds: bigint[];
  /** Undecodable as a VoteExtension (counted, carries no verdicts). */
  bad: boolean;
}

/** What the benchmark reads of one block. */
export interface BlockInfo {
  height: number;
  /** Header time in ms since the epoch (BFT time). */
  timeMs: number;
  /** performance.now() when the scanner saw the block committed. */
  seenAt: number;
  /** Txs other than the injected commit, and their hashes in block order. */
  userTxs: number;
  userTxBytes: number;
  /** Bytes of the injected extended commit (the first tx), 0 when absent. */
  injectedBytes: number;
  /** The votes of the injected commit (of height - 1). */
  votes: VoteInfo[];
  /** content_submitted per user tx (in block order, hash of the tx). */
  submissions: { txHash: string; contentId: bigint; claims: number }[];
  failedTxs: { code: number; log: string }[];
  /** claim_assigned (end of this block): claim -> content. */
  assigned: { claimId: bigint; contentId: bigint; validators: number }[];
  /** claim_certified: a claim settled in this block (status CLAIM_STATUS_CERTIFIED or _UNRESOLVED). */
  settled: { claimId: bigint; contentId: bigint; status: string; verdict: string }[];
  /** content_certified: the content's certificate was written in this block. */
  certificates: bigint[];
  /** verifier_punished events (a validator slashed and jailed for its verification faults). */
  punished: { validator: string; faults: string; window: string }[];
}

type Attrs = Map<string, string>;

function attrs(e: { attributes: readonly { key: string; value: string }[] }): Attrs {
  return new Map(e.attributes.map((a) => [a.key, a.value]));
}

/** Reads committed blocks one after the other, from `fromHeight` on. */
export class BlockScanner {
  readonly blocks: BlockInfo[] = [];
  private next: number;

  constructor(
    private readonly comet: Comet38Client,
    fromHeight: number,
  ) {
    this.next = fromHeight;
  }

  /** The height the next read will be of. */
  get nextHeight(): number {
    return this.next;
  }

  /**
   * Reads every block committed so far (polling every 100 ms while none is new) until `done()`
   * says so after a read, or the deadline (performance.now() ms) passes.
   */
  async scan(done: () => boolean, deadline: number, onBlock?: (b: BlockInfo) => void, stallMs = 30_000): Promise<void> {
    let lastNew = performance.now();
    while (!done()) {
      if (performance.now() > deadline) throw new Error(`the block scanner ran past its deadline at height ${this.next}`);
      if (performance.now() - lastNew > stallMs) throw new Error(`no new block for ${stallMs / 1000} s: the chain stalled at height ${this.next - 1}`);
      const latest = (await this.comet.status()).syncInfo.latestBlockHeight;
      if (latest < this.next) {
        await sleep(100);
        continue;
      }
      lastNew = performance.now();
      while (this.next <= latest && !done()) {
        const b = await this.read(this.next++);
        this.blocks.push(b);
        onBlock?.(b);
      }
    }
  }

  private async read(height: number): Promise<BlockInfo> {
    // The status can name a height a moment before its results are saved: try again for a while.
    let got: [Awaited<ReturnType<Comet38Client["block"]>>, Awaited<ReturnType<Comet38Client["blockResults"]>>] | undefined;
    for (let attempt = 1; got === undefined; attempt++) {
      try {
        got = await Promise.all([this.comet.block(height), this.comet.blockResults(height)]);
      } catch (err) {
        if (attempt >= 100 || !/could not find|must be less than or equal/.test((err as Error).message)) throw err;
        await sleep(50);
      }
    }
    const [blk, results] = got;
    const seenAt = performance.now();
    const t = blk.block.header.time;
    const info: BlockInfo = {
      height,
      timeMs: t.getTime() + Math.floor((t.nanoseconds ?? 0) / 1e6),
      seenAt,
      userTxs: 0,
      userTxBytes: 0,
      injectedBytes: 0,
      votes: [],
      submissions: [],
      failedTxs: [],
      assigned: [],
      settled: [],
      certificates: [],
      punished: [],
    };
    const txs = blk.block.txs;
    txs.forEach((tx, i) => {
      if (i === 0 && isInjectedCommit(tx)) {
        info.injectedBytes = tx.length;
        for (const v of decodeInjectedCommit(tx).votes) {
          let claimIds: bigint[] = [];
          let bad = false;
          if (v.voteExtension.length > 0) {
            try {
              claimIds = VoteExtension.decode(v.voteExtension).verdicts.map((x) => x.claimId);
            } catch {
              bad = true;
            }
          }
          info.votes.push({
            validator: Buffer.from(v.validator.address).toString("hex"),
            extBytes: v.voteExtension.length,
            sigBytes: v.extensionSignature.length,
            claimIds,
            bad,
          });
        }
        return;
      }
      info.userTxs++;
      info.userTxBytes += tx.length;
      const r = results.results[i];
      if (r === undefined) return;
      if (r.code !== 0) {
        info.failedTxs.push({ code: r.code, log: r.log ?? "" });
        return;
      }
      for (const e of r.events) {
        if (e.type !== "content_submitted") continue;
        const a = attrs(e);
        info.submissions.push({ txHash: txHash(tx), contentId: BigInt(a.get("content_id")!), claims: Number(a.get("claims")) });
      }
    });
    for (const e of results.finalizeBlockEvents) {
      if (e.type === "claim_assigned") {
        const a = attrs(e);
        info.assigned.push({
          claimId: BigInt(a.get("claim_id")!),
          contentId: BigInt(a.get("content_id")!),
          validators: (a.get("validators") ?? "").split(",").filter((x) => x !== "").length,
        });
      } else if (e.type === "claim_certified") {
        const a = attrs(e);
        info.settled.push({
          claimId: BigInt(a.get("claim_id")!),
          contentId: BigInt(a.get("content_id")!),
          status: a.get("status") ?? "",
          verdict: a.get("verdict") ?? "",
        });
      } else if (e.type === "content_certified") {
        info.certificates.push(BigInt(attrs(e).get("content_id")!));
      } else if (e.type === "verifier_punished") {
        const a = attrs(e);
        info.punished.push({ validator: a.get("validator") ?? "", faults: a.get("faults") ?? "", window: a.get("fault_window") ?? "" });
      }
    }
    return info;
  }
}

/** One height's ABCI phases as node0's CometBFT logged them (ms). */
export interface BlockPhases {
  height: number;
  /** "finalizing commit of block" -> "finalized block": the app's FinalizeBlock (and saving its response). */
  finalizeMs: number;
  /** "finalized block" -> "committed state": the app's Commit (with CometBFT's mempool lock and flush). */
  commitMs: number;
  /** "committed state" of the height before -> "finalizing commit of block": timeout_commit, propose, votes (ExtendVote, VerifyVoteExtension, ProcessProposal, rechecks). */
  consensusMs: number;
}

/** CometBFT's plain log time, `I[2006-01-02|15:04:05.000]`, in ms (local time: only differences matter). */
function logTime(line: string): number | undefined {
  const m = /^[A-Z]\[(\d{4})-(\d{2})-(\d{2})\|(\d{2}):(\d{2}):(\d{2})\.(\d{3})\]/.exec(line);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  return new Date(y!, mo! - 1, d!, h!, mi!, s!, ms!).getTime();
}

/** The ABCI phases of each height in `heights`, read from a CometBFT log file. */
export function blockPhases(logFile: string, heights: ReadonlySet<number>): BlockPhases[] {
  const at = new Map<number, { finalizing?: number; finalized?: number; committed?: number }>();
  for (const line of fs.readFileSync(logFile, "utf8").split("\n")) {
    const kind = line.includes("finalizing commit of block")
      ? "finalizing"
      : line.includes("finalized block")
        ? "finalized"
        : line.includes("committed state")
          ? "committed"
          : undefined;
    if (kind === undefined) continue;
    const h = /\bheight=(\d+)/.exec(line);
    const t = logTime(line);
    if (h === null || t === undefined) continue;
    const e = at.get(Number(h[1])) ?? {};
    e[kind] ??= t;
    at.set(Number(h[1]), e);
  }
  const out: BlockPhases[] = [];
  for (const height of [...heights].sort((a, b) => a - b)) {
    const e = at.get(height);
    const prev = at.get(height - 1);
    if (e?.finalizing === undefined || e.finalized === undefined || e.committed === undefined || prev?.committed === undefined) continue;
    out.push({ height, finalizeMs: e.finalized - e.finalizing, commitMs: e.committed - e.finalized, consensusMs: e.finalizing - prev.committed });
  }
  return out;
}

/** Lines of a log file that match `re` (0 when the file is missing). */
export function countLines(logFile: string, re: RegExp): number {
  if (!fs.existsSync(logFile)) return 0;
  return fs
    .readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => re.test(l)).length;
}
