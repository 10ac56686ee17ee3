// IBC between two Mira chains in one process (test/helpers/ibc-pair.ts), relayed by the test the way Hermes
// relays: each chain's light client of the other is created and updated with signed headers over the other's
// real app hash, and every handshake step and packet carries ICS-23 proofs of the other's real state. Shown:
// both clients, the connection and a transfer channel opened; a transfer from A arrives on B as an ibc/...
// voucher with its denom trace and is acknowledged; sent back, it unescrows the original; a packet whose
// timeout height has passed is refused by B and timed out on A, refunding the sender; a packet relayed twice
// is a no-op; escrow totals equal voucher supply at the end.
import { MsgRecvPacketResponse, ResponseResultType } from "cosmjs-types/ibc/core/channel/v1/tx";
import {
  QueryDenomRequest,
  QueryDenomResponse,
  QueryTotalEscrowForDenomRequest,
  QueryTotalEscrowForDenomResponse,
} from "cosmjs-types/ibc/applications/transfer/v1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { MsgTransferResponse } from "cosmjs-types/ibc/applications/transfer/v1/tx";
import t from "tap";
import { bech32Address, parseAddress } from "../app/core/address";
import { packetReceiptPath } from "../modules/ibc/host/paths";
import { escrowAddress } from "../modules/transfer/keys";
import { ibcDenom } from "../modules/transfer/keeper";
import { balance, query } from "./helpers/chain";
import { anyOf, block, headerOf, height, ibcHeight, proveAt, send, type SimChain, updateMsg } from "./helpers/ibc-pair";
import { ackBack, attr, openLink, packetFrom, provable, recvOnA, recvOnB, relay, transferMsg } from "./helpers/ibc-link";
import { ibcHeader } from "./helpers/lightclient";
import { signTx } from "./helpers/app-driver";
import { packetCommitmentPath } from "../modules/ibc/host/paths";
import { SimulateRequest } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { Misbehaviour } from "cosmjs-types/ibc/lightclients/tendermint/v1/tendermint";
import { QueryClientStatusRequest, QueryClientStatusResponse } from "cosmjs-types/ibc/core/client/v1/query";

const supply = (c: SimChain, denom: string): bigint => BigInt(c.chain.app.modules.bank.getSupply(c.chain.app.committedContext(), denom));
const escrowTotal = (c: SimChain, denom: string): bigint =>
  BigInt(
    query(
      c.chain.app,
      "/ibc.applications.transfer.v1.Query/TotalEscrowForDenom",
      QueryTotalEscrowForDenomRequest.encode({ denom }).finish(),
      QueryTotalEscrowForDenomResponse.decode,
    ).amount.amount,
  );

