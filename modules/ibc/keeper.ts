// IBC's keeper: the only code that reads and writes the "ibc" substore. This part is ICS-02, the clients:
// 07-tendermint light clients of other chains (lightclient/tendermint.ts does the verification), created,
// updated with headers and frozen on misbehaviour as ibc-go v8 does it. Client and consensus states are
// stored as their Any encodings at the ICS-24 paths (keys.ts), so that a counterparty can prove them.
import { Any } from "cosmjs-types/google/protobuf/any";
import { type Height, IdentifiedClientState, ConsensusStateWithHeight, Params as ClientParams } from "cosmjs-types/ibc/core/client/v1/client";
import { ClientState, ConsensusState, Header, Misbehaviour } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import type { Context } from "../../app/core/context";
import { ClientCode, clientError } from "./errors";
import {
  ATTR_CLIENT_ID,
  ATTR_CLIENT_TYPE,
  ATTR_CONSENSUS_HEIGHT,
  ATTR_CONSENSUS_HEIGHTS,
  ATTR_HEADER,
  EVENT_CLIENT_MISBEHAVIOUR,
  EVENT_CREATE_CLIENT,
  EVENT_UPDATE_CLIENT,
} from "./events";
import * as keys from "./keys";
import {
  checkForMisbehaviour,
  clientStatus as tendermintStatus,
  consensusStateFromHeader,
  headerHeight,
  parseRevisionNumber,
  validateClientState,
  verifyHeader,
  verifyMisbehaviour,
} from "./lightclient/tendermint";
import { compareHeights, formatHeight, isZeroHeight } from "./lightclient/height";
import { nanos } from "./lightclient/time";

export const TENDERMINT_CLIENT_TYPE = "07-tendermint";
export const CLIENT_STATE_TYPE_URL = "/ibc.lightclients.tendermint.v1.ClientState";
export const CONSENSUS_STATE_TYPE_URL = "/ibc.lightclients.tendermint.v1.ConsensusState";
export const HEADER_TYPE_URL = "/ibc.lightclients.tendermint.v1.Header";
export const MISBEHAVIOUR_TYPE_URL = "/ibc.lightclients.tendermint.v1.Misbehaviour";

/** Only 07-tendermint is built; ibc-go's default list also names 06-solomachine and 09-localhost. */
export const DEFAULT_CLIENT_PARAMS: ClientParams = { allowedClients: [TENDERMINT_CLIENT_TYPE] };

/** What a frozen client's frozen_height is set to, as ibc-go does (any non-zero height freezes). */
export const FROZEN_HEIGHT: Height = { revisionNumber: 0n, revisionHeight: 1n };

export type ClientStatus = "Active" | "Expired" | "Frozen" | "Unknown" | "Unauthorized";

/** "revision-height", as ibc-go prints a Height. */
export const heightString = formatHeight;
export { compareHeights };

const CLIENT_ID = /^([a-z0-9-]+)-(\d+)$/;

export class IbcKeeper {
  // ---- params and this chain's own height ----

  clientParams(ctx: Context): ClientParams {
    const v = ctx.store(keys.STORE).get(keys.clientParamsKey);
    return v === undefined ? DEFAULT_CLIENT_PARAMS : ClientParams.decode(v);
  }

  setClientParams(ctx: Context, p: ClientParams): void {
    for (const t of p.allowedClients) {
      if (t.trim() === "") throw clientError(ClientCode.InvalidClientType, "allowed_clients has an empty client type");
    }
    ctx.store(keys.STORE).set(keys.clientParamsKey, ClientParams.encode(p).finish());
  }

  /** This chain's height as IBC writes it: the revision from the chain id ("name-N"), then the block height. */
  selfHeight(ctx: Context): Height {
    return { revisionNumber: parseRevisionNumber(ctx.chainId), revisionHeight: ctx.height };
  }

  /** The block time in nanoseconds. */
  nowNs(ctx: Context): bigint {
    return ctx.blockTimeMs * 1_000_000n;
  }

