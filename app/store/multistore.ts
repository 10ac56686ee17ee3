import Database from "better-sqlite3";
import type { Database as DB, Statement } from "better-sqlite3";
import type { CommitmentProof } from "cosmjs-types/cosmos/ics23/v1/proofs";
import { CommitmentProof as CommitmentProofCodec } from "cosmjs-types/cosmos/ics23/v1/proofs";
import type { ProofOp } from "cosmjs-types/tendermint/crypto/proof";
import { EMPTY_HASH, putUvarint, readUvarint } from "./encoding";
import { StoreError, StoreErrorCode } from "./errors";
import { innerHash, leafHash, Node, NodeEncoder } from "./node";
import { NodeDb } from "./nodedb";
import { PROOF_OP_IAVL, PROOF_OP_SIMPLE } from "./ics23";
import { commitmentProof, simpleExistenceProof } from "./proof";
import { Branch, StoreSource } from "./branch";
import type { KVReader, KVStore } from "./kv";
import { mapLeaf, simpleProof, simpleRoot } from "./simple-merkle";
import { buildVersion, SavedTree, TreeView } from "./tree";

export interface PruningOptions {
  /** Versions to keep counting back from the latest (≥ 1), or "all" to never prune. Default 100. */
  keepRecent?: number | "all";
  /** Also keep every version that is a multiple of this (0 = none). Default 0. */
  keepEvery?: number;
}

export interface MultiStoreOptions {
  /** Substore names (one per module). Order does not matter: the app hash sorts them. */
  stores: readonly string[];
  pruning?: PruningOptions;
  /** The first version to commit when the database is empty (CometBFT's initial_height). Default 1. */
  initialVersion?: number;
  /** Tree nodes kept in memory. Default 500,000. */
  cacheNodes?: number;
  /** Bytes of the database file SQLite maps into memory for reads. Default 1 GiB; 0 turns it off. */
  mmapBytes?: number;
  /** SQLite synchronous mode: "full" survives power loss, "normal" survives process crashes. Default "full". */
  sync?: "full" | "normal";
}

export interface StoreRoot {
  name: string;
  root: Buffer;
}

export interface CommitInfo {
  version: number;
  appHash: Buffer;
  stores: StoreRoot[];
}

/** A value (or its absence) with the CometBFT ProofOps [substore proof, root proof] that prove it. */
export interface ProvenQuery {
  version: number;
  value: Buffer | undefined;
  appHash: Buffer;
  /** ICS-23 proof of the key in its substore (`ics23:iavl`). */
  storeProof: CommitmentProof;
  /** ICS-23 proof of (store name → substore root) in the app hash (`ics23:simple`). */
  rootProof: CommitmentProof;
  proofOps: ProofOp[];
}

interface PendingVersion {
  version: number;
  idBefore: number;
  saved: Map<string, SavedTree>;
  stores: StoreRoot[];
  appHash: Buffer;
}

const FORMAT = "mira-store/1";
const INSERT_BATCH = 64;

/** App hash of a set of substore roots: CometBFT simple Merkle root over (name → root) sorted by name. */
export function appHashOf(stores: StoreRoot[]): Buffer {
  const sorted = [...stores].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return simpleRoot(sorted.map((s) => mapLeaf(Buffer.from(s.name, "utf8"), s.root)));
}

/**
 * The chain's state: named substores, each a versioned IAVL-hashed AVL tree, persisted in one
 * SQLite database. One `commit()` is one SQLite transaction, so a crash at any moment leaves the
 * last committed version intact. Writes go to the working (block) layer or branches of it.
 */