t.test("two chains: handshakes, a transfer there and back, a timeout, a duplicate, escrow equal to vouchers", async (t) => {
  const l = await openLink(t);
  const { a, b } = l;
  const sender = a.chain.wallets[1]!.address;
  const receiver = b.chain.wallets[2]!.address;
  const voucher = ibcDenom("transfer/channel-0/umira");

  // A → B: escrowed on A, minted as a voucher on B, acknowledged.
  const before = balance(a.chain.app, sender);
  let res = await send(a, [transferMsg(l, a, "umira", "1000", height(b) + 100n)], 1);
  t.equal(res.code, 0, `MsgTransfer: ${res.log}`);
  const seq = MsgTransferResponse.decode(TxMsgData.decode(res.data).msgResponses[0]!.value).sequence;
  t.equal(seq, 1n, "the first packet's sequence, in MsgTransferResponse");
  t.equal(balance(a.chain.app, sender), before - 1000n - 75_000n, "the sender paid the amount and the fee");
  t.equal(balance(a.chain.app, bech32Address(escrowAddress("transfer", "channel-0"))), 1000n, "the amount sits in the channel's escrow");
  const packet = packetFrom(res);
  t.ok(
    res.events.some((e) => e.type === "message" && e.attributes.some((x) => x.key === "module" && x.value === "ibc_channel")),
    "message.module = 'ibc_channel', which relayers subscribe to",
  );
  t.same(JSON.parse(Buffer.from(packet.data).toString()), { amount: "1000", denom: "umira", receiver, sender }, "ICS-20 packet data, keys sorted");

  const recv = await recvOnB(l, packet);
  t.equal(recv.code, 0, `MsgRecvPacket: ${recv.log}`);
  t.equal(MsgRecvPacketResponse.decode(TxMsgData.decode(recv.data).msgResponses[1]!.value).result, ResponseResultType.RESPONSE_RESULT_TYPE_SUCCESS);
  t.same(JSON.parse(Buffer.from(attr(recv, "write_acknowledgement", "packet_ack_hex")!, "hex").toString()), { result: "AQ==" }, "a success acknowledgement");
  t.ok(
    attr(recv, "recv_packet", "packet_data_hex") !== undefined && attr(recv, "receive_packet", "packet_data_hex") !== undefined,
    "recv_packet and receive_packet",
  );
  t.equal(b.chain.app.modules.bank.getBalance(b.chain.app.committedContext(), parseAddress(receiver), voucher), 1000n, `the receiver holds 1000 ${voucher}`);
  const trace = query(
    b.chain.app,
    "/ibc.applications.transfer.v1.Query/Denom",
    QueryDenomRequest.encode({ hash: voucher }).finish(),
    QueryDenomResponse.decode,
  );
  t.same(trace.denom, { base: "umira", trace: [{ portId: "transfer", channelId: "channel-0" }] }, "the voucher's denom trace");

  const again = await recvOnB(l, packet);
  t.equal(again.code, 0, "relaying the same packet again succeeds...");
  t.equal(
    MsgRecvPacketResponse.decode(TxMsgData.decode(again.data).msgResponses.at(-1)!.value).result,
    ResponseResultType.RESPONSE_RESULT_TYPE_NOOP,
    "...as a no-op",
  );
  t.equal(b.chain.app.modules.bank.getBalance(b.chain.app.committedContext(), parseAddress(receiver), voucher), 1000n, "and mints nothing more");

  const ack = await ackBack(l, packet, recv, "a");
  t.equal(ack.code, 0, `MsgAcknowledgement: ${ack.log}`);
  t.equal(
    a.chain.app.modules.channels.packetCommitment(a.chain.app.committedContext(), "transfer", "channel-0", 1n),
    undefined,
    "the commitment is gone once acknowledged",
  );

  // B → A: the voucher goes home, burned on B, unescrowed on A.
  const homeReceiver = a.chain.wallets[2]!.address;
  const homeBefore = balance(a.chain.app, homeReceiver);
  res = await send(b, [{ ...transferMsg(l, b, voucher, "400", height(a) + 100n, 2) }], 2);
  t.equal(res.code, 0, `MsgTransfer back: ${res.log}`);
  t.equal(supply(b, voucher), 600n, "400 vouchers burned on B");
  const back = packetFrom(res);
  t.equal(JSON.parse(Buffer.from(back.data).toString()).denom, "transfer/channel-0/umira", "the packet names the full trace");
  const recvA = await recvOnA(l, back);
  t.equal(recvA.code, 0, `MsgRecvPacket on A: ${recvA.log}`);
  t.equal(balance(a.chain.app, homeReceiver), homeBefore + 400n, "A unescrowed 400 umira to the receiver");
  t.equal((await ackBack(l, back, recvA, "b")).code, 0);

  // A packet whose timeout height has passed on B: B refuses it, A times it out and refunds.
  const beforeTimeout = balance(a.chain.app, sender);
  res = await send(a, [transferMsg(l, a, "umira", "250", height(b) + 2n)], 1);
  t.equal(res.code, 0);
  const late = packetFrom(res);
  for (let i = 0; i < 3; i++) await block(b);
  const refused = await recvOnB(l, late);
  t.equal(refused.code, 40, `B refuses a packet past its timeout height: ${refused.log}`);
  t.equal(refused.codespace, "channel");
  const { proofHeight, at } = await provable(b);
  const absent = proveAt(b, packetReceiptPath("transfer", "channel-0", late.sequence), at);
  t.equal(absent.value, undefined, "B holds no receipt");
  const timeout = await relay(l, "a", proofHeight, {
    typeUrl: "/ibc.core.channel.v1.MsgTimeout",
    value: { packet: late, proofUnreceived: absent.proof, proofHeight: ibcHeight(b, proofHeight), nextSequenceRecv: 1n, signer: l.signer },
  });
  t.equal(timeout.code, 0, `MsgTimeout: ${timeout.log}`);
  t.equal(balance(a.chain.app, sender), beforeTimeout - 75_000n, "the sender got the 250 back (only the fee is gone)");
  t.ok(timeout.events.some((e) => e.type === "timeout_packet"));

  // The books balance: what A escrows is what B's vouchers stand for.
  t.equal(escrowTotal(a, "umira"), 600n);
  t.equal(balance(a.chain.app, bech32Address(escrowAddress("transfer", "channel-0"))), 600n);
  t.equal(supply(b, voucher), escrowTotal(a, "umira"), "escrow total on A = voucher supply on B");
});