  // ---- reading ----

  clientState(ctx: Context, clientId: string): ClientState | undefined {
    const v = ctx.store(keys.STORE).get(keys.clientStateKey(clientId));
    return v === undefined ? undefined : ClientState.decode(Any.decode(v).value);
  }

  /** The stored Any of a client state (what queries return and counterparties prove). */
  clientStateAny(ctx: Context, clientId: string): Any | undefined {
    const v = ctx.store(keys.STORE).get(keys.clientStateKey(clientId));
    return v === undefined ? undefined : Any.decode(v);
  }

  consensusState(ctx: Context, clientId: string, height: Height): ConsensusState | undefined {
    const v = ctx.store(keys.STORE).get(keys.consensusStateKey(clientId, height.revisionNumber, height.revisionHeight));
    return v === undefined ? undefined : ConsensusState.decode(Any.decode(v).value);
  }

  consensusStateAny(ctx: Context, clientId: string, height: Height): Any | undefined {
    const v = ctx.store(keys.STORE).get(keys.consensusStateKey(clientId, height.revisionNumber, height.revisionHeight));
    return v === undefined ? undefined : Any.decode(v);
  }

  /** When (block time, ns) and at which height of this chain the consensus state at `height` was stored. */
  processed(ctx: Context, clientId: string, height: Height): { timeNs: bigint; height: bigint } | undefined {
    const store = ctx.store(keys.STORE);
    const t = store.get(keys.processedTimeKey(clientId, height.revisionNumber, height.revisionHeight));
    const h = store.get(keys.processedHeightKey(clientId, height.revisionNumber, height.revisionHeight));
    if (t === undefined || h === undefined) return undefined;
    return { timeNs: t.readBigUInt64BE(0), height: h.readBigUInt64BE(0) };
  }

  /** A client's consensus heights in ascending order (or descending with `reverse`). */
  *consensusHeights(ctx: Context, clientId: string, reverse = false): Generator<Height> {
    for (const [key] of ctx.store(keys.STORE).iterate({ prefix: keys.consensusIndexPrefix(clientId), reverse })) {
      yield keys.parseConsensusIndexKey(clientId, key);
    }
  }

  *consensusStates(ctx: Context, clientId: string): Generator<ConsensusStateWithHeight> {
    for (const height of this.consensusHeights(ctx, clientId)) yield { height, consensusState: this.consensusStateAny(ctx, clientId, height) };
  }

  /** Every client, ordered by client id's bytes. */
  *clientStates(ctx: Context): Generator<IdentifiedClientState> {
    for (const [key, value] of ctx.store(keys.STORE).iterate({ prefix: keys.clientsPrefix })) {
      const path = key.toString("utf8");
      if (!path.endsWith("/clientState")) continue;
      yield { clientId: path.slice("clients/".length, -"/clientState".length), clientState: Any.decode(value) };
    }
  }

  /** ibc-go's status: Unauthorized if its type is not allowed, Unknown if it does not exist, else the light client's. */
  clientStatus(ctx: Context, clientId: string): ClientStatus {
    const m = CLIENT_ID.exec(clientId);
    if (m === null || !this.clientParams(ctx).allowedClients.includes(m[1]!)) return "Unauthorized";
    const cs = this.clientState(ctx, clientId);
    if (cs === undefined) return "Unknown";
    return tendermintStatus(cs, this.consensusState(ctx, clientId, cs.latestHeight), this.nowNs(ctx));
  }

  // ---- MsgCreateClient ----

