// Running real CometBFT nodes, owned by the CLI (mirad init and start): the pinned binary installed by
// scripts/setup.sh, home folders, config edits, and waiting on the RPC. Also used by the localnet and tests.
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const COMETBFT_VERSION = "0.38.26";
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The project-local CometBFT binary; throws with the fix when it is missing. */
export function cometbftBinary(): string {
  const bin = path.join(REPO_ROOT, ".tools", "bin", "cometbft");
  if (!fs.existsSync(bin)) throw new Error(`CometBFT is not installed at ${bin}: run "bash scripts/setup.sh"`);
  return bin;
}

export function initHome(home: string): void {
  execFileSync(cometbftBinary(), ["init", "--home", home], { stdio: "ignore" });
}

/**
 * Sets `key = value` in a section of config.toml ("" = the top level). Values are TOML literals
 * (strings with their quotes). Fails loudly if the key is not in that section.
 */
export function setConfig(home: string, edits: Record<string, Record<string, string>>): void {
  const file = path.join(home, "config", "config.toml");
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let section = "";
  const pending = new Map(Object.entries(edits).flatMap(([s, kv]) => Object.entries(kv).map(([k, v]) => [`${s}.${k}`, v])));
  for (let i = 0; i < lines.length; i++) {
    const header = /^\[([^\]]+)\]\s*$/.exec(lines[i]!);
    if (header) {
      section = header[1]!;
      continue;
    }
    const kv = /^([a-z0-9_]+)\s*=/.exec(lines[i]!);
    const id = kv ? `${section}.${kv[1]}` : undefined;
    if (id !== undefined && pending.has(id)) {
      lines[i] = `${kv![1]} = ${pending.get(id)}`;
      pending.delete(id);
    }
  }
  if (pending.size > 0) throw new Error(`config.toml has no ${[...pending.keys()].join(", ")}`);
  fs.writeFileSync(file, lines.join("\n"));
}

export function editGenesis(home: string, edit: (g: Record<string, unknown>) => void): void {
  const file = path.join(home, "config", "genesis.json");
  const genesis = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(genesis);
  fs.writeFileSync(file, JSON.stringify(genesis, null, 2));
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function startNode(home: string, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, "a");
  const child = spawn(cometbftBinary(), ["start", "--home", home], { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return child;
}

/** Calls a CometBFT JSON-RPC method over HTTP GET and returns its `result`. */
export async function rpc<T = unknown>(rpcUrl: string, method: string, params: Record<string, string> = {}): Promise<T> {
  const q = new URLSearchParams(params).toString();
  const url = `${rpcUrl}/${method}${q ? `?${q}` : ""}`;
  // A kept-alive connection that the node closed while this process was busy elsewhere fails once ("fetch
  // failed"); a second try opens a new one.
  const res = await fetch(url).catch(async () => {
    await new Promise((r) => setTimeout(r, 200));
    return fetch(url);
  });
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message} ${body.error.data ?? ""}`);
  return body.result as T;
}

export interface StatusResult {
  sync_info: { latest_block_height: string; latest_app_hash: string; catching_up: boolean };
}

/** Waits until the node has committed at least `height` blocks. */
export async function waitForHeight(rpcUrl: string, height: number, timeoutMs = 60_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < end) {
    try {
      const s = await rpc<StatusResult>(rpcUrl, "status");
      const h = Number(s.sync_info.latest_block_height);
      if (h >= height) return h;
      last = `height ${h}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CometBFT at ${rpcUrl} did not reach height ${height} in ${timeoutMs} ms (last: ${last})`);
}
