// Fuzz of IBC's messages: 2,000 mutated copies of valid IBC messages (a packet to receive with its proof,
// an acknowledgement, a client update, a transfer, handshake openings, a client creation), each signed
// correctly and run through CheckTx and then FinalizeBlock of chain B of an open two-chain link
// (test/helpers/ibc-pair.ts). Nothing may throw, every result carries a code, and a refused message
// changes nothing: the "ibc" and "transfer" substores and the coins that IBC moves are as before.
// Replays from its seed: IBC_FUZZ_SEED, IBC_FUZZ_MUTANTS.
import { DirectSecp256k1HdWallet, Registry, type EncodeObject } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { bech32Address, parseAddress } from "../app/core/address";
import { packetCommitmentPath } from "../modules/ibc/host/paths";
import { escrowAddress } from "../modules/transfer/keys";
import { ibcDenom } from "../modules/transfer/keeper";
import { MNEMONICS } from "./helpers/chain";
import { mutateBytes } from "./helpers/fuzz-mutate";
import { block, height, ibcHeight, proveAt, send, updateMsg, type SimChain } from "./helpers/ibc-pair";
import { openLink, transferMsg } from "./helpers/ibc-link";
import { Rng } from "./helpers/rng";

const SEED = Number(process.env.IBC_FUZZ_SEED ?? 0x1bc);
const MUTANTS = Number(process.env.IBC_FUZZ_MUTANTS ?? 2_000);

/** A message type whose value is given as bytes: what the mutants are sent as. */
const rawType = {
  encode: (m: { bytes: Uint8Array }) => ({ finish: () => m.bytes }),
  decode: (b: Uint8Array) => ({ bytes: b }),
  fromPartial: (m: { bytes: Uint8Array }) => m,
};

