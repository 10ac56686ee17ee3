// The LLM judge backend of the sidecar (app/sidecar/llm-judge.ts), against a tiny OpenAI-compatible chat
// completions server in this test: good verdicts become results with the judge's hash; malformed answers,
// verdicts outside the enum, timeouts and connection resets are no result at all; a 500 is retried; a request
// whose items all fail still answers promptly; the request body carries the model, temperature 0, the seed,
// the claim and the source; the hash covers the prompt and the model name; the CLI's --llm-* flags.
import crypto from "node:crypto";
import http from "node:http";
import * as grpc from "@grpc/grpc-js";
import t, { type Test } from "tap";
import { run as runSidecarCommand } from "../app/cli/sidecar";
import { SidecarClient } from "../app/chain/sidecar-client";
import {
  LLM_JUDGE_SCHEMA,
  LLM_JUDGE_SEED,
  LLM_JUDGE_SYSTEM_PROMPT,
  LlmJudge,
  canonicalJson,
  chatCompletionsUrl,
  llmJudgeDefinition,
  llmJudgeSha256,
  parseChatResponse,
} from "../app/sidecar/llm-judge";
import { startSidecar, type Sidecar } from "../app/sidecar/service";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { VerifierMethods, VerifyRequest, VerifyResponse, type VerifyItem, type VerifyResult } from "../proto/gen/mira/verifier/v1/verifier";
import { startSidecarProcess } from "./helpers/sidecar-cli";

const MODEL = "test-judge-7b";
const TIMEOUT_MS = 300;
const RETRIES = 1;
const CONCURRENCY = 3;
const SLOW_MS = 1_500;

interface Received {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
  claim: string;
  source: string;
}

const completion = (content: string): string =>
  JSON.stringify({
    id: "chatcmpl-test",
    object: "chat.completion",
    model: MODEL,
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  });

