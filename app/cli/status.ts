// `mirad status`: what a node's CometBFT RPC /status says, as `simd status`.
import { toHex } from "@cosmjs/encoding";
import type { comet38 } from "@cosmjs/tendermint-rpc";
import { connectNode, NODE_FLAGS, NODE_HELP, nodeUrl, parseFlags, positionalArguments, printHelp } from "./flags";
import { OutputFormat, parseOutputFormat, printJson, printRecords } from "./output";

const STATUS_HELP = `Show a node's status: chain id, latest block, app hash, whether it is catching up, its id and moniker.

Usage: mirad status [flags]

${NODE_HELP}`;

type NodeStatus = comet38.StatusResponse;

export async function run(args: string[]): Promise<number> {
  const flags = parseFlags(args, NODE_FLAGS, "status");
  if (flags.values.help === true) return printHelp(STATUS_HELP);
  positionalArguments(flags.positionals, [], "status");
  const output = parseOutputFormat(flags.values.output);
  const client = await connectNode(nodeUrl(flags.values.node));
  try {
    printStatus(await client.status(), output);
  } finally {
    client.disconnect();
  }
  return 0;
}

/** JSON keeps CometBFT's own field names and nesting, so `jq .sync_info.latest_block_height` works as with simd. */
function printStatus(status: NodeStatus, output: OutputFormat): void {
  const { nodeInfo, syncInfo } = status;
  const nodeId = toHex(nodeInfo.id);
  const height = String(syncInfo.latestBlockHeight);
  const appHash = toHex(syncInfo.latestAppHash).toUpperCase();
  const blockTime = syncInfo.latestBlockTime.toISOString();
  if (output === "json") {
    printJson({
      node_info: { id: nodeId, network: nodeInfo.network, moniker: nodeInfo.moniker, version: nodeInfo.version },
      sync_info: {
        latest_block_hash: toHex(syncInfo.latestBlockHash).toUpperCase(),
        latest_app_hash: appHash,
        latest_block_height: height,
        latest_block_time: blockTime,
        catching_up: syncInfo.catchingUp,
      },
    });
    return;
  }
  printRecords([
    {
      chain_id: nodeInfo.network,
      latest_block_height: height,
      latest_block_time: blockTime,
      latest_app_hash: appHash,
      catching_up: String(syncInfo.catchingUp),
      node_id: nodeId,
      moniker: nodeInfo.moniker,
      version: nodeInfo.version,
    },
  ]);
}
