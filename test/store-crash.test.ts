// Crash safety of the MultiStore: a child process (test/helpers/crash-writer.ts) commits
// deterministic blocks with sync "full" and is killed with SIGKILL at random moments. After each
// kill the database must reopen at the last announced version (or one more, when a commit reached
// the disk before its line was printed), with intact trees and exactly the state that replaying
// the writer's blocks gives. The next writer resumes on the same database.
import t from "tap";
import type { Test } from "tap";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appHashOf, MultiStore } from "../app/store";
import { applyBlock, blockWrites, BlockWrite, CRASH_KEEP_EVERY, CRASH_KEEP_RECENT, CRASH_PRUNING, CRASH_STORES, openCrashStore } from "./helpers/crash-writer";
import { Rng } from "./helpers/rng";

const CYCLES = 25;
const WRITER = path.join(__dirname, "helpers", "crash-writer.js");
const FIRST_COMMIT_TIMEOUT_MS = 20_000;
const SEED = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) : (Date.now() % 1_000_000_007) >>> 0;

/** What one writer printed before it was killed. */
interface WriterRun {
  resumedAt: number;
  commits: { version: number; appHash: string }[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** The writer's state replayed in memory: store → (latin1 key → value). */
type Model = Map<string, Map<string, Buffer>>;

function emptyModel(): Model {
  return new Map(CRASH_STORES.map((name) => [name, new Map<string, Buffer>()]));
}

function applyToModel(model: Model, writes: readonly BlockWrite[]): void {
  for (const w of writes) {
    const store = model.get(w.store)!;
    const k = w.key.toString("latin1");
    if (w.value === null) store.delete(k);
    else store.set(k, w.value);
  }
}

/** Most kills land 20–400 ms after the first commit; a few right after it. */
function killDelayMs(rng: Rng): number {
  return rng.next() < 0.15 ? rng.int(20) : 20 + rng.int(381);
}

function parseRun(stdout: string, signal: NodeJS.Signals | null, stderr: string): WriterRun {
  // Only complete lines count: a line cut by the kill was never announced.
  const lines = stdout.split("\n").slice(0, -1);
  const resumed = /^resumed (\d+)$/.exec(lines[0] ?? "");
  if (resumed === null) throw new Error(`writer did not start: stdout=${JSON.stringify(stdout)} stderr=${stderr}`);
  const commits = lines.slice(1).map((line) => {
    const m = /^committed (\d+) ([0-9a-f]{64})$/.exec(line);
    if (m === null) throw new Error(`unexpected writer line ${JSON.stringify(line)}`);
    return { version: Number(m[1]), appHash: m[2]! };
  });
  return { resumedAt: Number(resumed[1]), commits, signal, stderr };
}

/** Starts a writer on `dbPath` and SIGKILLs it `delayMs` after its first commit line. */
function runWriterUntilKilled(dbPath: string, delayMs: number, live: Set<ChildProcess>): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dbPath, String(SEED)], { stdio: ["ignore", "pipe", "pipe"] });
    live.add(child);
    let stdout = "";
    let stderr = "";
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (): boolean => child.kill("SIGKILL");
    const startTimer = setTimeout(kill, FIRST_COMMIT_TIMEOUT_MS);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (killTimer === undefined && stdout.includes("\ncommitted ")) {
        clearTimeout(startTimer);
        killTimer = setTimeout(kill, delayMs);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    // "close" comes after both pipes are drained, so every line printed before the kill is in.
    child.on("close", (_code, signal) => {
      live.delete(child);
      clearTimeout(startTimer);
      clearTimeout(killTimer);
      try {
        resolve(parseRun(stdout, signal, stderr));
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** Versions that pruning keeps after committing `latest`. */
function expectedRetained(latest: number): number[] {
  const out: number[] = [];
  for (let v = 1; v <= latest; v++) if (v > latest - CRASH_KEEP_RECENT || v % CRASH_KEEP_EVERY === 0) out.push(v);
  return out;
}

/** The first difference between the store's entries (via iterate) and the model, or "" when equal. */
function firstDifference(ms: MultiStore, name: string, expected: Map<string, Buffer>): string {
  const want = [...expected.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let i = 0;
  for (const [key, value] of ms.working.store(name).iterate()) {
    const w = want[i];
    const k = key.toString("latin1");
    if (w === undefined) return `${name}: extra key ${JSON.stringify(k)}`;
    if (w[0] !== k) return `${name}: key #${i} is ${JSON.stringify(k)}, expected ${JSON.stringify(w[0])}`;
    if (!w[1].equals(value)) return `${name}: wrong value for ${JSON.stringify(k)}`;
    i++;
  }
  if (i < want.length) return `${name}: missing key ${JSON.stringify(want[i]![0])} (and ${want.length - i - 1} more)`;
  const size = ms.viewAt(name, ms.version).size;
  return size === want.length ? "" : `${name}: tree size ${size}, expected ${want.length}`;
}

/**
 * Replays the writer's blocks into the in-memory model and into an uncrashed reference store up to
 * `version`, checking the reference's app hashes against what the writer announced.
 */
class Replay {
  readonly model = emptyModel();
  readonly reference = MultiStore.open(":memory:", { stores: CRASH_STORES, pruning: CRASH_PRUNING });
  readonly announced = new Map<number, string>();
  mismatches: string[] = [];

  advanceTo(version: number): void {
    while (this.reference.version < version) {
      const writes = blockWrites(SEED, this.reference.version + 1);
      applyToModel(this.model, writes);
      applyBlock(this.reference.working, writes);
      const info = this.reference.commit();
      const said = this.announced.get(info.version);
      if (said !== undefined && said !== info.appHash.toString("hex")) {
        this.mismatches.push(`version ${info.version}: writer announced ${said}, replay gives ${info.appHash.toString("hex")}`);
      }
    }
  }
}

function checkRun(t: Test, run: WriterRun, resumedAt: number): void {
  t.equal(run.signal, "SIGKILL", `the writer was killed, not exited (stderr: ${run.stderr.slice(0, 500)})`);
  t.equal(run.resumedAt, resumedAt, "the writer resumed at the reopened version");
  const versions = run.commits.map((c) => c.version);
  const contiguous = versions.every((v, i) => v === resumedAt + 1 + i);
  t.ok(versions.length > 0 && contiguous, `the writer announced versions ${resumedAt + 1}.. in order`);
}

function checkTrees(t: Test, ms: MultiStore, versions: readonly number[]): void {
  for (const v of versions) {
    const info = ms.commitInfoAt(v);
    const recomputed = info.stores.map((s) => ({ name: s.name, root: ms.recomputeRoot(s.name, v) }));
    const bad = recomputed.filter((r, i) => !r.root.equals(info.stores[i]!.root)).map((r) => r.name);
    t.same(bad, [], `version ${v}: every recomputed substore root equals its stored root`);
    t.ok(appHashOf(recomputed).equals(info.appHash), `version ${v}: the app hash of the recomputed roots is the stored app hash`);
  }
}

/** Latest, the recent window, and the newest and a random older kept multiple: full re-hash of each. */
function versionsToRehash(ms: MultiStore, rng: Rng): number[] {
  const kept = ms.versions;
  const recent = kept.filter((v) => v > ms.version - CRASH_KEEP_RECENT);
  const older = kept.filter((v) => !recent.includes(v));
  const picks = older.length === 0 ? [] : [older[older.length - 1]!, rng.pick(older)];
  return [...new Set([...picks, ...recent])].sort((a, b) => a - b);
}

function checkReopened(t: Test, ms: MultiStore, run: WriterRun, replay: Replay, rng: Rng): void {
  const lastAnnounced = run.commits[run.commits.length - 1]!.version;
  t.ok(
    ms.version === lastAnnounced || ms.version === lastAnnounced + 1,
    `reopened at version ${ms.version}: the last announced (${lastAnnounced}) or one more`,
  );
  const said = replay.announced.get(ms.version);
  if (said !== undefined) t.equal(ms.appHash.toString("hex"), said, "the reopened app hash is the announced one");
  t.same(ms.versions, expectedRetained(ms.version), "the kept versions are exactly what pruning keeps");

  replay.advanceTo(ms.version);
  t.same(replay.mismatches, [], "replaying the blocks gives the announced app hashes");
  t.ok(ms.appHash.equals(replay.reference.appHash), "the reopened app hash is the replayed one");
  const wrongKept = ms.versions.filter((v) => {
    const announced = replay.announced.get(v);
    return announced !== undefined && ms.commitInfoAt(v).appHash.toString("hex") !== announced;
  });
  t.same(wrongKept, [], "every kept version has the app hash announced for it");
  checkTrees(t, ms, versionsToRehash(ms, rng));
  for (const name of CRASH_STORES) {
    t.equal(firstDifference(ms, name, replay.model.get(name)!), "", `${name}: the reopened state is the replayed state`);
  }
}

t.test("SIGKILLed writers leave a consistent store that the next writer continues", async (t) => {
  t.comment(`seed ${SEED} (set CRASH_SEED to replay; kill timing still varies)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-crash-"));
  const dbPath = path.join(dir, "state.db");
  const live = new Set<ChildProcess>();
  const replay = new Replay();
  t.teardown(() => {
    for (const child of live) child.kill("SIGKILL");
    replay.reference.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rng = new Rng(SEED);
  let version = 0;
  let landedBeforeAnnounced = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const run = await runWriterUntilKilled(dbPath, killDelayMs(rng), live);
    checkRun(t, run, version);
    if (run.commits.length === 0) {
      t.fail(`cycle ${cycle}: no commit within ${FIRST_COMMIT_TIMEOUT_MS} ms (stderr: ${run.stderr.slice(0, 500)})`);
      break;
    }
    for (const c of run.commits) replay.announced.set(c.version, c.appHash);
    const ms = openCrashStore(dbPath);
    try {
      checkReopened(t, ms, run, replay, rng);
      if (ms.version > run.commits[run.commits.length - 1]!.version) landedBeforeAnnounced++;
      version = ms.version;
    } finally {
      ms.close();
    }
  }
  t.comment(`${CYCLES} kills, ${version} versions; ${landedBeforeAnnounced} kills fell between a commit and its line`);
});
