// The ABCI socket server against a raw socket: ordering per connection, one serial queue across
// connections (which a waiting Query does not hold), flush semantics, errors, and the application
// called as a plain object.
import t from "tap";
import type { Application } from "../abci";
import { connect, frame, startServer, until } from "./helpers/abci-client";

/** A fake app whose async handlers record when they start and end. */
function recordingApp(trace: string[]): Application {
  const slow = async <T>(name: string, value: T): Promise<T> => {
    trace.push(`start ${name}`);
    await new Promise((r) => setTimeout(r, 5));
    trace.push(`end ${name}`);
    return value;
  };
  return {
    info: (req) => slow(`info ${req.version}`, { data: "test-app", lastBlockHeight: 7n, lastBlockAppHash: Buffer.from("hash") }),
    initChain: () => ({}),
    query: (req) => slow(`query ${req.path}`, { code: 0, value: Buffer.from(req.path), height: 7n }),
    checkTx: (req) => {
      if (req.tx.length === 0) throw new Error("boom: empty tx");
      return slow(`checkTx ${Buffer.from(req.tx).toString()}`, { code: 0 });
    },
    prepareProposal: (req) => ({ txs: req.txs }),
    processProposal: () => ({ status: 1 }),
    extendVote: () => ({}),
    verifyVoteExtension: () => ({ status: 1 }),
    finalizeBlock: () => ({}),
    commit: () => ({ retainHeight: 0n }),
  };
}

t.test("requests packed in one write are answered in order, flush last", async (t) => {
  const trace: string[] = [];
  const port = await startServer(t, recordingApp(trace));
  const c = await connect(t, port);
  c.send(Buffer.concat([frame({ echo: { message: "hi" } }), frame({ info: { version: "0.38.26" } }), frame({ query: { path: "/a" } }), frame({ flush: {} })]));
  await until(() => c.responses.length === 4);
  t.equal(c.responses[0]!.echo?.message, "hi");
  t.equal(c.responses[1]!.info?.data, "test-app");
  t.equal(c.responses[1]!.info?.lastBlockHeight, 7n);
  t.equal(Buffer.from(c.responses[2]!.query!.value).toString(), "/a");
  t.ok(c.responses[3]!.flush, "flush answered after the responses before it");
});

t.test("a request split byte by byte still gets its answer", async (t) => {
  const port = await startServer(t, recordingApp([]));
  const c = await connect(t, port);
  const bytes = Buffer.concat([frame({ query: { path: "/split" } }), frame({ flush: {} })]);
  for (const b of bytes) {
    c.send(Buffer.of(b));
    await new Promise((r) => setImmediate(r));
  }
  await until(() => c.responses.length === 2);
  t.equal(Buffer.from(c.responses[0]!.query!.value).toString(), "/split");
});

t.test("one serial queue across connections: handlers never overlap", async (t) => {
  const trace: string[] = [];
  const port = await startServer(t, recordingApp(trace));
  const conns = await Promise.all([connect(t, port), connect(t, port), connect(t, port), connect(t, port)]);
  conns.forEach((c, i) => {
    const reqs: Buffer[] = [];
    for (let j = 0; j < 5; j++) reqs.push(frame({ checkTx: { tx: Buffer.from(`c${i}-${j}`) } }));
    reqs.push(frame({ flush: {} }));
    c.send(Buffer.concat(reqs));
  });
  await until(() => conns.every((c) => c.responses.length === 6));
  for (let i = 0; i < trace.length; i += 2) {
    t.equal(trace[i]!.replace("start", "end"), trace[i + 1], `no interleaving at ${trace[i]}`);
  }
  conns.forEach((c) => t.ok(c.responses[5]!.flush && c.responses.slice(0, 5).every((r) => r.checkTx)));
  const order = trace.filter((l) => l.startsWith("start")).map((l) => l.split(" ")[2]!);
  for (let i = 0; i < 4; i++) {
    const mine = order.filter((x) => x.startsWith(`c${i}-`));
    t.same(
      mine,
      [0, 1, 2, 3, 4].map((j) => `c${i}-${j}`),
      `connection ${i} served in its own order`,
    );
  }
});

t.test("an application error becomes a ResponseException and is logged", async (t) => {
  const logs: string[] = [];
  const port = await startServer(t, recordingApp([]), logs);
  const c = await connect(t, port);
  c.send(Buffer.concat([frame({ checkTx: { tx: new Uint8Array() } }), frame({ flush: {} })]));
  await until(() => c.responses.length === 2);
  t.match(c.responses[0]!.exception?.error, /boom: empty tx/);
  t.ok(logs.some((l) => l.includes("boom")));
});

t.test("garbage on the wire gets an exception and the connection is closed", async (t) => {
  const logs: string[] = [];
  const port = await startServer(t, recordingApp([]), logs);
  const c = await connect(t, port);
  c.send(Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]));
  await c.closed;
  t.match(c.responses[0]?.exception?.error ?? "", /undecodable request/);
});

