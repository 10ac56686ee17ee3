// `npm run localnet:ibc`: the localnet (chain mira-localnet-1, four validators) and beside it a second Mira
// chain (mira-peer-1, one validator, ports shifted by 1000, in localnet/.data/peer), joined by the Hermes
// relayer (built once per machine by scripts/setup-ibc.sh): Hermes creates a client on each chain, a
// connection and a transfer channel, and keeps relaying. localnet/.data/ibc.json tells scripts where
// everything is, one entry per chain: {"chains":[{"chain_id","rpc","grpc","rest","accounts","transfer_channel"}]}.
//
// With --simd, an ibc-go v8.8.0 simd chain (simd-1) joins too, linked to the localnet by a second transfer
// channel (ibc.json's "simd_link" names both ends).
//
//   node dist/localnet/ibc.js start [--simd] | stop
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, rpc, waitForHeight, type StatusResult } from "../app/cli/cometbft";
import { alive, restPort } from "./localnet";

const DATA = process.env["MIRA_LOCALNET_DIR"] ?? path.join(REPO_ROOT, "localnet", ".data");
const PORT_OFFSET = Number(process.env["MIRA_LOCALNET_PORT_OFFSET"] ?? "0");
/** The peer chain's ports are the localnet's shifted by this much. */
export const PEER_PORT_SHIFT = 1000;
export const MAIN_CHAIN_ID = "mira-localnet-1";
export const PEER_CHAIN_ID = "mira-peer-1";
/** With `start --simd`: ibc-go v8.8.0's simd beside them (ports + 1500, in localnet/.data/simd). */
export const SIMD_CHAIN_ID = "simd-1";
export const SIMD_PORT_SHIFT = 1500;
const SIMD = path.join(REPO_ROOT, ".tools", "bin", "simd");
const SIMD_HOME = path.join(DATA, "simd");
const LOCALNET = path.join(REPO_ROOT, "dist", "localnet", "localnet.js");
const HERMES_DIR = path.join(DATA, "hermes");
const HERMES = path.join(REPO_ROOT, ".tools", "bin", "hermes");

interface ChainInfo {
  chain_id: string;
  rpc: string;
  grpc: string;
  rest: string;
  accounts: string;
  transfer_channel: string;
}

const say = (line: string): void => void process.stdout.write(`[localnet:ibc] ${line}\n`);

function chains(): { id: string; dir: string; offset: number; validators: number }[] {
  return [
    { id: MAIN_CHAIN_ID, dir: DATA, offset: PORT_OFFSET, validators: 4 },
    { id: PEER_CHAIN_ID, dir: path.join(DATA, "peer"), offset: PORT_OFFSET + PEER_PORT_SHIFT, validators: 1 },
  ];
}

function localnet(chain: ReturnType<typeof chains>[number], cmd: string): void {
  const res = spawnSync(process.execPath, [LOCALNET, cmd], {
    env: {
      ...process.env,
      MIRA_LOCALNET_DIR: chain.dir,
      MIRA_LOCALNET_PORT_OFFSET: String(chain.offset),
      MIRA_LOCALNET_CHAIN_ID: chain.id,
      MIRA_LOCALNET_VALIDATORS: String(chain.validators),
      // Light clients trust a header for 2/3 of the unbonding period: the localnet's 60 s would let a client
      // expire whenever the relayer pauses for 40 s. Chains made here unbond in 21 days.
      MIRA_LOCALNET_UNBONDING_TIME: process.env["MIRA_LOCALNET_UNBONDING_TIME"] ?? "1814400s",
    },
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 300_000,
  });
  // "start" on a chain that already runs says so and exits 1: that is fine here.
  if (res.status !== 0 && !(cmd === "start" && isRunning(chain))) throw new Error(`localnet ${cmd} for ${chain.id} failed (${res.status})`);
}

function isRunning(chain: ReturnType<typeof chains>[number]): boolean {
  const file = path.join(chain.dir, "pids.json");
  if (!fs.existsSync(file)) return false;
  const pids = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, number>>;
  return Object.values(pids).some((p) => Object.values(p).some(alive));
}

/**
 * Starts `cmd` in the background unless `<base>.pid` names a live process; logs to `<base>.log`. Returns
 * the pid that runs.
 */