export class MultiStore implements StoreSource {
  readonly storeNames: readonly string[];
  private readonly db: DB;
  private readonly ndb: NodeDb;
  private readonly keepRecent: number | "all";
  private readonly keepEvery: number;
  private readonly initialVersion: number;
  private latest: number;
  private latestHash: Buffer;
  private nextNodeId: number;
  /** Retained versions, ascending. */
  private retained: number[];
  private views = new Map<string, TreeView>();
  private block: Branch;
  private closed = false;
  private readonly encoder = new NodeEncoder();
  /** The next version, built and hashed by workingHash() and not yet written. */
  private pending: PendingVersion | undefined;
  private readonly stmt: {
    insertNode: Statement<[number, Buffer]>;
    insertNodes: Statement<(number | Buffer)[]>;
    insertOrphans: Statement<[number, Buffer]>;
    orphansBetween: Statement<[number, number], { to_version: number; data: Buffer }>;
    updateOrphans: Statement<[Buffer, number]>;
    deleteOrphans: Statement<[number]>;
    deleteNode: Statement<[number]>;
    insertRoot: Statement<[string, number, number | null, Buffer]>;
    insertVersion: Statement<[number, Buffer]>;
    rootsAt: Statement<[number], { store: string; root_id: number | null; root_hash: Buffer }>;
    versionRow: Statement<[number], { app_hash: Buffer }>;
    deleteRoots: Statement<[number]>;
    deleteVersion: Statement<[number]>;
  };

  static open(path: string, options: MultiStoreOptions): MultiStore {
    return new MultiStore(path, options);
  }

