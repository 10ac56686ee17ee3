// A relayer written for tests, over two chains of test/helpers/ibc-pair.ts: it opens clients, a connection
// and a transfer channel, and relays packets and acknowledgements the way Hermes does (an update of the
// client, then the message with proofs from the other chain's store at the header's height - 1).
import { Any } from "cosmjs-types/google/protobuf/any";
import { Channel, Order, State as ChannelState, type Packet } from "cosmjs-types/ibc/core/channel/v1/channel";
import { ConnectionEnd, State as ConnectionState } from "cosmjs-types/ibc/core/connection/v1/connection";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import type { Test } from "tap";
import { DEFAULT_CONNECTION_VERSION } from "../../modules/ibc/connection";
import {
  channelPath,
  clientStatePath,
  connectionPath,
  consensusStatePath,
  packetAcknowledgementPath,
  packetCommitmentPath,
} from "../../modules/ibc/host/paths";
import { block, createClient, height, ibcHeight, proveAt, send, startSimChain, type SimChain, updateMsg } from "./ibc-pair";

const ibcPrefix = { keyPrefix: Buffer.from("ibc") };
export const attr = (res: ExecTxResult, type: string, key: string): string | undefined =>
  res.events.find((e) => e.type === type)?.attributes.find((a) => a.key === key)?.value;

/** What a relayer keeps: each chain's client of the other and the height that client last trusted. */
export interface Link {
  a: SimChain;
  b: SimChain;
  clientOnA: string;
  clientOnB: string;
  /** Latest height of A's client of B, and of B's client of A. */
  trustedB: bigint;
  trustedA: bigint;
  signer: string;
}

/** Makes a block on `from` so that its last state is provable, and returns the proof height and the height to prove at. */
export async function provable(from: SimChain): Promise<{ proofHeight: bigint; at: bigint }> {
  await block(from);
  const proofHeight = height(from);
  return { proofHeight, at: proofHeight - 1n };
}

/** Sends `msg` to `to` after updating `to`'s client of `from` to `from`'s latest height; keeps the trusted height. */
export async function relay(l: Link, to: "a" | "b", proofHeight: bigint, msg: { typeUrl: string; value: object }): Promise<ExecTxResult> {
  const [host, of, clientId, trusted] = to === "a" ? [l.a, l.b, l.clientOnA, l.trustedB] : [l.b, l.a, l.clientOnB, l.trustedA];
  const msgs = proofHeight > trusted ? [updateMsg(of, clientId, trusted, l.signer), msg] : [msg];
  const res = await send(host, msgs);
  if (res.code === 0 && proofHeight > trusted) {
    if (to === "a") l.trustedB = proofHeight;
    else l.trustedA = proofHeight;
  }
  return res;
}

export function packetFrom(res: ExecTxResult): Packet {
  const get = (k: string) => attr(res, "send_packet", k)!;
  const [rev, h] = get("packet_timeout_height").split("-").map(BigInt);
  return {
    sequence: BigInt(get("packet_sequence")),
    sourcePort: get("packet_src_port"),
    sourceChannel: get("packet_src_channel"),
    destinationPort: get("packet_dst_port"),
    destinationChannel: get("packet_dst_channel"),
    data: Buffer.from(get("packet_data_hex"), "hex"),
    timeoutHeight: { revisionNumber: rev!, revisionHeight: h! },
    timeoutTimestamp: BigInt(get("packet_timeout_timestamp")),
  };
}

export async function recvOnB(l: Link, p: Packet): Promise<ExecTxResult> {
  const { proofHeight, at } = await provable(l.a);
  const { proof } = proveAt(l.a, packetCommitmentPath(p.sourcePort, p.sourceChannel, p.sequence), at);
  return relay(l, "b", proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgRecvPacket",
    value: { packet: p, proofCommitment: proof, proofHeight: ibcHeight(l.a, proofHeight), signer: l.signer },
  });
}

export async function recvOnA(l: Link, p: Packet): Promise<ExecTxResult> {
  const { proofHeight, at } = await provable(l.b);
  const { proof } = proveAt(l.b, packetCommitmentPath(p.sourcePort, p.sourceChannel, p.sequence), at);
  return relay(l, "a", proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgRecvPacket",
    value: { packet: p, proofCommitment: proof, proofHeight: ibcHeight(l.b, proofHeight), signer: l.signer },
  });
}