  createClient(ctx: Context, clientStateAny: Any | undefined, consensusStateAny: Any | undefined): string {
    if (clientStateAny === undefined) throw clientError(ClientCode.InvalidClient, "missing client state");
    if (consensusStateAny === undefined) throw clientError(ClientCode.InvalidConsensus, "missing consensus state");
    const clientType = clientTypeOf(clientStateAny.typeUrl);
    if (!this.clientParams(ctx).allowedClients.includes(clientType)) {
      throw clientError(ClientCode.InvalidClientType, `client state type ${clientType} is not registered in the allowlist`);
    }
    if (consensusStateAny.typeUrl !== CONSENSUS_STATE_TYPE_URL) {
      throw clientError(ClientCode.InvalidConsensus, `a ${clientType} client needs a ${CONSENSUS_STATE_TYPE_URL}, got ${consensusStateAny.typeUrl}`);
    }
    const cs = decodeStrict(ClientState, clientStateAny.value, ClientCode.InvalidClient, "client state");
    const consensus = decodeStrict(ConsensusState, consensusStateAny.value, ClientCode.InvalidConsensus, "consensus state");
    validateClientState(cs);
    if (!isZeroHeight(cs.frozenHeight)) throw clientError(ClientCode.ClientFrozen, "a new client cannot be frozen");
    validateConsensusState(consensus);
    const store = ctx.store(keys.STORE);
    const seqBytes = store.get(keys.nextClientSequenceKey);
    const seq = seqBytes === undefined ? 0n : seqBytes.readBigUInt64BE(0);
    const clientId = `${clientType}-${seq}`;
    store.set(keys.nextClientSequenceKey, keys.be64(seq + 1n));
    this.storeClientState(ctx, clientId, cs);
    this.storeConsensusState(ctx, clientId, cs.latestHeight, consensus);
    if (this.clientStatus(ctx, clientId) !== "Active") {
      throw clientError(ClientCode.ClientNotActive, `cannot create client ${clientId}: its consensus state is already outside the trusting period`);
    }
    ctx.events.emit(EVENT_CREATE_CLIENT, {
      [ATTR_CLIENT_ID]: clientId,
      [ATTR_CLIENT_TYPE]: clientType,
      [ATTR_CONSENSUS_HEIGHT]: heightString(cs.latestHeight),
    });
    return clientId;
  }

  // ---- MsgUpdateClient and MsgSubmitMisbehaviour ----

  /**
   * A header adds a consensus state; a header that conflicts with what the client stored, or misbehaviour
   * proved outright, freezes the client instead (the tx still succeeds, as in ibc-go, so that the freeze
   * is kept). A header already stored unchanged is a no-op.
   */
  updateClient(ctx: Context, clientId: string, message: Any | undefined): void {
    if (message === undefined) throw clientError(ClientCode.InvalidHeader, "missing client message");
    const cs = this.requireClient(ctx, clientId);
    const status = this.clientStatus(ctx, clientId);
    if (status !== "Active") throw clientError(ClientCode.ClientNotActive, `cannot update client (${clientId}) with status ${status}`);
    const now = this.nowNs(ctx);
    if (message.typeUrl === MISBEHAVIOUR_TYPE_URL) {
      const m = decodeStrict(Misbehaviour, message.value, ClientCode.InvalidMisbehaviour, "misbehaviour");
      this.checkMisbehaviour(ctx, clientId, cs, m, now);
      this.freeze(ctx, clientId, cs);
      return;
    }
    if (message.typeUrl !== HEADER_TYPE_URL) {
      throw clientError(
        ClientCode.InvalidClientType,
        `a ${TENDERMINT_CLIENT_TYPE} client takes a ${HEADER_TYPE_URL} or ${MISBEHAVIOUR_TYPE_URL}, got ${message.typeUrl}`,
      );
    }
    const header = decodeStrict(Header, message.value, ClientCode.InvalidHeader, "header");
    const trusted = this.consensusState(ctx, clientId, header.trustedHeight);
    if (trusted === undefined) {
      throw clientError(
        ClientCode.ConsensusStateNotFound,
        `could not get trusted consensus state from clientStore for Header at TrustedHeight: ${heightString(header.trustedHeight)}`,
      );
    }
    verifyHeader(cs, trusted, header, now);
    const height = headerHeight(header);
    const neighbours = this.neighbours(ctx, clientId, height);
    if (checkForMisbehaviour(cs, header, this.consensusState(ctx, clientId, height), neighbours.prev, neighbours.next)) {
      this.freeze(ctx, clientId, cs);
      return;
    }
    if (this.consensusState(ctx, clientId, height) === undefined) {
      this.storeConsensusState(ctx, clientId, height, consensusStateFromHeader(header));
      if (compareHeights(height, cs.latestHeight) > 0) this.storeClientState(ctx, clientId, { ...cs, latestHeight: height });
      this.pruneOldestExpired(ctx, clientId, cs, now);
    }
    ctx.events.emit(EVENT_UPDATE_CLIENT, {
      [ATTR_CLIENT_ID]: clientId,
      [ATTR_CLIENT_TYPE]: TENDERMINT_CLIENT_TYPE,
      [ATTR_CONSENSUS_HEIGHT]: heightString(height),
      [ATTR_CONSENSUS_HEIGHTS]: heightString(height),
      [ATTR_HEADER]: Buffer.from(Any.encode(message).finish()).toString("hex"),
    });
  }

