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

type Handler<Req, Res> = (req: Req) => Res | Promise<Res>;

/**
 * What the ABCI server drives: a plain object with one method per ABCI 2.0 request, so that tests
 * can call it without a socket. Responses may be partial: the server fills protobuf defaults.
 * State sync is optional; without it the server answers "no snapshots" / "reject".
 */
export interface Application {
  info: Handler<RequestInfo, Partial<ResponseInfo>>;
  initChain: Handler<RequestInitChain, Partial<ResponseInitChain>>;
  query: Handler<RequestQuery, Partial<ResponseQuery>>;
  checkTx: Handler<RequestCheckTx, Partial<ResponseCheckTx>>;
  prepareProposal: Handler<RequestPrepareProposal, Partial<ResponsePrepareProposal>>;
  processProposal: Handler<RequestProcessProposal, Partial<ResponseProcessProposal>>;
  extendVote: Handler<RequestExtendVote, Partial<ResponseExtendVote>>;
  verifyVoteExtension: Handler<RequestVerifyVoteExtension, Partial<ResponseVerifyVoteExtension>>;
  finalizeBlock: Handler<RequestFinalizeBlock, Partial<ResponseFinalizeBlock>>;
  commit: Handler<RequestCommit, Partial<ResponseCommit>>;
  listSnapshots?: Handler<RequestListSnapshots, Partial<ResponseListSnapshots>>;
  offerSnapshot?: Handler<RequestOfferSnapshot, Partial<ResponseOfferSnapshot>>;
  loadSnapshotChunk?: Handler<RequestLoadSnapshotChunk, Partial<ResponseLoadSnapshotChunk>>;
  applySnapshotChunk?: Handler<RequestApplySnapshotChunk, Partial<ResponseApplySnapshotChunk>>;
}