t.test(
  "exposure limits: a transfer over the cap fails and moves nothing, one inside passes, a packet over B's cap is refunded, the window rolls over",
  async (t) => {
    const l = await openLink(
      t,
      { transfer: { rate_limits: [{ channel: "*", denom: "umira", max_send_bp: 1, max_recv_bp: 10_000, window_s: 60 }] } },
      { transfer: { rate_limits: [{ channel: "*", denom: "*", max_send_bp: 10_000, max_recv_bp: 100, window_s: 60 }] } },
    );
    const { a, b } = l;
    const sender = a.chain.wallets[1]!.address;
    const escrow = bech32Address(escrowAddress("transfer", "channel-0"));
    const quota = (supply(a, "umira") * 1n) / 10_000n; // 1 bp of the supply when the window opens (inflation moves it by far less than 1)
    const big = ((quota * 6n) / 10n).toString();

    let res = await send(a, [transferMsg(l, a, "umira", big, height(b) + 100n)], 1);
    t.equal(res.code, 0, `60% of the cap passes: ${res.log}`);
    const first = packetFrom(res);
    const recv1 = await recvOnB(l, first);
    t.same(
      JSON.parse(Buffer.from(attr(recv1, "write_acknowledgement", "packet_ack_hex")!, "hex").toString()),
      { result: "AQ==" },
      "B takes the first vouchers of a denom",
    );
    t.equal((await ackBack(l, first, recv1, "a")).code, 0);

    const before = balance(a.chain.app, sender);
    const escrowBefore = balance(a.chain.app, escrow);
    res = await send(a, [transferMsg(l, a, "umira", big, height(b) + 100n)], 1);
    t.equal(res.code, 50, `another 60% passes the cap: ${res.log}`);
    t.equal(res.codespace, "transfer");
    t.match(res.log, /exposure limit of channel channel-0 for umira/);
    t.equal(balance(a.chain.app, sender), before - 75_000n, "it moved nothing but the fee");
    t.equal(balance(a.chain.app, escrow), escrowBefore, "nothing was escrowed");

    res = await send(a, [transferMsg(l, a, "umira", "100", height(b) + 100n)], 1);
    t.equal(res.code, 0, `100 more fits inside the cap: ${res.log}`);
    const small = packetFrom(res);
    const afterSend = balance(a.chain.app, sender);
    const recv2 = await recvOnB(l, small);
    t.equal(recv2.code, 0, "B's tx succeeds...");
    const ack2 = JSON.parse(Buffer.from(attr(recv2, "write_acknowledgement", "packet_ack_hex")!, "hex").toString()) as { error?: string };
    t.match(ack2.error, /ABCI code: 50/, "...with an error acknowledgement: 1% of B's vouchers is less than the window's inflow");
    t.ok(
      recv2.events.some((e) => e.type === "rate_limit_exceeded" && e.attributes.some((x) => x.key === "direction" && x.value === "recv")),
      "B emits rate_limit_exceeded",
    );
    t.equal(supply(b, ibcDenom("transfer/channel-0/umira")), BigInt(big), "B minted nothing for it");
    t.equal((await ackBack(l, small, recv2, "a")).code, 0);
    t.equal(balance(a.chain.app, sender), afterSend + 100n, "the error acknowledgement refunded the sender on A (the relayer paid the fees)");

    // The window opened at the first transfer and lasts 60 s: 13 blocks of 5 s later it rolls over.
    for (let i = 0; i < 13; i++) await block(a);
    res = await send(a, [transferMsg(l, a, "umira", big, height(b) + 100n)], 1);
    t.equal(res.code, 0, `a new window takes 60% again: ${res.log}`);
  },
);