t.test("a synchronous CheckTx and a Flush answered at once still come after an earlier slow request", async (t) => {
  const trace: string[] = [];
  const app = recordingApp(trace);
  let checks = 0;
  app.checkTx = (req) => {
    checks++;
    trace.push(`checkTx ${Buffer.from(req.tx).toString()}`);
    return { code: 0, log: `checked ${Buffer.from(req.tx).toString()}` };
  };
  const port = await startServer(t, app);
  const c = await connect(t, port);
  // Alone (nothing queued): answered on the spot.
  c.send(Buffer.concat([frame({ checkTx: { tx: Buffer.from("a") } }), frame({ flush: {} })]));
  await until(() => c.responses.length === 2);
  t.equal(c.responses[0]!.checkTx?.log, "checked a");
  t.ok(c.responses[1]!.flush);
  // Behind a slow query (5 ms): their answers wait for it, in order.
  c.send(Buffer.concat([frame({ query: { path: "/slow" } }), frame({ checkTx: { tx: Buffer.from("b") } }), frame({ flush: {} })]));
  await until(() => c.responses.length === 5);
  t.equal(Buffer.from(c.responses[2]!.query!.value).toString(), "/slow");
  t.equal(c.responses[3]!.checkTx?.log, "checked b");
  t.ok(c.responses[4]!.flush);
  // A Query does not hold the queue while it waits (see the next tests): the CheckTx ran meanwhile.
  t.same(trace, ["checkTx a", "start query /slow", "checkTx b", "end query /slow"], "the CheckTx ran while the query waited");
  // Split across TCP chunks: the flush still waits for the query before it.
  c.send(frame({ query: { path: "/slow2" } }));
  await new Promise((r) => setTimeout(r, 1));
  c.send(frame({ flush: {} }));
  await until(() => c.responses.length === 7);
  t.equal(Buffer.from(c.responses[5]!.query!.value).toString(), "/slow2");
  t.ok(c.responses[6]!.flush);
  t.equal(checks, 2);
});

t.test("any other slow request holds the queue: a CheckTx behind it runs after it ends", async (t) => {
  const trace: string[] = [];
  const app = recordingApp(trace);
  app.checkTx = (req) => {
    trace.push(`checkTx ${Buffer.from(req.tx).toString()}`);
    return { code: 0 };
  };
  const port = await startServer(t, app);
  const c = await connect(t, port);
  c.send(Buffer.concat([frame({ info: { version: "slow" } }), frame({ checkTx: { tx: Buffer.from("b") } }), frame({ flush: {} })]));
  await until(() => c.responses.length === 3);
  t.ok(c.responses[0]!.info && c.responses[1]!.checkTx && c.responses[2]!.flush, "answered in order");
  t.same(trace, ["start info slow", "end info slow", "checkTx b"]);
});

t.test("a Query that waits on a CheckTx (abci_query of BroadcastTx) does not deadlock, and answers keep each connection's order", async (t) => {
  const trace: string[] = [];
  const app = recordingApp(trace);
  let checked: () => void = () => undefined;
  const checkTxCame = new Promise<void>((resolve) => (checked = resolve));
  app.checkTx = (req) => {
    trace.push(`checkTx ${Buffer.from(req.tx).toString()}`);
    checked();
    return { code: 0 };
  };
  app.query = async (req) => {
    trace.push(`start query ${req.path}`);
    await checkTxCame; // as CometBFT's broadcast_tx_sync waits on the mempool connection's CheckTx
    trace.push(`end query ${req.path}`);
    return { code: 0, value: Buffer.from(req.path) };
  };
  const port = await startServer(t, app);
  const [query, mempool] = await Promise.all([connect(t, port), connect(t, port)]);
  query.send(Buffer.concat([frame({ query: { path: "/broadcast" } }), frame({ info: { version: "after" } }), frame({ flush: {} })]));
  await until(() => trace.includes("start query /broadcast"));
  mempool.send(Buffer.concat([frame({ checkTx: { tx: Buffer.from("tx") } }), frame({ flush: {} })]));
  await until(() => query.responses.length === 3 && mempool.responses.length === 2);
  t.equal(Buffer.from(query.responses[0]!.query!.value).toString(), "/broadcast");
  t.ok(query.responses[1]!.info, "the Info behind the Query on its connection is answered after it");
  t.ok(query.responses[2]!.flush);
  t.ok(mempool.responses[0]!.checkTx && mempool.responses[1]!.flush);
  // The Info still held the queue; the CheckTx ran after it, while the Query waited on it.
  t.same(trace, ["start query /broadcast", "start info after", "end info after", "checkTx tx", "end query /broadcast"]);
});