/** An OpenAI-compatible chat completions server whose answer depends on the claim's first word. */
async function fakeLlm(t: Test): Promise<{ url: string; received: Received[]; count(claim: string): number; maxActive(): number; resetMax(): void }> {
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let active = 0;
  let maxActive = 0;
  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      const messages = body.messages as { role: string; content: string }[];
      const user = JSON.parse(messages[1]!.content) as { claim: string; source: string };
      received.push({ path: req.url ?? "", authorization: req.headers.authorization, body, claim: user.claim, source: user.source });
      const seen = received.filter((r) => r.claim === user.claim).length;
      active++;
      maxActive = Math.max(maxActive, active);
      res.on("close", () => active--);
      const ok = (content: string, delay = 0): void => later(delay, () => res.writeHead(200, { "content-type": "application/json" }).end(completion(content)));
      const kind = user.claim.split(" ")[0];
      switch (kind) {
        case "supported":
          return ok('{"verdict":"SUPPORTED","confidence":0.87}');
        case "refuted": // plain JSON in content, with spaces and a newline
          return ok('\n{ "verdict": "REFUTED", "confidence": 0.5 }\n');
        case "fenced":
          return ok('```json\n{"verdict":"UNVERIFIABLE","confidence":1}\n```');
        case "busy": // a slow-ish good answer, to watch the concurrency bound
          return ok('{"verdict":"SUPPORTED","confidence":0.6}', 120);
        case "malformed":
          return later(0, () => res.writeHead(200, { "content-type": "application/json" }).end('{"choices": [{"message": '));
        case "prose":
          return ok("The claim is SUPPORTED by the source.");
        case "overconfident":
          return ok('{"verdict":"SUPPORTED","confidence":1.5}');
        case "extra":
          return ok('{"verdict":"SUPPORTED","confidence":0.9,"reason":"because"}');
        case "enum":
          return ok('{"verdict":"TRUE","confidence":0.9}');
        case "slow":
          return ok('{"verdict":"SUPPORTED","confidence":0.9}', SLOW_MS);
        case "flaky": // a 500 first, then a good answer
          if (seen === 1) return later(0, () => res.writeHead(500, { "content-type": "text/plain" }).end("overloaded"));
          return ok('{"verdict":"REFUTED","confidence":0.734}');
        case "reset":
          return req.socket.destroy();
        case "missing": // a 4xx is not retried
          return later(0, () => res.writeHead(404, { "content-type": "application/json" }).end('{"error":"model not found"}'));
        default:
          return later(0, () => res.writeHead(400).end("unknown test claim"));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(async () => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    count: (claim) => received.filter((r) => r.claim === claim).length,
    maxActive: () => maxActive,
    resetMax: () => {
      maxActive = 0;
    },
  };
}

const toBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A plain gRPC Verify call: the whole response, however many results it has (the node's client wants one per item). */
function rawVerify(address: string, items: VerifyItem[], deadlineMs: number): Promise<VerifyResult[]> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<VerifyResult[]>((resolve, reject) => {
    client.makeUnaryRequest(
      VerifierMethods.Verify,
      (m: VerifyRequest) => toBuffer(VerifyRequest.encode(m).finish()),
      (b: Buffer) => VerifyResponse.decode(b),
      { items },
      new grpc.Metadata(),
      { deadline: new Date(Date.now() + deadlineMs) },
      (err, value) => {
        client.close();
        if (err) reject(err);
        else resolve(value!.results);
      },
    );
  });
}

const item = (id: number, claim: string): VerifyItem => ({ claimId: BigInt(id), claim, source: `source passage number ${id}: the tower is 300 metres tall.` });
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

t.test("prompt and hash", async (t) => {
  const def = llmJudgeDefinition(MODEL);
  const hash = llmJudgeSha256(def);
  t.match(hash, /^[0-9a-f]{64}$/);
  t.equal(hash, crypto.createHash("sha256").update(canonicalJson(def)).digest("hex"), "sha256 of the definition's canonical JSON");
  t.equal(llmJudgeSha256(llmJudgeDefinition(MODEL)), hash, "the same definition, the same hash");
  t.not(llmJudgeSha256(llmJudgeDefinition("test-judge-8b")), hash, "another model name, another hash");
  t.not(llmJudgeSha256(llmJudgeDefinition(MODEL, LLM_JUDGE_SYSTEM_PROMPT + " ")), hash, "another prompt, another hash");
  t.not(llmJudgeSha256({ ...def, seed: def.seed + 1 }), hash, "another seed, another hash");
  t.not(llmJudgeSha256({ ...def, temperature: 0.7 }), hash, "another temperature, another hash");
  const loose = { ...def.responseFormat.json_schema.schema, additionalProperties: true };
  t.not(
    llmJudgeSha256({ ...def, responseFormat: { ...def.responseFormat, json_schema: { ...def.responseFormat.json_schema, schema: loose as never } } }),
    hash,
  );
  const a = new LlmJudge({ endpoint: "http://127.0.0.1:1", model: MODEL, timeoutMs: 10 });
  const b = new LlmJudge({ endpoint: "https://gpu.example:8443/v1/", model: MODEL, timeoutMs: 99_000, retries: 5, concurrency: 9, apiKey: "k" });
  t.equal(a.sha256, hash, "the judge's sha256");
  t.equal(b.sha256, hash, "endpoint, timeout, retries, concurrency and key are not in the hash");
  t.equal(new LlmJudge({ endpoint: "http://127.0.0.1:1", model: MODEL, systemPrompt: "Say SUPPORTED." }).sha256 === hash, false);
  t.equal(canonicalJson({ b: 1, a: [{ d: 2, c: "x" }] }), '{"a":[{"c":"x","d":2}],"b":1}');

  t.equal(chatCompletionsUrl("http://127.0.0.1:8000"), "http://127.0.0.1:8000/v1/chat/completions");
  t.equal(chatCompletionsUrl("http://host:8000/v1/"), "http://host:8000/v1/chat/completions");
  t.equal(chatCompletionsUrl("https://host/proxy/llm"), "https://host/proxy/llm/v1/chat/completions");
  t.throws(() => chatCompletionsUrl("ftp://host"), /http/);
  t.throws(() => chatCompletionsUrl("not a url"), /not a URL/);

  const msg = (content: unknown, extra: Record<string, unknown> = {}) => ({ choices: [{ message: { role: "assistant", content, ...extra } }] });
  t.same(parseChatResponse(msg('{"verdict":"REFUTED","confidence":0.12345}')), { verdict: "REFUTED", confidenceBp: 1235 });
  t.same(parseChatResponse(msg('{"confidence":0,"verdict":"UNVERIFIABLE"}')), { verdict: "UNVERIFIABLE", confidenceBp: 0 });
  for (const [name, body] of [
    ["no choices", { choices: [] }],
    ["not JSON", msg("SUPPORTED")],
    ["unknown verdict", msg('{"verdict":"supported","confidence":0.5}')],
    ["confidence as a string", msg('{"verdict":"SUPPORTED","confidence":"0.5"}')],
    ["negative confidence", msg('{"verdict":"SUPPORTED","confidence":-0.1}')],
    ["missing confidence", msg('{"verdict":"SUPPORTED"}')],
    ["an array", msg('[{"verdict":"SUPPORTED","confidence":0.5}]')],
    ["content null", msg(null)],
    ["a refusal", msg('{"verdict":"SUPPORTED","confidence":0.5}', { refusal: "I cannot help" })],
  ] as const)
    t.ok("error" in parseChatResponse(body), `${name}: no verdict`);
});

t.test("the sidecar with an LLM judge", async (t) => {
  const llm = await fakeLlm(t);
  const logs: string[] = [];
  const options = { endpoint: llm.url, model: MODEL, timeoutMs: TIMEOUT_MS, retries: RETRIES, concurrency: CONCURRENCY, retryBackoffMs: 20, apiKey: "sk-test" };
  const sidecar: Sidecar = await startSidecar({ llm: { ...options, log: (l) => logs.push(l) }, listen: "127.0.0.1:0", maxWaitMs: 1 });
  t.teardown(() => sidecar.close());
  const hash = llmJudgeSha256(llmJudgeDefinition(MODEL));
  t.equal(sidecar.modelSha256, hash, "the sidecar serves the judge's hash");

  t.test("Info names the judge", async (t) => {
    const client = new SidecarClient(sidecar.address);
    t.teardown(() => client.close());
    const info = await client.info(2_000);
    t.ok(info.ok);
    if (info.ok) t.same(info.value, { modelHashes: [hash], executionProviders: ["openai-chat"], maxBatch: 256 });
  });

  t.test("only good answers become results; the others are absent", async (t) => {
    const items = [
      item(1, "supported claim one"),
      item(2, "malformed claim two"),
      item(3, "refuted claim three"),
      item(4, "enum claim four"),
      item(5, "slow claim five"),
      item(6, "flaky claim six"),
      item(7, "reset claim seven"),
      item(8, "fenced claim eight"),
      item(9, "prose claim nine"),
      item(10, "overconfident claim ten"),
      item(11, "extra claim eleven"),
      item(12, "missing claim twelve"),
    ];
    const started = Date.now();
    const results = await rawVerify(sidecar.address, items, 10_000);
    const took = Date.now() - started;
    t.same(
      results.map((r) => ({ claimId: r.claimId, verdict: r.verdict, confidenceBp: r.confidenceBp, modelHash: hex(r.modelHash) })),
      [
        { claimId: 1n, verdict: Verdict.VERDICT_SUPPORTED, confidenceBp: 8700, modelHash: hash },
        { claimId: 3n, verdict: Verdict.VERDICT_REFUTED, confidenceBp: 5000, modelHash: hash },
        { claimId: 6n, verdict: Verdict.VERDICT_REFUTED, confidenceBp: 7340, modelHash: hash },
        { claimId: 8n, verdict: Verdict.VERDICT_UNVERIFIABLE, confidenceBp: 10000, modelHash: hash },
      ],
      "results for the good answers only, in item order, with verdict, basis points and the judge's hash",
    );
    t.ok(took < 3_000, `answered in ${took} ms (timeout ${TIMEOUT_MS} ms, ${RETRIES} retry)`);
    t.equal(llm.count("flaky claim six"), 2, "the 500 was retried once and the retry answered");
    t.equal(llm.count("slow claim five"), 1 + RETRIES, "a timeout is retried, within the bound");
    t.equal(llm.count("reset claim seven"), 1 + RETRIES, "a connection reset is retried, within the bound");
    t.equal(llm.count("malformed claim two"), 1, "a malformed answer is not retried");
    t.equal(llm.count("enum claim four"), 1, "an unknown verdict is not retried");
    t.equal(llm.count("missing claim twelve"), 1, "a 404 is not retried");
    t.equal(logs.length, 8, "each item without a verdict is logged once");
    t.match(logs.join("\n"), /slow claim five.*no answer within 300 ms/);
  });

  t.test("a request whose items all fail answers promptly with no results", async (t) => {
    const started = Date.now();
    const results = await rawVerify(sidecar.address, [item(21, "slow two"), item(22, "reset two"), item(23, "malformed two"), item(24, "enum two")], 10_000);
    const took = Date.now() - started;
    t.same(results, [], "an empty response, not an error");
    // Two timeouts (first try and the retry) and one backoff; nothing waits for the slow server's answer.
    t.ok(took >= 2 * TIMEOUT_MS && took < 2 * TIMEOUT_MS + 1_000, `answered in ${took} ms`);
  });

  t.test("the request the endpoint receives", async (t) => {
    const got = llm.received.find((r) => r.claim === "supported claim one")!;
    t.ok(got, "the server saw the claim");
    t.equal(got.path, "/v1/chat/completions");
    t.equal(got.authorization, "Bearer sk-test");
    t.equal(got.body.model, MODEL);
    t.equal(got.body.temperature, 0);
    t.equal(got.body.seed, LLM_JUDGE_SEED);
    t.equal(got.body.stream, false);
    t.same(got.body.response_format, { type: "json_schema", json_schema: { name: "verdict", strict: true, schema: LLM_JUDGE_SCHEMA } });
    const messages = got.body.messages as { role: string; content: string }[];
    t.same(
      messages.map((m) => m.role),
      ["system", "user"],
    );
    t.equal(messages[0]!.content, LLM_JUDGE_SYSTEM_PROMPT);
    t.ok(messages[1]!.content.includes("supported claim one"), "the user message has the claim");
    t.ok(messages[1]!.content.includes("source passage number 1: the tower is 300 metres tall."), "and the source");
    t.equal(got.source, "source passage number 1: the tower is 300 metres tall.");
  });

  t.test("at most --llm-concurrency requests in flight; a verdict already given costs no second request", async (t) => {
    llm.resetMax();
    const items = Array.from({ length: 9 }, (_, i) => item(100 + i, `busy claim ${i}`));
    const results = await rawVerify(sidecar.address, items, 10_000);
    t.equal(results.length, 9);
    t.ok(llm.maxActive() >= 2 && llm.maxActive() <= CONCURRENCY, `${llm.maxActive()} requests at once, at most ${CONCURRENCY}`);
    const before = llm.received.length;
    const again = await rawVerify(
      sidecar.address,
      [
        { ...items[3]!, claimId: 200n },
        { ...item(1, "supported claim one"), claimId: 201n },
      ],
      5_000,
    );
    t.same(
      again.map((r) => [r.claimId, r.verdict]),
      [
        [200n, Verdict.VERDICT_SUPPORTED],
        [201n, Verdict.VERDICT_SUPPORTED],
      ],
    );
    t.equal(llm.received.length, before, "answered from the verdicts already given");
  });

  t.test("the node's client gets every result of an all-good request", async (t) => {
    const client = new SidecarClient(sidecar.address);
    t.teardown(() => client.close());
    const res = await client.verify([item(31, "supported three one"), item(32, "refuted three two")], 5_000);
    t.ok(res.ok);
    if (res.ok)
      t.same(
        res.value.map((r) => [r.claimId, r.verdict, hex(r.modelHash)]),
        [
          [31n, Verdict.VERDICT_SUPPORTED, hash],
          [32n, Verdict.VERDICT_REFUTED, hash],
        ],
      );
  });

  t.test("invert mode flips the LLM's verdicts and still leaves out the ones it did not give", async (t) => {
    const inverted = await startSidecar({ llm: options, listen: "127.0.0.1:0", mode: "invert" });
    t.teardown(() => inverted.close());
    const results = await rawVerify(inverted.address, [item(41, "supported four one"), item(42, "enum four two"), item(43, "fenced four three")], 5_000);
    t.same(
      results.map((r) => [r.claimId, r.verdict]),
      [
        [41n, Verdict.VERDICT_REFUTED],
        [43n, Verdict.VERDICT_UNVERIFIABLE],
      ],
    );
  });

  t.test("one backend only", async (t) => {
    await t.rejects(startSidecar({ llm: options, modelPath: "/nonexistent.onnx", listen: "127.0.0.1:0" }), /one backend/);
  });

  t.test("mirad sidecar --llm-endpoint: usage errors and a process that serves the judge", async (t) => {
    const ctx = { env: {}, defaultHome: "" };
    const cases: [string[], RegExp][] = [
      [[], /missing a backend: --model FILE, or --llm-endpoint URL with --llm-model NAME \(see 'mirad sidecar --help'\)/],
      [["--model", "m.onnx", "--llm-endpoint", llm.url, "--llm-model", MODEL], /--model and --llm-endpoint are two backends: give exactly one/],
      [["--llm-endpoint", llm.url], /--llm-endpoint needs --llm-model NAME/],
      [["--llm-model", MODEL], /--llm-model needs --llm-endpoint URL/],
      [["--model", "m.onnx", "--llm-retries", "2"], /--llm-retries is for --llm-endpoint, not --model/],
      [["--llm-endpoint", "ftp://x", "--llm-model", MODEL], /--llm-endpoint: .*must be http/],
      [["--llm-endpoint", llm.url, "--llm-model", MODEL, "--providers", "cuda"], /--providers is for --model/],
      [["--llm-endpoint", llm.url, "--llm-model", MODEL, "--llm-timeout-ms", "0"], /--llm-timeout-ms must be at least 1/],
      [["--llm-endpoint", llm.url, "--llm-model", MODEL, "--llm-concurrency", "x"], /--llm-concurrency must be a non-negative integer/],
    ];
    for (const [args, message] of cases) await t.rejects(runSidecarCommand(args, ctx), message, args.join(" ") || "no flags");

    const args = [
      "--llm-endpoint",
      llm.url,
      "--llm-model",
      MODEL,
      "--llm-timeout-ms",
      "2000",
      "--llm-retries",
      "0",
      "--llm-concurrency",
      "2",
      "--listen",
      "127.0.0.1:0",
    ];
    const proc = await startSidecarProcess(args, { ...process.env, MIRA_LLM_API_KEY: "" });
    const address = proc.address;
    t.match(proc.stdout(), `model sha256 ${hash}, llm ${MODEL} at ${llm.url}/v1/chat/completions`);
    const results = await rawVerify(address, [item(51, "supported five one"), item(52, "enum five two")], 5_000);
    t.same(
      results.map((r) => [r.claimId, r.verdict, hex(r.modelHash)]),
      [[51n, Verdict.VERDICT_SUPPORTED, hash]],
    );
    const seen = llm.received.find((r) => r.claim === "supported five one");
    t.equal(seen?.authorization, undefined, "no key, no Authorization header");
    t.equal(await proc.stop(), 0, "SIGTERM stops it with exit 0");
    t.match(proc.stderr(), /no verdict for claim "enum five two": unknown verdict/);
    t.match(proc.stderr(), /stopped cleanly/);
  });
});
