import { DEFAULT_LLM_CONCURRENCY, DEFAULT_LLM_RETRIES, DEFAULT_LLM_TIMEOUT_MS, chatCompletionsUrl, type LlmJudgeOptions } from "../sidecar/llm-judge";
import { DEFAULT_LISTEN, DEFAULT_MAX_BATCH, SIDECAR_MODES, startSidecar, type SidecarMode } from "../sidecar/service";
import { integerFlag, parseFlags, printHelp } from "./flags";
import type { CommandHandler } from "./command";
import { printLine, printNotice, usageError } from "./output";

const COMMAND = "sidecar";

const HELP = `mirad sidecar: serve a verification model over gRPC (mira.verifier.v1.Verifier) for a validator

One backend, either an ONNX model:
  --model DIR                  a folder with a Hugging Face NLI cross-encoder exported to ONNX: model.onnx,
                               tokenizer.json and config.json (see docs/sidecar-models.md); nothing is fetched
  --model FILE                 or a reference model's .onnx file (its card is the .json beside it)
                               Given several times, the models answer as one ensemble: a verdict only when
                               more than half of them give one and all that do agree (else no verdict)
  --providers LIST             onnxruntime execution providers in preference order, e.g. cuda,cpu (default cpu);
                               for a folder, one that cannot start is dropped with a notice
or an LLM judge behind an OpenAI-compatible chat endpoint (vLLM, llama.cpp's server, Ollama):
  --llm-endpoint URL           the server's base URL; requests go to URL/v1/chat/completions, nowhere else
  --llm-model NAME             the model name the server knows (part of the model hash, with the prompt
                               and the decoding settings)
  --llm-timeout-ms N           limit per request (default ${DEFAULT_LLM_TIMEOUT_MS})
  --llm-retries N              further tries after a network error, timeout or 5xx (default ${DEFAULT_LLM_RETRIES})
  --llm-concurrency N          most requests in flight at once (default ${DEFAULT_LLM_CONCURRENCY})
                               An unusable answer is no verdict: the claim is left out of the response.
                               MIRA_LLM_API_KEY, when set, is sent as a bearer token.

  --listen ADDR                gRPC listen address (default ${DEFAULT_LISTEN})
  --max-batch N                most claims per request and per model call (default ${DEFAULT_MAX_BATCH})
  --calibration FILE           a calibration map fitted for this model on held-out data (npm run bench:verify --
                               --write-calibration DIR); confidences go through it before --abstain-below
  --abstain-below BP           answer VERDICT_ABSTAIN when the verdict's confidence is below BP basis points
                               (0..10000, default 0: never); an abstention earns nothing and is no fault
  --mode honest|invert|random  invert swaps SUPPORTED and REFUTED, random answers at random: test doubles
                               of a dishonest validator (default honest)
  -h, --help                   this help`;

const OPTIONS = {
  model: { type: "string", multiple: true },
  listen: { type: "string", default: DEFAULT_LISTEN },
  providers: { type: "string" },
  "llm-endpoint": { type: "string" },
  "llm-model": { type: "string" },
  "llm-timeout-ms": { type: "string" },
  "llm-retries": { type: "string" },
  "llm-concurrency": { type: "string" },
  "max-batch": { type: "string", default: String(DEFAULT_MAX_BATCH) },
  "abstain-below": { type: "string", default: "0" },
  calibration: { type: "string" },
  mode: { type: "string", default: "honest" },
  help: { type: "boolean", short: "h" },
} as const;

