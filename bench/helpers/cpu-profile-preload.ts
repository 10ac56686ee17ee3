// Loaded with `node --require` (NODE_OPTIONS, which refuses --cpu-prof): profiles a mirad process
// from start to exit into MIRA_CPU_PROF_DIR/mirad-<pid>.cpuprofile (open in Chrome DevTools), and
// counts its CheckTx calls (new and recheck) and FinalizeBlock txs into mirad-<pid>.counts.json.
// Other node processes that inherit NODE_OPTIONS (the localnet script) are left alone.
import fs from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";
import type { RequestCheckTx, RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";

const dir = process.env["MIRA_CPU_PROF_DIR"];
const isMirad = /[\\/]app[\\/]cli[\\/]main\.js$/.test(process.argv[1] ?? "") && process.argv[2] === "start";

if (dir !== undefined && isMirad) {
  // Loaded here only, so that other processes do not pay for it; the same module instance as mirad's.
  const { MiraApp } = require("../../app/chain/app") as typeof import("../../app/chain/app");
  const counts = { checkTxNew: 0, checkTxRecheck: 0, finalizeBlocks: 0, finalizeTxs: 0 };
  const checkTx = MiraApp.prototype.checkTx;
  MiraApp.prototype.checkTx = function (this: InstanceType<typeof MiraApp>, req: RequestCheckTx) {
    if (req.type === 1)
      counts.checkTxRecheck++; // CheckTxType.RECHECK
    else counts.checkTxNew++;
    return checkTx.call(this, req);
  };
  const finalizeBlock = MiraApp.prototype.finalizeBlock;
  MiraApp.prototype.finalizeBlock = function (this: InstanceType<typeof MiraApp>, req: RequestFinalizeBlock) {
    counts.finalizeBlocks++;
    counts.finalizeTxs += req.txs.length;
    return finalizeBlock.call(this, req);
  };

  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  // The main thread's session answers synchronously, so this works in an exit handler.
  process.on("exit", () => {
    fs.writeFileSync(path.join(dir, `mirad-${process.pid}.counts.json`), JSON.stringify(counts));
    session.post("Profiler.stop", (err, res) => {
      if (err === null) fs.writeFileSync(path.join(dir, `mirad-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
