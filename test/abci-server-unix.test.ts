// The ABCI server on a unix socket (proxy_app = "unix://..."): a socket file left by a killed
// process is replaced, a live one or a file that is not a socket is refused with a clear error.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Response } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { AbciServer, Application, FrameDecoder } from "../abci";
import { frame, until } from "./helpers/abci-client";
import { tempDir } from "./helpers/tmp";

const app: Application = {
  info: () => ({ data: "unix-app", lastBlockHeight: 3n }),
  initChain: () => ({}),
  query: () => ({}),
  checkTx: () => ({ code: 0 }),
  prepareProposal: () => ({}),
  processProposal: () => ({ status: 1 }),
  extendVote: () => ({}),
  verifyVoteExtension: () => ({ status: 1 }),
  finalizeBlock: () => ({}),
  commit: () => ({}),
};

async function infoOver(file: string): Promise<Response[]> {
  const socket = net.connect(file);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  const decoder = new FrameDecoder();
  const responses: Response[] = [];
  socket.on("data", (c: Buffer) => {
    for (const f of decoder.push(c)) responses.push(Response.decode(f));
  });
  socket.write(Buffer.concat([frame({ info: {} }), frame({ flush: {} })]));
  await until(() => responses.length === 2);
  socket.destroy();
  return responses;
}

t.test("a stale socket file from a SIGKILLed process is replaced", async (t) => {
  const file = path.join(tempDir(t), "abci.sock");
  // Another process listens on the path and dies without cleaning up.
  const child = spawn(process.execPath, ["-e", `require("net").createServer().listen(${JSON.stringify(file)}, () => console.log("up"))`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((r) => child.stdout!.once("data", () => r()));
  child.kill("SIGKILL");
  await new Promise<void>((r) => child.once("exit", () => r()));
  t.ok(fs.statSync(file).isSocket(), "the dead process left its socket file");
  const server = new AbciServer(app, { log: () => undefined });
  await server.listen(`unix://${file}`);
  t.teardown(() => server.close());
  const res = await infoOver(file);
  t.equal(res[0]!.info?.data, "unix-app");
  t.equal(res[0]!.info?.lastBlockHeight, 3n);
  t.ok(res[1]!.flush);
});

t.test("a live listener or a file that is not a socket is refused", async (t) => {
  const dir = tempDir(t);
  const live = path.join(dir, "live.sock");
  const other = net.createServer();
  await new Promise<void>((r) => other.listen(live, () => r()));
  t.teardown(() => new Promise<void>((r) => other.close(() => r())));
  await t.rejects(new AbciServer(app).listen(`unix://${live}`), /another process already listens on .*live\.sock/);
  const plain = path.join(dir, "plain");
  fs.writeFileSync(plain, "not a socket");
  await t.rejects(new AbciServer(app).listen(`unix://${plain}`), /exists and is not a socket/);
  t.equal(fs.readFileSync(plain, "utf8"), "not a socket", "the file is left alone");
});
