import {
  Event,
  EventAttribute,
  ExecTxResult,
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
import type { DeepPartial } from "cosmjs-types/helpers";
import type { Application } from "./application";

const EMPTY = new Uint8Array();

/** Events as the encoder needs them; complete ones (what apps normally build) are used as they are. */
function events(list: readonly DeepPartial<Event>[] | undefined): Event[] {
  if (list === undefined || list.length === 0) return [];
  const complete = list.every(
    (e) =>
      typeof e.type === "string" &&
      Array.isArray(e.attributes) &&
      e.attributes.every((a: DeepPartial<EventAttribute>) => typeof a.key === "string" && typeof a.value === "string" && typeof a.index === "boolean"),
  );
  return complete ? (list as Event[]) : list.map((e) => Event.fromPartial(e));
}

/**
 * The per-tx responses (CheckTx for every tx, a result per tx in FinalizeBlock) completed
 * without `fromPartial`, which copies every event and re-parses every number through a string.
 */
function txResult(r: DeepPartial<ExecTxResult>): ExecTxResult {
  return {
    code: r.code ?? 0,
    data: r.data ?? EMPTY,
    log: r.log ?? "",
    info: r.info ?? "",
    gasWanted: BigInt(r.gasWanted ?? 0n),
    gasUsed: BigInt(r.gasUsed ?? 0n),
    events: events(r.events),
    codespace: r.codespace ?? "",
  };
}

function finalizeBlockResponse(r: DeepPartial<ResponseFinalizeBlock>): ResponseFinalizeBlock {
  const { txResults, events: blockEvents, ...rest } = r;
  const out = ResponseFinalizeBlock.fromPartial(rest);
  out.txResults = (txResults ?? []).map(txResult);
  out.events = events(blockEvents);
  return out;
}

/** The CheckTx answer completed as a Response (see txResult). */
export function checkTxResponse(answer: DeepPartial<ResponseCheckTx>): Response {
  return { checkTx: txResult(answer) satisfies ResponseCheckTx };
}

/** Answers one request with the application; echo and flush never reach it. */
export async function dispatch(app: Application, req: Request): Promise<Response> {
  if (req.echo) return { echo: { message: req.echo.message } };
  if (req.flush) return { flush: {} };
  if (req.info) return { info: ResponseInfo.fromPartial(await app.info(req.info)) };
  if (req.initChain) return { initChain: ResponseInitChain.fromPartial(await app.initChain(req.initChain)) };
  if (req.query) return { query: ResponseQuery.fromPartial(await app.query(req.query)) };
  if (req.checkTx) return { checkTx: txResult(await app.checkTx(req.checkTx)) satisfies ResponseCheckTx };
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
  if (req.finalizeBlock) return { finalizeBlock: finalizeBlockResponse(await app.finalizeBlock(req.finalizeBlock)) };
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
