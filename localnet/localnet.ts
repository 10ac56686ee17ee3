// `npm run localnet` (start), `localnet:stop`, `localnet:reset`: four validators on 127.0.0.1, each a
// CometBFT node plus a mirad process, all in localnet/.data.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fromBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { cometbftBinary, editGenesis, initHome, REPO_ROOT, rpc, setConfig, StatusResult, waitForHeight } from "../app/cli/cometbft";
import { valoperAddress } from "../app/core/address";
import { assetListJson, chainJson, keplrChainInfo, type ChainDescription } from "./chain-registry";
import { ensembleSha256 } from "../app/sidecar/ensemble";
import { nliModelSha256 } from "../app/sidecar/nli";
import { cachedVariant, referenceModelCache, sha256Hex, VARIANTS } from "../app/sidecar/train";

/** The chain id; `npm run localnet:ibc` starts a second chain beside this one with MIRA_LOCALNET_CHAIN_ID set. */
export const CHAIN_ID = process.env["MIRA_LOCALNET_CHAIN_ID"] ?? "mira-localnet-1";
export const DENOM = "umira";
/** Genesis minimum gas price, in DENOM per gas unit. */
const MIN_GAS_PRICE = 0.025;
/** How many validators a new localnet gets (4; the IBC peer chain runs 1). */
const VALIDATORS = Number(process.env["MIRA_LOCALNET_VALIDATORS"] ?? "4");
const DEV_ACCOUNTS = 5;
// Tests run a second localnet beside a developer's one: another folder and shifted ports.
const DATA = process.env["MIRA_LOCALNET_DIR"] ?? path.join(REPO_ROOT, "localnet", ".data");
const PORT_OFFSET = Number(process.env["MIRA_LOCALNET_PORT_OFFSET"] ?? "0");

/**
 * REST port of validator i at a port offset: 1317 + offset + i, and 20000 more for the negative offsets
 * that tests use, which would otherwise fall below 1024.
 */
export function restPort(offset: number, i = 0): number {
  return 1317 + offset + i + (offset < 0 ? 20_000 : 0);
}

/** Ports of validator i: node0 gets the well-known ones (RPC 26657, gRPC 9090, REST 1317). */
export function ports(i: number): {
  p2p: number;
  rpc: number;
  abci: number;
  grpc: number;
  rest: number;
  sidecar: number;
  /** CometBFT's Prometheus metrics, and mirad's. */
  cometMetrics: number;
  metrics: number;
} {
  const o = PORT_OFFSET;
  return {
    p2p: o + 26656 + 100 * i,
    rpc: o + 26657 + 100 * i,
    abci: o + 26658 + 100 * i,
    grpc: o + 9090 + i,
    rest: restPort(o, i),
    sidecar: o + 9190 + i,
    cometMetrics: o + 26660 + 100 * i,
    metrics: o + 26661 + 100 * i,
  };
}

/**
 * The verification models, one variant per node so that validators do not all run the same model.
 * Training is deterministic, so the models are trained once into .tools/models/<features version>
 * and copied from there.
 */
