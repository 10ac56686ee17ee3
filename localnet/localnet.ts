// `npm run localnet` (start), `localnet:stop`, `localnet:reset`: four validators on 127.0.0.1, each a
// CometBFT node plus a mirad process, all in localnet/.data.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { cometbftBinary, editGenesis, initHome, REPO_ROOT, rpc, setConfig, StatusResult, waitForHeight } from "./cometbft";

export const CHAIN_ID = "mira-localnet-1";
export const DENOM = "umira";
const VALIDATORS = 4;
const DEV_ACCOUNTS = 5;
// Tests run a second localnet beside a developer's one: another folder and shifted ports.
const DATA = process.env["MIRA_LOCALNET_DIR"] ?? path.join(REPO_ROOT, "localnet", ".data");
const PORT_OFFSET = Number(process.env["MIRA_LOCALNET_PORT_OFFSET"] ?? "0");

/** Ports of validator i: node0 gets the well-known ones (RPC 26657, gRPC 9090). */
export function ports(i: number): { p2p: number; rpc: number; abci: number; grpc: number } {
  const o = PORT_OFFSET;
  return { p2p: o + 26656 + 100 * i, rpc: o + 26657 + 100 * i, abci: o + 26658 + 100 * i, grpc: o + 9090 + i };
}

function nodeDir(i: number): string {
  return path.join(DATA, `node${i}`);
}

function say(line: string): void {
  process.stdout.write(`[localnet] ${line}\n`);
}

interface DevAccount {
  name: string;
  address: string;
  mnemonic: string;
}

async function devAccounts(): Promise<DevAccount[]> {
  const out: DevAccount[] = [];
  for (let i = 0; i < DEV_ACCOUNTS; i++) {
    const w = await DirectSecp256k1HdWallet.generate(24, { prefix: "mira" });
    const [a] = await w.getAccounts();
    out.push({ name: `dev${i}`, address: a!.address, mnemonic: w.mnemonic });
  }
  return out;
}

/** Creates the four homes, one shared genesis and the peer list. */
async function create(): Promise<void> {
  say(`creating ${VALIDATORS} validators in ${DATA}`);
  fs.mkdirSync(DATA, { recursive: true });
  const validators: { address: string; pub_key: unknown; power: string; name: string }[] = [];
  const peers: string[] = [];
  for (let i = 0; i < VALIDATORS; i++) {
    const home = path.join(nodeDir(i), "cometbft");
    initHome(home);
    const key = JSON.parse(fs.readFileSync(path.join(home, "config", "priv_validator_key.json"), "utf8")) as { address: string; pub_key: unknown };
    validators.push({ address: key.address, pub_key: key.pub_key, power: "10", name: `node${i}` });
    const id = execFileSync(cometbftBinary(), ["show-node-id", "--home", home]).toString().trim();
    peers.push(`${id}@127.0.0.1:${ports(i).p2p}`);
    fs.mkdirSync(path.join(nodeDir(i), "logs"), { recursive: true });
  }
  const accounts = await devAccounts();
  fs.writeFileSync(path.join(DATA, "accounts.json"), JSON.stringify(accounts, null, 2) + "\n", { mode: 0o600 });
  const appState = {
    auth: { min_gas_price: `0.025${DENOM}`, accounts: [] },
    bank: {
      balances: accounts.map((a) => ({ address: a.address, coins: [{ denom: DENOM, amount: "1000000000000" }] })),
      denom_metadata: [
        {
          description: "The Mira chain's staking and fee token",
          denom_units: [
            { denom: DENOM, exponent: 0, aliases: ["micromira"] },
            { denom: "mira", exponent: 6, aliases: [] },
          ],
          base: DENOM,
          display: "mira",
          name: "Mira",
          symbol: "MIRA",
        },
      ],
    },
  };
  const genesisTime = new Date().toISOString();
  for (let i = 0; i < VALIDATORS; i++) {
    const home = path.join(nodeDir(i), "cometbft");
    editGenesis(home, (g) => {
      g["chain_id"] = CHAIN_ID;
      g["genesis_time"] = genesisTime;
      g["validators"] = validators;
      g["app_state"] = appState;
      const cp = g["consensus_params"] as { abci: { vote_extensions_enable_height: string } };
      cp.abci.vote_extensions_enable_height = "1";
    });
    const p = ports(i);
    setConfig(home, {
      "": { proxy_app: `"tcp://127.0.0.1:${p.abci}"`, moniker: `"node${i}"`, log_level: `"info"` },
      rpc: { laddr: `"tcp://127.0.0.1:${p.rpc}"`, cors_allowed_origins: `["*"]` },
      p2p: {
        laddr: `"tcp://127.0.0.1:${p.p2p}"`,
        persistent_peers: `"${peers.filter((_, j) => j !== i).join(",")}"`,
        addr_book_strict: "false",
        allow_duplicate_ip: "true",
      },
      consensus: { timeout_commit: `"1s"` },
    });
  }
}

function spawnLogged(cmd: string, args: string[], logFile: string): number {
  const out = fs.openSync(logFile, "a");
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  child.unref();
  return child.pid!;
}

type Pids = Record<string, { mirad?: number; cometbft?: number }>;

function pidsFile(): string {
  return path.join(DATA, "pids.json");
}

function readPids(): Pids {
  return fs.existsSync(pidsFile()) ? (JSON.parse(fs.readFileSync(pidsFile(), "utf8")) as Pids) : {};
}

function writePids(pids: Pids): void {
  fs.writeFileSync(pidsFile(), JSON.stringify(pids, null, 2));
}

