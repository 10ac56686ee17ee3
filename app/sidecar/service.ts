// The verification sidecar as its own process: serves mira.verifier.v1.Verifier over gRPC and runs one
// model: a Hugging Face NLI cross-encoder exported to ONNX (a model folder, app/sidecar/nli.ts), a reference
// ONNX model (an .onnx file, app/sidecar/model.ts) or an LLM judge behind an OpenAI-compatible chat endpoint
// (app/sidecar/llm-judge.ts). Verify calls from concurrent callers are gathered into one model call (up to
// maxBatch items, or whatever arrived within maxWaitMs) and each caller gets back its own results. An item the
// model gives no verdict for (the LLM judge's unparsable or failed answers) is left out of the response: the
// node treats a claim without a result as not ready yet.
import fs from "node:fs";
import * as grpc from "@grpc/grpc-js";
import { Verdict } from "../../proto/gen/mira/claims/v1/claims";
import { InfoRequest, InfoResponse, VerifierMethods, VerifyItem, VerifyRequest, VerifyResponse, VerifyResult } from "../../proto/gen/mira/verifier/v1/verifier";
import { Rng, type Verdict as ModelVerdict } from "./dataset";
import { LlmJudge, type LlmJudgeOptions } from "./llm-judge";
import { VerificationModel, type Verification } from "./model";
import { NliModel } from "./nli";
import { EnsembleModel } from "./ensemble";
import { CalibratedModel } from "./calibration";

/** honest: the model's answers; invert: SUPPORTED and REFUTED swapped; random: seeded-random answers. */
export type SidecarMode = "honest" | "invert" | "random";
export const SIDECAR_MODES: readonly SidecarMode[] = ["honest", "invert", "random"];

export const DEFAULT_LISTEN = "127.0.0.1:9190";
export const DEFAULT_MAX_BATCH = 256;
export const DEFAULT_MAX_WAIT_MS = 5;
/** Longest claim or source text (in UTF-16 code units) one item may carry. */
export const DEFAULT_MAX_ITEM_CHARS = 16 * 1024;

/** What the batcher needs of a model: NliModel, VerificationModel, LlmJudge, or a stand-in in tests. */
export interface SidecarModel {
  readonly sha256: string;
  /** The execution providers the model actually runs on, when it knows them (Info reports these). */
  readonly executionProviders?: readonly string[];
  /** One entry per pair, in order; undefined is no verdict for that pair (never a guess). */
  verify(pairs: readonly { claim: string; source: string }[]): Promise<(Verification | undefined)[]>;
  release?(): Promise<void>;
}

export interface SidecarOptions {
  /**
   * A model folder holding a Hugging Face NLI export (model.onnx, tokenizer.json, config.json), or a reference
   * model's .onnx file (its card is the .json beside it). Ignored when `model` is given.
   */
  modelPath?: string;
  /** Several models (folders or .onnx files) answering as one ensemble (ensemble.ts), instead of modelPath. */
  modelPaths?: readonly string[];
  /** An LLM judge behind an OpenAI-compatible endpoint, instead of modelPath. Ignored when `model` is given. */
  llm?: LlmJudgeOptions;
  /** An already loaded model; the sidecar does not release it on close. */
  model?: SidecarModel;
  /** "host:port"; port 0 picks a free one. Default 127.0.0.1:9190. */
  listen?: string;
  /**
   * onnxruntime execution providers in preference order. Default ["cpu"] (["openai-chat"] for llm). For a
   * model folder, a provider that cannot start is dropped (with a notice to `log`) and the rest are used.
   */
  executionProviders?: readonly string[];
  /** Notices while loading the model. */
  log?: (line: string) => void;
  /** Most items in one model call, and in one request. Default 256. */
  maxBatch?: number;
  /** How long the first waiting item waits for company before the model runs. Default 5 ms. */
  maxWaitMs?: number;
  /**
   * A calibration file fitted for this model (calibration.ts): confidences go through it before abstainBelowBp,
   * and the model hash covers it.
   */
  calibrationPath?: string;
  /** A verdict whose confidence is below this (basis points) is answered as VERDICT_ABSTAIN. Default 0 (never). */
  abstainBelowBp?: number;
  /** Longest claim or source, in characters. Default 16 KiB. */
  maxItemChars?: number;
  mode?: SidecarMode;
  /** Seed of random mode. Default 1. */
  seed?: number;
  /** Called with the number of items of every model call (for tests and metrics). */
  onModelCall?: (items: number) => void;
}

