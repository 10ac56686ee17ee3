// CheckTx as CometBFT's mempool drives it: new txs, rechecks after a block, and answers that
// CometBFT must be able to decode whatever the tx declares.
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import t from "tap";
import { SdkCode } from "../app/core/errors";
import { connect, frame, startServer, until } from "./helpers/abci-client";
import { fromBech32 } from "@cosmjs/encoding";
import { MiraApp } from "../app/chain/app";
import { valoperAddress } from "../app/core/address";
import { block, send, signTx, startApp, wallet } from "./helpers/app-driver";
import { run, startChain } from "./helpers/chain";

const ALICE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const BOB = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const NEW = 0;
const RECHECK = 1;

t.test("recheck: stale sequences and spent balances are refused; the signature is not verified again", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  const { app } = await startApp(t, { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "20000" }] }] } });
  const tx0 = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0 });
  const tx1 = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 1 });
  const tx2 = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 2 });
  const forge = (tx: Uint8Array): Uint8Array => {
    const raw = TxRaw.decode(tx);
    return TxRaw.encode({ ...raw, signatures: [Buffer.from(raw.signatures[0]!).fill(7, 10, 20)] }).finish();
  };
  // Recheck skips signature verification (as the SDK's signature decorator does): a tx reaches the
  // mempool, to be rechecked later, only through a NEW CheckTx, which verifies it.
  t.equal((await app.checkTx({ tx: forge(tx0), type: NEW })).code, SdkCode.Unauthorized, "a forged signature is refused on entry");
  for (const tx of [tx0, tx1, tx2]) t.equal((await app.checkTx({ tx, type: NEW })).code, 0, "enters the mempool");
  // A block takes tx0 and tx1 (another proposer's mempool): tx2 stays, tx1 is now stale.
  const results = await block(app, [tx0, tx1]);
  t.same(
    results.map((r) => r.code),
    [0, 0],
  );
  t.equal((await app.checkTx({ tx: tx2, type: RECHECK })).code, 0, "tx2 still fits after the block");
  t.equal((await app.checkTx({ tx: tx1, type: RECHECK })).code, SdkCode.WrongSequence, "tx1 was committed: its sequence is spent");
  // Alice's balance is now 20000 - 2*5000 - 2 = 9998: one more fee fits, a second does not.
  const tx3 = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 3 });
  t.equal((await app.checkTx({ tx: tx3, type: NEW })).code, SdkCode.InsufficientFunds, "the fee of a third tx is more than what is left");
  const [res] = await block(app, [forge(tx2)]);
  t.equal(res!.code, SdkCode.Unauthorized, "a forged copy of a checked tx is verified, and refused, in FinalizeBlock");
});

t.test("a signature verified in CheckTx is verified again for another account number or chain", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  // Alice is account 1 here (Bob's genesis balance comes first), but she signs for account 0.
  const genesis = {
    bank: {
      balances: [
        { address: bob.address, coins: [{ denom: "umira", amount: "5" }] },
        { address: alice.address, coins: [{ denom: "umira", amount: "20000" }] },
      ],
    },
  };
  const first = await startApp(t, genesis);
  const tx = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0 });
  const other = await startApp(t, { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "20000" }] }] } });
  t.equal((await other.app.checkTx({ tx, type: NEW })).code, 0, "valid where Alice is account 0");
  const accountOf = (a: typeof first.app) =>
    a.runQuery("/cosmos.auth.v1beta1.Query/Account", Buffer.from([0x0a, alice.address.length, ...Buffer.from(alice.address)]), BigInt(a.store.version));
  t.not(Buffer.from(accountOf(first.app)).toString("hex"), Buffer.from(accountOf(other.app)).toString("hex"), "two chains, two account records");
  t.equal((await first.app.checkTx({ tx, type: NEW })).code, SdkCode.Unauthorized, "refused where Alice has another account number");
  const [res] = await block(first.app, [tx]);
  t.equal(res!.code, SdkCode.Unauthorized, "in FinalizeBlock too");
});

t.test("a gas limit from 2^31 to 2^32 gets an answer CometBFT can decode (through the socket)", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  const { app } = await startApp(t, { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "20000" }] }] } });
  const c = await connect(t, await startServer(t, app));
  const gases = ["2147483648", "3000000000", "4294967295"];
  for (const gas of gases) {
    const tx = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0, gas });
    c.send(frame({ checkTx: { tx, type: NEW } }));
  }
  c.send(frame({ flush: {} }));
  await until(() => c.responses.length === gases.length + 1, 10_000);
  const answers = c.responses;
  t.equal(answers.length, gases.length + 1, "every request answered, flush last");
  gases.forEach((gas, i) => {
    t.equal(answers[i]!.checkTx?.gasWanted, BigInt(gas), `gas_wanted ${gas} reads back exactly`);
    t.equal(answers[i]!.checkTx?.code, SdkCode.InsufficientFee, "refused for its fee, with its code");
  });
});

t.test("after a restart, CheckTx and Simulate see the last committed block's time, not 0", async (t) => {
  const c = await startChain(t, { validators: 1 });
  const operator = c.wallets[0]!;
  // A block 25 hours after genesis: the validator's commission (set at genesis) may change again.
  const genesisSeconds = 1_700_000_000n;
  await run(c, [], (req) => {
    req.time = { seconds: genesisSeconds + 25n * 3600n, nanos: 0 };
  });
  const edit = await signTx(
    operator,
    [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
        value: {
          description: {
            moniker: "[do-not-modify]",
            identity: "[do-not-modify]",
            website: "[do-not-modify]",
            securityContact: "[do-not-modify]",
            details: "[do-not-modify]",
          },
          validatorAddress: valoperAddress(fromBech32(operator.address, 90).data),
          commissionRate: "105000000000000000",
          minSelfDelegation: "",
        },
      },
    ],
    { accountNumber: c.accNum.get(operator.address)!, sequence: c.seq.get(operator.address)!, gas: "300000", fee: "10000" },
  );
  // Simulate (CosmJS's fee "auto") runs the message, whose 24-hour rule reads the block time.
  const before = c.app.simulate(edit);
  t.equal(before.code, 0, `the running app simulates it (${before.log})`);
  const restarted = new MiraApp(c.app.store);
  const after = restarted.simulate(edit);
  t.equal(after.code, 0, `the restarted app too: its check state's time is block ${c.app.store.version}'s, not 0 (${after.log})`);
  t.equal((await restarted.checkTx({ tx: edit, type: NEW })).code, 0, "and CheckTx takes it");
});
