// The benchmark's 4-validator networks: the Mira localnet (localnet/localnet.ts in a temp folder on
// shifted ports) and the same CometBFT homes rewired to CometBFT's built-in kvstore app, so that both
// run with the very same config.toml (timeouts, mempool, peers) and genesis.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type { OverheadTxs } from "./load";
import { COMETBFT_VERSION, cometbftBinary, editGenesis, REPO_ROOT, setConfig, waitForHeight } from "../../app/cli/cometbft";

export const VALIDATORS = 4;

export interface Network {
  /** CometBFT RPC of node0. */
  rpcUrl: string;
  /** CometBFT RPC of every validator, node0 first. */
  rpcUrls: string[];
  /** The port offset the network runs on. */
  offset: number;
  /** The application processes (mirad; none for kvstore, which runs inside CometBFT). */
  appPids: number[];
  cometbftPids: number[];
  /** The verification sidecars (one per Mira validator; none for kvstore). */
  sidecarPids: number[];
  /** Txs in block `height` that no client sent (see load.ts). */
  overheadTxs: OverheadTxs;
  stop(): Promise<void>;
}

/**
 * The Mira localnet enables vote extensions at height 1 (localnet.ts), so from height 2 on every
 * block starts with the proposer's injected extended commit (MiraApp.processProposal refuses a
 * block without it): one tx per block that is not the load's.
 */
const MIRA_OVERHEAD: OverheadTxs = (height) => (height >= 2 ? 1 : 0);
const NO_OVERHEAD: OverheadTxs = () => 0;

/** Node i's CometBFT RPC for a localnet started with this port offset (localnet.ts: ports()). */
export function rpcUrlFor(offset: number, i = 0): string {
  return `http://127.0.0.1:${26657 + offset + 100 * i}`;
}

function allRpcUrls(offset: number): string[] {
  return Array.from({ length: VALIDATORS }, (_, i) => rpcUrlFor(offset, i));
}

/** Every port a localnet with this offset listens on (localnet.ts: ports(): p2p, RPC, ABCI, gRPC, sidecar). */
function localnetPorts(offset: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < VALIDATORS; i++)
    out.push(offset + 26656 + 100 * i, offset + 26657 + 100 * i, offset + 26658 + 100 * i, offset + 9090 + i, offset + 9190 + i);
  return out;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/**
 * The first offset whose ports are all free. Shifted ports may fall in the kernel's ephemeral range
 * (32768-60999), where any outgoing connection can hold one for a while: try a few.
 */
export async function freeOffset(candidates: readonly number[]): Promise<number> {
  for (const o of candidates) {
    const free = await Promise.all(localnetPorts(o).map(portFree));
    if (free.every((f) => f)) return o;
  }
  throw new Error(`no free localnet ports at offsets ${candidates.join(", ")}`);
}

function cometHome(dir: string, i: number): string {
  return path.join(dir, `node${i}`, "cometbft");
}

/**
 * Runs `node dist/localnet/localnet.js <cmd>` on folder `dir` with ports shifted by `offset`. Its
 * output goes to stderr (our stdout carries only the JSON figures).
 */
function localnet(cmd: "init" | "start" | "stop", dir: string, offset: number, env: NodeJS.ProcessEnv = {}): void {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", "localnet.js"), cmd], {
    env: { ...process.env, ...env, MIRA_LOCALNET_DIR: dir, MIRA_LOCALNET_PORT_OFFSET: String(offset) },
    encoding: "utf8",
    timeout: 180_000,
  });
  for (const line of `${res.stdout ?? ""}${res.stderr ?? ""}`.split("\n")) if (line.trim() !== "") process.stderr.write(`  ${line}\n`);
  if (res.status !== 0) throw new Error(`localnet ${cmd} in ${dir} failed (status ${res.status}${res.error ? `, ${res.error.message}` : ""})`);
}

/** Every pid in the localnet's pids.json, whatever its shape (a list, or per node). */
function localnetPids(dir: string, only?: "mirad" | "cometbft" | "sidecar"): number[] {
  const file = path.join(dir, "pids.json");
  if (!fs.existsSync(file)) return [];
  const out: number[] = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === "number" && (only === undefined || key === only)) out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(JSON.parse(fs.readFileSync(file, "utf8")) as unknown, "");
  return out;
}

/**
 * Processes whose command line names `dir`: the ones this benchmark started in its own temp folder.
 * A safety net for when a failed `localnet start` left processes it had not yet recorded.
 */
function pidsInFolder(dir: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.some((a) => a.startsWith(dir + path.sep))) out.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL for whatever still runs after 10 s. Only the given pids. */
export async function killAll(pids: readonly number[]): Promise<void> {
  for (const pid of pids.filter(alive)) process.kill(pid, "SIGTERM");
  const end = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(alive)) process.kill(pid, "SIGKILL");
}

/**
 * Starts the 4-validator Mira localnet (4 × CometBFT + mirad) in `dir`. `env` reaches mirad too
 * (e.g. NODE_OPTIONS=--cpu-prof). If the start fails, whatever it started is stopped.
 */