/** Relays the acknowledgement written on `dest` back to the packet's source chain. */
export async function ackBack(l: Link, p: Packet, recv: ExecTxResult, toSource: "a" | "b"): Promise<ExecTxResult> {
  const dest = toSource === "a" ? l.b : l.a;
  const ack = Buffer.from(attr(recv, "write_acknowledgement", "packet_ack_hex")!, "hex");
  const { proofHeight, at } = await provable(dest);
  const { proof } = proveAt(dest, packetAcknowledgementPath(p.destinationPort, p.destinationChannel, p.sequence), at);
  return relay(l, toSource, proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgAcknowledgement",
    value: { packet: p, acknowledgement: ack, proofAcked: proof, proofHeight: ibcHeight(dest, proofHeight), signer: l.signer },
  });
}

/** Opens clients, a connection and a transfer channel between two new chains. */
export async function openLink(t: Test, extraA?: Parameters<typeof startSimChain>[3], extraB?: Parameters<typeof startSimChain>[3]): Promise<Link> {
  const a = await startSimChain(t, "mira-a-1", "val-a", extraA);
  const b = await startSimChain(t, "mira-b-1", "val-b", extraB);
  const signer = a.chain.wallets[0]!.address;
  const ca = await createClient(a, b, signer);
  t.equal(ca.res.code, 0, `client of B on A: ${ca.res.log}`);
  const cb = await createClient(b, a, signer);
  t.equal(cb.res.code, 0, `client of A on B: ${cb.res.log}`);
  t.equal(ca.clientId, "07-tendermint-0");
  const l: Link = { a, b, clientOnA: ca.clientId, clientOnB: cb.clientId, trustedB: height(b) - 1n, trustedA: height(a), signer };
  // createClient made a block on the other chain first: A's client of B trusts B's height before B's own createClient tx.
  l.trustedB = BigInt(attr(ca.res, "create_client", "consensus_height")!.split("-")[1]!);
  l.trustedA = BigInt(attr(cb.res, "create_client", "consensus_height")!.split("-")[1]!);

  // ICS-03: init on A, try on B, ack on A, confirm on B.
  let res = await send(a, [
    {
      typeUrl: "/ibc.core.connection.v1.MsgConnectionOpenInit",
      value: { clientId: l.clientOnA, counterparty: { clientId: l.clientOnB, connectionId: "", prefix: ibcPrefix }, delayPeriod: 0n, signer },
    },
  ]);
  t.equal(res.code, 0, `ConnOpenInit: ${res.log}`);
  t.equal(attr(res, "connection_open_init", "connection_id"), "connection-0");
  t.equal(
    res.events.find((e) => e.type === "message" && e.attributes.some((x) => x.key === "module"))?.attributes.find((x) => x.key === "module")?.value,
    "ibc_connection",
  );

  let p = await provable(a);
  const aClient = proveAt(a, clientStatePath(l.clientOnA), p.at);
  res = await relay(l, "b", p.proofHeight, {
    typeUrl: "/ibc.core.connection.v1.MsgConnectionOpenTry",
    value: {
      clientId: l.clientOnB,
      previousConnectionId: "",
      clientState: Any.decode(aClient.value!),
      counterparty: { clientId: l.clientOnA, connectionId: "connection-0", prefix: ibcPrefix },
      delayPeriod: 0n,
      counterpartyVersions: [DEFAULT_CONNECTION_VERSION],
      proofHeight: ibcHeight(a, p.proofHeight),
      proofInit: proveAt(a, connectionPath("connection-0"), p.at).proof,
      proofClient: aClient.proof,
      proofConsensus: proveAt(a, consensusStatePath(l.clientOnA, 1n, l.trustedB), p.at).proof,
      consensusHeight: ibcHeight(b, l.trustedB),
      signer,
      hostConsensusStateProof: new Uint8Array(),
    },
  });
  t.equal(res.code, 0, `ConnOpenTry: ${res.log}`);

  p = await provable(b);
  const bClient = proveAt(b, clientStatePath(l.clientOnB), p.at);
  const consensusHeightOfA = l.trustedA;
  res = await relay(l, "a", p.proofHeight, {
    typeUrl: "/ibc.core.connection.v1.MsgConnectionOpenAck",
    value: {
      connectionId: "connection-0",
      counterpartyConnectionId: "connection-0",
      version: DEFAULT_CONNECTION_VERSION,
      clientState: Any.decode(bClient.value!),
      proofHeight: ibcHeight(b, p.proofHeight),
      proofTry: proveAt(b, connectionPath("connection-0"), p.at).proof,
      proofClient: bClient.proof,
      proofConsensus: proveAt(b, consensusStatePath(l.clientOnB, 1n, consensusHeightOfA), p.at).proof,
      consensusHeight: ibcHeight(a, consensusHeightOfA),
      signer,
      hostConsensusStateProof: new Uint8Array(),
    },
  });
  t.equal(res.code, 0, `ConnOpenAck: ${res.log}`);

  p = await provable(a);
  res = await relay(l, "b", p.proofHeight, {
    typeUrl: "/ibc.core.connection.v1.MsgConnectionOpenConfirm",
    value: { connectionId: "connection-0", proofAck: proveAt(a, connectionPath("connection-0"), p.at).proof, proofHeight: ibcHeight(a, p.proofHeight), signer },
  });
  t.equal(res.code, 0, `ConnOpenConfirm: ${res.log}`);
  for (const c of [a, b]) {
    const end = ConnectionEnd.decode(c.chain.app.store.viewAt("ibc", c.chain.app.store.version).get(Buffer.from(connectionPath("connection-0")))!);
    t.equal(end.state, ConnectionState.STATE_OPEN, `${c.chainId}'s connection is OPEN`);
  }

  // ICS-04: a transfer channel, init on A, try on B, ack on A, confirm on B.
  res = await send(a, [
    {
      typeUrl: "/ibc.core.channel.v1.MsgChannelOpenInit",
      value: {
        portId: "transfer",
        channel: {
          state: ChannelState.STATE_INIT,
          ordering: Order.ORDER_UNORDERED,
          counterparty: { portId: "transfer", channelId: "" },
          connectionHops: ["connection-0"],
          version: "ics20-1",
        },
        signer,
      },
    },
  ]);
  t.equal(res.code, 0, `ChanOpenInit: ${res.log}`);
  p = await provable(a);
  res = await relay(l, "b", p.proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgChannelOpenTry",
    value: {
      portId: "transfer",
      previousChannelId: "",
      channel: {
        state: ChannelState.STATE_TRYOPEN,
        ordering: Order.ORDER_UNORDERED,
        counterparty: { portId: "transfer", channelId: "channel-0" },
        connectionHops: ["connection-0"],
        version: "",
      },
      counterpartyVersion: "ics20-1",
      proofInit: proveAt(a, channelPath("transfer", "channel-0"), p.at).proof,
      proofHeight: ibcHeight(a, p.proofHeight),
      signer,
    },
  });
  t.equal(res.code, 0, `ChanOpenTry: ${res.log}`);
  p = await provable(b);
  res = await relay(l, "a", p.proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgChannelOpenAck",
    value: {
      portId: "transfer",
      channelId: "channel-0",
      counterpartyChannelId: "channel-0",
      counterpartyVersion: "ics20-1",
      proofTry: proveAt(b, channelPath("transfer", "channel-0"), p.at).proof,
      proofHeight: ibcHeight(b, p.proofHeight),
      signer,
    },
  });
  t.equal(res.code, 0, `ChanOpenAck: ${res.log}`);
  p = await provable(a);
  res = await relay(l, "b", p.proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgChannelOpenConfirm",
    value: {
      portId: "transfer",
      channelId: "channel-0",
      proofAck: proveAt(a, channelPath("transfer", "channel-0"), p.at).proof,
      proofHeight: ibcHeight(a, p.proofHeight),
      signer,
    },
  });
  t.equal(res.code, 0, `ChanOpenConfirm: ${res.log}`);
  for (const c of [a, b]) {
    const ch = Channel.decode(c.chain.app.store.viewAt("ibc", c.chain.app.store.version).get(Buffer.from(channelPath("transfer", "channel-0")))!);
    t.equal(ch.state, ChannelState.STATE_OPEN, `${c.chainId}'s channel is OPEN`);
    t.equal(ch.version, "ics20-1");
  }
  return l;
}

export function transferMsg(l: Link, from: SimChain, denom: string, amount: string, timeoutHeight: bigint, w = 1) {
  const sender = from.chain.wallets[w]!.address;
  const to = from === l.a ? l.b : l.a;
  return {
    typeUrl: "/ibc.applications.transfer.v1.MsgTransfer",
    value: {
      sourcePort: "transfer",
      sourceChannel: "channel-0",
      token: { denom, amount },
      sender,
      receiver: to.chain.wallets[2]!.address,
      timeoutHeight: ibcHeight(to, timeoutHeight),
      timeoutTimestamp: 0n,
      memo: "",
    },
  };
}
