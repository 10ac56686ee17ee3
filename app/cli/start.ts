import { parseArgs } from "node:util";
import { DEFAULT_SIDECAR_TIMEOUT_MS } from "../chain/app";
import { runNode } from "../chain/node";
import { usageError } from "./output";
import type { CommandHandler } from "./command";

const HELP = `mirad start: run the Mira application for a CometBFT node

  --home DIR     application home (state in DIR/data/mira.db; default $MIRA_HOME or ~/.mira)
  --abci ADDR    where CometBFT's proxy_app connects (default tcp://127.0.0.1:26658)
  --grpc ADDR    gRPC listen address (default 127.0.0.1:9090; "off" to disable)
  --rest ADDR    REST listen address, the Cosmos SDK's gateway routes (default 127.0.0.1:1317; "off" to disable)
  --metrics ADDR Prometheus metrics at http://ADDR/metrics (default off; the localnet's node i: 127.0.0.1:26661+100i)
  --rpc URL      this node's CometBFT RPC, for the tx, tendermint and node services (gRPC and abci_query; default http://127.0.0.1:26657)
  --pruning-keep-recent N   versions kept (default 362880, the SDK's: relayers and certificate
                            checks prove at past heights; "all" keeps every one)
  --pruning-keep-every N    also keep every N-th version (default 0)
  --sidecar ADDR            the verification sidecar (mirad sidecar) for the claims assigned to this validator
  --priv-validator-key FILE CometBFT's priv_validator_key.json: which validator this node is (with --sidecar)
  --sidecar-timeout-ms N    limit of one Verify request to the sidecar (default ${DEFAULT_SIDECAR_TIMEOUT_MS}; an LLM judge
                            needs more, e.g. 60000); claims whose request timed out are sent again
`;

/** `mirad start`: runs until SIGINT/SIGTERM, then closes the store cleanly. */
export const run: CommandHandler = async (argv, ctx) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      home: { type: "string" },
      abci: { type: "string", default: "tcp://127.0.0.1:26658" },
      grpc: { type: "string", default: "127.0.0.1:9090" },
      rest: { type: "string", default: "127.0.0.1:1317" },
      metrics: { type: "string", default: "off" },
      rpc: { type: "string", default: "http://127.0.0.1:26657" },
      "pruning-keep-recent": { type: "string", default: "362880" },
      "pruning-keep-every": { type: "string", default: "0" },
      sidecar: { type: "string" },
      "priv-validator-key": { type: "string" },
      "sidecar-timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const home = values.home ?? ctx.defaultHome;
  let sidecarTimeoutMs: number | undefined;
  if (values["sidecar-timeout-ms"] !== undefined) {
    sidecarTimeoutMs = Number(values["sidecar-timeout-ms"]);
    if (!Number.isSafeInteger(sidecarTimeoutMs) || sidecarTimeoutMs < 1)
      throw usageError("--sidecar-timeout-ms must be a positive integer (milliseconds)", "start");
    if (values["sidecar"] === undefined) throw usageError("--sidecar-timeout-ms is for --sidecar ADDR", "start");
  }
  const keepRecentText = values["pruning-keep-recent"]!;
  const keepRecent = keepRecentText === "all" ? "all" : Number(keepRecentText);
  const node = await runNode({
    home,
    abciAddress: values.abci!,
    grpcAddress: values.grpc === "off" ? undefined : values.grpc,
    restAddress: values.rest === "off" ? undefined : values.rest,
    metricsAddress: values.metrics === "off" ? undefined : values.metrics,
    cometRpcUrl: values.rpc!,
    pruning: { keepRecent, keepEvery: Number(values["pruning-keep-every"]) },
    sidecarAddress: values["sidecar"],
    privValidatorKeyFile: values["priv-validator-key"],
    sidecarTimeoutMs,
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await node.close();
  process.stderr.write("mirad: stopped cleanly\n");
  return 0;
};
