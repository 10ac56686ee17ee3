// ICS-03 connections, part of IBC's keeper (it reads and writes the "ibc" substore through the client part
// and its own keys): the four-step handshake as ibc-go v8 runs it. Each step that follows the first proves,
// against this chain's client of the counterparty, what the counterparty stored: its connection end, its
// client of this chain (checked against this chain's own parameters) and the consensus state it holds for
// this chain (checked against staking's historical info, this chain's own past headers).
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Height } from "cosmjs-types/ibc/core/client/v1/client";
import {
  ClientPaths,
  ConnectionEnd,
  type Counterparty,
  IdentifiedConnection,
  Params as ConnectionParams,
  State,
  type Version,
} from "cosmjs-types/ibc/core/connection/v1/connection";
import { ClientState, ConsensusState } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import type { Context } from "../../app/core/context";
import { ChainError } from "../../app/core/errors";
import { merklePath, proofSpecsEqual, SDK_PROOF_SPECS, verifyMembership, verifyNonMembership } from "./commitment/merkle";
import { ClientCode, clientError, ConnectionCode, connectionError } from "./errors";
import {
  ATTR_CLIENT_ID,
  ATTR_CONNECTION_ID,
  ATTR_COUNTERPARTY_CLIENT_ID,
  ATTR_COUNTERPARTY_CONNECTION_ID,
  EVENT_CONNECTION_OPEN_ACK,
  EVENT_CONNECTION_OPEN_CONFIRM,
  EVENT_CONNECTION_OPEN_INIT,
  EVENT_CONNECTION_OPEN_TRY,
} from "./events";
import type { SelfChainKeeper } from "./expected-keepers";
import { clientStatePath, connectionPath, consensusStatePath } from "./host/paths";
import { CLIENT_STATE_TYPE_URL, compareHeights, CONSENSUS_STATE_TYPE_URL, durationNs, heightString, type IbcKeeper } from "./keeper";
import * as keys from "./keys";
import { TendermintCode, tendermintError } from "./lightclient/errors";
import { parseRevisionNumber, validateClientState } from "./lightclient/tendermint";

/** The one connection version ibc-go speaks: "1", with both channel orderings. */
export const DEFAULT_CONNECTION_VERSION: Version = { identifier: "1", features: ["ORDER_ORDERED", "ORDER_UNORDERED"] };
/** ibc-go's default: 30 s, in nanoseconds; a connection's delay period in blocks is its delay over this. */
export const DEFAULT_CONNECTION_PARAMS: ConnectionParams = { maxExpectedTimePerBlock: 30_000_000_000n };
/** The prefix under which this chain's IBC state is proved: its "ibc" substore. */
export const COMMITMENT_PREFIX = Buffer.from("ibc", "utf8");
/** What ibc-go expects a client of it to carry as its upgrade path (or none). */
export const UPGRADE_PATH = ["upgrade", "upgradedIBCState"];

const STATE_NAMES: Record<number, string> = { 0: "UNINITIALIZED", 1: "INIT", 2: "TRYOPEN", 3: "OPEN" };

export class ConnectionKeeper {
  constructor(
    private readonly clients: IbcKeeper,
    private readonly self: SelfChainKeeper,
  ) {}

  params(ctx: Context): ConnectionParams {
    const v = ctx.store(keys.STORE).get(keys.connectionParamsKey);
    return v === undefined ? DEFAULT_CONNECTION_PARAMS : ConnectionParams.decode(v);
  }

  setParams(ctx: Context, p: ConnectionParams): void {
    ctx.store(keys.STORE).set(keys.connectionParamsKey, ConnectionParams.encode(p).finish());
  }

  connection(ctx: Context, connectionId: string): ConnectionEnd | undefined {
    const v = ctx.store(keys.STORE).get(keys.connectionKey(connectionId));
    return v === undefined ? undefined : ConnectionEnd.decode(v);
  }

