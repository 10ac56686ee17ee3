// mirad's Prometheus metrics (prom-client), served on their own port (`mirad start --metrics ADDR`;
// the localnet's node i: 26661 + 100·i, beside CometBFT's own on 26660 + 100·i). Everything is
// measured around the app (the ABCI methods, the query registry, the sidecar client) or read from the
// committed state when Prometheus scrapes; nothing here changes what the chain computes.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { Verdict, VoteExtension } from "../../proto/gen/mira/claims/v1/claims";
import { QueryVerifierStatsRequest, QueryVerifierStatsResponse } from "../../proto/gen/mira/claims/v1/query";
import type { QueryMethod, QueryServices } from "../grpc/services";

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BYTE_BUCKETS = [0, 64, 256, 1024, 4096, 16384, 65536, 262144];

/** An ABCI event as the app returns it (DeepPartial: every field may be left out). */
interface Event {
  type?: string;
  attributes?: { key?: string; value?: string }[];
}

/** The committed state the scrape-time gauges read: a module query at the latest height. */
export type StateReader = (method: string, request: Uint8Array) => Uint8Array;

export class ChainMetrics {
  readonly registry = new Registry();
  readonly blocks = new Counter({ name: "mira_blocks_total", help: "Blocks finalized by this app", registers: [this.registry] });
  readonly height = new Gauge({ name: "mira_block_height", help: "Height of the last finalized block", registers: [this.registry] });
  readonly txs = new Counter({
    name: "mira_txs_total",
    help: "Txs in finalized blocks, by result code and codespace",
    labelNames: ["code", "codespace"],
    registers: [this.registry],
  });
  readonly checkTxs = new Counter({
    name: "mira_checktx_total",
    help: "CheckTx answers (the mempool's door), by kind (new, recheck) and result (accepted, or the refusal's codespace/code)",
    labelNames: ["kind", "result"],
    registers: [this.registry],
  });
  readonly checkTxSeconds = new Histogram({ name: "mira_checktx_seconds", help: "CheckTx latency", buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly finalizeSeconds = new Histogram({
    name: "mira_finalize_block_seconds",
    help: "FinalizeBlock latency",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly commitSeconds = new Histogram({
    name: "mira_store_commit_seconds",
    help: "Commit latency (the store's write of a block)",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly querySeconds = new Histogram({
    name: "mira_query_seconds",
    help: "Query latency by transport (grpc, rest, abci) and method, and whether it failed",
    labelNames: ["transport", "method", "result"],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly contentsSubmitted = new Counter({ name: "mira_contents_submitted_total", help: "Contents submitted for verification", registers: [this.registry] });
  readonly claimsSubmitted = new Counter({ name: "mira_claims_submitted_total", help: "Claims submitted for verification", registers: [this.registry] });
  readonly claimsSettled = new Counter({
    name: "mira_claims_settled_total",
    help: "Claims settled, by status (certified, unresolved)",
    labelNames: ["status"],
    registers: [this.registry],
  });
  readonly verdicts = new Counter({
    name: "mira_verdicts_total",
    help: "Verdicts recorded on chain, by validator and verdict",
    labelNames: ["validator", "verdict"],
    registers: [this.registry],
  });
  readonly drifts = new Counter({
    name: "mira_verifier_drift_total",
    help: "verifier_drift events in finalized blocks, by validator and reason (the band it left)",
    labelNames: ["validator", "reason"],
    registers: [this.registry],
  });
  readonly punishments = new Counter({
    name: "mira_verifier_punished_total",
    help: "Validators slashed and jailed for verification faults",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly prunedVotes = new Counter({
    name: "mira_vote_extensions_pruned_total",
    help: "Signed precommits a proposer injected as absent (their extensions never reached a block), by validator",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly excusedMisses = new Counter({
    name: "mira_misses_excused_total",
    help: "Silent assignments excused because the validator's votes were pruned",
    labelNames: ["validator"],
    registers: [this.registry],
  });
  readonly slashes = new Counter({ name: "mira_slashes_total", help: "Slash events, by reason", labelNames: ["reason"], registers: [this.registry] });
  readonly voteExtensionBytes = new Histogram({
    name: "mira_vote_extension_bytes",
    help: "Size of this validator's vote extensions",
    buckets: BYTE_BUCKETS,
    registers: [this.registry],
  });
  readonly modelInUse = new Gauge({
    name: "mira_model_in_use",
    help: "1 for the model hash each validator's last vote extension named (by consensus address)",
    labelNames: ["validator", "model_hash"],
    registers: [this.registry],
  });
  readonly sidecarSeconds = new Histogram({
    name: "mira_sidecar_request_seconds",
    help: "Verify requests to this validator's sidecar",
    labelNames: ["result"],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly sidecarErrors = new Counter({
    name: "mira_sidecar_errors_total",
    help: "Failed Verify requests to the sidecar, by gRPC code",
    labelNames: ["code"],
    registers: [this.registry],
  });
  readonly sidecarAbstentions = new Counter({
    name: "mira_sidecar_abstentions_total",
    help: "Claims the sidecar answered without a verdict (it abstained)",
    registers: [this.registry],
  });
  private readonly lastModel = new Map<string, string>();

  constructor(opts: { dbFile?: string; state?: StateReader } = {}) {
    collectDefaultMetrics({ register: this.registry, prefix: "mira_process_" });
    const registry = this.registry;
    if (opts.dbFile !== undefined) {
      const file = opts.dbFile;
      new Gauge({
        name: "mira_store_bytes",
        help: "Size of the state database on disk (with its write-ahead log)",
        registers: [registry],
        collect() {
          let bytes = 0;
          for (const f of [file, `${file}-wal`]) {
            try {
              bytes += fs.statSync(f).size;
            } catch {
              // not there (yet)
            }
          }
          this.set(bytes);
        },
      });
    }
    if (opts.dbFile !== undefined) {
      // The disk the state lives on: the "disk filling" alert divides these.
      const dir = path.dirname(opts.dbFile);
      const disk = (pick: (s: fs.StatsFs) => number) =>
        function (this: Gauge) {
          try {
            const s = fs.statfsSync(dir);
            this.set(pick(s) * s.bsize);
          } catch {
            // the folder is gone
          }
        };
      new Gauge({
        name: "mira_disk_free_bytes",
        help: "Bytes free to unprivileged users on the state's disk",
        registers: [registry],
        collect: disk((s) => s.bavail),
      });
      new Gauge({ name: "mira_disk_total_bytes", help: "Size of the state's disk", registers: [registry], collect: disk((s) => s.blocks) });
    }
    if (opts.state !== undefined) this.verifierGauges(opts.state);
  }

  /**
   * Per-validator verification record, read from the committed state at each scrape. The first gauge
   * registered collects for all of them (prom-client reads metrics in registration order).
   */
  private verifierGauges(read: StateReader): void {
    const fields = [
      "assigned",
      "agreed",
      "disagreed",
      "missed",
      "abstained",
      "window_faults",
      "slashes",
      "drifting",
      "drift_events",
      "agreement_fast_bp",
      "confidence_fast_bp",
    ] as const;
    const help: Partial<Record<(typeof fields)[number], string>> = {
      drifting: "1 while the validator's verdicts are outside their drift band (VerifierStats.drifting; committed state)",
      drift_events: "verifier_drift events of each validator so far (VerifierStats.drift_events; committed state)",
      agreement_fast_bp: "fast moving average of agreement with certified verdicts, in bp (VerifierStats.agreement_fast_ppm / 100)",
      confidence_fast_bp: "fast moving average of verdict confidence, in bp (VerifierStats.confidence_fast_ppm / 100)",
    };
    const gauges = new Map<(typeof fields)[number], Gauge>();
    const collectAll = (): void => {
      let validators: string[];
      try {
        const request = QueryValidatorsRequest.fromPartial({ pagination: { limit: 1000n } });
        validators = QueryValidatorsResponse.decode(
          read("/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest.encode(request).finish()),
        ).validators.map((v) => v.operatorAddress);
      } catch {
        return; // no state yet
      }
      for (const validator of validators) {
        let stats;
        try {
          stats = QueryVerifierStatsResponse.decode(
            read("/mira.claims.v1.Query/VerifierStats", QueryVerifierStatsRequest.encode({ validator }).finish()),
          ).stats;
        } catch {
          continue; // a validator without a record yet
        }
        if (!stats) continue;
        const values: Record<(typeof fields)[number], bigint> = {
          assigned: stats.assigned,
          agreed: stats.agreed,
          disagreed: stats.disagreed,
          missed: stats.missed,
          abstained: stats.abstained,
          window_faults: stats.windowFaults,
          slashes: stats.slashes,
          drifting: stats.drifting ? 1n : 0n,
          drift_events: stats.driftEvents,
          agreement_fast_bp: BigInt(Math.floor(stats.agreementFastPpm / 100)),
          confidence_fast_bp: BigInt(Math.floor(stats.confidenceFastPpm / 100)),
        };
        for (const f of fields) gauges.get(f)?.set({ validator }, Number(values[f]));
        const judged = stats.agreed + stats.disagreed + stats.missed;
        agreement.set({ validator }, judged === 0n ? 1 : Number(stats.agreed) / Number(judged));
      }
    };
    for (const [i, f] of fields.entries()) {
      gauges.set(
        f,
        new Gauge({
          name: `mira_verifier_${f}`,
          help: help[f] ?? `VerifierStats.${f} of each validator (committed state)`,
          labelNames: ["validator"],
          registers: [this.registry],
          ...(i === 0 ? { collect: collectAll } : {}),
        }),
      );
    }
    const agreement = new Gauge({
      name: "mira_verifier_agreement_ratio",
      help: "agreed / (agreed + disagreed + missed) of each validator (committed state; 1 before any settled claim)",
      labelNames: ["validator"],
      registers: [this.registry],
    });
  }

  /** Counts a finalized block: its txs by result, and the claims events of the block and its txs. */
  observeBlock(height: bigint, txResults: readonly { code: number; codespace: string; events: readonly Event[] }[], blockEvents: readonly Event[]): void {
    this.blocks.inc();
    this.height.set(Number(height));
    for (const r of txResults) {
      this.txs.inc({ code: String(r.code), codespace: r.codespace || "" });
      if (r.code === 0) this.observeEvents(r.events);
    }
    this.observeEvents(blockEvents);
  }

  private observeEvents(events: readonly Event[]): void {
    for (const e of events) {
      const attr = (key: string): string => (e.attributes ?? []).find((a) => a.key === key)?.value ?? "";
      switch (e.type) {
        case "content_submitted":
          this.contentsSubmitted.inc();
          this.claimsSubmitted.inc(Number(attr("claims")) || 0);
          break;
        case "claim_certified":
          this.claimsSettled.inc({
            status: attr("status")
              .replace(/^CLAIM_STATUS_/, "")
              .toLowerCase(),
          });
          break;
        case "claim_verified":
          this.verdicts.inc({
            validator: attr("validator"),
            verdict: attr("verdict")
              .replace(/^VERDICT_/, "")
              .toLowerCase(),
          });
          break;
        case "verifier_punished":
          this.punishments.inc({ validator: attr("validator") });
          break;
        case "verifier_drift":
          this.drifts.inc({ validator: attr("validator"), reason: attr("reason") });
          break;
        case "vote_extension_pruned":
          this.prunedVotes.inc({ validator: attr("validator") });
          break;
        case "claim_miss_excused":
          this.excusedMisses.inc({ validator: attr("validator") });
          break;
        case "slash":
          this.slashes.inc({ reason: attr("reason") || "unknown" });
          break;
      }
    }
  }

  /** A vote extension a validator sent (consensus address in hex): the model hash it names. */
  observeExtension(validatorHex: string, extension: Uint8Array): void {
    if (extension.length === 0) return;
    let model: string;
    try {
      model = Buffer.from(VoteExtension.decode(extension).modelHash).toString("hex");
    } catch {
      return;
    }
    const before = this.lastModel.get(validatorHex);
    if (before === model) return;
    if (before !== undefined) this.modelInUse.remove({ validator: validatorHex, model_hash: before });
    this.lastModel.set(validatorHex, model);
    this.modelInUse.set({ validator: validatorHex, model_hash: model }, 1);
  }

  /** The query registry with each method's latency recorded under `transport`. */
  instrument(services: QueryServices, transport: "grpc" | "rest" | "abci"): QueryServices {
    const out = new Map<string, QueryMethod>();
    for (const [method, run] of services) {
      out.set(method, async (request, height) => {
        const end = this.querySeconds.startTimer({ transport, method });
        try {
          const answer = await run(request, height);
          end({ result: "ok" });
          return answer;
        } catch (err) {
          end({ result: "error" });
          throw err;
        }
      });
    }
    return out;
  }
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` (Prometheus text) on `address` ("host:port"). */
export async function startMetricsServer(metrics: ChainMetrics, address: string): Promise<MetricsServer> {
  const m = /^(.*):(\d+)$/.exec(address);
  if (!m) throw new Error(`metrics address ${JSON.stringify(address)} is not host:port`);
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("metrics are at /metrics\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500, { "content-type": "text/plain" }).end(`${(err as Error).message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(m[2]), m[1] || "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The app methods the metrics time, as MiraApp has them. */
interface MeteredApp {
  checkTx(req: { tx: Uint8Array; type: number }): { code?: number; codespace?: string };
  finalizeBlock(req: { height: bigint }): {
    txResults?: ({ code?: number; codespace?: string; events?: Event[] } | undefined)[];
    events?: Event[];
  };
  commit(): unknown;
  extendVote(req: { height: bigint }): { voteExtension: Uint8Array };
  verifyVoteExtension(req: { validatorAddress: Uint8Array; voteExtension: Uint8Array }): unknown;
}

/** Times the app's ABCI methods and counts what they return, on the instance itself (before the ABCI server takes it). */
export function instrumentApp(app: MeteredApp, metrics: ChainMetrics): void {
  const checkTx = app.checkTx.bind(app);
  app.checkTx = (req) => {
    const end = metrics.checkTxSeconds.startTimer();
    const res = checkTx(req);
    end();
    const result = (res.code ?? 0) === 0 ? "accepted" : `${res.codespace || "sdk"}/${res.code}`;
    metrics.checkTxs.inc({ kind: req.type === 1 ? "recheck" : "new", result });
    return res;
  };
  const finalizeBlock = app.finalizeBlock.bind(app);
  app.finalizeBlock = (req) => {
    const end = metrics.finalizeSeconds.startTimer();
    const res = finalizeBlock(req);
    end();
    const txs = (res.txResults ?? []).map((r) => ({ code: r?.code ?? 0, codespace: r?.codespace ?? "", events: r?.events ?? [] }));
    metrics.observeBlock(req.height, txs, res.events ?? []);
    return res;
  };
  const commit = app.commit.bind(app);
  app.commit = () => {
    const end = metrics.commitSeconds.startTimer();
    const res = commit();
    end();
    return res;
  };
  const extendVote = app.extendVote.bind(app);
  app.extendVote = (req) => {
    const res = extendVote(req);
    metrics.voteExtensionBytes.observe(res.voteExtension.length);
    return res;
  };
  const verifyVoteExtension = app.verifyVoteExtension.bind(app);
  app.verifyVoteExtension = (req) => {
    metrics.observeExtension(Buffer.from(req.validatorAddress).toString("hex").toUpperCase(), req.voteExtension);
    return verifyVoteExtension(req);
  };
}

/** The sidecar client call the metrics time (SidecarClient.verify). */
interface MeteredSidecar {
  verify(items: readonly unknown[], deadlineMs?: number): Promise<{ ok: true; value: readonly { verdict: number }[] } | { ok: false; codeName: string }>;
}

/**
 * Times each Verify request to the sidecar, counts its failures by gRPC code and the claims it left
 * without a verdict: explicit abstentions (VERDICT_ABSTAIN) and claims it did not answer at all.
 */
export function instrumentSidecar(client: MeteredSidecar, metrics: ChainMetrics): void {
  const verify = client.verify.bind(client);
  client.verify = async (items, deadlineMs) => {
    const end = metrics.sidecarSeconds.startTimer();
    const res = await verify(items, deadlineMs);
    end({ result: res.ok ? "ok" : "error" });
    if (!res.ok) metrics.sidecarErrors.inc({ code: res.codeName });
    else {
      const abstained = res.value.filter((r) => r.verdict === Verdict.VERDICT_ABSTAIN).length + Math.max(0, items.length - res.value.length);
      if (abstained > 0) metrics.sidecarAbstentions.inc(abstained);
    }
    return res;
  };
}