t.test("a relayer's batch over two txs: the mempool sees the first tx's client update, and a tx of packets already received is refused", async (t) => {
  const l = await openLink(t);
  const { a, b } = l;
  const packets: ReturnType<typeof packetFrom>[] = [];
  for (let i = 0; i < 3; i++) packets.push(packetFrom(await send(a, [transferMsg(l, a, "umira", "5", height(b) + 100n)], 1)));
  const { proofHeight, at } = await provable(a);
  const recv = (i: number) => ({
    typeUrl: "/ibc.core.channel.v1.MsgRecvPacket",
    value: {
      packet: packets[i]!,
      proofCommitment: proveAt(a, packetCommitmentPath("transfer", "channel-0", packets[i]!.sequence), at).proof,
      proofHeight: ibcHeight(a, proofHeight),
      signer: l.signer,
    },
  });
  const relayer = b.chain.wallets[0]!;
  const sequence = b.chain.seq.get(relayer.address)!;
  const sign = (msgs: { typeUrl: string; value: object }[], i: number) =>
    signTx(relayer, msgs, { accountNumber: b.chain.accNum.get(relayer.address)!, sequence: sequence + i, gas: "3000000", fee: "75000", chainId: b.chainId });
  // As Hermes splits one block's packets: the client update and the first packet, then the rest at the same proof height.
  const tx1 = await sign([updateMsg(a, l.clientOnB, l.trustedA, l.signer), recv(0)], 0);
  const tx2 = await sign([recv(1)], 1);
  const simulate = (tx: Uint8Array) =>
    b.chain.app.query({ path: "/cosmos.tx.v1beta1.Service/Simulate", data: SimulateRequest.encode({ txBytes: tx }).finish(), height: 0n, prove: false });
  const early = b.chain.app.checkTx({ tx: tx2, type: 0 });
  t.equal(early.code, 32, "before the first tx, the second is one sequence ahead");
  t.equal(b.chain.app.checkTx({ tx: tx1, type: 0 }).code, 0, "CheckTx takes the client update and the first packet");
  const sim = await simulate(tx2);
  t.equal(sim.code, 0, `the second tx simulates on the client the first one updated: ${sim.log ?? ""}`);
  t.equal(b.chain.app.checkTx({ tx: tx2, type: 0 }).code, 0, "and passes CheckTx");
  const again = b.chain.app.checkTx({ tx: await sign([recv(0)], 2), type: 0 });
  t.equal(again.code, 22, `a tx of packets the mempool already received is redundant: ${again.log ?? ""}`);
  t.equal(again.codespace, "channel");
  const mixed = await sign([recv(0), recv(2)], 2);
  t.equal(b.chain.app.checkTx({ tx: mixed, type: 0 }).code, 0, "one new packet among old ones is not redundant");

  const res = await block(b, [tx1, tx2, mixed]);
  t.same(
    res.txResults!.map((r) => r.code),
    [0, 0, 0],
    "all three run in the block",
  );
  t.same(
    res.txResults!.map((r) => r.events!.filter((e) => e.type === "recv_packet").length),
    [1, 1, 1],
    "each packet is received once (the old one in the mixed tx is a no-op without events)",
  );
  const replay = b.chain.app.checkTx({ tx: await sign([recv(1)], 3), type: 0 });
  t.equal(replay.code, 22, "after the block, relaying a received packet again is refused in the mempool");
});

t.test("misbehaviour freezes the client, and every later packet over it fails", async (t) => {
  const l = await openLink(t);
  const { a, b } = l;
  await block(b);
  const h = height(b);
  const honest = headerOf(b, h, l.trustedB);
  const forged = ibcHeader({
    chainId: b.chainId,
    height: h,
    timeNs: b.timeNs.get(h)!,
    vals: b.vals,
    appHash: new Uint8Array(32).fill(7),
    trustedHeight: l.trustedB,
    trustedVals: b.vals,
  });
  const m = Misbehaviour.encode({ clientId: l.clientOnA, header1: honest, header2: forged }).finish();
  const res = await send(a, [
    {
      typeUrl: "/ibc.core.client.v1.MsgUpdateClient",
      value: { clientId: l.clientOnA, clientMessage: anyOf("/ibc.lightclients.tendermint.v1.Misbehaviour", m), signer: l.signer },
    },
  ]);
  t.equal(res.code, 0, `misbehaviour accepted: ${res.log}`);
  t.ok(
    res.events.some((e) => e.type === "client_misbehaviour"),
    "client_misbehaviour is emitted",
  );
  const status = query(
    a.chain.app,
    "/ibc.core.client.v1.Query/ClientStatus",
    QueryClientStatusRequest.encode({ clientId: l.clientOnA }).finish(),
    QueryClientStatusResponse.decode,
  );
  t.equal(status.status, "Frozen");
  const transfer = await send(a, [transferMsg(l, a, "umira", "10", height(b) + 100n)], 1);
  t.equal(transfer.code, 29, `a transfer over the frozen client fails: ${transfer.log}`);
  t.equal(transfer.codespace, "client");
  const update = await send(a, [updateMsg(b, l.clientOnA, l.trustedB, l.signer)]);
  t.equal(update.code, 29, "and so does any update");
  const same = await send(a, [
    {
      typeUrl: "/ibc.core.client.v1.MsgUpdateClient",
      value: {
        clientId: l.clientOnA,
        clientMessage: anyOf(
          "/ibc.lightclients.tendermint.v1.Misbehaviour",
          Misbehaviour.encode({ clientId: l.clientOnA, header1: honest, header2: honest }).finish(),
        ),
        signer: l.signer,
      },
    },
  ]);
  t.not(same.code, 0, "two identical headers are no misbehaviour");
});
