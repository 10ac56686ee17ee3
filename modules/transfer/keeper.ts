// ICS-20 fungible token transfer, bound to IBC's "transfer" port: the only code that reads and writes the
// "transfer" substore. Coins that leave for a chain they did not come from are escrowed in the channel's
// escrow account; vouchers ("ibc/<sha256 of the trace>") that go home are burned; a received packet
// unescrows coins coming home or mints vouchers for foreign ones, as ibc-go v8 does it. Each channel and
// denom may carry an exposure limit (genesis): a cap on the net flow out and in within a window, as a
// fraction of the denom's supply here when the window opened. A transfer over it fails and moves nothing;
// a packet over it is acknowledged with an error, so that the sender is refunded.
import { createHash } from "node:crypto";
import type { Packet } from "cosmjs-types/ibc/core/channel/v1/channel";
import { Order } from "cosmjs-types/ibc/core/channel/v1/channel";
import { DenomTrace } from "cosmjs-types/ibc/applications/transfer/v1/denomtrace";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { parseAddress } from "../../app/core/address";
import type { Context } from "../../app/core/context";
import { ChainError } from "../../app/core/errors";
import { TransferCode, transferError } from "./errors";
import {
  ATTR_ACK,
  ATTR_AMOUNT,
  ATTR_CHANNEL,
  ATTR_DENOM,
  ATTR_DIRECTION,
  ATTR_ERROR,
  ATTR_MEMO,
  ATTR_MODULE,
  ATTR_NET_FLOW,
  ATTR_QUOTA,
  ATTR_RECEIVER,
  ATTR_REFUND_AMOUNT,
  ATTR_REFUND_DENOM,
  ATTR_REFUND_RECEIVER,
  ATTR_SENDER,
  ATTR_SUCCESS,
  ATTR_TRACE_HASH,
  EVENT_DENOM_TRACE,
  EVENT_PACKET,
  EVENT_RATE_LIMIT_EXCEEDED,
  EVENT_TIMEOUT,
  EVENT_TRANSFER,
  MODULE_NAME,
} from "./events";
import type { AccountKeeper, BankKeeper, ChannelKeeper } from "./expected-keepers";
import * as keys from "./keys";

export const PORT_ID = "transfer";
export const VERSION = "ics20-1";
const MAX_RECEIVER = 2_048;

export interface TransferParams {
  sendEnabled: boolean;
  receiveEnabled: boolean;
}

/** An exposure limit: on `channel` ("*": any) for `denom` ("*": any), per window of `windowS` seconds. */
export interface RateLimit {
  channel: string;
  denom: string;
  /** Most net outflow in a window, in basis points of the denom's supply when the window opened (0: none may leave). */
  maxSendBp: number;
  /** Most net inflow in a window, likewise. */
  maxRecvBp: number;
  windowS: number;
}

interface Flow {
  startNs: bigint;
  /** The denom's supply when the window opened: what the caps are fractions of. */
  value: bigint;
  outflow: bigint;
  inflow: bigint;
}

/** The JSON of an ICS-20 packet (FungibleTokenPacketData). */
export interface PacketData {
  denom: string;
  amount: string;
  sender: string;
  receiver: string;
  memo?: string;
}

const SUCCESS_ACK = Buffer.from(JSON.stringify({ result: Buffer.from([1]).toString("base64") }));

/** "ibc/" + upper-case hex sha256 of the full trace "port/channel/.../base". */
export function ibcDenom(fullPath: string): string {
  return `ibc/${createHash("sha256").update(fullPath).digest("hex").toUpperCase()}`;
}