  requireConnection(ctx: Context, connectionId: string): ConnectionEnd {
    const c = this.connection(ctx, connectionId);
    if (c === undefined) throw connectionError(ConnectionCode.ConnectionNotFound, `connection ${connectionId} not found`);
    return c;
  }

  *connections(ctx: Context): Generator<IdentifiedConnection> {
    for (const [key, value] of ctx.store(keys.STORE).iterate({ prefix: keys.connectionsPrefix })) {
      yield { id: key.toString("utf8").slice(keys.connectionsPrefix.length), ...ConnectionEnd.decode(value) };
    }
  }

  /** The connections over a client. */
  clientConnections(ctx: Context, clientId: string): string[] {
    const v = ctx.store(keys.STORE).get(keys.clientConnectionsKey(clientId));
    return v === undefined ? [] : ClientPaths.decode(v).paths;
  }

  // ---- the handshake ----

  openInit(ctx: Context, clientId: string, counterparty: Counterparty, version: Version | undefined, delayPeriod: bigint): string {
    this.requireActiveClient(ctx, clientId);
    if (version !== undefined && !isSupported(version)) {
      throw connectionError(
        ConnectionCode.InvalidVersion,
        `version ${describe(version)} is not supported: this chain speaks ${describe(DEFAULT_CONNECTION_VERSION)}`,
      );
    }
    const id = this.nextConnectionId(ctx);
    const end: ConnectionEnd = { clientId, versions: [version ?? DEFAULT_CONNECTION_VERSION], state: State.STATE_INIT, counterparty, delayPeriod };
    this.store(ctx, id, end);
    this.addClientConnection(ctx, clientId, id);
    this.emit(ctx, EVENT_CONNECTION_OPEN_INIT, id, end);
    return id;
  }

  openTry(
    ctx: Context,
    m: {
      clientId: string;
      clientState?: Any;
      counterparty: Counterparty;
      delayPeriod: bigint;
      counterpartyVersions: Version[];
      proofHeight: Height;
      proofInit: Uint8Array;
      proofClient: Uint8Array;
      proofConsensus: Uint8Array;
      consensusHeight: Height;
    },
  ): string {
    this.requireActiveClient(ctx, m.clientId);
    this.checkConsensusHeight(ctx, m.consensusHeight);
    const selfClient = this.validateSelfClient(ctx, m.clientState);
    const expectedConsensus = this.selfConsensusState(ctx, m.consensusHeight);
    const version = pickVersion(m.counterpartyVersions);
    const end: ConnectionEnd = {
      clientId: m.clientId,
      versions: [version],
      state: State.STATE_TRYOPEN,
      counterparty: m.counterparty,
      delayPeriod: m.delayPeriod,
    };
    const expected: ConnectionEnd = {
      clientId: m.counterparty.clientId,
      versions: m.counterpartyVersions,
      state: State.STATE_INIT,
      counterparty: { clientId: m.clientId, connectionId: "", prefix: { keyPrefix: COMMITMENT_PREFIX } },
      delayPeriod: m.delayPeriod,
    };
    this.verifyConnectionState(ctx, end, m.proofHeight, m.proofInit, m.counterparty.connectionId, expected);
    this.verifyClientState(ctx, end, m.proofHeight, m.proofClient, selfClient);
    this.verifyClientConsensusState(ctx, end, m.proofHeight, m.consensusHeight, m.proofConsensus, expectedConsensus);
    const id = this.nextConnectionId(ctx);
    this.store(ctx, id, end);
    this.addClientConnection(ctx, m.clientId, id);
    this.emit(ctx, EVENT_CONNECTION_OPEN_TRY, id, end);
    return id;
  }