export interface Sidecar {
  /** "host:port" actually bound. */
  address: string;
  port: number;
  /** The model's sha256, hex. */
  modelSha256: string;
  executionProviders: readonly string[];
  maxBatch: number;
  mode: SidecarMode;
  close(): Promise<void>;
}

/** A request rejected for what it asks, answered as gRPC INVALID_ARGUMENT. */
class InvalidArgument extends Error {}

const VERDICTS: Record<ModelVerdict, Verdict> = {
  SUPPORTED: Verdict.VERDICT_SUPPORTED,
  REFUTED: Verdict.VERDICT_REFUTED,
  UNVERIFIABLE: Verdict.VERDICT_UNVERIFIABLE,
};
const RANDOM_VERDICTS = [Verdict.VERDICT_SUPPORTED, Verdict.VERDICT_REFUTED, Verdict.VERDICT_UNVERIFIABLE] as const;

interface Pending {
  items: VerifyItem[];
  resolve(results: VerifyResult[]): void;
  reject(err: Error): void;
}

/** Gathers items from concurrent callers into model calls of at most maxBatch items, one call at a time. */
class Batcher {
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private closed = false;
  private readonly rng: Rng;
  private readonly hash: Uint8Array;

  constructor(
    private readonly model: SidecarModel,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    private readonly mode: SidecarMode,
    seed: number,
    private readonly onModelCall?: (items: number) => void,
    private readonly abstainBelowBp = 0,
  ) {
    this.rng = new Rng(seed);
    this.hash = Uint8Array.from(Buffer.from(model.sha256, "hex"));
  }

