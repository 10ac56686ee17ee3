// A minimal key=value application over the real store, to drive the ABCI server under CometBFT.
import type { Application } from "../../abci";
import { MultiStore } from "../../app/store";

const STORE = "kv";

function parseTx(tx: Uint8Array): [Buffer, Buffer] | undefined {
  const s = Buffer.from(tx).toString("utf8");
  const i = s.indexOf("=");
  if (i <= 0 || i === s.length - 1) return undefined;
  return [Buffer.from(s.slice(0, i)), Buffer.from(s.slice(i + 1))];
}

export function kvApp(ms: MultiStore): Application {
  return {
    info: () => ({ data: "kv-test", lastBlockHeight: BigInt(Math.max(ms.version, 0)), lastBlockAppHash: ms.appHash }),
    initChain: () => ({}),
    checkTx: (req) => (parseTx(req.tx) ? { code: 0, gasWanted: 1n } : { code: 1, log: "tx must be key=value" }),
    prepareProposal: (req) => ({ txs: req.txs }),
    processProposal: () => ({ status: 1 }),
    extendVote: () => ({}),
    verifyVoteExtension: () => ({ status: 1 }),
    finalizeBlock: (req) => {
      if (BigInt(ms.version + 1) !== req.height) throw new Error(`block ${req.height} after store version ${ms.version}`);
      const txResults = req.txs.map((tx) => {
        const kv = parseTx(tx);
        if (!kv) return { code: 1, log: "tx must be key=value" };
        ms.working.store(STORE).set(kv[0], kv[1]);
        return { code: 0 };
      });
      return { txResults, appHash: ms.workingHash() };
    },
    commit: () => {
      ms.commit();
      return { retainHeight: 0n };
    },
    query: (req) => {
      const version = req.height === 0n ? ms.version : Number(req.height);
      if (req.path !== `/store/${STORE}/key`) return { code: 1, log: `unknown path ${req.path}`, height: BigInt(version) };
      if (req.prove) {
        const q = ms.prove(STORE, req.data, version);
        return { code: 0, key: req.data, value: q.value, height: BigInt(version), proofOps: { ops: q.proofOps } };
      }
      return { code: 0, key: req.data, value: ms.viewAt(STORE, version).get(req.data), height: BigInt(version) };
    },
  };
}

export const KV_STORES = [STORE];
