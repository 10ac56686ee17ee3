// Loaded with `node --require` (NODE_OPTIONS, which refuses --cpu-prof): profiles a mirad process
// from start to exit and writes MIRA_CPU_PROF_DIR/mirad-<pid>.cpuprofile (open in Chrome DevTools).
// Other node processes that inherit NODE_OPTIONS (the localnet script) are left alone.
import fs from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env["MIRA_CPU_PROF_DIR"];
const isMirad = /[\\/]app[\\/]cli[\\/]main\.js$/.test(process.argv[1] ?? "") && process.argv[2] === "start";

if (dir !== undefined && isMirad) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  // The main thread's session answers synchronously, so this works in an exit handler.
  process.on("exit", () => {
    session.post("Profiler.stop", (err, res) => {
      if (err === null) fs.writeFileSync(path.join(dir, `mirad-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