  openAck(
    ctx: Context,
    m: {
      connectionId: string;
      counterpartyConnectionId: string;
      version?: Version;
      clientState?: Any;
      proofHeight: Height;
      proofTry: Uint8Array;
      proofClient: Uint8Array;
      proofConsensus: Uint8Array;
      consensusHeight: Height;
    },
  ): void {
    this.checkConsensusHeight(ctx, m.consensusHeight);
    const end = this.requireConnection(ctx, m.connectionId);
    if (end.state !== State.STATE_INIT) {
      throw connectionError(ConnectionCode.InvalidConnectionState, `connection state is not INIT (got ${STATE_NAMES[end.state] ?? end.state})`);
    }
    if (m.version === undefined || !end.versions.some((v) => sameVersion(v, m.version!)) || !isSupported(m.version)) {
      throw connectionError(
        ConnectionCode.InvalidVersion,
        `version ${m.version === undefined ? "(none)" : describe(m.version)} is not one this connection proposed`,
      );
    }
    this.requireActiveClient(ctx, end.clientId);
    const selfClient = this.validateSelfClient(ctx, m.clientState);
    const expectedConsensus = this.selfConsensusState(ctx, m.consensusHeight);
    const expected: ConnectionEnd = {
      clientId: end.counterparty.clientId,
      versions: [m.version],
      state: State.STATE_TRYOPEN,
      counterparty: { clientId: end.clientId, connectionId: m.connectionId, prefix: { keyPrefix: COMMITMENT_PREFIX } },
      delayPeriod: end.delayPeriod,
    };
    this.verifyConnectionState(ctx, end, m.proofHeight, m.proofTry, m.counterpartyConnectionId, expected);
    this.verifyClientState(ctx, end, m.proofHeight, m.proofClient, selfClient);
    this.verifyClientConsensusState(ctx, end, m.proofHeight, m.consensusHeight, m.proofConsensus, expectedConsensus);
    const open: ConnectionEnd = {
      ...end,
      state: State.STATE_OPEN,
      versions: [m.version],
      counterparty: { ...end.counterparty, connectionId: m.counterpartyConnectionId },
    };
    this.store(ctx, m.connectionId, open);
    this.emit(ctx, EVENT_CONNECTION_OPEN_ACK, m.connectionId, open);
  }

  openConfirm(ctx: Context, connectionId: string, proofAck: Uint8Array, proofHeight: Height): void {
    const end = this.requireConnection(ctx, connectionId);
    if (end.state !== State.STATE_TRYOPEN) {
      throw connectionError(ConnectionCode.InvalidConnectionState, `connection state is not TRYOPEN (got ${STATE_NAMES[end.state] ?? end.state})`);
    }
    this.requireActiveClient(ctx, end.clientId);
    const expected: ConnectionEnd = {
      clientId: end.counterparty.clientId,
      versions: end.versions,
      state: State.STATE_OPEN,
      counterparty: { clientId: end.clientId, connectionId, prefix: { keyPrefix: COMMITMENT_PREFIX } },
      delayPeriod: end.delayPeriod,
    };
    this.verifyConnectionState(ctx, end, proofHeight, proofAck, end.counterparty.connectionId, expected);
    const open: ConnectionEnd = { ...end, state: State.STATE_OPEN };
    this.store(ctx, connectionId, open);
    this.emit(ctx, EVENT_CONNECTION_OPEN_CONFIRM, connectionId, open);
  }

  // ---- proofs against the counterparty, through this chain's client of it ----

  /**
   * Checks `value` at `path` in the counterparty's IBC store at `proofHeight`: the client must be active,
   * hold a consensus state at that height, and (for packets) the connection's delay must have passed.
   */
  verifyMembership(
    ctx: Context,
    end: ConnectionEnd,
    proofHeight: Height,
    proof: Uint8Array,
    path: string,
    value: Uint8Array,
    failure: { code: number; codespace: string; what: string },
    delay = false,
  ): void {
    const consensus = this.provable(ctx, end, proofHeight);
    if (delay) this.checkDelayPassed(ctx, end, proofHeight);
    try {
      verifyMembership(consensus.specs, consensus.root, proof, merklePath(end.counterparty.prefix.keyPrefix, path), value);
    } catch (err) {
      throw new ChainError(failure.code, `${failure.what}: ${(err as Error).message}`, failure.codespace);
    }
  }