  /** MsgSubmitMisbehaviour (deprecated in ibc-go v8 in favour of MsgUpdateClient, and still served). */
  submitMisbehaviour(ctx: Context, clientId: string, misbehaviour: Any | undefined): void {
    if (misbehaviour === undefined || misbehaviour.typeUrl !== MISBEHAVIOUR_TYPE_URL) {
      throw clientError(ClientCode.InvalidMisbehaviour, `expected a ${MISBEHAVIOUR_TYPE_URL}, got ${misbehaviour?.typeUrl ?? "nothing"}`);
    }
    this.updateClient(ctx, clientId, misbehaviour);
  }

  private checkMisbehaviour(ctx: Context, clientId: string, cs: ClientState, m: Misbehaviour, now: bigint): void {
    if (m.header1 === undefined || m.header2 === undefined) throw clientError(ClientCode.InvalidMisbehaviour, "misbehaviour needs two headers");
    const trusted1 = this.consensusState(ctx, clientId, m.header1.trustedHeight);
    const trusted2 = this.consensusState(ctx, clientId, m.header2.trustedHeight);
    if (trusted1 === undefined || trusted2 === undefined) {
      const missing = trusted1 === undefined ? m.header1.trustedHeight : m.header2.trustedHeight;
      throw clientError(ClientCode.ConsensusStateNotFound, `no consensus state at trusted height ${heightString(missing)} of client ${clientId}`);
    }
    verifyMisbehaviour(cs, trusted1, trusted2, m, now);
  }

  private freeze(ctx: Context, clientId: string, cs: ClientState): void {
    this.storeClientState(ctx, clientId, { ...cs, frozenHeight: FROZEN_HEIGHT });
    ctx.events.emit(EVENT_CLIENT_MISBEHAVIOUR, { [ATTR_CLIENT_ID]: clientId, [ATTR_CLIENT_TYPE]: TENDERMINT_CLIENT_TYPE });
  }

  private requireClient(ctx: Context, clientId: string): ClientState {
    const cs = this.clientState(ctx, clientId);
    if (cs === undefined) throw clientError(ClientCode.ClientNotFound, `client ${clientId} not found`);
    return cs;
  }

  /** The stored consensus states just below and just above `height`, through the height-ordered index. */
  private neighbours(ctx: Context, clientId: string, height: Height): { prev?: ConsensusState; next?: ConsensusState } {
    const store = ctx.store(keys.STORE);
    const at = keys.consensusIndexKey(clientId, height.revisionNumber, height.revisionHeight);
    const prefix = keys.consensusIndexPrefix(clientId);
    const out: { prev?: ConsensusState; next?: ConsensusState } = {};
    for (const [key] of store.iterate({ prefix, end: at, reverse: true })) {
      out.prev = this.consensusState(ctx, clientId, keys.parseConsensusIndexKey(clientId, key));
      break;
    }
    for (const [key] of store.iterate({ prefix, start: Buffer.concat([at, Buffer.from([0])]) })) {
      out.next = this.consensusState(ctx, clientId, keys.parseConsensusIndexKey(clientId, key));
      break;
    }
    return out;
  }