  submit(items: VerifyItem[]): Promise<VerifyResult[]> {
    if (this.closed) return Promise.reject(new Error("sidecar is shutting down"));
    return new Promise<VerifyResult[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queued += items.length;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.queued >= this.maxBatch) {
      this.clearTimer();
      void this.runBatch();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.runBatch();
      }, this.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Takes whole requests, oldest first, while they fit in maxBatch (a request never exceeds it). */
  private take(): Pending[] {
    const batch: Pending[] = [];
    let n = 0;
    while (this.queue.length > 0 && n + this.queue[0]!.items.length <= this.maxBatch) {
      const next = this.queue.shift()!;
      n += next.items.length;
      batch.push(next);
    }
    this.queued -= n;
    return batch;
  }

  private async runBatch(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const batch = this.take();
    try {
      const items = batch.flatMap((p) => p.items);
      const verdicts = await this.judge(items);
      let at = 0;
      for (const p of batch) {
        const base = at;
        p.resolve(
          p.items.flatMap((item, i) => {
            const judged = verdicts[base + i];
            return judged === undefined ? [] : [this.result(item, judged)]; // no verdict: left out
          }),
        );
        at += p.items.length;
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const p of batch) p.reject(error);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async judge(items: VerifyItem[]): Promise<({ verdict: Verdict; confidenceBp: number } | undefined)[]> {
    if (items.length === 0) return [];
    this.onModelCall?.(items.length);
    if (this.mode === "random") {
      // No model call is needed, but the batching and the counting stay as in the other modes.
      return items.map(() => ({ verdict: RANDOM_VERDICTS[this.rng.int(RANDOM_VERDICTS.length)]!, confidenceBp: this.rng.between(3334, 10001) }));
    }
    const out = await this.model.verify(items.map(({ claim, source }) => ({ claim, source })));
    const abstainBelowBp = this.abstainBelowBp;
    if (out.length !== items.length) throw new Error(`model returned ${out.length} verdicts for ${items.length} items`);
    return out.map((judged) => {
      if (judged === undefined) return undefined;
      const { verdict, confidenceBp } = judged;
      // Not sure enough: an explicit abstention, which the chain tells apart from a miss.
      if (judged.abstain === true || confidenceBp < abstainBelowBp) return { verdict: Verdict.VERDICT_ABSTAIN, confidenceBp };
      let v = VERDICTS[verdict];
      if (this.mode === "invert") {
        if (v === Verdict.VERDICT_SUPPORTED) v = Verdict.VERDICT_REFUTED;
        else if (v === Verdict.VERDICT_REFUTED) v = Verdict.VERDICT_SUPPORTED;
      }
      return { verdict: v, confidenceBp };
    });
  }

  private result(item: VerifyItem, judged: { verdict: Verdict; confidenceBp: number }): VerifyResult {
    return { claimId: item.claimId, verdict: judged.verdict, confidenceBp: judged.confidenceBp, modelHash: this.hash };
  }

  /** Fails whatever is still queued; a model call in flight finishes. */
  close(): void {
    this.closed = true;
    this.clearTimer();
    const queue = this.queue;
    this.queue = [];
    this.queued = 0;
    for (const p of queue) p.reject(new Error("sidecar is shutting down"));
  }
}

function checkRequest(request: VerifyRequest, maxBatch: number, maxItemChars: number): void {
  if (request.items.length === 0) throw new InvalidArgument("verify request has no items");
  if (request.items.length > maxBatch)
    throw new InvalidArgument(`verify request has ${request.items.length} items; the most this sidecar takes is ${maxBatch}`);
  request.items.forEach((item, i) => {
    for (const key of ["claim", "source"] as const) {
      if (item[key].length > maxItemChars) {
        throw new InvalidArgument(`item ${i} (claim id ${item.claimId}): ${key} is ${item[key].length} characters; the most is ${maxItemChars}`);
      }
    }
    if (item.claim.trim() === "") throw new InvalidArgument(`item ${i} (claim id ${item.claimId}): claim is empty`);
  });
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function statusOf(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof InvalidArgument) return { code: grpc.status.INVALID_ARGUMENT, details: err.message };
  const message = err instanceof Error ? err.message : String(err);
  if (message === "sidecar is shutting down") return { code: grpc.status.UNAVAILABLE, details: message };
  return { code: grpc.status.INTERNAL, details: `verification failed: ${message}` };
}

/** A path ending in .onnx is a reference model; anything else is a model folder (a Hugging Face NLI export). */
async function loadModelFile(modelPath: string, providers: readonly string[], log: ((line: string) => void) | undefined): Promise<SidecarModel> {
  return fs.statSync(modelPath, { throwIfNoEntry: false })?.isDirectory() || !modelPath.endsWith(".onnx")
    ? await NliModel.load(modelPath, { executionProviders: providers, log })
    : await VerificationModel.load(modelPath, { executionProviders: providers });
}

/** Loads the model (unless given one), starts the gRPC service and resolves once it listens. */
export async function startSidecar(options: SidecarOptions): Promise<Sidecar> {
  const listen = options.listen ?? DEFAULT_LISTEN;
  const requestedProviders = [...(options.executionProviders ?? (options.llm && !options.model ? ["openai-chat"] : ["cpu"]))];
  const maxBatch = positiveInt(options.maxBatch ?? DEFAULT_MAX_BATCH, "maxBatch");
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new Error(`maxWaitMs must be a non-negative number, got ${maxWaitMs}`);
  const maxItemChars = positiveInt(options.maxItemChars ?? DEFAULT_MAX_ITEM_CHARS, "maxItemChars");
  const mode = options.mode ?? "honest";
  if (!SIDECAR_MODES.includes(mode)) throw new Error(`unknown mode "${String(mode)}": use ${SIDECAR_MODES.join(", ")}`);

  let model: SidecarModel;
  let ownsModel = false;
  if (options.model) model = options.model;
  else if (options.llm) {
    if (options.modelPath) throw new Error("startSidecar takes one backend: modelPath or llm, not both");
    model = new LlmJudge(options.llm);
    ownsModel = true;
  } else if (options.modelPaths !== undefined && options.modelPaths.length > 0) {
    if (options.modelPath) throw new Error("startSidecar takes modelPath or modelPaths, not both");
    const members: SidecarModel[] = [];
    try {
      for (const p of options.modelPaths) members.push(await loadModelFile(p, requestedProviders, options.log));
    } catch (err) {
      for (const m of members) await m.release?.();
      throw err;
    }
    model = members.length === 1 ? members[0]! : new EnsembleModel(members);
    ownsModel = true;
  } else if (options.modelPath) {
    model = await loadModelFile(options.modelPath, requestedProviders, options.log);
    ownsModel = true;
  } else throw new Error("startSidecar needs modelPath, llm or model");
  if (options.calibrationPath !== undefined) {
    try {
      model = CalibratedModel.fromFile(model, options.calibrationPath);
    } catch (err) {
      if (ownsModel) await model.release?.();
      throw err;
    }
  }
  const executionProviders = [...(model.executionProviders ?? requestedProviders)];

  const abstainBelowBp = options.abstainBelowBp ?? 0;
  if (!Number.isSafeInteger(abstainBelowBp) || abstainBelowBp < 0 || abstainBelowBp > 10000)
    throw new Error(`abstainBelowBp must be an integer in 0..10000, got ${abstainBelowBp}`);
  const batcher = new Batcher(model, maxBatch, maxWaitMs, mode, options.seed ?? 1, options.onModelCall, abstainBelowBp);
  const modelHash = Uint8Array.from(Buffer.from(model.sha256, "hex"));

  const definition: grpc.ServiceDefinition = {
    Verify: {
      path: VerifierMethods.Verify,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m: VerifyRequest) => toBuffer(VerifyRequest.encode(m).finish()),
      requestDeserialize: (b: Buffer) => VerifyRequest.decode(b),
      responseSerialize: (m: VerifyResponse) => toBuffer(VerifyResponse.encode(m).finish()),
      responseDeserialize: (b: Buffer) => VerifyResponse.decode(b),
    },
    Info: {
      path: VerifierMethods.Info,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m: InfoRequest) => toBuffer(InfoRequest.encode(m).finish()),
      requestDeserialize: (b: Buffer) => InfoRequest.decode(b),
      responseSerialize: (m: InfoResponse) => toBuffer(InfoResponse.encode(m).finish()),
      responseDeserialize: (b: Buffer) => InfoResponse.decode(b),
    },
  };
  const verify: grpc.handleUnaryCall<VerifyRequest, VerifyResponse> = (call, callback) => {
    try {
      checkRequest(call.request, maxBatch, maxItemChars);
    } catch (err) {
      callback(statusOf(err));
      return;
    }
    batcher.submit(call.request.items).then(
      (results) => callback(null, { results }),
      (err: unknown) => callback(statusOf(err)),
    );
  };
  const info: grpc.handleUnaryCall<InfoRequest, InfoResponse> = (_call, callback) => {
    callback(null, { modelHashes: [modelHash], executionProviders, maxBatch });
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 64 * 1024 * 1024 });
  server.addService(definition, { Verify: verify, Info: info });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
    });
  } catch (err) {
    server.forceShutdown();
    if (ownsModel) await model.release?.();
    throw new Error(`sidecar cannot listen on ${listen}: ${(err as Error).message}`, { cause: err });
  }
  const host = listen.slice(0, listen.lastIndexOf(":")) || "127.0.0.1";

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      batcher.close();
      await new Promise<void>((resolve) => {
        // Let calls in flight finish, but never wait on a stuck client for long.
        const force = setTimeout(() => server.forceShutdown(), 2_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      if (ownsModel) await model.release?.();
    })();
    return closing;
  };
  return { address: `${host}:${port}`, port, modelSha256: model.sha256, executionProviders, maxBatch, mode, close };
}
