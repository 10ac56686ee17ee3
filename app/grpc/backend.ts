import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Event, RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

/** What the query registry (services.ts) needs from the app; the registry itself knows no module. */
export interface GrpcBackend {
  /**
   * Runs a registered gRPC query method, e.g. "/cosmos.bank.v1beta1.Query/Balance", with the protobuf
   * request bytes, at height (0n = latest). Returns protobuf response bytes and the height it was
   * answered at. Throws ChainError (app/core/errors.ts) on failure; code 22 (KeyNotFound) or 38 (NotFound)
   * mean not found.
   */
  query(method: string, request: Uint8Array, height: bigint): Promise<{ value: Uint8Array; height: bigint }>;
  /** The query methods to expose (full paths). */
  queryMethods(): string[];
  /** Runs a tx without committing it: returns gas used/wanted and the result, or throws ChainError. */
  simulate(txBytes: Uint8Array): Promise<{ gasWanted: bigint; gasUsed: bigint; result: SimulatedResult }>;
  /**
   * CometBFT RPC base URL of the node (e.g. http://127.0.0.1:26657), for GetTx, BroadcastTx, GetNodeInfo
   * and the blocks; undefined (an app without a node, in tests) makes those answer UNAVAILABLE.
   */
  readonly cometRpcUrl: string | undefined;
  /** The app's own ABCI Query (cosmos.base.tendermint.v1beta1.Service/ABCIQuery runs it in process, as the SDK does). */
  abciQuery(request: RequestQuery): Promise<Partial<ResponseQuery>>;
  /** e.g. "0.025umira" for cosmos.base.node.v1beta1.Service/Config. */
  readonly minimumGasPrice: string;
}

/** The result of a simulated tx, as `cosmos.base.abci.v1beta1.Result` carries it. */
export interface SimulatedResult {
  data: Uint8Array;
  log: string;
  events: Event[];
  msgResponses: Any[];
}