export async function startMiraLocalnet(dir: string, offset: number, env: NodeJS.ProcessEnv = {}): Promise<Network> {
  const stop = async (): Promise<void> => {
    try {
      localnet("stop", dir, offset);
    } finally {
      await killAll([...localnetPids(dir), ...pidsInFolder(dir)]);
    }
  };
  try {
    localnet("start", dir, offset, env);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    rpcUrl: rpcUrlFor(offset),
    rpcUrls: allRpcUrls(offset),
    offset,
    appPids: localnetPids(dir, "mirad"),
    cometbftPids: localnetPids(dir, "cometbft"),
    sidecarPids: localnetPids(dir, "sidecar"),
    overheadTxs: MIRA_OVERHEAD,
    stop,
  };
}

/**
 * CometBFT's `abci-cli` of the pinned version (its kvstore example served over the ABCI socket),
 * built into .tools/bin with `go install` on first use; undefined, with the reason, if it cannot be.
 */
export function abciCliBinary(): { bin?: string; why?: string } {
  const bin = path.join(REPO_ROOT, ".tools", "bin", "abci-cli");
  if (fs.existsSync(bin)) return { bin };
  const res = spawnSync("go", ["install", `github.com/cometbft/cometbft/abci/cmd/abci-cli@v${COMETBFT_VERSION}`], {
    env: { ...process.env, GOBIN: path.dirname(bin), GOFLAGS: `${process.env["GOFLAGS"] ?? ""} -buildvcs=false`.trim() },
    encoding: "utf8",
  });
  if (res.error !== undefined || res.status !== 0 || !fs.existsSync(bin)) {
    return { why: `go install of abci-cli v${COMETBFT_VERSION} failed: ${res.error?.message ?? res.stderr.trim().split("\n").slice(-2).join(" ")}` };
  }
  return { bin };
}

/**
 * A 4-validator network that runs CometBFT's kvstore example app with the Mira localnet's CometBFT
 * settings: the localnet script creates the homes (`init`), then either proxy_app becomes
 * "kvstore" (built into CometBFT: no socket) or, with `abciCli`, each node's kvstore runs as its own
 * process behind the ABCI socket on the port mirad would use, as an out-of-process app does.
 */
export async function startKvstoreNetwork(dir: string, offset: number, abciCli?: string): Promise<Network> {
  localnet("init", dir, offset);
  // kvstore returns no validators from InitChain: list the four nodes' keys in genesis (power 100 each, as the localnet's self-bonds give).
  const validators = Array.from({ length: VALIDATORS }, (_, i) => {
    const key = JSON.parse(fs.readFileSync(path.join(cometHome(dir, i), "config", "priv_validator_key.json"), "utf8")) as { address: string; pub_key: unknown };
    return { address: key.address, pub_key: key.pub_key, power: "100", name: `node${i}` };
  });
  const abciAddress = (i: number): string => `tcp://127.0.0.1:${offset + 26658 + 100 * i}`;
  for (let i = 0; i < VALIDATORS; i++) {
    setConfig(cometHome(dir, i), { "": { proxy_app: abciCli === undefined ? `"kvstore"` : `"${abciAddress(i)}"` } });
    editGenesis(cometHome(dir, i), (g) => {
      g["validators"] = validators;
    });
  }
  const pids: number[] = [];
  const appPids: number[] = [];
  const stop = (): Promise<void> => killAll([...pids, ...appPids]);
  try {
    if (abciCli !== undefined) {
      for (let i = 0; i < VALIDATORS; i++) {
        fs.mkdirSync(path.join(dir, `node${i}`, "logs"), { recursive: true });
        const log = fs.openSync(path.join(dir, `node${i}`, "logs", "abci-cli-kvstore.log"), "a");
        const child = spawn(abciCli, ["kvstore", "--address", abciAddress(i), "--log_level", "error"], { detached: true, stdio: ["ignore", log, log] });
        fs.closeSync(log);
        child.unref();
        if (child.pid === undefined) throw new Error(`could not start abci-cli kvstore for node${i}`);
        appPids.push(child.pid);
      }
      await new Promise((r) => setTimeout(r, 500)); // listening before CometBFT dials
    }
    for (let i = 0; i < VALIDATORS; i++) {
      fs.mkdirSync(path.join(dir, `node${i}`, "logs"), { recursive: true });
      const log = fs.openSync(path.join(dir, `node${i}`, "logs", "cometbft-kvstore.log"), "a");
      const child = spawn(cometbftBinary(), ["start", "--home", cometHome(dir, i)], { detached: true, stdio: ["ignore", log, log] });
      fs.closeSync(log);
      child.unref();
      if (child.pid === undefined) throw new Error(`could not start CometBFT for node${i} of the kvstore network`);
      pids.push(child.pid);
    }
    await waitForHeight(rpcUrlFor(offset), 2, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    rpcUrl: rpcUrlFor(offset),
    rpcUrls: allRpcUrls(offset),
    offset,
    appPids: [...appPids],
    cometbftPids: [...pids],
    sidecarPids: [],
    overheadTxs: NO_OVERHEAD,
    stop,
  };
}

let clockTicks: number | undefined;

/** CPU seconds (user + system) the processes have used so far, from /proc (Linux). */
export function cpuSeconds(pids: readonly number[]): number {
  clockTicks ??= Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from the 3rd (state) on
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (14th and 15th)
    } catch {
      // exited
    }
  }
  return ticks / clockTicks;
}