  /** Checks that nothing is stored at `path` in the counterparty's IBC store at `proofHeight` (a packet receipt that is absent). */
  verifyNonMembership(
    ctx: Context,
    end: ConnectionEnd,
    proofHeight: Height,
    proof: Uint8Array,
    path: string,
    failure: { code: number; codespace: string; what: string },
  ): void {
    const consensus = this.provable(ctx, end, proofHeight);
    this.checkDelayPassed(ctx, end, proofHeight);
    try {
      verifyNonMembership(consensus.specs, consensus.root, proof, merklePath(end.counterparty.prefix.keyPrefix, path));
    } catch (err) {
      throw new ChainError(failure.code, `${failure.what}: ${(err as Error).message}`, failure.codespace);
    }
  }

  /** The client's proof specs and the counterparty's app hash at `proofHeight`, if the client is active and holds that height. */
  private provable(ctx: Context, end: ConnectionEnd, proofHeight: Height): { specs: ClientState["proofSpecs"]; root: Uint8Array } {
    const cs = this.requireActiveClient(ctx, end.clientId);
    if (compareHeights(cs.latestHeight, proofHeight) < 0) {
      throw clientError(
        ClientCode.InvalidHeight,
        `client state height < proof height (${heightString(cs.latestHeight)} < ${heightString(proofHeight)}), please ensure the client has been updated`,
      );
    }
    const consensus = this.clients.consensusState(ctx, end.clientId, proofHeight);
    if (consensus === undefined) {
      throw clientError(
        ClientCode.ConsensusStateNotFound,
        `please ensure the proof was constructed against a height that exists on the client: no consensus state at ${heightString(proofHeight)}`,
      );
    }
    return { specs: cs.proofSpecs, root: consensus.root.hash };
  }

  private verifyConnectionState(
    ctx: Context,
    end: ConnectionEnd,
    proofHeight: Height,
    proof: Uint8Array,
    counterpartyConnectionId: string,
    expected: ConnectionEnd,
  ): void {
    this.verifyMembership(ctx, end, proofHeight, proof, connectionPath(counterpartyConnectionId), ConnectionEnd.encode(expected).finish(), {
      code: ClientCode.FailedConnectionStateVerification,
      codespace: "client",
      what: `failed connection state verification for client (${end.clientId})`,
    });
  }

  private verifyClientState(ctx: Context, end: ConnectionEnd, proofHeight: Height, proof: Uint8Array, selfClient: Any): void {
    this.verifyMembership(ctx, end, proofHeight, proof, clientStatePath(end.counterparty.clientId), Any.encode(selfClient).finish(), {
      code: ClientCode.FailedClientStateVerification,
      codespace: "client",
      what: `failed client state verification for target client: ${end.clientId}`,
    });
  }

  private verifyClientConsensusState(
    ctx: Context,
    end: ConnectionEnd,
    proofHeight: Height,
    consensusHeight: Height,
    proof: Uint8Array,
    expected: ConsensusState,
  ): void {
    const any = Any.fromPartial({ typeUrl: CONSENSUS_STATE_TYPE_URL, value: ConsensusState.encode(expected).finish() });
    this.verifyMembership(
      ctx,
      end,
      proofHeight,
      proof,
      consensusStatePath(end.counterparty.clientId, consensusHeight.revisionNumber, consensusHeight.revisionHeight),
      Any.encode(any).finish(),
      {
        code: ClientCode.FailedClientConsensusStateVerification,
        codespace: "client",
        what: `failed consensus state verification for client (${end.clientId})`,
      },
    );
  }

