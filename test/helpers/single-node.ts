// A one-validator Mira chain for integration tests: real CometBFT plus `mirad start` (no sidecar) in a
// temp folder, on ports shifted by an offset as the localnet's are, with one funded user account.
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import type { Test } from "tap";
import { editGenesis, initHome, REPO_ROOT, setConfig, startNode, waitForHeight } from "../../app/cli/cometbft";
import { wallet } from "./app-driver";
import { gentx, valoper } from "./staking";
import { restPort } from "../../localnet/localnet";
import { tempDir } from "./tmp";

const MAIN = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
export const SINGLE_NODE_CHAIN_ID = "mira-single-1";
/** Each account's genesis balance, in umira. */
export const GENESIS_BALANCE = 1_000_000_000_000n;
const SELF_BOND = "100000000";

export interface SingleNode {
  dir: string;
  /** CometBFT RPC, http://127.0.0.1:<26657 + offset>. */
  rpc: string;
  /** mirad's gRPC port (9090 + offset) when started with `{ grpc: true }`. */
  grpcPort?: number;
  /** mirad's REST port (1317 + offset) when started with `{ rest: true }`. */
  restPort?: number;
  /** A funded account that is not the validator's. */
  user: { address: string; mnemonic: string };
  validator: { address: string; valoper: string };
}

/**
 * Starts the chain and waits for its second block; stops both processes when the test ends. Ports:
 * p2p 26656, RPC 26657 and ABCI 26658, each plus `portOffset` (keep it clear of the other tests'
 * offsets and below the kernel's ephemeral ports, 32768+); gRPC is off unless `options.grpc`
 * (then on 9090 + `portOffset`).
 */
export async function startSingleNode(
  t: Test,
  portOffset: number,
  options: {
    grpc?: boolean;
    /** REST on 1317 + offset. */ rest?: boolean;
    /** More app_state sections (gov's short periods, say). */ appState?: Record<string, unknown>;
  } = {},
): Promise<SingleNode> {
  const dir = tempDir(t, "mira-single-");
  const ports = { p2p: 26656 + portOffset, rpc: 26657 + portOffset, abci: 26658 + portOffset, grpc: 9090 + portOffset, rest: restPort(portOffset) };
  const rpc = `http://127.0.0.1:${ports.rpc}`;
  const cometHome = path.join(dir, "cometbft");
  initHome(cometHome);
  const key = JSON.parse(fs.readFileSync(path.join(cometHome, "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };

  const [operatorMnemonic, userMnemonic] = await Promise.all([newMnemonic(), newMnemonic()]);
  const operator = await wallet(operatorMnemonic);
  const user = await wallet(userMnemonic);
  const appState = {
    auth: { min_gas_price: "0.025umira", accounts: [] },
    bank: { balances: [operator, user].map((w) => ({ address: w.address, coins: [{ denom: "umira", amount: GENESIS_BALANCE.toString() }] })) },
    staking: { params: { unbonding_time: "60s", max_validators: 100, bond_denom: "umira" } },
    genutil: { gen_txs: [await gentx(operator, Buffer.from(key.pub_key.value, "base64"), SELF_BOND, SINGLE_NODE_CHAIN_ID, "solo")] },
    ...options.appState,
  };
  editGenesis(cometHome, (g) => {
    g["chain_id"] = SINGLE_NODE_CHAIN_ID;
    g["validators"] = []; // InitChain returns the gentx's validator
    g["app_state"] = appState;
    (g["consensus_params"] as { abci: { vote_extensions_enable_height: string } }).abci.vote_extensions_enable_height = "1";
  });
  setConfig(cometHome, {
    "": { proxy_app: `"tcp://127.0.0.1:${ports.abci}"`, moniker: `"solo"`, log_level: `"error"` },
    rpc: { laddr: `"tcp://127.0.0.1:${ports.rpc}"` },
    p2p: { laddr: `"tcp://127.0.0.1:${ports.p2p}"` },
    consensus: { timeout_commit: `"200ms"` },
  });

  const mirad = spawnLogged(
    process.execPath,
    // Every version kept: blocks are 200 ms apart, and tests prove state at heights that would otherwise be pruned.
    [
      ...[MAIN, "start", "--home", path.join(dir, "app"), "--abci", `tcp://127.0.0.1:${ports.abci}`, "--rpc", rpc, "--pruning-keep-recent", "all"],
      ...["--grpc", options.grpc ? `127.0.0.1:${ports.grpc}` : "off"],
      ...["--rest", options.rest ? `127.0.0.1:${ports.rest}` : "off"],
    ],
    path.join(dir, "mirad.log"),
  );
  const processes: ChildProcess[] = [mirad];
  t.teardown(async () => {
    for (const child of processes) await stop(child); // CometBFT first, then the app it talks to
  });
  await waitForPort(ports.abci, path.join(dir, "mirad.log"));
  processes.unshift(startNode(cometHome, path.join(dir, "cometbft.log")));
  await waitForHeight(rpc, 2);
  return {
    dir,
    rpc,
    grpcPort: options.grpc ? ports.grpc : undefined,
    restPort: options.rest ? ports.rest : undefined,
    user: { address: user.address, mnemonic: userMnemonic },
    validator: { address: operator.address, valoper: valoper(operator.address) },
  };
}

async function newMnemonic(): Promise<string> {
  return (await DirectSecp256k1HdWallet.generate(24, { prefix: "mira" })).mnemonic;
}

function spawnLogged(cmd: string, args: string[], logFile: string): ChildProcess {
  const out = fs.openSync(logFile, "a");
  const child = spawn(cmd, args, { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return child;
}

/** SIGTERM (mirad closes its store cleanly), SIGKILL after 10 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPort(port: number, log: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`mirad does not listen on 127.0.0.1:${port} after ${timeoutMs} ms; see ${log}`);
}