/** `mirad sidecar`: runs until SIGINT/SIGTERM, then stops serving and releases the model. */
export const run: CommandHandler = async (argv, ctx) => {
  const { values, positionals } = parseFlags(argv, OPTIONS, COMMAND);
  if (values.help) return printHelp(HELP);
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, COMMAND);
  const llmFlags = (["llm-model", "llm-timeout-ms", "llm-retries", "llm-concurrency"] as const).filter((f) => values[f] !== undefined);
  const llm = values["llm-endpoint"] !== undefined;
  if (values.model !== undefined && llm) throw usageError("--model and --llm-endpoint are two backends: give exactly one", COMMAND);
  if (values.model === undefined && !llm) {
    if (llmFlags.length > 0) throw usageError(`--${llmFlags[0]} needs --llm-endpoint URL`, COMMAND);
    throw usageError("missing a backend: --model FILE, or --llm-endpoint URL with --llm-model NAME", COMMAND);
  }
  if (values.model?.some((m) => m === "")) throw usageError("--model needs a DIR or FILE", COMMAND);
  if (values.model !== undefined && llmFlags.length > 0) throw usageError(`--${llmFlags[0]} is for --llm-endpoint, not --model`, COMMAND);
  if (llm && values.providers !== undefined) throw usageError("--providers is for --model, not --llm-endpoint", COMMAND);
  const maxBatch = integerFlag(values["max-batch"], "max-batch", COMMAND)!;
  if (maxBatch === 0) throw usageError("--max-batch must be at least 1", COMMAND);
  const abstainBelowBp = integerFlag(values["abstain-below"], "abstain-below", COMMAND)!;
  if (abstainBelowBp > 10000) throw usageError("--abstain-below is in basis points: at most 10000", COMMAND);
  const providers = (values.providers ?? "cpu")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (providers.length === 0) throw usageError("--providers needs at least one execution provider", COMMAND);
  let llmOptions: LlmJudgeOptions | undefined;
  if (llm) {
    const endpoint = values["llm-endpoint"]!;
    try {
      chatCompletionsUrl(endpoint);
    } catch (err) {
      throw usageError(`--llm-endpoint: ${(err as Error).message}`, COMMAND);
    }
    const model = values["llm-model"];
    if (model === undefined || model.trim() === "") throw usageError("--llm-endpoint needs --llm-model NAME", COMMAND);
    const timeoutMs = integerFlag(values["llm-timeout-ms"], "llm-timeout-ms", COMMAND);
    if (timeoutMs === 0) throw usageError("--llm-timeout-ms must be at least 1", COMMAND);
    const concurrency = integerFlag(values["llm-concurrency"], "llm-concurrency", COMMAND);
    if (concurrency === 0) throw usageError("--llm-concurrency must be at least 1", COMMAND);
    const retries = integerFlag(values["llm-retries"], "llm-retries", COMMAND);
    const apiKey = ctx.env.MIRA_LLM_API_KEY;
    llmOptions = { endpoint, model, timeoutMs, retries, concurrency, apiKey: apiKey === "" ? undefined : apiKey, log: printNotice };
  }
  if (values.calibration === "") throw usageError("--calibration needs a FILE", COMMAND);
  const calibrationPath = values.calibration;
  const mode = values.mode as SidecarMode;
  if (!SIDECAR_MODES.includes(mode)) throw usageError(`unknown --mode "${values.mode}": use ${SIDECAR_MODES.join(", ")}`, COMMAND);
  if (!/^.+:\d+$/.test(values.listen!)) throw usageError(`--listen must be host:port, got "${values.listen}"`, COMMAND);

  const sidecar = llmOptions
    ? await startSidecar({ llm: llmOptions, listen: values.listen, maxBatch, mode, abstainBelowBp, calibrationPath })
    : await startSidecar({
        modelPaths: values.model,
        listen: values.listen,
        executionProviders: providers,
        maxBatch,
        mode,
        abstainBelowBp,
        calibrationPath,
        log: (line) => printNotice(`mirad sidecar: ${line}`),
      });
  const backend = llmOptions ? `llm ${llmOptions.model} at ${chatCompletionsUrl(llmOptions.endpoint)}` : `providers ${sidecar.executionProviders.join(",")}`;
  printLine(`mirad sidecar: listening on ${sidecar.address}, model sha256 ${sidecar.modelSha256}, ${backend}, max batch ${maxBatch}, mode ${mode}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await sidecar.close();
  printNotice("mirad sidecar: stopped cleanly");
  return 0;
};