  /** Packets wait out the connection's delay period, in time and in blocks, after the consensus state was stored. */
  private checkDelayPassed(ctx: Context, end: ConnectionEnd, proofHeight: Height): void {
    if (end.delayPeriod === 0n) return;
    const processed = this.clients.processed(ctx, end.clientId, proofHeight);
    if (processed === undefined)
      throw clientError(ClientCode.ConsensusStateNotFound, `no processed time for the consensus state at ${heightString(proofHeight)}`);
    const validAfterNs = processed.timeNs + end.delayPeriod;
    if (this.clients.nowNs(ctx) < validAfterNs) {
      throw tendermintError(TendermintCode.DelayPeriodNotPassed, `cannot verify packet until time: ${validAfterNs}, current time: ${this.clients.nowNs(ctx)}`);
    }
    const perBlock = this.params(ctx).maxExpectedTimePerBlock;
    const blockDelay = perBlock === 0n ? 0n : (end.delayPeriod + perBlock - 1n) / perBlock;
    if (ctx.height < processed.height + blockDelay) {
      throw tendermintError(
        TendermintCode.DelayPeriodNotPassed,
        `cannot verify packet until height: ${processed.height + blockDelay}, current height: ${ctx.height}`,
      );
    }
  }

  // ---- this chain as the counterparty sees it ----

  /** ibc-go's ValidateSelfClient: the counterparty's client of this chain must describe this chain. Returns it as an Any. */
  private validateSelfClient(ctx: Context, any: Any | undefined): Any {
    if (any === undefined) throw clientError(ClientCode.InvalidClient, "missing the counterparty's client state of this chain");
    if (any.typeUrl !== CLIENT_STATE_TYPE_URL)
      throw clientError(ClientCode.InvalidClient, `client must be a Tendermint client, expected: ${CLIENT_STATE_TYPE_URL}, got: ${any.typeUrl}`);
    let cs: ClientState;
    try {
      cs = ClientState.decode(any.value);
    } catch (err) {
      throw clientError(ClientCode.InvalidClient, `cannot decode the counterparty's client state: ${(err as Error).message}`);
    }
    if (cs.frozenHeight.revisionHeight !== 0n || cs.frozenHeight.revisionNumber !== 0n) throw clientError(ClientCode.ClientFrozen, "client is frozen");
    if (cs.chainId !== ctx.chainId) throw clientError(ClientCode.InvalidClient, `invalid chain-id. expected: ${ctx.chainId}, got: ${cs.chainId}`);
    const self = this.clients.selfHeight(ctx);
    if (cs.latestHeight.revisionNumber !== parseRevisionNumber(ctx.chainId)) {
      throw clientError(
        ClientCode.InvalidClient,
        `invalid latest height revision number, expected: ${self.revisionNumber}, got: ${cs.latestHeight.revisionNumber}`,
      );
    }
    if (compareHeights(cs.latestHeight, self) >= 0) {
      throw clientError(
        ClientCode.InvalidClient,
        `client has LatestHeight ${heightString(cs.latestHeight)} greater than or equal to chain height ${heightString(self)}`,
      );
    }
    validateClientState(cs);
    if (!proofSpecsEqual(cs.proofSpecs, SDK_PROOF_SPECS))
      throw clientError(ClientCode.InvalidClient, "client proof specs are not this chain's (the Cosmos SDK's IAVL and Tendermint specs)");
    const unbonding = this.self.unbondingTimeNs(ctx);
    if (durationNs(cs.unbondingPeriod) !== unbonding) {
      throw clientError(ClientCode.InvalidClient, `invalid unbonding period. expected: ${unbonding} ns, got: ${durationNs(cs.unbondingPeriod)} ns`);
    }
    if (cs.upgradePath.length !== 0 && (cs.upgradePath.length !== UPGRADE_PATH.length || cs.upgradePath.some((p, i) => p !== UPGRADE_PATH[i]))) {
      throw clientError(
        ClientCode.InvalidClient,
        `upgrade path must be the upgrade path defined by this chain. expected: ${UPGRADE_PATH.join("/")}, got: ${cs.upgradePath.join("/")}`,
      );
    }
    return any;
  }

  /** This chain's consensus state at `height`, from staking's historical info. */
  private selfConsensusState(ctx: Context, height: Height): ConsensusState {
    if (height.revisionNumber !== parseRevisionNumber(ctx.chainId)) {
      throw clientError(ClientCode.InvalidHeight, `the consensus height's revision ${height.revisionNumber} is not this chain's`);
    }
    const header = this.self.historicalHeader(ctx, height.revisionHeight);
    if (header === undefined) {
      throw clientError(
        ClientCode.SelfConsensusStateNotFound,
        `no historical info for height ${height.revisionHeight} (kept for the last historical_entries blocks)`,
      );
    }
    return { timestamp: header.time, root: { hash: header.appHash }, nextValidatorsHash: header.nextValidatorsHash };
  }