function modelFor(i: number): string {
  const variants = Object.keys(VARIANTS);
  const variant = variants[i % variants.length]!;
  const cache = referenceModelCache(REPO_ROOT);
  cachedVariant(cache, variant, () => say(`training the ${variant} verification model (once, cached in ${cache})...`));
  const dir = path.join(DATA, "models");
  fs.mkdirSync(dir, { recursive: true });
  for (const f of [`${variant}.onnx`, `${variant}.json`]) fs.copyFileSync(path.join(cache, f), path.join(dir, f));
  return path.join(dir, `${variant}.onnx`);
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

/** A validator's operator account, its consensus key and its signed MsgCreateValidator (validators.json). */
export interface ValidatorAccount extends DevAccount {
  valoper: string;
  /** base64 of the 32-byte ed25519 key in node<i>/cometbft/config/priv_validator_key.json. */
  consensus_pubkey: string;
  gentx: string;
}

/** Each validator's self-bond: 100 MIRA, i.e. consensus power 100. */
export const SELF_BOND = "100000000";
/** Short enough to watch unbonding complete on a dev chain (the SDK's default is 21 days). */
export const UNBONDING_TIME = process.env["MIRA_LOCALNET_UNBONDING_TIME"] ?? "60s";
/** Missing more than half of 20 blocks jails a validator for 20 s and burns 1% of its stake. */
export const SIGNED_BLOCKS_WINDOW = 20;
export const DOWNTIME_JAIL = "20s";

/**
 * Governance on a dev chain: a minute to deposit, a minute to vote, 30 s for an expedited vote (the
 * SDK's defaults are days); MIRA_LOCALNET_GOV_DEPOSIT_PERIOD, _VOTING_PERIOD and _EXPEDITED_PERIOD
 * ("20s") shorten them, for tests. Min deposits stay the SDK's (10 MIRA, 50 MIRA expedited).
 */
export const GOV_PERIODS = {
  max_deposit_period: process.env["MIRA_LOCALNET_GOV_DEPOSIT_PERIOD"] ?? "60s",
  voting_period: process.env["MIRA_LOCALNET_GOV_VOTING_PERIOD"] ?? "60s",
  expedited_voting_period: process.env["MIRA_LOCALNET_GOV_EXPEDITED_PERIOD"] ?? "30s",
};

export const CLAIMS_PARAMS = { fault_window: 50, max_fault_bp: 3000, slash_fraction_verification: "0.02", jail_duration: "30s" };

/**
 * How each validator's sidecar answers: MIRA_LOCALNET_SIDECAR_MODES="honest,honest,invert,honest"
 * (by node index; missing ones are honest) lets an operator watch a lying validator get punished.
 */
function sidecarMode(i: number): string {
  const modes = (process.env["MIRA_LOCALNET_SIDECAR_MODES"] ?? "").split(",").map((m) => m.trim());
  const mode = modes[i] === undefined || modes[i] === "" ? "honest" : modes[i]!;
  if (!["honest", "invert", "random"].includes(mode)) throw new Error(`MIRA_LOCALNET_SIDECAR_MODES: "${mode}" is not honest, invert or random`);
  return mode;
}

/**
 * Below what confidence each validator's sidecar abstains (--abstain-below, in bp):
 * MIRA_LOCALNET_SIDECAR_ABSTAIN_BELOW="0,0,0,9000" (by node index; missing or empty ones: 0, never).
 */
function sidecarAbstainBelow(i: number): string {
  const values = (process.env["MIRA_LOCALNET_SIDECAR_ABSTAIN_BELOW"] ?? "").split(",").map((m) => m.trim());
  const v = values[i] === undefined || values[i] === "" ? "0" : values[i]!;
  if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 10_000) throw new Error(`MIRA_LOCALNET_SIDECAR_ABSTAIN_BELOW: "${v}" is not a confidence in bp (0 to 10000)`);
  return v;
}

/**
 * A new operator account and its gentx: MsgCreateValidator signed for account number 0 and
 * sequence 0 (as `gentx` does), self-bonding SELF_BOND with the node's consensus key.
 */
async function validatorAccount(i: number, consensusKey: string): Promise<ValidatorAccount> {
  const w = await DirectSecp256k1HdWallet.generate(24, { prefix: "mira" });
  const [a] = await w.getAccounts();
  const client = await SigningStargateClient.offline(w);
  const valoper = valoperAddress(fromBech32(a!.address, 90).data);
  const msg = {
    typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
    value: {
      description: { moniker: `node${i}`, identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
      minSelfDelegation: "1",
      delegatorAddress: "",
      validatorAddress: valoper,
      pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: Buffer.from(consensusKey, "base64") }).finish() },
      value: { denom: DENOM, amount: SELF_BOND },
    },
  };
  const raw = await client.sign(a!.address, [msg], { amount: [], gas: "300000" }, "", { accountNumber: 0n, sequence: 0, chainId: CHAIN_ID });
  const gentx = Buffer.from(TxRaw.encode(raw).finish()).toString("base64");
  return { name: `validator${i}`, address: a!.address, mnemonic: w.mnemonic, valoper, consensus_pubkey: consensusKey, gentx };
}

