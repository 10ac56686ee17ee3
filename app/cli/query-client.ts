// The node plumbing of every mirad query (and of the tx commands that read before they sign): the
// common query flags, a CosmJS QueryClient at --height, CometBFT RPC connections, and errors in our words.
import { QueryAbciResponse, QueryClient } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { connectNode, NODE_FLAGS, NODE_HELP, nodeUrl } from "./flags";

export const QUERY_FLAGS = { ...NODE_FLAGS, height: { type: "string" } } as const;

export const QUERY_FLAGS_HELP = `      --height H                   read the state as of block H (default: the latest)
${NODE_HELP}`;

/** Query commands need no keyring and no home, only their arguments. */
export type QueryHandler = (args: string[]) => Promise<number>;

/**
 * A QueryClient whose queries all read the state at `height` (the latest when undefined), so that
 * CosmJS's module extensions, which never pass a height, honour --height.
 */
class QueryClientAtHeight extends QueryClient {
  constructor(
    cometClient: CometClient,
    private readonly height: number | undefined,
  ) {
    super(cometClient);
  }

  override queryAbci(path: string, request: Uint8Array, desiredHeight?: number): Promise<QueryAbciResponse> {
    return super.queryAbci(path, request, desiredHeight ?? this.height);
  }
}

/** Connects to --node, runs `query`, and disconnects whatever happens. */
export async function withQueryClient<T>(node: string, height: number | undefined, query: (client: QueryClient) => Promise<T>): Promise<T> {
  const cometClient = await connectNode(nodeUrl(node));
  try {
    return await query(new QueryClientAtHeight(cometClient, height));
  } catch (err) {
    throw queryError(err);
  } finally {
    cometClient.disconnect();
  }
}

/** CosmJS says "Query failed with (5): log"; one line that says the same in our words. */
function queryError(err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const failed = /^Query failed with \((\d+)\): (.*)$/s.exec(message);
  return new Error(failed ? `query failed with code ${failed[1]}: ${failed[2]}` : `query failed: ${message}`);
}

/** The chain answers an unknown account with gRPC's NotFound; CosmJS passes that on as an error. */
export function nullWhenNotFound(err: unknown): null {
  if (err instanceof Error && /code = NotFound/.test(err.message)) return null;
  throw err;
}

/** Connects to --node's CometBFT RPC, runs `use`, and disconnects whatever happens. */
export async function withNode<T>(node: string, use: (comet: CometClient) => Promise<T>): Promise<T> {
  const comet = await connectNode(nodeUrl(node));
  try {
    return await use(comet);
  } finally {
    comet.disconnect();
  }
}
