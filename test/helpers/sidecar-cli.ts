// `mirad sidecar` in a process of its own, as main.ts's loader runs it (`run(args, ctx)`): for the tests
// that check the command itself (its help, its start-up line, serving, a clean SIGTERM).
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import path from "node:path";

const SCRIPT = `require(${JSON.stringify(path.join(__dirname, "..", "..", "app", "cli", "sidecar.js"))}).run(process.argv.slice(1), { env: process.env, defaultHome: "" }).then((c) => { process.exitCode = c; }, (e) => { console.error("Error: " + e.message); process.exitCode = 1; })`;

/** Runs the command to its end (e.g. --help, or flags it refuses). */
export function runSidecarProcess(args: string[], timeoutMs = 20_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ["-e", SCRIPT, "--", ...args], { encoding: "utf8", timeout: timeoutMs });
}

export interface SidecarProcess {
  /** "host:port" from its start-up line. */
  address: string;
  /** The model hash from its start-up line. */
  sha256: string;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Starts the command and resolves once it prints that it listens (rejects if it exits first). */
export async function startSidecarProcess(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<SidecarProcess> {
  const child = spawn(process.execPath, ["-e", SCRIPT, "--", ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const [address, sha256] = await new Promise<[string, string]>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const m = /listening on (\S+), model sha256 ([0-9a-f]{64})/.exec(stdout);
      if (m) resolve([m[1]!, m[2]!]);
    });
    void exited.then(() => reject(new Error(`sidecar exited early: ${stderr}`)));
  });
  return {
    address,
    sha256,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
