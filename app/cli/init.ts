// `mirad init`: a node home for someone joining a network: CometBFT's config and keys in <home>/cometbft,
// the application's state in <home>/app.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cometbftBinary, editGenesis, initHome, setConfig } from "./cometbft";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext } from "./command";
import { parseOutputFormat, printJson, printLine, usageError } from "./output";

const INIT_FLAGS = {
  home: { type: "string" },
  "chain-id": { type: "string" },
  output: { type: "string", short: "o", default: "text" },
  help: { type: "boolean", short: "h" },
} as const;

const INIT_HELP = `Create a node home: CometBFT's config, node key and validator key in <home>/cometbft (by the
project's CometBFT binary) and an empty application folder <home>/app. Refuses to touch an existing home.

Usage: mirad init <moniker> [flags]

      --home DIR                   node home (default $MIRA_HOME, else ~/.mira)
      --chain-id ID                chain id of the new genesis (joining a network replaces that genesis anyway)
  -o, --output text|json           output format (default text)
  -h, --help                       this help`;

interface NodeHome {
  moniker: string;
  node_id: string;
  chain_id: string;
  home: string;
  cometbft_home: string;
  app_home: string;
  config: string;
  genesis: string;
}

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags(args, INIT_FLAGS, "init");
  if (flags.values.help === true) return printHelp(INIT_HELP);
  const [moniker] = positionalArguments(flags.positionals, ["moniker"], "init");
  checkMoniker(moniker);
  const output = parseOutputFormat(flags.values.output);
  const home = path.resolve(flags.values.home ?? ctx.defaultHome);
  const created = createNodeHome(home, moniker, flags.values["chain-id"]);
  if (output === "json") printJson(created);
  else printNextSteps(created);
  return 0;
}

function checkMoniker(moniker: string): void {
  // eslint-disable-next-line no-control-regex -- a moniker with a control character is refused, on purpose
  if (moniker.trim() === "" || /[\u0000-\u001f]/.test(moniker)) throw usageError(`invalid moniker ${JSON.stringify(moniker)}: a name on one line`, "init");
}

function createNodeHome(home: string, moniker: string, chainId: string | undefined): NodeHome {
  const cometbftHome = path.join(home, "cometbft");
  const appHome = path.join(home, "app");
  for (const dir of [cometbftHome, appHome]) {
    if (fs.existsSync(dir)) throw new Error(`${dir} already exists: refusing to overwrite a node home; choose another --home`);
  }
  initHome(cometbftHome);
  // TOML basic strings escape as JSON strings do.
  setConfig(cometbftHome, { "": { moniker: JSON.stringify(moniker) } });
  if (chainId !== undefined) editGenesis(cometbftHome, (genesis) => (genesis["chain_id"] = chainId));
  fs.mkdirSync(appHome, { recursive: true });
  const genesis = path.join(cometbftHome, "config", "genesis.json");
  return {
    moniker,
    node_id: execFileSync(cometbftBinary(), ["show-node-id", "--home", cometbftHome]).toString().trim(),
    chain_id: (JSON.parse(fs.readFileSync(genesis, "utf8")) as { chain_id: string }).chain_id,
    home,
    cometbft_home: cometbftHome,
    app_home: appHome,
    config: path.join(cometbftHome, "config", "config.toml"),
    genesis,
  };
}

function printNextSteps(created: NodeHome): void {
  printLine(`Initialized node "${created.moniker}" in ${created.home}`);
  printLine(`  node id:  ${created.node_id}`);
  printLine(`  config:   ${created.config}`);
  printLine(`  genesis:  ${created.genesis} (chain id ${created.chain_id})`);
  printLine(`  app:      ${created.app_home}`);
  printLine("");
  printLine("Next steps, to join a network:");
  printLine(`  1. Replace ${created.genesis} with the network's genesis.json.`);
  printLine(`  2. In ${created.config}, set persistent_peers = "<node-id>@<host>:26656,..." to some of its nodes.`);
  printLine(`  3. Start the application:  mirad start --home ${created.app_home}`);
  printLine(`  4. Start CometBFT:         ${cometbftBinary()} start --home ${created.cometbft_home}`);
  printLine(`Your peers reach this node as ${created.node_id}@<your-host>:26656.`);
}
