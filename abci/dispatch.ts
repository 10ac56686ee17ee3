import {
  Request,
  Response,
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
  ResponseOfferSnapshot_Result,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";
import type { Application } from "./application";

/** Answers one request with the application; echo and flush never reach it. */
export async function dispatch(app: Application, req: Request): Promise<Response> {
  if (req.echo) return { echo: { message: req.echo.message } };
  if (req.flush) return { flush: {} };
  if (req.info) return { info: ResponseInfo.fromPartial(await app.info(req.info)) };
  if (req.initChain) return { initChain: ResponseInitChain.fromPartial(await app.initChain(req.initChain)) };
  if (req.query) return { query: ResponseQuery.fromPartial(await app.query(req.query)) };
  if (req.checkTx) return { checkTx: ResponseCheckTx.fromPartial(await app.checkTx(req.checkTx)) };
  if (req.prepareProposal) {
    return { prepareProposal: ResponsePrepareProposal.fromPartial(await app.prepareProposal(req.prepareProposal)) };
  }
  if (req.processProposal) {
    return { processProposal: ResponseProcessProposal.fromPartial(await app.processProposal(req.processProposal)) };
  }
  if (req.extendVote) return { extendVote: ResponseExtendVote.fromPartial(await app.extendVote(req.extendVote)) };
  if (req.verifyVoteExtension) {
    return {
      verifyVoteExtension: ResponseVerifyVoteExtension.fromPartial(await app.verifyVoteExtension(req.verifyVoteExtension)),
    };
  }
  if (req.finalizeBlock) return { finalizeBlock: ResponseFinalizeBlock.fromPartial(await app.finalizeBlock(req.finalizeBlock)) };
  if (req.commit) return { commit: ResponseCommit.fromPartial(await app.commit(req.commit)) };
  if (req.listSnapshots) {
    const res = app.listSnapshots ? await app.listSnapshots(req.listSnapshots) : {};
    return { listSnapshots: ResponseListSnapshots.fromPartial(res) };
  }
  if (req.offerSnapshot) {
    const res = app.offerSnapshot ? await app.offerSnapshot(req.offerSnapshot) : { result: ResponseOfferSnapshot_Result.REJECT };
    return { offerSnapshot: ResponseOfferSnapshot.fromPartial(res) };
  }
  if (req.loadSnapshotChunk) {
    const res = app.loadSnapshotChunk ? await app.loadSnapshotChunk(req.loadSnapshotChunk) : {};
    return { loadSnapshotChunk: ResponseLoadSnapshotChunk.fromPartial(res) };
  }
  if (req.applySnapshotChunk) {
    const res = app.applySnapshotChunk ? await app.applySnapshotChunk(req.applySnapshotChunk) : {};
    return { applySnapshotChunk: ResponseApplySnapshotChunk.fromPartial(res) };
  }
  return { exception: { error: "unknown ABCI request type" } };
}