  /** Deletes the client's oldest consensus state if it is past the trusting period (never the latest): bounded work per update. */
  private pruneOldestExpired(ctx: Context, clientId: string, cs: ClientState, now: bigint): void {
    for (const height of this.consensusHeights(ctx, clientId)) {
      const latest = this.requireClient(ctx, clientId).latestHeight;
      if (compareHeights(height, latest) === 0) return;
      const old = this.consensusState(ctx, clientId, height)!;
      if (timestampNs(old.timestamp) + durationNs(cs.trustingPeriod) > now) return;
      const store = ctx.store(keys.STORE);
      store.delete(keys.consensusStateKey(clientId, height.revisionNumber, height.revisionHeight));
      store.delete(keys.processedTimeKey(clientId, height.revisionNumber, height.revisionHeight));
      store.delete(keys.processedHeightKey(clientId, height.revisionNumber, height.revisionHeight));
      store.delete(keys.consensusIndexKey(clientId, height.revisionNumber, height.revisionHeight));
      return;
    }
  }

  // ---- writing ----

  private storeClientState(ctx: Context, clientId: string, cs: ClientState): void {
    const any = Any.fromPartial({ typeUrl: CLIENT_STATE_TYPE_URL, value: ClientState.encode(cs).finish() });
    ctx.store(keys.STORE).set(keys.clientStateKey(clientId), Any.encode(any).finish());
  }

  private storeConsensusState(ctx: Context, clientId: string, height: Height, consensus: ConsensusState): void {
    const store = ctx.store(keys.STORE);
    const any = Any.fromPartial({ typeUrl: CONSENSUS_STATE_TYPE_URL, value: ConsensusState.encode(consensus).finish() });
    store.set(keys.consensusStateKey(clientId, height.revisionNumber, height.revisionHeight), Any.encode(any).finish());
    store.set(keys.processedTimeKey(clientId, height.revisionNumber, height.revisionHeight), keys.be64(this.nowNs(ctx)));
    store.set(keys.processedHeightKey(clientId, height.revisionNumber, height.revisionHeight), keys.be64(ctx.height));
    store.set(keys.consensusIndexKey(clientId, height.revisionNumber, height.revisionHeight), new Uint8Array([1]));
  }
}

/** "/ibc.lightclients.tendermint.v1.ClientState" → "07-tendermint"; any other client type is named by its type URL. */
function clientTypeOf(typeUrl: string): string {
  if (typeUrl === CLIENT_STATE_TYPE_URL) return TENDERMINT_CLIENT_TYPE;
  if (typeUrl === "/ibc.lightclients.solomachine.v3.ClientState") return "06-solomachine";
  if (typeUrl === "/ibc.lightclients.localhost.v2.ClientState") return "09-localhost";
  if (typeUrl === "/ibc.lightclients.wasm.v1.ClientState") return "08-wasm";
  throw clientError(ClientCode.InvalidClientType, `unknown client state type ${typeUrl}`);
}

function decodeStrict<T>(codec: { decode(b: Uint8Array): T }, bytes: Uint8Array, code: Parameters<typeof clientError>[0], what: string): T {
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw clientError(code, `cannot decode the ${what}: ${(err as Error).message}`);
  }
}

function validateConsensusState(c: ConsensusState): void {
  if (c.root === undefined || c.root.hash.length === 0) throw clientError(ClientCode.InvalidConsensus, "root cannot be empty");
  if (c.nextValidatorsHash.length !== 32)
    throw clientError(ClientCode.InvalidConsensus, `next validators hash is ${c.nextValidatorsHash.length} bytes, not 32`);
  if (c.timestamp === undefined || timestampNs(c.timestamp) <= 0n) throw clientError(ClientCode.InvalidConsensus, "timestamp must be a positive Unix time");
}

/** A Timestamp or Duration in nanoseconds. */
export const timestampNs = nanos;
export const durationNs = nanos;