/** Splits "transfer/channel-0/transfer/channel-3/uatom" into its path and base denom (ibc-go's ParseDenomTrace). */
export function parseDenomTrace(fullPath: string): DenomTrace {
  const parts = fullPath.split("/");
  let i = 0;
  const path: string[] = [];
  while (i + 1 < parts.length && /^[a-zA-Z0-9._+\-#[\]<>]+$/.test(parts[i]!) && /^channel-\d+$/.test(parts[i + 1]!)) {
    path.push(parts[i]!, parts[i + 1]!);
    i += 2;
  }
  return { path: path.join("/"), baseDenom: parts.slice(i).join("/") };
}

export const fullDenomPath = (t: DenomTrace): string => (t.path === "" ? t.baseDenom : `${t.path}/${t.baseDenom}`);
/** The denom of a trace on this chain: the base itself when there is no path, else its voucher. */
export const localDenom = (t: DenomTrace): string => (t.path === "" ? t.baseDenom : ibcDenom(fullDenomPath(t)));

/** ibc-go's packet data bytes: the JSON with keys sorted, memo left out when empty. */
export function encodePacketData(d: PacketData): Uint8Array {
  const o: Record<string, string> = { amount: d.amount, denom: d.denom };
  if (d.memo !== undefined && d.memo !== "") o["memo"] = d.memo;
  o["receiver"] = d.receiver;
  o["sender"] = d.sender;
  return Buffer.from(JSON.stringify(o));
}

export function decodePacketData(bytes: Uint8Array): PacketData {
  let x: unknown;
  try {
    x = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw transferError(TransferCode.InvalidDenomForTransfer, "cannot unmarshal ICS-20 transfer packet data");
  }
  const d = x as Partial<Record<keyof PacketData, unknown>>;
  if (typeof x !== "object" || x === null || Array.isArray(x))
    throw transferError(TransferCode.InvalidDenomForTransfer, "ICS-20 packet data must be a JSON object");
  for (const k of ["denom", "amount", "sender", "receiver"] as const) {
    if (typeof d[k] !== "string" || (d[k] as string).trim() === "")
      throw transferError(TransferCode.InvalidDenomForTransfer, `ICS-20 packet data: ${k} must be a non-empty string`);
  }
  if (d.memo !== undefined && typeof d.memo !== "string") throw transferError(TransferCode.InvalidMemo, "ICS-20 packet data: memo must be a string");
  if (!/^[1-9]\d*$/.test(d.amount as string) || (d.amount as string).length > 78) {
    throw transferError(TransferCode.InvalidAmount, `ICS-20 packet data: amount ${JSON.stringify(d.amount)} is not a positive integer`);
  }
  return {
    denom: d.denom as string,
    amount: d.amount as string,
    sender: d.sender as string,
    receiver: d.receiver as string,
    memo: (d.memo as string | undefined) ?? "",
  };
}

export class TransferKeeper {
  /** Set once at start-up by the app (IBC's channel keeper; its type comes from expected-keepers). */
  channels!: ChannelKeeper;

  constructor(
    private readonly bank: BankKeeper,
    private readonly accounts: AccountKeeper,
  ) {}

  // ---- params, traces, escrow ----

  params(ctx: Context): TransferParams {
    const v = ctx.store(keys.STORE).get(keys.paramsKey);
    if (v === undefined) return { sendEnabled: true, receiveEnabled: true };
    return { sendEnabled: v[0] === 1, receiveEnabled: v[1] === 1 };
  }

  setParams(ctx: Context, p: TransferParams): void {
    ctx.store(keys.STORE).set(keys.paramsKey, Buffer.from([p.sendEnabled ? 1 : 0, p.receiveEnabled ? 1 : 0]));
  }

  denomTrace(ctx: Context, hash: Uint8Array): DenomTrace | undefined {
    const v = ctx.store(keys.STORE).get(keys.denomTraceKey(hash));
    return v === undefined ? undefined : DenomTrace.decode(v);
  }

  *denomTraces(ctx: Context): Generator<DenomTrace> {
    for (const [, v] of ctx.store(keys.STORE).iterate({ prefix: keys.denomTracePrefix })) yield DenomTrace.decode(v);
  }

  totalEscrow(ctx: Context, denom: string): bigint {
    const v = ctx.store(keys.STORE).get(keys.totalEscrowKey(denom));
    return v === undefined ? 0n : BigInt(v.toString());
  }

  private setTotalEscrow(ctx: Context, denom: string, amount: bigint): void {
    if (amount === 0n) ctx.store(keys.STORE).delete(keys.totalEscrowKey(denom));
    else ctx.store(keys.STORE).set(keys.totalEscrowKey(denom), Buffer.from(amount.toString()));
  }

  /** The full trace path of a local denom: itself if native, its stored trace if a voucher. */
  fullPathOf(ctx: Context, denom: string): string {
    if (!denom.startsWith("ibc/")) return denom;
    const hex = denom.slice(4);
    if (!/^[0-9A-Fa-f]{64}$/.test(hex)) throw transferError(TransferCode.InvalidDenomForTransfer, `invalid denom trace hash ${hex}`);
    const trace = this.denomTrace(ctx, Buffer.from(hex, "hex"));
    if (trace === undefined) throw transferError(TransferCode.TraceNotFound, `denomination trace not found: ${hex}`);
    return fullDenomPath(trace);
  }

  // ---- MsgTransfer ----

  transfer(
    ctx: Context,
    m: {
      sourcePort: string;
      sourceChannel: string;
      token: Coin;
      sender: string;
      receiver: string;
      timeoutHeight: { revisionNumber: bigint; revisionHeight: bigint };
      timeoutTimestamp: bigint;
      memo: string;
    },
  ): bigint {
    if (!this.params(ctx).sendEnabled) throw transferError(TransferCode.SendDisabled, "fungible token transfers from this chain are disabled");
    if (m.sourcePort !== PORT_ID) throw transferError(TransferCode.InvalidDenomForTransfer, `transfers leave from port ${PORT_ID}, not ${m.sourcePort}`);
    if (this.channels.channel(ctx, m.sourcePort, m.sourceChannel) === undefined) {
      throw new ChainError(3, `port-id: ${m.sourcePort}, channel-id: ${m.sourceChannel}: channel not found`, "channel");
    }
    const sender = parseAddress(m.sender);
    const amount = BigInt(m.token.amount);
    const fullPath = this.fullPathOf(ctx, m.token.denom);
    const coins = [{ denom: m.token.denom, amount }];
    this.applyRateLimit(ctx, m.sourceChannel, m.token.denom, amount, "send");
    if (senderChainIsSource(m.sourcePort, m.sourceChannel, fullPath)) {
      this.bank.sendCoins(ctx, sender, keys.escrowAddress(m.sourcePort, m.sourceChannel), coins);
      this.setTotalEscrow(ctx, m.token.denom, this.totalEscrow(ctx, m.token.denom) + amount);
    } else {
      const module = this.accounts.moduleAccount(ctx, MODULE_NAME).address;
      this.bank.sendCoins(ctx, sender, module, coins);
      this.bank.burnCoins(ctx, module, coins);
    }
    const data = encodePacketData({ denom: fullPath, amount: m.token.amount, sender: m.sender, receiver: m.receiver, memo: m.memo });
    const seq = this.channels.sendPacket(ctx, m.sourcePort, m.sourceChannel, m.timeoutHeight, m.timeoutTimestamp, data);
    ctx.events.emit(EVENT_TRANSFER, {
      [ATTR_SENDER]: m.sender,
      [ATTR_RECEIVER]: m.receiver,
      [ATTR_AMOUNT]: m.token.amount,
      [ATTR_DENOM]: fullPath,
      [ATTR_MEMO]: m.memo,
    });
    return seq;
  }

  // ---- the port's callbacks (IBC's IbcApp) ----

  onChanOpenInit(_ctx: Context, order: Order, _hops: string[], portId: string, _channelId: string, counterparty: { portId: string }, version: string): string {
    this.checkChannelParams(order, portId, counterparty.portId);
    if (version !== "" && version !== VERSION) throw transferError(TransferCode.InvalidVersion, `expected ${VERSION}, got ${version}`);
    return VERSION;
  }

  onChanOpenTry(
    _ctx: Context,
    order: Order,
    _hops: string[],
    portId: string,
    _channelId: string,
    counterparty: { portId: string },
    counterpartyVersion: string,
  ): string {
    this.checkChannelParams(order, portId, counterparty.portId);
    if (counterpartyVersion !== VERSION)
      throw transferError(TransferCode.InvalidVersion, `invalid counterparty version: expected ${VERSION}, got ${counterpartyVersion}`);
    return VERSION;
  }

  onChanOpenAck(_ctx: Context, _portId: string, _channelId: string, _counterpartyChannelId: string, counterpartyVersion: string): void {
    if (counterpartyVersion !== VERSION)
      throw transferError(TransferCode.InvalidVersion, `invalid counterparty version: expected ${VERSION}, got ${counterpartyVersion}`);
  }

  onChanOpenConfirm(): void {}

  onChanCloseInit(): void {
    throw transferError(
      TransferCode.InvalidVersion,
      "user cannot close channel: transfer channels stay open, since closing one would strand the coins in flight",
    );
  }

  onChanCloseConfirm(): void {}

  onRecvPacket(ctx: Context, packet: Packet, _relayer: string): { ack: Uint8Array; success: boolean } {
    let data: PacketData | undefined;
    try {
      data = decodePacketData(packet.data);
      this.receive(ctx, packet, data);
      this.emitPacket(ctx, data, { [ATTR_SUCCESS]: "true" });
      return { ack: SUCCESS_ACK, success: true };
    } catch (err) {
      const code = err instanceof ChainError ? err.code : 1;
      this.emitPacket(ctx, data, { [ATTR_SUCCESS]: "false", [ATTR_ERROR]: (err as Error).message });
      return { ack: Buffer.from(JSON.stringify({ error: `ABCI code: ${code}: error handling packet: see events for details` })), success: false };
    }
  }

  onAcknowledgementPacket(ctx: Context, packet: Packet, ack: Uint8Array, _relayer: string): void {
    const data = decodePacketData(packet.data);
    let parsed: { result?: unknown; error?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(ack).toString("utf8")) as { result?: unknown; error?: unknown };
    } catch {
      throw transferError(TransferCode.InvalidDenomForTransfer, "cannot unmarshal ICS-20 transfer packet acknowledgement");
    }
    const success = typeof parsed.result === "string" && parsed.error === undefined;
    if (!success) this.refund(ctx, packet, data);
    this.emitPacket(ctx, data, {
      [ATTR_ACK]: Buffer.from(ack).toString("utf8"),
      ...(success ? { [ATTR_SUCCESS]: "\u0001" } : { [ATTR_ERROR]: String(parsed.error ?? "") }),
    });
  }

  onTimeoutPacket(ctx: Context, packet: Packet, _relayer: string): void {
    const data = decodePacketData(packet.data);
    this.refund(ctx, packet, data);
    ctx.events.emit(EVENT_TIMEOUT, {
      [ATTR_MODULE]: MODULE_NAME,
      [ATTR_REFUND_RECEIVER]: data.sender,
      [ATTR_REFUND_DENOM]: data.denom,
      [ATTR_REFUND_AMOUNT]: data.amount,
      [ATTR_MEMO]: data.memo ?? "",
    });
  }

  // ---- moving the coins ----

  private receive(ctx: Context, packet: Packet, data: PacketData): void {
    if (!this.params(ctx).receiveEnabled) throw transferError(TransferCode.ReceiveDisabled, "fungible token transfers to this chain are disabled");
    if (data.receiver.length > MAX_RECEIVER) throw transferError(TransferCode.InvalidDenomForTransfer, "receiver address is too long");
    const receiver = parseAddress(data.receiver);
    const amount = BigInt(data.amount);
    const sourcePrefix = `${packet.sourcePort}/${packet.sourceChannel}/`;
    if (data.denom.startsWith(sourcePrefix)) {
      // Coming home: the denom was this chain's (or a voucher of this chain's) when it left through this channel.
      const trace = parseDenomTrace(data.denom.slice(sourcePrefix.length));
      const denom = localDenom(trace);
      this.applyRateLimit(ctx, packet.destinationChannel, denom, amount, "recv");
      this.bank.sendCoins(ctx, keys.escrowAddress(packet.destinationPort, packet.destinationChannel), receiver, [{ denom, amount }]);
      const left = this.totalEscrow(ctx, denom) - amount;
      if (left < 0n) throw transferError(TransferCode.InvalidAmount, `escrow of ${denom} would go negative`);
      this.setTotalEscrow(ctx, denom, left);
      return;
    }
    // Foreign: a voucher of the trace extended by this end of the channel.
    const trace = parseDenomTrace(`${packet.destinationPort}/${packet.destinationChannel}/${data.denom}`);
    if (trace.baseDenom === "") throw transferError(TransferCode.InvalidDenomForTransfer, `invalid denom ${data.denom}`);
    const voucher = localDenom(trace);
    const hash = Buffer.from(voucher.slice(4), "hex");
    if (this.denomTrace(ctx, hash) === undefined) {
      ctx.store(keys.STORE).set(keys.denomTraceKey(hash), DenomTrace.encode(trace).finish());
      ctx.events.emit(EVENT_DENOM_TRACE, { [ATTR_TRACE_HASH]: voucher.slice(4), [ATTR_DENOM]: voucher });
    }
    this.applyRateLimit(ctx, packet.destinationChannel, voucher, amount, "recv");
    const module = this.accounts.moduleAccount(ctx, MODULE_NAME).address;
    this.bank.mintCoins(ctx, module, [{ denom: voucher, amount }]);
    this.bank.sendCoins(ctx, module, receiver, [{ denom: voucher, amount }]);
  }

  /** Gives back what a failed or timed-out packet took: unescrows coins this chain is the source of, re-mints vouchers it burned. */
  private refund(ctx: Context, packet: Packet, data: PacketData): void {
    const sender = parseAddress(data.sender);
    const denom = localDenom(parseDenomTrace(data.denom));
    const amount = BigInt(data.amount);
    if (senderChainIsSource(packet.sourcePort, packet.sourceChannel, data.denom)) {
      this.bank.sendCoins(ctx, keys.escrowAddress(packet.sourcePort, packet.sourceChannel), sender, [{ denom, amount }]);
      this.setTotalEscrow(ctx, denom, this.totalEscrow(ctx, denom) - amount);
    } else {
      const module = this.accounts.moduleAccount(ctx, MODULE_NAME).address;
      this.bank.mintCoins(ctx, module, [{ denom, amount }]);
      this.bank.sendCoins(ctx, module, sender, [{ denom, amount }]);
    }
    this.undoOutflow(ctx, packet.sourceChannel, denom, amount);
  }

  private checkChannelParams(order: Order, portId: string, counterpartyPort: string): void {
    if (order !== Order.ORDER_UNORDERED) throw new ChainError(6, "invalid channel ordering: transfer channels must be UNORDERED", "channel");
    if (portId !== PORT_ID) throw new ChainError(4, `invalid port: ${portId}, expected ${PORT_ID}`, "port");
    if (counterpartyPort === "") throw new ChainError(4, "counterparty port cannot be empty", "port");
  }

  private emitPacket(ctx: Context, data: PacketData | undefined, extra: Record<string, string>): void {
    ctx.events.emit(EVENT_PACKET, {
      [ATTR_MODULE]: MODULE_NAME,
      [ATTR_SENDER]: data?.sender ?? "",
      [ATTR_RECEIVER]: data?.receiver ?? "",
      [ATTR_DENOM]: data?.denom ?? "",
      [ATTR_AMOUNT]: data?.amount ?? "",
      [ATTR_MEMO]: data?.memo ?? "",
      ...extra,
    });
  }

  // ---- exposure limits ----

  rateLimits(ctx: Context): RateLimit[] {
    const v = ctx.store(keys.STORE).get(keys.rateLimitsKey);
    return v === undefined ? [] : (JSON.parse(v.toString()) as RateLimit[]);
  }

  setRateLimits(ctx: Context, limits: RateLimit[]): void {
    for (const l of limits) checkRateLimit(l);
    ctx
      .store(keys.STORE)
      .set(
        keys.rateLimitsKey,
        Buffer.from(
          JSON.stringify(limits.map((l) => ({ channel: l.channel, denom: l.denom, maxSendBp: l.maxSendBp, maxRecvBp: l.maxRecvBp, windowS: l.windowS }))),
        ),
      );
  }

  /** The limit for a channel and denom: an exact match first, then a wildcard denom, then a wildcard channel. */
  rateLimitFor(ctx: Context, channelId: string, denom: string): RateLimit | undefined {
    const all = this.rateLimits(ctx);
    return (
      all.find((l) => l.channel === channelId && l.denom === denom) ??
      all.find((l) => l.channel === channelId && l.denom === "*") ??
      all.find((l) => l.channel === "*" && l.denom === denom) ??
      all.find((l) => l.channel === "*" && l.denom === "*")
    );
  }

  /** The (channel, denom)'s flow in its current window (a new window once the last one has ended). */
  flow(ctx: Context, channelId: string, denom: string, limit: RateLimit): Flow {
    const now = ctx.blockTimeMs * 1_000_000n;
    const v = ctx.store(keys.STORE).get(keys.flowKey(channelId, denom));
    if (v !== undefined) {
      const [startNs, value, outflow, inflow] = v
        .toString()
        .split(",")
        .map((x) => BigInt(x));
      if (now < startNs! + BigInt(limit.windowS) * 1_000_000_000n) return { startNs: startNs!, value: value!, outflow: outflow!, inflow: inflow! };
    }
    return { startNs: now, value: this.bank.getSupply(ctx, denom), outflow: 0n, inflow: 0n };
  }

  private applyRateLimit(ctx: Context, channelId: string, denom: string, amount: bigint, direction: "send" | "recv"): void {
    const limit = this.rateLimitFor(ctx, channelId, denom);
    if (limit === undefined) return;
    const f = this.flow(ctx, channelId, denom, limit);
    // A window opened when none of the denom existed here weighs flows against the supply once some does:
    // the first vouchers of a denom arrive uncapped (no holder of it can lose), later ones are capped.
    if (f.value === 0n) f.value = this.bank.getSupply(ctx, denom);
    const bp = BigInt(direction === "send" ? limit.maxSendBp : limit.maxRecvBp);
    const quota = (f.value * bp) / 10_000n;
    const net = direction === "send" ? f.outflow + amount - f.inflow : f.inflow + amount - f.outflow;
    if (net > quota && f.value > 0n) {
      ctx.events.emit(EVENT_RATE_LIMIT_EXCEEDED, {
        [ATTR_CHANNEL]: channelId,
        [ATTR_DENOM]: denom,
        [ATTR_DIRECTION]: direction,
        [ATTR_AMOUNT]: amount.toString(),
        [ATTR_QUOTA]: quota.toString(),
        [ATTR_NET_FLOW]: net.toString(),
      });
      throw transferError(
        TransferCode.RateLimitExceeded,
        `exposure limit of channel ${channelId} for ${denom}: a net ${direction === "send" ? "outflow" : "inflow"} of ${net} would pass the window's cap of ${quota} (${bp} bp of ${f.value}); the window opened at ${new Date(Number(f.startNs / 1_000_000n)).toISOString()} and lasts ${limit.windowS} s`,
      );
    }
    if (direction === "send") f.outflow += amount;
    else f.inflow += amount;
    this.storeFlow(ctx, channelId, denom, f);
  }

  private undoOutflow(ctx: Context, channelId: string, denom: string, amount: bigint): void {
    const limit = this.rateLimitFor(ctx, channelId, denom);
    if (limit === undefined) return;
    const f = this.flow(ctx, channelId, denom, limit);
    f.outflow = f.outflow > amount ? f.outflow - amount : 0n;
    this.storeFlow(ctx, channelId, denom, f);
  }

  private storeFlow(ctx: Context, channelId: string, denom: string, f: Flow): void {
    ctx.store(keys.STORE).set(keys.flowKey(channelId, denom), Buffer.from(`${f.startNs},${f.value},${f.outflow},${f.inflow}`));
  }
}

/** Whether this chain is where the coins of `fullPath` come from, as seen by a packet leaving through port/channel. */
export function senderChainIsSource(sourcePort: string, sourceChannel: string, fullPath: string): boolean {
  return !fullPath.startsWith(`${sourcePort}/${sourceChannel}/`);
}

export function checkRateLimit(l: RateLimit): void {
  const bad = (why: string) => transferError(TransferCode.InvalidAmount, `exposure limit ${JSON.stringify(l)}: ${why}`);
  if (typeof l.channel !== "string" || (l.channel !== "*" && !/^channel-\d+$/.test(l.channel))) throw bad('channel must be "channel-N" or "*"');
  if (typeof l.denom !== "string" || l.denom === "") throw bad('denom must be a denom or "*"');
  for (const k of ["maxSendBp", "maxRecvBp"] as const) {
    if (!Number.isInteger(l[k]) || l[k] < 0 || l[k] > 10_000) throw bad(`${k} must be an integer in 0..10000`);
  }
  if (!Number.isInteger(l.windowS) || l.windowS < 1) throw bad("windowS must be a positive number of seconds");
}