t.test(`${MUTANTS} mutated IBC messages: no exception, a code for each, no state change from a refused one`, async (t) => {
  const l = await openLink(t);
  const { a, b } = l;
  const rng = new Rng(SEED);
  const registry = new Registry(defaultRegistryTypes);

  // A packet from A waiting to be received on B, with its proof, and the other valid messages to mutate.
  const sent = await send(a, [transferMsg(l, a, "umira", "777", height(b) + 10_000n)], 1);
  t.equal(sent.code, 0);
  const get = (k: string) => sent.events.find((e) => e.type === "send_packet")!.attributes.find((x) => x.key === k)!.value;
  const packet = {
    sequence: BigInt(get("packet_sequence")),
    sourcePort: "transfer",
    sourceChannel: "channel-0",
    destinationPort: "transfer",
    destinationChannel: "channel-0",
    data: Buffer.from(get("packet_data_hex"), "hex"),
    timeoutHeight: ibcHeight(b, height(b) + 10_000n),
    timeoutTimestamp: 0n,
  };
  await block(a);
  const proofHeight = height(a);
  const proof = proveAt(a, packetCommitmentPath("transfer", "channel-0", packet.sequence), proofHeight - 1n).proof;
  const update = updateMsg(a, l.clientOnB, l.trustedA, l.signer);
  // Bring B's client of A to the proof height once, so that a mutated packet message alone can pass or fail on its own merits.
  t.equal((await send(b, [update])).code, 0, "B's client of A is at the proof height");
  const relayer = l.signer;
  const valid: EncodeObject[] = [
    { typeUrl: "/ibc.core.channel.v1.MsgRecvPacket", value: { packet, proofCommitment: proof, proofHeight: ibcHeight(a, proofHeight), signer: relayer } },
    update,
    transferMsg(l, b, "umira", "5", height(a) + 10_000n, 0),
    {
      typeUrl: "/ibc.core.channel.v1.MsgChannelOpenInit",
      value: {
        portId: "transfer",
        channel: { state: 1, ordering: 1, counterparty: { portId: "transfer", channelId: "" }, connectionHops: ["connection-0"], version: "ics20-1" },
        signer: relayer,
      },
    },
    {
      typeUrl: "/ibc.core.connection.v1.MsgConnectionOpenInit",
      value: {
        clientId: l.clientOnB,
        counterparty: { clientId: l.clientOnA, connectionId: "", prefix: { keyPrefix: Buffer.from("ibc") } },
        delayPeriod: 0n,
        signer: relayer,
      },
    },
  ];
  const encoded = valid.map((m) => ({ typeUrl: m.typeUrl, bytes: registry.encode(m) }));
  // The relayer's signer, with every one of these message types taking its value as bytes.
  const rawRegistry = new Registry([...defaultRegistryTypes]);
  for (const e of encoded) rawRegistry.register(e.typeUrl, rawType as never);
  const rawSigner = await SigningStargateClient.offline(await DirectSecp256k1HdWallet.fromMnemonic(MNEMONICS[0]!, { prefix: "mira" }), {
    registry: rawRegistry,
  });

  const watched = [bech32Address(escrowAddress("transfer", "channel-0")), b.chain.wallets[2]!.address];
  const voucher = ibcDenom("transfer/channel-0/umira");
  const snapshot = (c: SimChain) => {
    const info = c.chain.app.store.commitInfoAt(c.chain.app.store.version);
    const roots = info.stores.filter((s) => s.name === "ibc" || s.name === "transfer").map((s) => Buffer.from(s.root).toString("hex"));
    const ctx = c.chain.app.committedContext();
    const coins = watched.flatMap((addr) => ["umira", voucher].map((d) => c.chain.app.modules.bank.getBalance(ctx, parseAddress(addr), d).toString()));
    return [...roots, ...coins, c.chain.app.modules.bank.getSupply(ctx, voucher).toString()].join("|");
  };

  let threw = 0;
  let refused = 0;
  let passed = 0;
  let violations = 0;
  const kinds = new Map<string, number>();
  for (let i = 0; i < MUTANTS; i++) {
    const src = encoded[rng.int(encoded.length)]!;
    const [bytes, kind] = mutateBytes(rng, src.bytes);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    const before = snapshot(b);
    let res: ExecTxResult;
    try {
      // CheckTx first (a mempool would), then the block.
      const raw = await signRaw(rawSigner, b, src.typeUrl, bytes);
      const check = b.chain.app.checkTx({ tx: raw, type: 0 });
      if (typeof check.code !== "number" && check.code !== undefined) throw new Error("CheckTx gave no code");
      res = await sendRaw(b, raw);
    } catch (err) {
      threw++;
      if (threw <= 5) t.fail(`mutant ${i} (${kind} of ${src.typeUrl}) threw: ${(err as Error).stack}`);
      continue;
    }
    if (typeof res.code !== "number") {
      violations++;
      continue;
    }
    if (res.code === 0) {
      passed++;
      continue;
    }
    refused++;
    if (snapshot(b) !== before) {
      violations++;
      if (violations <= 5) t.fail(`mutant ${i} (${kind} of ${src.typeUrl}) was refused (code ${res.code} ${res.codespace}) but changed IBC state`);
    }
  }
  t.equal(threw, 0, "no exception");
  t.equal(violations, 0, "every refused message left IBC's state and coins as they were");
  t.ok(refused > MUTANTS / 2, `${refused} refused, ${passed} passed (mutations that keep a message valid or harmless)`);
  t.ok(kinds.size > 3, `${kinds.size} kinds of mutation`);
});

/** Signs `bytes` as the value of one message of type `typeUrl`, as the relayer (wallet 0) of `c`. */
async function signRaw(client: SigningStargateClient, c: SimChain, typeUrl: string, bytes: Uint8Array): Promise<Uint8Array> {
  const address = c.chain.wallets[0]!.address;
  const signed = await client.sign(address, [{ typeUrl, value: { bytes } }], { amount: [{ denom: "umira", amount: "75000" }], gas: "3000000" }, "", {
    accountNumber: c.chain.accNum.get(address)!,
    sequence: c.chain.seq.get(address)!,
    chainId: c.chainId,
  });
  return TxRaw.encode(signed).finish();
}

/** Runs a signed tx in the next block of `c`; the relayer's sequence moves on when its ante passed. */
async function sendRaw(c: SimChain, raw: Uint8Array): Promise<ExecTxResult> {
  const res = await block(c, [raw]);
  const r = res.txResults![0] as ExecTxResult;
  const address = c.chain.wallets[0]!.address;
  if (r.events.some((e) => e.type === "tx" && e.attributes.some((x) => x.key === "acc_seq"))) c.chain.seq.set(address, c.chain.seq.get(address)! + 1);
  return r;
}