/** Creates the four homes, one shared genesis and the peer list. */
async function create(): Promise<void> {
  say(`creating ${VALIDATORS} validators in ${DATA}`);
  fs.mkdirSync(DATA, { recursive: true });
  const operators: ValidatorAccount[] = [];
  const peers: string[] = [];
  for (let i = 0; i < VALIDATORS; i++) {
    const home = path.join(nodeDir(i), "cometbft");
    initHome(home);
    const key = JSON.parse(fs.readFileSync(path.join(home, "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };
    operators.push(await validatorAccount(i, key.pub_key.value));
    const id = execFileSync(cometbftBinary(), ["show-node-id", "--home", home]).toString().trim();
    peers.push(`${id}@127.0.0.1:${ports(i).p2p}`);
    fs.mkdirSync(path.join(nodeDir(i), "logs"), { recursive: true });
  }
  for (let i = 0; i < VALIDATORS; i++) modelFor(i); // docker-compose's sidecars read them from localnet/.data/models
  const accounts = await devAccounts();
  fs.writeFileSync(path.join(DATA, "accounts.json"), JSON.stringify(accounts, null, 2) + "\n", { mode: 0o600 });
  fs.writeFileSync(path.join(DATA, "validators.json"), JSON.stringify(operators, null, 2) + "\n", { mode: 0o600 });
  const appState = {
    auth: { min_gas_price: `${MIN_GAS_PRICE}${DENOM}`, accounts: [] },
    staking: { params: { unbonding_time: UNBONDING_TIME, max_validators: 100, bond_denom: DENOM, historical_entries: 10000 } },
    // A short window and jail so that an operator can watch downtime slashing on a dev chain.
    slashing: {
      params: {
        signed_blocks_window: SIGNED_BLOCKS_WINDOW,
        min_signed_per_window: "0.5",
        downtime_jail_duration: DOWNTIME_JAIL,
        slash_fraction_downtime: "0.01",
        slash_fraction_double_sign: "0.05",
      },
    },
    distribution: { params: { community_tax: "0.02", withdraw_addr_enabled: true } },
    mint: { params: { mint_denom: DENOM, inflation: "0.07" } },
    // Verification faults: more than 30% of a validator's last 50 settled claims wrong or missed
    // costs it 2% of its stake and 30 s in jail (short, to watch it happen on a dev chain).
    claims: { params: { ...CLAIMS_PARAMS, ...allowedModels() } },
    gov: { params: GOV_PERIODS },
    // The validators are ordinary staking validators: CometBFT's genesis lists none, InitChain returns them.
    genutil: { gen_txs: operators.map((o) => o.gentx) },
    bank: {
      balances: [...accounts, ...operators].map((a) => ({ address: a.address, coins: [{ denom: DENOM, amount: "1000000000000" }] })),
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
      g["validators"] = [];
      g["app_state"] = appState;
      const cp = g["consensus_params"] as { abci: { vote_extensions_enable_height: string } };
      cp.abci.vote_extensions_enable_height = "1";
    });
    configureNode(
      i,
      peers.filter((_, j) => j !== i),
    );
  }
}

/** Node i's config.toml: its ports, its peers, one-second blocks. */
function configureNode(i: number, peers: string[]): void {
  const p = ports(i);
  setConfig(path.join(nodeDir(i), "cometbft"), {
    "": { proxy_app: `"tcp://127.0.0.1:${p.abci}"`, moniker: `"node${i}"`, log_level: `"info"` },
    rpc: { laddr: `"tcp://127.0.0.1:${p.rpc}"`, cors_allowed_origins: `["*"]` },
    p2p: {
      laddr: `"tcp://127.0.0.1:${p.p2p}"`,
      persistent_peers: `"${peers.join(",")}"`,
      addr_book_strict: "false",
      allow_duplicate_ip: "true",
    },
    consensus: { timeout_commit: `"1s"` },
    instrumentation: { prometheus: "true", prometheus_listen_addr: `"127.0.0.1:${p.cometMetrics}"` },
  });
}

/** The node folders that exist: the four validators plus any node added by `join`. */
function nodeCount(): number {
  let n = 0;
  while (fs.existsSync(path.join(nodeDir(n), "cometbft", "config", "genesis.json"))) n++;
  return n;
}

function nodeId(i: number): string {
  return execFileSync(cometbftBinary(), ["show-node-id", "--home", path.join(nodeDir(i), "cometbft")])
    .toString()
    .trim();
}

/**
 * Adds one more node to a running localnet: a full node (CometBFT + mirad) with its own
 * consensus key, synced from the others. It validates once someone sends a MsgCreateValidator
 * with its key (printed here, and in node<i>/cometbft/config/priv_validator_key.json).
 */
async function join(): Promise<void> {
  const i = nodeCount();
  if (i === 0) throw new Error(`no localnet in ${DATA}; start one first (npm run localnet)`);
  const home = path.join(nodeDir(i), "cometbft");
  initHome(home);
  fs.copyFileSync(path.join(nodeDir(0), "cometbft", "config", "genesis.json"), path.join(home, "config", "genesis.json"));
  fs.mkdirSync(path.join(nodeDir(i), "logs"), { recursive: true });
  configureNode(
    i,
    Array.from({ length: i }, (_, j) => `${nodeId(j)}@127.0.0.1:${ports(j).p2p}`),
  );
  const pids = readPids();
  try {
    await startValidator(i, pids);
  } finally {
    writePids(pids);
  }
  const target = Number((await rpc<StatusResult>(`http://127.0.0.1:${ports(0).rpc}`, "status")).sync_info.latest_block_height);
  await waitForHeight(`http://127.0.0.1:${ports(i).rpc}`, target, 120_000);
  const key = JSON.parse(fs.readFileSync(path.join(home, "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };
  say(`node${i} joined as a full node and is at height ${target}+`);
  say(`RPC http://127.0.0.1:${ports(i).rpc}  gRPC 127.0.0.1:${ports(i).grpc}  logs ${path.join(nodeDir(i), "logs")}`);
  say(`consensus key (ed25519, base64) ${key.pub_key.value}: send a MsgCreateValidator with it to make node${i} a validator`);
}

function spawnLogged(cmd: string, args: string[], logFile: string): number {
  const out = fs.openSync(logFile, "a");
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", out, out] });
  fs.closeSync(out);
  child.unref();
  return child.pid!;
}

type Pids = Record<string, { sidecar?: number; mirad?: number; cometbft?: number }>;

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
  return Object.values(pids).flatMap((p) => [p.sidecar, p.mirad, p.cometbft].filter((x): x is number => x !== undefined));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const MIRAD = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");

/**
 * Node flags for mirad: a 64 MiB young generation, since every block allocates many short-lived
 * buffers (store keys, protobuf) and the default 16 MiB scavenges several times per block.
 */
export const MIRAD_NODE_FLAGS = ["--max-semi-space-size=64"];

function startMirad(i: number): number {
  const p = ports(i);
  return spawnLogged(
    process.execPath,
    [
      ...MIRAD_NODE_FLAGS,
      MIRAD,
      "start",
      "--home",
      path.join(nodeDir(i), "app"),
      "--abci",
      `tcp://127.0.0.1:${p.abci}`,
      "--grpc",
      `127.0.0.1:${p.grpc}`,
      "--rest",
      `127.0.0.1:${p.rest}`,
      "--metrics",
      `127.0.0.1:${p.metrics}`,
      "--rpc",
      `http://127.0.0.1:${p.rpc}`,
      "--sidecar",
      `127.0.0.1:${p.sidecar}`,
      "--priv-validator-key",
      path.join(nodeDir(i), "cometbft", "config", "priv_validator_key.json"),
    ],
    path.join(nodeDir(i), "logs", "mirad.log"),
  );
}

/**
 * Which model each validator's sidecar runs: MIRA_LOCALNET_SIDECAR_MODELS="DIR,DIR,,DIR" (by node index) gives
 * node i a model of the operator's own, e.g. a Hugging Face NLI export folder (docs/sidecar-models.md), or
 * several joined with "+" for an ensemble; a missing or empty entry keeps the node's reference variant.
 */
function sidecarModels(i: number): string[] {
  const entry = (process.env["MIRA_LOCALNET_SIDECAR_MODELS"] ?? "").split(",")[i]?.trim() ?? "";
  if (entry === "") return [modelFor(i)];
  return entry.split("+").map((m) => {
    const p = path.resolve(m.trim());
    if (!fs.existsSync(p)) throw new Error(`MIRA_LOCALNET_SIDECAR_MODELS: node${i}'s model ${p} does not exist`);
    return p;
  });
}

/** The model hash node i's sidecar reports (as app/sidecar computes it): a reference model's file, an NLI folder, or an ensemble. */
export function sidecarModelHash(i: number): string {
  const hashes = sidecarModels(i).map((m) =>
    fs.statSync(m).isDirectory()
      ? nliModelSha256(...(["model.onnx", "tokenizer.json", "config.json"].map((f) => fs.readFileSync(path.join(m, f))) as [Buffer, Buffer, Buffer]))
      : sha256Hex(fs.readFileSync(m)),
  );
  return hashes.length === 1 ? hashes[0]! : ensembleSha256(hashes);
}

/**
 * Genesis's claims model allow-list: MIRA_LOCALNET_ALLOWED_MODELS="0,1,2" (node indices) lists the hashes of those
 * nodes' sidecar models, so that the others' verdicts count only once governance adds their models; unset or
 * empty, the list stays empty and any model counts.
 */
function allowedModels(): { allowed_model_hashes?: string[] } {
  const nodes = (process.env["MIRA_LOCALNET_ALLOWED_MODELS"] ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter((n) => n !== "");
  if (nodes.length === 0) return {};
  const hashes = nodes.map((n) => {
    const i = Number(n);
    if (!Number.isInteger(i) || i < 0 || i >= VALIDATORS) throw new Error(`MIRA_LOCALNET_ALLOWED_MODELS: "${n}" is not a node index in 0..${VALIDATORS - 1}`);
    return sidecarModelHash(i);
  });
  say(`claims model allow-list: the models of node${nodes.join(", node")} (${hashes.map((h) => h.slice(0, 12)).join(", ")})`);
  return { allowed_model_hashes: [...new Set(hashes)] };
}

function startSidecar(i: number): number {
  const mode = sidecarMode(i);
  if (mode !== "honest") say(`node${i}'s sidecar answers in ${mode} mode`);
  const abstainBelow = sidecarAbstainBelow(i);
  if (abstainBelow !== "0") say(`node${i}'s sidecar abstains below ${abstainBelow} bp of confidence`);
  const models = sidecarModels(i);
  if (models.length > 1 || !models[0]!.startsWith(path.join(DATA, "models"))) say(`node${i}'s sidecar runs ${models.join(" + ")}`);
  return spawnLogged(
    process.execPath,
    [MIRAD, "sidecar", ...models.flatMap((m) => ["--model", m]), "--listen", `127.0.0.1:${ports(i).sidecar}`, "--mode", mode, "--abstain-below", abstainBelow],
    path.join(nodeDir(i), "logs", "sidecar.log"),
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
  if (mine.sidecar === undefined || !alive(mine.sidecar)) {
    mine.sidecar = startSidecar(i);
    await waitForPort(ports(i).sidecar, 60_000);
  }
  if (mine.mirad === undefined || !alive(mine.mirad)) {
    mine.mirad = startMirad(i);
    await waitForPort(ports(i).abci);
  }
  if (mine.cometbft === undefined || !alive(mine.cometbft)) mine.cometbft = startCometbft(i);
}

async function killAndWait(pid: number, signal: NodeJS.Signals): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, signal);
  const gone = async (ms: number) => {
    const end = Date.now() + ms;
    while (alive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    return !alive(pid);
  };
  if (await gone(10_000)) return;
  // A busy CometBFT can take longer than that to stop; after SIGKILL, still wait until it is gone,
  // or a restart right after would see it alive, start no new one, and leave the node without it.
  process.kill(pid, "SIGKILL");
  if (!(await gone(10_000))) throw new Error(`process ${pid} is still alive 10 s after SIGKILL`);
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
    for (let i = 0; i < nodeCount(); i++) await startValidator(i, pids);
  } finally {
    writePids(pids); // even after a failure partway, so that stop finds what did start
  }
  say(`started ${nodeCount()} × (sidecar + mirad + CometBFT); waiting for the first blocks...`);
  const rpcUrl = `http://127.0.0.1:${ports(0).rpc}`;
  await waitForHeight(rpcUrl, 2, 120_000);
  const status = await rpc<StatusResult>(rpcUrl, "status");
  say(`chain ${CHAIN_ID} is at height ${status.sync_info.latest_block_height}`);
  writeChainDescriptions();
  const others = Array.from({ length: nodeCount() - 1 }, (_, i) => i + 1);
  const more = (f: (i: number) => number) => (others.length === 0 ? "" : `   (node1-${others.length}: ${others.map((i) => f(i)).join(", ")})`);
  say(`CometBFT RPC  http://127.0.0.1:${ports(0).rpc}${more((i) => ports(i).rpc)}`);
  say(`gRPC          127.0.0.1:${ports(0).grpc}${more((i) => ports(i).grpc)}`);
  say(`REST          http://127.0.0.1:${ports(0).rest}${more((i) => ports(i).rest)} (the Cosmos SDK's gateway routes; the certificate page at /)`);
  say(
    `metrics       http://127.0.0.1:${ports(0).metrics}/metrics${more((i) => ports(i).metrics)} (mirad), CometBFT's on ${ports(0).cometMetrics}${more((i) => ports(i).cometMetrics)}`,
  );
  say(`sidecars      127.0.0.1:${ports(0).sidecar}${more((i) => ports(i).sidecar)} (claim verification, one model variant each)`);
  say(`accounts      ${path.join(DATA, "accounts.json")} (funded dev accounts with mnemonics)`);
  say(`validators    ${path.join(DATA, "validators.json")} (operator accounts, valoper addresses, consensus keys)`);
  say(`wallets       ${path.join(DATA, "keplr-chain-info.json")} (Keplr), chain.json and assetlist.json (chain registry)`);
  say(`logs          ${path.join(DATA, "node<i>", "logs")}`);
  say(`governance    ${govSummary()} (docs/governance.md)`);
  say("stop: npm run localnet:stop    wipe: npm run localnet:reset");
}

/** The gov periods this localnet's genesis set (a reused folder keeps the ones it was created with). */
/** chain.json, assetlist.json (chain registry) and keplr-chain-info.json, pointing at node0. */
function writeChainDescriptions(): void {
  const p = ports(0);
  const chain: ChainDescription = {
    chainId: CHAIN_ID,
    rpc: `http://127.0.0.1:${p.rpc}`,
    rest: `http://127.0.0.1:${p.rest}`,
    grpc: `127.0.0.1:${p.grpc}`,
    denom: DENOM,
    display: "mira",
    symbol: "MIRA",
    decimals: 6,
    minGasPrice: MIN_GAS_PRICE,
  };
  const write = (name: string, value: unknown) => fs.writeFileSync(path.join(DATA, name), JSON.stringify(value, null, 2) + "\n");
  write("chain.json", chainJson(chain));
  write("assetlist.json", assetListJson(chain));
  write("keplr-chain-info.json", keplrChainInfo(chain));
}

function govSummary(): string {
  const g = JSON.parse(fs.readFileSync(path.join(nodeDir(0), "cometbft", "config", "genesis.json"), "utf8")) as {
    app_state?: { gov?: { params?: Partial<typeof GOV_PERIODS> } };
  };
  const p = g.app_state?.gov?.params ?? {};
  const or = (v: string | undefined, d: string) => v ?? `${d} (SDK default)`;
  return `deposit period ${or(p.max_deposit_period, "172800s")}, voting period ${or(p.voting_period, "172800s")}, expedited ${or(p.expedited_voting_period, "86400s")}`;
}

async function stop(): Promise<void> {
  const pids = allPids(readPids()).filter(alive);
  // CometBFT first, so that it does not see its app vanish mid-block.
  const comet = Object.values(readPids())
    .map((p) => p.cometbft)
    .filter((x): x is number => x !== undefined);
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
  if (what === "sidecar") await killAndWait(mine.sidecar ?? -1, "SIGKILL");
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
  } else if (cmd === "kill-node") await killNode(Number(process.argv[3]), process.argv[4] ?? "both");
  else if (cmd === "start-node") await startNodeAgain(Number(process.argv[3]));
  else if (cmd === "join") await join();
  else if (cmd === "reset") {
    await stop();
    fs.rmSync(DATA, { recursive: true, force: true });
    say(`wiped ${DATA}`);
  } else {
    process.stderr.write("usage: node dist/localnet/localnet.js init|start|stop|reset|join|kill-node <i> [mirad|cometbft|both|sidecar]|start-node <i>\n");
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`[localnet] ${err.message}\n`);
    process.exit(1);
  });
}