function startDetached(cmd: string, args: string[], base: string): number {
  const pidFile = `${base}.pid`;
  const old = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8")) : -1;
  if (old > 0 && alive(old)) return old;
  const log = fs.openSync(`${base}.log`, "a");
  const child = spawn(cmd, args, { detached: true, stdio: ["ignore", log, log] });
  fs.closeSync(log);
  child.unref();
  fs.writeFileSync(pidFile, String(child.pid));
  return child.pid!;
}

/** Stops the process `<base>.pid` names (SIGTERM, then SIGKILL after 10 s) and removes the file. */
async function stopDetached(base: string, name: string): Promise<void> {
  const pidFile = `${base}.pid`;
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8"));
  if (alive(pid)) {
    process.kill(pid, "SIGTERM");
    for (const end = Date.now() + 10_000; alive(pid) && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
    if (alive(pid)) process.kill(pid, "SIGKILL");
    say(`stopped ${name}`);
  }
  fs.rmSync(pidFile);
}

const rpcUrl = (offset: number): string => `http://127.0.0.1:${offset + 26657}`;
const grpcAddr = (offset: number): string => `127.0.0.1:${offset + 9090}`;

/** Hermes's config: both chains, their relayer keys in HERMES_DIR, packets relayed, clients refreshed. */
function hermesConfig(withSimd: boolean): string {
  return `[global]
log_level = 'info'

[mode.clients]
enabled = true
refresh = true
misbehaviour = true

[mode.connections]
enabled = false

[mode.channels]
enabled = false

[mode.packets]
enabled = true
clear_interval = 100
clear_on_start = true
tx_confirmation = true

[rest]
enabled = false
host = '127.0.0.1'
port = 3000

[telemetry]
enabled = false
host = '127.0.0.1'
port = 3001
${chains()
  .map((c) => hermesChain(c.id, c.offset, "mira", "0.025", "umira"))
  .join("")}${withSimd ? hermesChain(SIMD_CHAIN_ID, PORT_OFFSET + SIMD_PORT_SHIFT, "cosmos", "0.0", "stake") : ""}`;
}

/** Hermes's entry for one chain whose ports are the localnet's shifted by `offset` (simd: cosmos addresses, stake, no minimum gas price). */
function hermesChain(id: string, offset: number, prefix: string, price: string, denom: string): string {
  return `
[[chains]]
id = '${id}'
type = 'CosmosSdk'
rpc_addr = '${rpcUrl(offset)}'
grpc_addr = 'http://${grpcAddr(offset)}'
event_source = { mode = 'push', url = 'ws://127.0.0.1:${offset + 26657}/websocket', batch_delay = '500ms' }
rpc_timeout = '15s'
account_prefix = '${prefix}'
key_name = 'relayer'
key_store_folder = '${path.join(HERMES_DIR, "keys")}'
store_prefix = 'ibc'
default_gas = 300000
max_gas = 10000000
gas_price = { price = ${price}, denom = '${denom}' }
gas_multiplier = 1.5
max_msg_num = 100
max_tx_size = 1048576
clock_drift = '10s'
max_block_time = '10s'
trust_threshold = '1/3'
address_type = { derivation = 'cosmos' }
`;
}

function simd(args: string[], input?: string): string {
  const res = spawnSync(SIMD, [...args, "--home", SIMD_HOME], { encoding: "utf8", input, timeout: 120_000 });
  if (res.status !== 0) throw new Error(`simd ${args.join(" ")} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout + res.stderr;
}

/**
 * An ibc-go v8.8.0 simd chain with one validator, and the localnet's first and last dev mnemonics as its
 * funded user and relayer (cosmos1... addresses, coin type 118), started in the background.
 */
async function startSimd(): Promise<void> {
  const o = PORT_OFFSET + SIMD_PORT_SHIFT;
  const mnemonics = (JSON.parse(fs.readFileSync(path.join(DATA, "accounts.json"), "utf8")) as { mnemonic: string }[]).map((a) => a.mnemonic);
  if (!fs.existsSync(path.join(SIMD_HOME, "config", "genesis.json"))) {
    say(`creating the ${SIMD_CHAIN_ID} chain (ibc-go v8.8.0 simd) in ${SIMD_HOME}`);
    simd(["init", "node", "--chain-id", SIMD_CHAIN_ID]);
    simd(["keys", "add", "val", "--keyring-backend", "test"]);
    const accounts: { name: string; address: string; mnemonic: string }[] = [];
    for (const [name, mnemonic] of [
      ["user", mnemonics[0]!],
      ["relayer", mnemonics[mnemonics.length - 1]!],
    ] as const) {
      simd(["keys", "add", name, "--recover", "--keyring-backend", "test"], mnemonic + "\n");
      const address = simd(["keys", "show", name, "-a", "--keyring-backend", "test"]).trim();
      accounts.push({ name, address, mnemonic });
      simd(["genesis", "add-genesis-account", name, "1000000000000stake", "--keyring-backend", "test"]);
    }
    simd(["genesis", "add-genesis-account", "val", "1000000000000stake", "--keyring-backend", "test"]);
    simd(["genesis", "gentx", "val", "100000000stake", "--chain-id", SIMD_CHAIN_ID, "--keyring-backend", "test"]);
    simd(["genesis", "collect-gentxs"]);
    fs.writeFileSync(path.join(SIMD_HOME, "accounts.json"), JSON.stringify(accounts, null, 2) + "\n", { mode: 0o600 });
    const edit = (file: string, edits: [RegExp, string][]) => {
      let text = fs.readFileSync(file, "utf8");
      for (const [re, to] of edits) text = text.replace(re, to);
      fs.writeFileSync(file, text);
    };
    edit(path.join(SIMD_HOME, "config", "app.toml"), [
      [/minimum-gas-prices = ".*"/, 'minimum-gas-prices = "0stake"'],
      [/(\[api\][^[]*?enable = )(true|false)/s, "$1true"],
      [/(\[api\][^[]*?address = )"[^"]*"/s, `$1"tcp://127.0.0.1:${restPort(o)}"`],
      [/(\[grpc\][^[]*?address = )"[^"]*"/s, `$1"127.0.0.1:${o + 9090}"`],
    ]);
    edit(path.join(SIMD_HOME, "config", "config.toml"), [
      [/(\[rpc\][^[]*?laddr = )"[^"]*"/s, `$1"tcp://127.0.0.1:${o + 26657}"`],
      [/(\[p2p\][^[]*?laddr = )"[^"]*"/s, `$1"tcp://127.0.0.1:${o + 26656}"`],
      [/proxy_app = "[^"]*"/, `proxy_app = "tcp://127.0.0.1:${o + 26658}"`],
      [/pprof_laddr = "[^"]*"/, 'pprof_laddr = ""'],
      [/timeout_commit = "[^"]*"/, 'timeout_commit = "1s"'],
    ]);
  }
  startDetached(SIMD, ["start", "--home", SIMD_HOME], path.join(SIMD_HOME, "simd"));
  await waitForHeight(`http://127.0.0.1:${o + 26657}`, 2, 120_000);
  say(`${SIMD_CHAIN_ID} (ibc-go v8.8.0 simd) is running: RPC http://127.0.0.1:${o + 26657}  gRPC 127.0.0.1:${o + 9090}`);
}

function hermes(args: string[], opts: { quiet?: boolean } = {}): string {
  const res = spawnSync(HERMES, ["--config", path.join(HERMES_DIR, "config.toml"), ...args], { encoding: "utf8", timeout: 600_000 });
  if (res.status !== 0) throw new Error(`hermes ${args.join(" ")} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  if (!opts.quiet) process.stdout.write(res.stdout);
  return res.stdout;
}

/**
 * The open transfer channel on the chain at `rpcA` whose light client follows `chainB`, and its counterparty's
 * end, if Hermes already made one (several links share the localnet, so the client's chain id tells them apart).
 */
async function linkEnds(rpcA: string, chainB: string): Promise<{ a: string; b: string } | undefined> {
  const { QueryChannelsResponse, QueryChannelClientStateRequest, QueryChannelClientStateResponse } = await import("cosmjs-types/ibc/core/channel/v1/query");
  const { ClientState } = await import("cosmjs-types/ibc/lightclients/tendermint/v1/tendermint");
  const query = async (path: string, data: Uint8Array) => {
    const res = await rpc<{ response: { code: number; value: string } }>(rpcA, "abci_query", {
      path: `"${path}"`,
      data: `0x${Buffer.from(data).toString("hex")}`,
    });
    return res.response.code === 0 ? Buffer.from(res.response.value ?? "", "base64") : undefined;
  };
  const list = await query("/ibc.core.channel.v1.Query/Channels", new Uint8Array());
  if (list === undefined) return undefined;
  for (const ch of QueryChannelsResponse.decode(list).channels) {
    if (ch.portId !== "transfer" || ch.state !== 3) continue;
    const cs = await query(
      "/ibc.core.channel.v1.Query/ChannelClientState",
      QueryChannelClientStateRequest.encode({ portId: "transfer", channelId: ch.channelId }).finish(),
    );
    const any = cs === undefined ? undefined : QueryChannelClientStateResponse.decode(cs).identifiedClientState?.clientState;
    if (any !== undefined && ClientState.decode(any.value).chainId === chainB) return { a: ch.channelId, b: ch.counterparty.channelId };
  }
  return undefined;
}

/** The transfer channel from the localnet to `chainB` (made by Hermes if there is none yet): each chain's end. */
async function link(chainB: string): Promise<{ a: string; b: string }> {
  let ends = await linkEnds(rpcUrl(PORT_OFFSET), chainB);
  if (ends === undefined) {
    say(`Hermes creates the clients, a connection and a transfer channel between ${MAIN_CHAIN_ID} and ${chainB}...`);
    hermes(
      [
        "create",
        "channel",
        "--a-chain",
        MAIN_CHAIN_ID,
        "--b-chain",
        chainB,
        "--a-port",
        "transfer",
        "--b-port",
        "transfer",
        "--new-client-connection",
        "--yes",
      ],
      {
        quiet: true,
      },
    );
    ends = await linkEnds(rpcUrl(PORT_OFFSET), chainB);
    if (ends === undefined) throw new Error(`Hermes reported no error, but ${MAIN_CHAIN_ID} has no open transfer channel to ${chainB}`);
  } else say(`reusing the transfer channel ${ends.a} (${MAIN_CHAIN_ID}) ↔ ${ends.b} (${chainB})`);
  return ends;
}

/** A chain's staking unbonding period in seconds, from its staking params. */
async function unbondingSeconds(offset: number): Promise<number> {
  const { QueryParamsResponse } = await import("cosmjs-types/cosmos/staking/v1beta1/query");
  const res = await rpc<{ response: { value: string } }>(rpcUrl(offset), "abci_query", { path: '"/cosmos.staking.v1beta1.Query/Params"' });
  return Number(QueryParamsResponse.decode(Buffer.from(res.response.value, "base64")).params.unbondingTime.seconds);
}

async function start(withSimd: boolean): Promise<void> {
  for (const c of chains()) {
    if (isRunning(c)) say(`${c.id} is running (${c.dir})`);
    else {
      say(`starting ${c.id} in ${c.dir}`);
      localnet(c, "start");
    }
    await waitForHeight(rpcUrl(c.offset), 2, 120_000);
    const unbonding = await unbondingSeconds(c.offset);
    if (unbonding < 3600) {
      say(`${c.id} unbonds in ${unbonding} s, so a light client of it expires ${Math.floor((unbonding * 2) / 3)} s after its last update:`);
      say("  Hermes keeps the clients fresh while it runs; for a link that survives pauses, npm run localnet:reset first");
    }
  }
  say("installing Hermes (built once per machine; about 14 minutes the first time)...");
  const setup = spawnSync("bash", [path.join(REPO_ROOT, "scripts", "setup-ibc.sh"), "hermes", ...(withSimd ? ["simd"] : [])], { stdio: "inherit" });
  if (setup.status !== 0) throw new Error("scripts/setup-ibc.sh failed");
  if (withSimd) await startSimd();
  fs.mkdirSync(HERMES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HERMES_DIR, "config.toml"), hermesConfig(withSimd));
  // The relayer signs with each chain's last dev account.
  for (const c of chains()) {
    const accounts = JSON.parse(fs.readFileSync(path.join(c.dir, "accounts.json"), "utf8")) as { mnemonic: string }[];
    const mnemonic = path.join(HERMES_DIR, `${c.id}.mnemonic`);
    fs.writeFileSync(mnemonic, accounts[accounts.length - 1]!.mnemonic + "\n", { mode: 0o600 });
    hermes(["keys", "add", "--chain", c.id, "--mnemonic-file", mnemonic, "--key-name", "relayer", "--overwrite"], { quiet: true });
  }
  if (withSimd) {
    const mnemonic = path.join(HERMES_DIR, `${SIMD_CHAIN_ID}.mnemonic`);
    const relayer = (JSON.parse(fs.readFileSync(path.join(SIMD_HOME, "accounts.json"), "utf8")) as { name: string; mnemonic: string }[]).find(
      (a) => a.name === "relayer",
    )!;
    fs.writeFileSync(mnemonic, relayer.mnemonic + "\n", { mode: 0o600 });
    hermes(["keys", "add", "--chain", SIMD_CHAIN_ID, "--mnemonic-file", mnemonic, "--key-name", "relayer", "--overwrite"], { quiet: true });
  }
  const peer = await link(PEER_CHAIN_ID);
  const channels: Record<string, string> = { [MAIN_CHAIN_ID]: peer.a, [PEER_CHAIN_ID]: peer.b };
  const simdChannel = withSimd ? await link(SIMD_CHAIN_ID) : undefined;
  const hermesPid = startDetached(HERMES, ["--config", path.join(HERMES_DIR, "config.toml"), "start"], path.join(HERMES_DIR, "hermes"));
  say(`Hermes relays (pid ${hermesPid}, log ${path.join(HERMES_DIR, "hermes.log")})`);
  const info: { chains: ChainInfo[] } = {
    chains: chains().map((c) => ({
      chain_id: c.id,
      rpc: rpcUrl(c.offset),
      grpc: grpcAddr(c.offset),
      rest: `http://127.0.0.1:${restPort(c.offset)}`,
      accounts: path.join(c.dir, "accounts.json"),
      transfer_channel: channels[c.id]!,
    })),
  };
  if (simdChannel !== undefined) {
    const o = PORT_OFFSET + SIMD_PORT_SHIFT;
    info.chains.push({
      chain_id: SIMD_CHAIN_ID,
      rpc: `http://127.0.0.1:${o + 26657}`,
      grpc: `127.0.0.1:${o + 9090}`,
      rest: `http://127.0.0.1:${restPort(o)}`,
      accounts: path.join(SIMD_HOME, "accounts.json"),
      transfer_channel: simdChannel.b,
    });
    (info as { simd_link?: object }).simd_link = { [MAIN_CHAIN_ID]: simdChannel.a, [SIMD_CHAIN_ID]: simdChannel.b };
  }
  fs.writeFileSync(path.join(DATA, "ibc.json"), JSON.stringify(info, null, 2) + "\n");
  for (const c of info.chains) say(`${c.chain_id}: RPC ${c.rpc}  gRPC ${c.grpc}  transfer channel ${c.transfer_channel}  accounts ${c.accounts}`);
  say(`written ${path.join(DATA, "ibc.json")}; stop: npm run localnet:stop`);
  const status = await rpc<StatusResult>(rpcUrl(PORT_OFFSET), "status");
  say(`${MAIN_CHAIN_ID} is at height ${status.sync_info.latest_block_height}`);
}

/** Stops Hermes and the peer chain (the localnet itself is stopped by localnet.js stop). */
async function stop(): Promise<void> {
  await stopDetached(path.join(HERMES_DIR, "hermes"), "Hermes");
  await stopDetached(path.join(SIMD_HOME, "simd"), "simd");
  const peer = chains()[1]!;
  if (fs.existsSync(path.join(peer.dir, "pids.json"))) localnet(peer, "stop");
}

async function main(): Promise<void> {
  const cmd = process.argv[2];
  if (cmd === "start") await start(process.argv.includes("--simd"));
  else if (cmd === "stop") await stop();
  else {
    process.stderr.write("usage: node dist/localnet/ibc.js start [--simd] | stop\n");
    process.exit(2);
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`[localnet:ibc] ${err.message}\n`);
    process.exit(1);
  });
}