  private constructor(path: string, options: MultiStoreOptions) {
    this.storeNames = validateStoreNames(options.stores);
    this.keepRecent = options.pruning?.keepRecent ?? 100;
    this.keepEvery = options.pruning?.keepEvery ?? 0;
    if (this.keepRecent !== "all" && (!Number.isSafeInteger(this.keepRecent) || this.keepRecent < 1)) {
      throw new StoreError(StoreErrorCode.InvalidOptions, `pruning.keepRecent must be an integer ≥ 1 or "all", got ${this.keepRecent}`);
    }
    if (!Number.isSafeInteger(this.keepEvery) || this.keepEvery < 0) {
      throw new StoreError(StoreErrorCode.InvalidOptions, `pruning.keepEvery must be an integer ≥ 0, got ${this.keepEvery}`);
    }
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${options.sync === "normal" ? "NORMAL" : "FULL"}`);
    this.db.pragma("cache_size = -131072");
    // Reads of nodes that fell out of the node cache go through the OS page cache without a syscall.
    this.db.pragma(`mmap_size = ${options.mmapBytes ?? 2 ** 30}`);
    this.createSchema();
    const cacheNodes = options.cacheNodes ?? 500_000;
    if (!Number.isSafeInteger(cacheNodes) || cacheNodes < 1) {
      this.db.close();
      throw new StoreError(StoreErrorCode.InvalidOptions, `cacheNodes must be a positive integer, got ${cacheNodes}`);
    }
    this.ndb = new NodeDb(this.db, cacheNodes);
    this.stmt = {
      insertNode: this.db.prepare("INSERT INTO nodes (id, data) VALUES (?, ?)"),
      insertNodes: this.db.prepare(`INSERT INTO nodes (id, data) VALUES ${Array(INSERT_BATCH).fill("(?, ?)").join(", ")}`),
      insertOrphans: this.db.prepare("INSERT INTO orphans (to_version, data) VALUES (?, ?)"),
      orphansBetween: this.db.prepare("SELECT to_version, data FROM orphans WHERE to_version >= ? AND to_version < ? ORDER BY to_version"),
      updateOrphans: this.db.prepare("UPDATE orphans SET data = ? WHERE to_version = ?"),
      deleteOrphans: this.db.prepare("DELETE FROM orphans WHERE to_version = ?"),
      deleteNode: this.db.prepare("DELETE FROM nodes WHERE id = ?"),
      insertRoot: this.db.prepare("INSERT INTO roots (store, version, root_id, root_hash) VALUES (?, ?, ?, ?)"),
      insertVersion: this.db.prepare("INSERT INTO versions (version, app_hash) VALUES (?, ?)"),
      rootsAt: this.db.prepare("SELECT store, root_id, root_hash FROM roots WHERE version = ?"),
      versionRow: this.db.prepare("SELECT app_hash FROM versions WHERE version = ?"),
      deleteRoots: this.db.prepare("DELETE FROM roots WHERE version = ?"),
      deleteVersion: this.db.prepare("DELETE FROM versions WHERE version = ?"),
    };

    const initial = this.metaNumber("initial_version");
    this.initialVersion = initial ?? options.initialVersion ?? 1;
    if (!Number.isSafeInteger(this.initialVersion) || this.initialVersion < 1) {
      throw new StoreError(StoreErrorCode.InvalidOptions, `initialVersion must be an integer ≥ 1, got ${this.initialVersion}`);
    }
    this.retained = this.db
      .prepare<[], { version: number }>("SELECT version FROM versions ORDER BY version")
      .all()
      .map((r) => r.version);
    this.latest = this.retained.length > 0 ? this.retained[this.retained.length - 1]! : this.initialVersion - 1;
    this.latestHash = this.retained.length > 0 ? this.stmt.versionRow.get(this.latest)!.app_hash : Buffer.alloc(0);
    const maxId = this.db.prepare<[], { m: number | null }>("SELECT max(id) AS m FROM nodes").get()!.m;
    this.nextNodeId = (maxId ?? 0) + 1;
    this.refuseDroppedStores();
    this.loadLatestViews();
    this.block = new Branch(this);
  }

  /** Opening without a substore that holds data would orphan it and change the app hash. */
  private refuseDroppedStores(): void {
    if (this.retained.length === 0) return;
    const dropped = [...this.rootRows(this.latest).keys()].filter((n) => !this.storeNames.includes(n));
    if (dropped.length > 0) {
      this.db.close();
      throw new StoreError(
        StoreErrorCode.InvalidOptions,
        `the database has substores ${dropped.join(", ")} that were not opened; removing substores is not supported (check the names)`,
      );
    }
  }

  private createSchema(): void {
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS versions (version INTEGER PRIMARY KEY, app_hash BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS roots (
        store TEXT NOT NULL, version INTEGER NOT NULL, root_id INTEGER, root_hash BLOB NOT NULL,
        PRIMARY KEY (version, store)) WITHOUT ROWID;
      -- Nodes that version to_version + 1 stopped using: packed (uvarint id, uvarint from_version) pairs.
      CREATE TABLE IF NOT EXISTS orphans (to_version INTEGER PRIMARY KEY, data BLOB NOT NULL);
    `);
    const format = this.db.prepare<[], { v: string }>("SELECT v FROM meta WHERE k = 'format'").get();
    if (format === undefined) this.db.prepare("INSERT INTO meta (k, v) VALUES ('format', ?)").run(FORMAT);
    else if (format.v !== FORMAT) {
      throw new StoreError(StoreErrorCode.Corrupt, `database format is ${format.v}, this build reads ${FORMAT}`);
    }
  }

  private metaNumber(k: string): number | undefined {
    const row = this.db.prepare<[string], { v: string }>("SELECT v FROM meta WHERE k = ?").get(k);
    return row === undefined ? undefined : Number(row.v);
  }

  private loadLatestViews(): void {
    this.views = new Map();
    const roots = this.latest >= this.initialVersion ? this.rootRows(this.latest) : new Map<string, number | null>();
    for (const name of this.storeNames) {
      const rootId = roots.get(name) ?? null;
      this.views.set(name, this.newView(rootId === null ? null : this.ndb.get(rootId), this.latest));
    }
  }

  private newView(root: Node | null, version: number): TreeView {
    return new TreeView(this.ndb, root, version, () => this.retained.includes(version));
  }

  private rootRows(version: number): Map<string, number | null> {
    return new Map(this.stmt.rootsAt.all(version).map((r) => [r.store, r.root_id]));
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(StoreErrorCode.ReadOnly, "the multistore is closed");
  }

  /** The last committed version (initialVersion - 1 before the first commit). */
  get version(): number {
    return this.latest;
  }

  /** The app hash of the last committed version (empty before the first commit). */
  get appHash(): Buffer {
    return this.latestHash;
  }

  /** Versions still on disk, ascending. */
  get versions(): readonly number[] {
    return this.retained;
  }

  // StoreSource: the block layer reads the latest committed trees and writes into nothing but itself.
  reader(name: string): KVReader {
    const v = this.views.get(name);
    if (v === undefined) throw new StoreError(StoreErrorCode.UnknownStore, `unknown substore "${name}"`);
    return v;
  }

  /** The working (block) layer: what FinalizeBlock writes, committed by `commit()`. */
  get working(): Branch {
    this.assertOpen();
    return this.block;
  }

  /** A branch over the last committed state that can never be written back (CheckTx, simulations). */
  branchCommitted(): Branch {
    this.assertOpen();
    const views = new Map(this.views);
    const names = this.storeNames;
    return new Branch({
      storeNames: names,
      reader: (name) => {
        const v = views.get(name);
        if (v === undefined) throw new StoreError(StoreErrorCode.UnknownStore, `unknown substore "${name}"`);
        return v;
      },
    });
  }

  /** A read-only branch over a retained version (queries at a height). */
  branchAt(version: number): Branch {
    this.assertOpen();
    this.checkVersion(version);
    const names = this.storeNames;
    return new Branch({ storeNames: names, reader: (name) => this.viewAt(name, version) });
  }

  /** Drops everything written to the working layer since the last commit. */
  resetWorking(): void {
    this.assertOpen();
    if (this.pending !== undefined) this.nextNodeId = this.pending.idBefore;
    this.pending = undefined;
    this.block.close("discarded");
    this.block = new Branch(this);
  }

  /**
   * The app hash that `commit()` will write, computed now (FinalizeBlock must return it before
   * Commit persists it). The working layer is frozen until `commit()` or `resetWorking()`.
   */
  workingHash(): Buffer {
    this.assertOpen();
    if (this.pending === undefined) {
      this.pending = this.buildNextVersion();
      this.block.freeze("the working state was hashed for this block; commit() or resetWorking() before writing again");
    }
    return this.pending.appHash;
  }

  private buildNextVersion(): PendingVersion {
    const version = this.latest + 1;
    const idBefore = this.nextNodeId;
    const saved = new Map<string, SavedTree>();
    for (const name of this.storeNames) {
      const view = this.views.get(name)!;
      const writes = this.block.pendingWrites(name);
      if (writes.length === 0) saved.set(name, { root: view.root, newNodes: [], orphans: [] });
      else
        saved.set(
          name,
          buildVersion(view, writes, version, () => this.nextNodeId++),
        );
    }
    const stores: StoreRoot[] = this.storeNames.map((name) => {
      const root = saved.get(name)!.root;
      return { name, root: root === null ? EMPTY_HASH : root.hash! };
    });
    return { version, idBefore, saved, stores, appHash: appHashOf(stores) };
  }

  /**
   * Writes the working layer as the next version in one SQLite transaction, prunes what the
   * pruning options no longer keep, and starts a fresh working layer.
   */
  commit(): CommitInfo {
    this.assertOpen();
    const { version, idBefore, saved, stores, appHash } = this.pending ?? this.buildNextVersion();
    this.pending = undefined;
    const toPrune = this.versionsToPrune(version);
    try {
      this.db.transaction(() => {
        if (this.retained.length === 0) {
          this.db.prepare("INSERT OR REPLACE INTO meta (k, v) VALUES ('initial_version', ?)").run(String(this.initialVersion));
        }
        const orphans: Node[] = [];
        for (const [name, s] of saved) {
          this.insertNodes(s.newNodes);
          for (const o of s.orphans) orphans.push(o);
          this.stmt.insertRoot.run(name, version, s.root?.id ?? null, s.root === null ? EMPTY_HASH : s.root.hash!);
        }
        if (orphans.length > 0) this.stmt.insertOrphans.run(version - 1, packOrphans(orphans.map((o) => [o.id!, o.version])));
        this.stmt.insertVersion.run(version, appHash);
        this.pruneInTx(toPrune, version);
      })();
    } catch (err) {
      // Nothing reached the disk and the saved trees in memory are untouched (copy-on-write):
      // the working layer is intact, so the commit can be retried or the layer reset.
      this.nextNodeId = idBefore;
      throw err;
    }

    for (const s of saved.values()) {
      for (const n of s.newNodes) {
        n.leftNode = undefined;
        n.rightNode = undefined;
        this.ndb.remember(n);
      }
      // Orphans only serve reads at past versions: give their cache room to the live tree.
      for (const o of s.orphans) this.ndb.forget(o.id!);
    }
    this.retained = this.retained.filter((v) => !toPrune.includes(v));
    this.retained.push(version);
    this.latest = version;
    this.latestHash = appHash;
    for (const name of this.storeNames) this.views.set(name, this.newView(saved.get(name)!.root, version));
    this.block.close("written");
    this.block = new Branch(this);
    return { version, appHash, stores };
  }

  /** Inserts rows many at a time: one multi-row INSERT costs far less than as many single ones. */
  private insertNodes(nodes: Node[]): void {
    const args: (number | Buffer)[] = [];
    let i = 0;
    for (; i + INSERT_BATCH <= nodes.length; i += INSERT_BATCH) {
      this.encoder.reset();
      args.length = 0;
      for (let j = i; j < i + INSERT_BATCH; j++) args.push(nodes[j]!.id!, this.encoder.encode(nodes[j]!));
      this.stmt.insertNodes.run(...args);
    }
    for (; i < nodes.length; i++) {
      this.encoder.reset();
      this.stmt.insertNode.run(nodes[i]!.id!, this.encoder.encode(nodes[i]!));
    }
  }

  private versionsToPrune(newVersion: number): number[] {
    if (this.keepRecent === "all") return [];
    const cutoff = newVersion - this.keepRecent; // versions ≤ cutoff fall out of the recent window
    return this.retained.filter((v) => v <= cutoff && !(this.keepEvery > 0 && v % this.keepEvery === 0));
  }

  /**
   * Deletes versions and the nodes that only they used. A node orphaned at `to` lived in versions
   * [from, to]; it can go once no retained version falls in that range.
   */
  private pruneInTx(toPrune: number[], newVersion: number): void {
    const remaining = [...this.retained, newVersion];
    for (const p of toPrune) {
      const idx = remaining.indexOf(p);
      const prev = idx > 0 ? remaining[idx - 1]! : -1;
      const next = remaining[idx + 1]!;
      for (const row of this.stmt.orphansBetween.all(p, next)) {
        const keep: [number, number][] = [];
        for (const [id, from] of unpackOrphans(row.data)) {
          if (from > prev) {
            this.stmt.deleteNode.run(id);
            this.ndb.forget(id);
          } else keep.push([id, from]);
        }
        if (keep.length === 0) this.stmt.deleteOrphans.run(row.to_version);
        else this.stmt.updateOrphans.run(packOrphans(keep), row.to_version);
      }
      this.stmt.deleteRoots.run(p);
      this.stmt.deleteVersion.run(p);
      remaining.splice(idx, 1);
    }
  }

  /** Throws the right error when `version` is not readable. */
  private checkVersion(version: number): void {
    if (!Number.isSafeInteger(version) || version < this.initialVersion || version > this.latest) {
      const range = this.latest >= this.initialVersion ? `${this.initialVersion}..${this.latest}` : "none yet";
      throw new StoreError(StoreErrorCode.VersionNotFound, `version ${version} was never committed (committed: ${range})`);
    }
    if (!this.retained.includes(version)) {
      throw new StoreError(
        StoreErrorCode.VersionPruned,
        `version ${version} has been pruned (kept: the last ${this.keepRecent}${this.keepEvery > 0 ? ` and every ${this.keepEvery}th` : ""}; earliest kept ${this.retained[0]})`,
      );
    }
  }

  /** A read-only view of substore `name` at a retained version. */
  viewAt(name: string, version: number): TreeView {
    this.assertOpen();
    if (!this.storeNames.includes(name)) throw new StoreError(StoreErrorCode.UnknownStore, `unknown substore "${name}"`);
    this.checkVersion(version);
    if (version === this.latest) return this.views.get(name)!;
    const rootId = this.rootRows(version).get(name) ?? null;
    return this.newView(rootId === null ? null : this.ndb.get(rootId), version);
  }

  /** Substore roots and app hash of a retained version. */
  commitInfoAt(version: number): CommitInfo {
    this.assertOpen();
    this.checkVersion(version);
    const stores = this.stmt.rootsAt.all(version).map((r) => ({ name: r.store, root: r.root_hash }));
    stores.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { version, appHash: this.stmt.versionRow.get(version)!.app_hash, stores };
  }

  /**
   * The value of `key` in substore `name` at `version` (default latest) with the ProofOps that
   * `abci_query` returns for `prove=true`: [ics23:iavl (key), ics23:simple (store name)].
   */
  prove(name: string, key: Uint8Array, version: number = this.latest): ProvenQuery {
    const view = this.viewAt(name, version);
    const info = this.commitInfoAt(version);
    const storeProof = commitmentProof(view, key);
    const leaves = info.stores.map((s) => mapLeaf(Buffer.from(s.name, "utf8"), s.root));
    const index = info.stores.findIndex((s) => s.name === name);
    const nameBytes = Buffer.from(name, "utf8");
    const rootProof = simpleExistenceProof(nameBytes, info.stores[index]!.root, simpleProof(leaves, index));
    return {
      version,
      value: view.get(key),
      appHash: info.appHash,
      storeProof,
      rootProof,
      proofOps: [
        { type: PROOF_OP_IAVL, key: Buffer.from(key), data: CommitmentProofCodec.encode(storeProof).finish() },
        { type: PROOF_OP_SIMPLE, key: nameBytes, data: CommitmentProofCodec.encode(rootProof).finish() },
      ],
    };
  }

  /** Re-hashes every node of `name` at `version` from its leaves and returns the root (a full check). */
  recomputeRoot(name: string, version: number = this.latest): Buffer {
    const view = this.viewAt(name, version);
    if (view.root === null) return EMPTY_HASH;
    const walk = (n: Node): { hash: Buffer; height: number; size: number } => {
      if (n.isLeaf) return { hash: leafHash(n.key, n.value!, n.version), height: 0, size: 1 };
      const l = walk(view.left(n));
      const r = walk(view.right(n));
      const height = 1 + Math.max(l.height, r.height);
      const size = l.size + r.size;
      const childrenMatch =
        n.leftHash!.equals(l.hash) &&
        n.rightHash!.equals(r.hash) &&
        n.leftHeight === l.height &&
        n.rightHeight === r.height &&
        n.leftSize === l.size &&
        n.rightSize === r.size;
      if (height !== n.height || size !== n.size || !childrenMatch) {
        throw new StoreError(StoreErrorCode.Corrupt, `node ${n.id}: stored height/size/children disagree with its subtrees`);
      }
      return { hash: innerHash(n.height, n.size, n.version, l.hash, r.hash), height, size };
    };
    return walk(view.root).hash;
  }

  /** Rows in the node table (for tests and benchmarks). */
  nodeCount(): number {
    return this.db.prepare<[], { c: number }>("SELECT count(*) AS c FROM nodes").get()!.c;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.block.close("discarded");
    this.db.close();
  }
}

