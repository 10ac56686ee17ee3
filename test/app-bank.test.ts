// MiraApp driven directly with txs signed by CosmJS: sends, queries, and every ante failure with
// its SDK code and no state change beyond what the SDK keeps (fee and sequence).
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryBalanceRequest, QueryBalanceResponse, QueryDenomMetadataRequest, QueryDenomMetadataResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import t from "tap";
import type { MiraApp } from "../app/chain/app";
import { SdkCode } from "../app/core/errors";
import { bech32Address } from "../app/core/address";
import { block, send, signTx, startApp, wallet } from "./helpers/app-driver";

const ALICE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const BOB = "legal winner thank year wave sausage worth useful legal winner thank yellow";

async function balance(app: MiraApp, address: string): Promise<bigint> {
  const res = await app.query({
    path: "/cosmos.bank.v1beta1.Query/Balance",
    data: QueryBalanceRequest.encode({ address, denom: "umira" }).finish(),
    height: 0n,
    prove: false,
  });
  if (res.code !== 0) throw new Error(res.log);
  return BigInt(QueryBalanceResponse.decode(res.value as Uint8Array).balance!.amount);
}

async function account(app: MiraApp, address: string) {
  const res = await app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }).finish(), height: 0n, prove: false });
  if (res.code !== 0) return { code: res.code, log: res.log };
  return { code: 0, account: BaseAccount.decode(QueryAccountResponse.decode(res.value as Uint8Array).account!.value) };
}

t.test("sends, fees, sequences and queries", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  const genesis = { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "1000000" }] }] } };
  const { app, ms } = await startApp(t, genesis);
  // A twin that runs the same blocks without the rejected txs: every block mints and pays
  // rewards, so "no state change" means "the same app hash as a block without the tx".
  const twin = await startApp(t, genesis);
  t.equal(await balance(app, alice.address), 1_000_000n);
  t.equal(await balance(app, bob.address), 0n, "an empty balance is a coin with amount 0");
  const missing = await account(app, bob.address);
  t.equal(missing.code, SdkCode.KeyNotFound);
  t.match(missing.log, /rpc error: code = NotFound desc = account .* not found: key not found/, "the not-found text CosmJS expects");

  // Two txs from one account in one block: CheckTx tracks the sequence.
  const tx0 = await signTx(alice, [send(alice.address, bob.address, "1000")], { accountNumber: 0n, sequence: 0 });
  const tx1 = await signTx(alice, [send(alice.address, bob.address, "2000")], { accountNumber: 0n, sequence: 1 });
  t.equal((await app.checkTx({ tx: tx0, type: 0 })).code, 0);
  t.equal((await app.checkTx({ tx: tx1, type: 0 })).code, 0, "the second tx of the block passes CheckTx with sequence 1");
  t.equal((await app.checkTx({ tx: tx0, type: 0 })).code, SdkCode.WrongSequence, "replaying the first is refused");
  const results = await block(app, [tx0, tx1]);
  await block(twin.app, [tx0, tx1]);
  t.same(
    results.map((r) => r.code),
    [0, 0],
  );
  t.ok(
    results[0]!.events!.some((e) => e.type === "transfer"),
    "transfer event",
  );
  t.ok(results[0]!.events!.some((e) => e.type === "message" && e.attributes!.some((a) => a.key === "action" && a.value === "/cosmos.bank.v1beta1.MsgSend")));
  t.equal(await balance(app, bob.address), 3000n);
  t.equal(await balance(app, alice.address), 1_000_000n - 3000n - 10_000n, "amounts and two fees of 5000");
  t.equal((await account(app, alice.address)).account?.sequence, 2n);
  t.equal(
    (await account(app, bob.address)).account?.accountNumber,
    3n,
    "bob got the next account number (the gov and fee_collector module accounts took 1 and 2)",
  );

  // Replaying a committed tx fails with the sequence error and changes nothing.
  t.same(ms.appHash, twin.ms.appHash);
  const replay = await block(app, [tx0]);
  await block(twin.app, []);
  t.equal(replay[0]!.code, SdkCode.WrongSequence);
  t.same(ms.appHash, twin.ms.appHash, "a rejected tx changes no state");

  // Simulate: no signature needed, gas reported.
  const sim = await app.query({
    path: "/cosmos.tx.v1beta1.Service/Simulate",
    data: SimulateRequest.encode({ txBytes: await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 2 }) }).finish(),
    height: 0n,
    prove: false,
  });
  t.equal(sim.code, 0, sim.log ?? "");
  t.ok(SimulateResponse.decode(sim.value as Uint8Array).gasInfo!.gasUsed > 10_000n, "gas used is reported");

  // Simulate runs on the mempool's state: a relayer's next tx, one sequence ahead of the committed
  // account because its last one waits in the mempool, is estimated instead of refused.
  const simulate = async (sequence: number) =>
    app.query({
      path: "/cosmos.tx.v1beta1.Service/Simulate",
      data: SimulateRequest.encode({ txBytes: await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence }) }).finish(),
      height: 0n,
      prove: false,
    });
  t.equal((await simulate(3)).code, SdkCode.WrongSequence, "a sequence ahead of the mempool is still refused");
  t.equal((await app.checkTx({ tx: await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 2 }), type: 0 })).code, 0);
  const ahead = await simulate(3);
  t.equal(ahead.code, 0, `the tx after one in the mempool simulates: ${ahead.log ?? ""}`);
  t.equal((await simulate(2)).code, SdkCode.WrongSequence, "the sequence the mempool already used is refused");
  t.equal((await account(app, alice.address)).account?.sequence, 2n, "simulating kept nothing: the committed sequence is unchanged");
});