  private checkConsensusHeight(ctx: Context, consensusHeight: Height): void {
    const self = this.clients.selfHeight(ctx);
    if (compareHeights(consensusHeight, self) >= 0) {
      throw clientError(
        ClientCode.InvalidHeight,
        `consensus height is greater than or equal to the current block height (${heightString(consensusHeight)} >= ${heightString(self)})`,
      );
    }
  }

  private requireActiveClient(ctx: Context, clientId: string): ClientState {
    const cs = this.clients.clientState(ctx, clientId);
    if (cs === undefined) throw clientError(ClientCode.ClientNotFound, `client ${clientId} not found`);
    const status = this.clients.clientStatus(ctx, clientId);
    if (status !== "Active") throw clientError(ClientCode.ClientNotActive, `client (${clientId}) status is ${status}`);
    return cs;
  }

  // ---- storage ----

  private nextConnectionId(ctx: Context): string {
    const store = ctx.store(keys.STORE);
    const v = store.get(keys.nextConnectionSequenceKey);
    const seq = v === undefined ? 0n : v.readBigUInt64BE(0);
    store.set(keys.nextConnectionSequenceKey, keys.be64(seq + 1n));
    return `connection-${seq}`;
  }

  private store(ctx: Context, id: string, end: ConnectionEnd): void {
    ctx.store(keys.STORE).set(keys.connectionKey(id), ConnectionEnd.encode(end).finish());
  }

  private addClientConnection(ctx: Context, clientId: string, connectionId: string): void {
    const paths = this.clientConnections(ctx, clientId);
    ctx.store(keys.STORE).set(keys.clientConnectionsKey(clientId), ClientPaths.encode({ paths: [...paths, connectionId] }).finish());
  }

  private emit(ctx: Context, type: string, id: string, end: ConnectionEnd): void {
    ctx.events.emit(type, {
      [ATTR_CONNECTION_ID]: id,
      [ATTR_CLIENT_ID]: end.clientId,
      [ATTR_COUNTERPARTY_CLIENT_ID]: end.counterparty.clientId,
      [ATTR_COUNTERPARTY_CONNECTION_ID]: end.counterparty.connectionId,
    });
  }
}

const describe = (v: Version): string => `${v.identifier} [${v.features.join(", ")}]`;
const sameVersion = (a: Version, b: Version): boolean =>
  a.identifier === b.identifier && a.features.length === b.features.length && a.features.every((f, i) => f === b.features[i]);

/** A version this chain speaks: identifier "1" with features it knows (a subset of ordered and unordered, not empty). */
function isSupported(v: Version): boolean {
  return (
    v.identifier === DEFAULT_CONNECTION_VERSION.identifier && v.features.length > 0 && v.features.every((f) => DEFAULT_CONNECTION_VERSION.features.includes(f))
  );
}

/** ibc-go's PickVersion: the first of this chain's versions the counterparty also proposes, with the features both have. */
export function pickVersion(counterpartyVersions: readonly Version[]): Version {
  const theirs = counterpartyVersions.find((v) => v.identifier === DEFAULT_CONNECTION_VERSION.identifier);
  if (theirs === undefined) {
    throw connectionError(
      ConnectionCode.InvalidVersion,
      `failed to find a matching counterparty version among ${counterpartyVersions.map(describe).join("; ") || "none"}`,
    );
  }
  const features = DEFAULT_CONNECTION_VERSION.features.filter((f) => theirs.features.includes(f));
  if (features.length === 0) throw connectionError(ConnectionCode.InvalidVersion, `no feature in common with counterparty version ${describe(theirs)}`);
  return { identifier: DEFAULT_CONNECTION_VERSION.identifier, features };
}
