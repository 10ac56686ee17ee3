// One validator's application process: the store, MiraApp, the ABCI server for CometBFT and the
// gRPC server for wallets and relayers; with a sidecar, the claims assigned to this validator.
import fs from "node:fs";
import path from "node:path";
import { AbciServer } from "../../abci";
import { MiraApp, STORE_NAMES } from "./app";
import { startGrpcServer } from "../grpc/server";
import { startRestServer } from "../grpc/rest";
import { repoRoot } from "../grpc/protos";
import { staticFiles } from "../grpc/static";
import { SidecarClient } from "./sidecar-client";
import { ChainMetrics, instrumentApp, instrumentSidecar, startMetricsServer } from "./metrics";
import { consensusAddress } from "../core/address";
import { MultiStore, PruningOptions } from "../store";

export interface NodeOptions {
  /** The node's home folder; state lives in <home>/data/mira.db. */
  home: string;
  /** Where CometBFT connects (its proxy_app), e.g. tcp://127.0.0.1:26658. */
  abciAddress: string;
  /** gRPC listen address, e.g. 127.0.0.1:9090; undefined = no gRPC server. */
  grpcAddress?: string;
  /** REST (the SDK's gRPC-gateway routes) listen address, e.g. 127.0.0.1:1317; undefined = no REST server. */
  restAddress?: string;
  /** Prometheus metrics listen address, e.g. 127.0.0.1:26661; undefined = no metrics. */
  metricsAddress?: string;
  /** CometBFT RPC of the same node, for the tx, tendermint and node query services (gRPC and abci_query). */
  cometRpcUrl: string;
  pruning?: PruningOptions;
  /** The verification sidecar (host:port) and the CometBFT key file that says which validator this node is. */
  sidecarAddress?: string;
  privValidatorKeyFile?: string;
  /** Limit of one Verify request to the sidecar (default DEFAULT_SIDECAR_TIMEOUT_MS). */
  sidecarTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningNode {
  app: MiraApp;
  close(): Promise<void>;
}

export async function runNode(opts: NodeOptions): Promise<RunningNode> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  fs.mkdirSync(path.join(opts.home, "data"), { recursive: true });
  const store = MultiStore.open(path.join(opts.home, "data", "mira.db"), { stores: STORE_NAMES, pruning: opts.pruning });
  const app = new MiraApp(store, { cometRpcUrl: opts.cometRpcUrl });
  const dbFile = path.join(opts.home, "data", "mira.db");
  const metrics =
    opts.metricsAddress === undefined
      ? undefined
      : new ChainMetrics({ dbFile, state: (method, request) => app.runQuery(method, request, BigInt(store.version)) });
  if (metrics) instrumentApp(app, metrics);
  let sidecar: SidecarClient | undefined;
  if (opts.sidecarAddress !== undefined) {
    if (opts.privValidatorKeyFile === undefined) throw new Error("--sidecar needs --priv-validator-key (which validator this node is)");
    const key = JSON.parse(fs.readFileSync(opts.privValidatorKeyFile, "utf8")) as { pub_key?: { value?: string } };
    const pub = Buffer.from(key.pub_key?.value ?? "", "base64");
    if (pub.length !== 32) throw new Error(`${opts.privValidatorKeyFile} has no ed25519 pub_key`);
    sidecar = new SidecarClient(opts.sidecarAddress);
    if (metrics) instrumentSidecar(sidecar, metrics);
    app.attachVerifier(sidecar, consensusAddress(pub), log, opts.sidecarTimeoutMs);
    log(`mirad: claims go to the sidecar at ${opts.sidecarAddress}`);
  }
  let metricsClose: (() => Promise<void>) | undefined;
  if (metrics && opts.metricsAddress !== undefined) {
    const server = await startMetricsServer(metrics, opts.metricsAddress);
    metricsClose = () => server.close();
    log(`mirad: Prometheus metrics on http://${opts.metricsAddress}/metrics`);
  }
  const abci = new AbciServer(app, { log: (l) => log(`abci: ${l}`) });
  await abci.listen(opts.abciAddress);
  log(`mirad: state at height ${store.version}, ABCI listening on ${opts.abciAddress}`);
  let grpcClose: (() => Promise<void>) | undefined;
  if (opts.grpcAddress !== undefined) {
    // The same registry that answers abci_query: every method answers on both.
    const grpc = await startGrpcServer(metrics ? metrics.instrument(app.services, "grpc") : app.services, opts.grpcAddress);
    grpcClose = () => grpc.close();
    log(`mirad: gRPC listening on ${opts.grpcAddress}`);
  }
  let restClose: (() => Promise<void>) | undefined;
  if (opts.restAddress !== undefined) {
    // The same registry again, behind the gateway's routes and JSON.
    // ... and the certificate page (dist/web) at /.
    const rest = await startRestServer(metrics ? metrics.instrument(app.services, "rest") : app.services, opts.restAddress, {
      fallback: staticFiles(path.join(repoRoot(), "dist", "web")),
    });
    restClose = () => rest.close();
    log(`mirad: REST listening on http://${opts.restAddress} (${rest.routes.length} routes)`);
  }
  return {
    app,
    close: async () => {
      await metricsClose?.();
      await restClose?.();
      await grpcClose?.();
      await abci.close();
      sidecar?.close();
      store.close();
    },
  };
}