function allPids(pids: Pids): number[] {
  return Object.values(pids).flatMap((p) => [p.mirad, p.cometbft].filter((x): x is number => x !== undefined));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function startMirad(i: number): number {
  const p = ports(i);
  const mirad = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
  return spawnLogged(
    process.execPath,
    [mirad, "start", "--home", path.join(nodeDir(i), "app"), "--abci", `tcp://127.0.0.1:${p.abci}`, "--grpc", `127.0.0.1:${p.grpc}`, "--rpc", `http://127.0.0.1:${p.rpc}`],
    path.join(nodeDir(i), "logs", "mirad.log"),
  );
}

function startCometbft(i: number): number {
  return spawnLogged(cometbftBinary(), ["start", "--home", path.join(nodeDir(i), "cometbft")], path.join(nodeDir(i), "logs", "cometbft.log"));
}

/** Waits until something listens on 127.0.0.1:port (the app's ABCI socket before CometBFT dials it). */
async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms; see ${nodeDir(0)}/logs`);
}

/** Starts validator i's processes (mirad first, CometBFT once the ABCI socket is up). */
async function startValidator(i: number, pids: Pids): Promise<void> {
  const mine = pids[`node${i}`] ?? {};
  pids[`node${i}`] = mine;
  if (mine.mirad === undefined || !alive(mine.mirad)) {
    mine.mirad = startMirad(i);
    await waitForPort(ports(i).abci);
  }
  if (mine.cometbft === undefined || !alive(mine.cometbft)) mine.cometbft = startCometbft(i);
}

async function killAndWait(pid: number, signal: NodeJS.Signals): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, signal);
  const end = Date.now() + 10_000;
  while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

async function start(): Promise<void> {
  if (allPids(readPids()).some(alive)) {
    say("already running; `npm run localnet:stop` first, or `npm run localnet:reset` to start over");
    process.exit(1);
  }
  if (!fs.existsSync(path.join(nodeDir(0), "cometbft", "config", "genesis.json"))) await create();
  else say(`reusing ${DATA} (npm run localnet:reset wipes it)`);
  const pids: Pids = {};
  try {
    for (let i = 0; i < VALIDATORS; i++) await startValidator(i, pids);
  } finally {
    writePids(pids); // even after a failure partway, so that stop finds what did start
  }
  say("started 4 × (mirad + CometBFT); waiting for the first blocks...");
  const rpcUrl = `http://127.0.0.1:${ports(0).rpc}`;
  await waitForHeight(rpcUrl, 2, 120_000);
  const status = await rpc<StatusResult>(rpcUrl, "status");
  say(`chain ${CHAIN_ID} is at height ${status.sync_info.latest_block_height}`);
  say(`CometBFT RPC  http://127.0.0.1:${ports(0).rpc}   (node1-3: ${[1, 2, 3].map((i) => ports(i).rpc).join(", ")})`);
  say(`gRPC          127.0.0.1:${ports(0).grpc}            (node1-3: ${[1, 2, 3].map((i) => ports(i).grpc).join(", ")})`);
  say(`accounts      ${path.join(DATA, "accounts.json")} (funded dev accounts with mnemonics)`);
  say(`logs          ${path.join(DATA, "node<i>", "logs")}`);
  say("stop: npm run localnet:stop    wipe: npm run localnet:reset");
}

async function stop(): Promise<void> {
  const pids = allPids(readPids()).filter(alive);
  // CometBFT first, so that it does not see its app vanish mid-block.
  const comet = Object.values(readPids()).map((p) => p.cometbft).filter((x): x is number => x !== undefined);
  await Promise.all(comet.map((pid) => killAndWait(pid, "SIGTERM")));
  await Promise.all(pids.map((pid) => killAndWait(pid, "SIGTERM")));
  if (fs.existsSync(pidsFile())) fs.rmSync(pidsFile());
  say(pids.length > 0 ? `stopped ${pids.length} processes` : "nothing was running");
}

/** For fault tests: kill one validator's processes hard (`what`: mirad, cometbft or both). */
async function killNode(i: number, what: string): Promise<void> {
  const pids = readPids();
  const mine = pids[`node${i}`] ?? {};
  if (what === "mirad" || what === "both") await killAndWait(mine.mirad ?? -1, "SIGKILL");
  if (what === "cometbft" || what === "both") await killAndWait(mine.cometbft ?? -1, "SIGKILL");
  say(`killed node${i} ${what}`);
}

async function startNodeAgain(i: number): Promise<void> {
  const pids = readPids();
  const mine = pids[`node${i}`] ?? {};
  // CometBFT stops itself when its app goes away; make sure it is down before the app comes back.
  if (mine.mirad === undefined || !alive(mine.mirad)) await killAndWait(mine.cometbft ?? -1, "SIGTERM");
  await startValidator(i, pids);
  writePids(pids);
  say(`started node${i}`);
}

async function main(): Promise<void> {
  const cmd = process.argv[2];
  if (cmd === "start") await start();
  else if (cmd === "stop") await stop();
  else if (cmd === "init") {
    if (fs.existsSync(path.join(nodeDir(0), "cometbft", "config", "genesis.json"))) say(`${DATA} exists; keeping it`);
    else await create();
  }
  else if (cmd === "kill-node") await killNode(Number(process.argv[3]), process.argv[4] ?? "both");
  else if (cmd === "start-node") await startNodeAgain(Number(process.argv[3]));
  else if (cmd === "reset") {
    await stop();
    fs.rmSync(DATA, { recursive: true, force: true });
    say(`wiped ${DATA}`);
  } else {
    process.stderr.write("usage: node dist/localnet/localnet.js init|start|stop|reset|kill-node <i> [mirad|cometbft|both]|start-node <i>\n");
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`[localnet] ${err.message}\n`);
    process.exit(1);
  });
}
