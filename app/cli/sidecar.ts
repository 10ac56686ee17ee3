import { DEFAULT_LISTEN, DEFAULT_MAX_BATCH, SIDECAR_MODES, startSidecar, type SidecarMode } from "../sidecar/service";
import { integerFlag, parseFlags, printHelp } from "./flags";
import type { CommandHandler } from "./command";
import { printLine, printNotice, usageError } from "./output";

const COMMAND = "sidecar";

const HELP = `mirad sidecar: serve a verification model over gRPC (mira.verifier.v1.Verifier) for a validator

  --model FILE                 the model's .onnx file (its card is the .json beside it)
  --listen ADDR                gRPC listen address (default ${DEFAULT_LISTEN})
  --providers LIST             onnxruntime execution providers in preference order, e.g. cuda,cpu (default cpu)
  --max-batch N                most claims per request and per model call (default ${DEFAULT_MAX_BATCH})
  --mode honest|invert|random  invert swaps SUPPORTED and REFUTED, random answers at random: test doubles
                               of a dishonest validator (default honest)
  -h, --help                   this help`;

const OPTIONS = {
  model: { type: "string" },
  listen: { type: "string", default: DEFAULT_LISTEN },
  providers: { type: "string", default: "cpu" },
  "max-batch": { type: "string", default: String(DEFAULT_MAX_BATCH) },
  mode: { type: "string", default: "honest" },
  help: { type: "boolean", short: "h" },
} as const;

/** `mirad sidecar`: runs until SIGINT/SIGTERM, then stops serving and releases the model. */
export const run: CommandHandler = async (argv) => {
  const { values, positionals } = parseFlags(argv, OPTIONS, COMMAND);
  if (values.help) return printHelp(HELP);
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, COMMAND);
  if (values.model === undefined || values.model === "") throw usageError("missing --model FILE", COMMAND);
  const maxBatch = integerFlag(values["max-batch"], "max-batch", COMMAND)!;
  if (maxBatch === 0) throw usageError("--max-batch must be at least 1", COMMAND);
  const providers = values
    .providers!.split(",")
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (providers.length === 0) throw usageError("--providers needs at least one execution provider", COMMAND);
  const mode = values.mode as SidecarMode;
  if (!SIDECAR_MODES.includes(mode)) throw usageError(`unknown --mode "${values.mode}": use ${SIDECAR_MODES.join(", ")}`, COMMAND);
  if (!/^.+:\d+$/.test(values.listen!)) throw usageError(`--listen must be host:port, got "${values.listen}"`, COMMAND);

  const sidecar = await startSidecar({ modelPath: values.model, listen: values.listen, executionProviders: providers, maxBatch, mode });
  printLine(
    `mirad sidecar: listening on ${sidecar.address}, model sha256 ${sidecar.modelSha256}, providers ${providers.join(",")}, max batch ${maxBatch}, mode ${mode}`,
  );
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
