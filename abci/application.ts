import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestCommit,
  RequestExtendVote,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestListSnapshots,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  RequestVerifyVoteExtension,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseExtendVote,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";

import type { DeepPartial } from "cosmjs-types/helpers";

type Handler<Req, Res> = (req: Req) => DeepPartial<Res> | Promise<DeepPartial<Res>>;

/**
 * What the ABCI server drives: a plain object with one method per ABCI 2.0 request, so that tests
 * can call it without a socket. Responses may be partial (nested too): the server fills protobuf defaults.
 * State sync is optional; without it the server answers "no snapshots" / "reject".
 */
export interface Application {
  info: Handler<RequestInfo, ResponseInfo>;
  initChain: Handler<RequestInitChain, ResponseInitChain>;
  /** Read-only. The server does not wait for a returned promise before the next request: read state before the first await. */
  query: Handler<RequestQuery, ResponseQuery>;
  checkTx: Handler<RequestCheckTx, ResponseCheckTx>;
  prepareProposal: Handler<RequestPrepareProposal, ResponsePrepareProposal>;
  processProposal: Handler<RequestProcessProposal, ResponseProcessProposal>;
  extendVote: Handler<RequestExtendVote, ResponseExtendVote>;
  verifyVoteExtension: Handler<RequestVerifyVoteExtension, ResponseVerifyVoteExtension>;
  finalizeBlock: Handler<RequestFinalizeBlock, ResponseFinalizeBlock>;
  commit: Handler<RequestCommit, ResponseCommit>;
  listSnapshots?: Handler<RequestListSnapshots, ResponseListSnapshots>;
  offerSnapshot?: Handler<RequestOfferSnapshot, ResponseOfferSnapshot>;
  loadSnapshotChunk?: Handler<RequestLoadSnapshotChunk, ResponseLoadSnapshotChunk>;
  applySnapshotChunk?: Handler<RequestApplySnapshotChunk, ResponseApplySnapshotChunk>;
}
