// Runs a localnet for a test in its own folder with shifted ports, and stops it afterwards.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Test } from "tap";
import { REPO_ROOT } from "../../app/cli/cometbft";
import { restPort } from "../../localnet/localnet";
import { tempDir } from "./tmp";

export interface TestLocalnet {
  dir: string;
  rpc(i: number): string;
  /** Node i's REST API (the SDK's gateway routes). */
  rest(i: number): string;
  run(...args: string[]): string;
  accounts: { name: string; address: string; mnemonic: string }[];
}

export function startLocalnet(t: Test, portOffset: number, env: Record<string, string> = {}): TestLocalnet {
  const dir = tempDir(t, "mira-localnet-");
  const run = (...args: string[]): string => {
    const res = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", "localnet.js"), ...args], {
      env: { ...process.env, ...env, MIRA_LOCALNET_DIR: dir, MIRA_LOCALNET_PORT_OFFSET: String(portOffset) },
      encoding: "utf8",
      timeout: 180_000,
    });
    if (res.status !== 0) throw new Error(`localnet ${args.join(" ")} failed (${res.status}): ${res.stdout}\n${res.stderr}`);
    return res.stdout;
  };
  run("start");
  t.teardown(() => {
    run("stop");
  });
  const accounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8")) as TestLocalnet["accounts"];
  return { dir, run, accounts, rpc: (i) => `http://127.0.0.1:${portOffset + 26657 + 100 * i}`, rest: (i) => `http://127.0.0.1:${restPort(portOffset, i)}` };
}