function packOrphans(entries: [id: number, from: number][]): Buffer {
  const buf = Buffer.alloc(entries.length * 16);
  let off = 0;
  for (const [id, from] of entries) {
    off = putUvarint(buf, off, id);
    off = putUvarint(buf, off, from);
  }
  return buf.subarray(0, off);
}

function* unpackOrphans(data: Buffer): Generator<[id: number, from: number]> {
  let off = 0;
  while (off < data.length) {
    let id: number, from: number;
    [id, off] = readUvarint(data, off);
    [from, off] = readUvarint(data, off);
    yield [id, from];
  }
}

function validateStoreNames(names: readonly string[]): readonly string[] {
  if (names.length === 0) throw new StoreError(StoreErrorCode.InvalidOptions, "at least one substore name is required");
  const seen = new Set<string>();
  for (const n of names) {
    if (!/^[a-z][a-z0-9_]*$/.test(n)) {
      throw new StoreError(StoreErrorCode.InvalidOptions, `substore name "${n}" must match [a-z][a-z0-9_]*`);
    }
    if (seen.has(n)) throw new StoreError(StoreErrorCode.InvalidOptions, `substore name "${n}" is given twice`);
    seen.add(n);
  }
  return Object.freeze([...names].sort());
}

export type { KVStore };