t.test("each bad tx gets its SDK code and leaves no trace", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  const genesis = { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "100000" }] }] } };
  const { app, ms } = await startApp(t, genesis);
  const twin = await startApp(t, genesis); // the same blocks, empty (see above)
  const cases: [string, Uint8Array, number][] = [
    [
      "wrong chain id",
      await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0, chainId: "other-1" }),
      SdkCode.Unauthorized,
    ],
    ["wrong account number", await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 5n, sequence: 0 }), SdkCode.Unauthorized],
    ["wrong sequence", await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 3 }), SdkCode.WrongSequence],
    ["insufficient fee", await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0, fee: "10" }), SdkCode.InsufficientFee],
    ["unknown signer", await signTx(bob, [send(bob.address, alice.address, "1")], { accountNumber: 0n, sequence: 0 }), SdkCode.UnknownAddress],
    ["malformed bytes", Buffer.from("not a tx at all"), SdkCode.TxDecode],
    [
      "fee above balance",
      await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0, fee: "200000" }),
      SdkCode.InsufficientFunds,
    ],
  ];
  for (const [name, tx, code] of cases) {
    t.equal((await app.checkTx({ tx, type: 0 })).code, code, `CheckTx: ${name}`);
    const [res] = await block(app, [tx]);
    await block(twin.app, []);
    t.equal(res!.code, code, `FinalizeBlock: ${name}`);
    t.same(ms.appHash, twin.ms.appHash, `${name}: no state change`);
  }

  // A message that fails after the ante checks: fee and sequence stay, the transfer does not.
  const [res] = await block(app, [await signTx(alice, [send(alice.address, bob.address, "999999")], { accountNumber: 0n, sequence: 0 })]);
  t.equal(res!.code, SdkCode.InsufficientFunds);
  t.equal(await balance(app, alice.address), 95_000n, "only the fee was taken");
  t.equal(await balance(app, bob.address), 0n);
  t.equal((await account(app, alice.address)).account?.sequence, 1n, "the sequence moved on");
});

t.test("MsgMultiSend: one input, several outputs, equal totals; data is a TxMsgData", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  const carol = bech32Address(Buffer.alloc(20, 7));
  const { app } = await startApp(t, { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "100000" }] }] } });
  const multi = (outs: [string, string][], total: string) => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
    value: {
      inputs: [{ address: alice.address, coins: [{ denom: "umira", amount: total }] }],
      outputs: outs.map(([address, amount]) => ({ address, coins: [{ denom: "umira", amount }] })),
    },
  });
  const ok = await signTx(
    alice,
    [
      multi(
        [
          [bob.address, "300"],
          [carol, "700"],
        ],
        "1000",
      ),
    ],
    { accountNumber: 0n, sequence: 0 },
  );
  const unequal = await signTx(alice, [multi([[bob.address, "300"]], "1000")], { accountNumber: 0n, sequence: 1 });
  const [r1, r2] = await block(app, [ok, unequal]);
  t.equal(r1!.code, 0, r1!.log ?? "");
  const data = TxMsgData.decode(r1!.data as Uint8Array);
  t.same(
    data.msgResponses.map((a) => a.typeUrl),
    ["/cosmos.bank.v1beta1.MsgMultiSendResponse"],
  );
  t.equal(r2!.code, SdkCode.InvalidCoins, "inputs must equal outputs");
  t.equal(await balance(app, bob.address), 300n);
  t.equal(await balance(app, carol), 700n);
  t.equal(await balance(app, alice.address), 100_000n - 1000n - 5000n, "the unequal tx was refused before any fee was taken");
});

t.test("genesis denom metadata in the SDK's JSON keeps its denom units", async (t) => {
  const genesis = {
    bank: {
      denom_metadata: [
        {
          description: "fee token",
          denom_units: [
            { denom: "umira", exponent: 0, aliases: ["micromira"] },
            { denom: "mira", exponent: 6 },
          ],
          base: "umira",
          display: "mira",
          name: "Mira",
          symbol: "MIRA",
          uri_hash: "abc",
        },
      ],
    },
  };
  const { app } = await startApp(t, genesis);
  const answer = await app.services.get("/cosmos.bank.v1beta1.Query/DenomMetadata")!(QueryDenomMetadataRequest.encode({ denom: "umira" }).finish(), 0n);
  const metadata = QueryDenomMetadataResponse.decode(answer.value).metadata!;
  t.same(
    metadata.denomUnits.map((u) => [u.denom, u.exponent, u.aliases]),
    [
      ["umira", 0, ["micromira"]],
      ["mira", 6, []],
    ],
  );
  t.equal(metadata.display, "mira");
  t.equal(metadata.uriHash, "abc");
});
