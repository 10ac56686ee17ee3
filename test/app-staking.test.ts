// Staking driven through MiraApp (no socket): genesis validators from gentxs, delegations,
// unbonding and redelegation with their pools and queues, the active set sent to CometBFT, and
// the token invariants after random operation sequences.
import {
  QueryHistoricalInfoRequest,
  QueryHistoricalInfoResponse,
  QueryRedelegationsRequest,
  QueryRedelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MsgUndelegateResponse } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { createHash } from "node:crypto";
import { MisbehaviorType } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { send, signTx, Wallet } from "./helpers/app-driver";
import {
  balance,
  checkInvariants,
  delegationBalance,
  MIRA,
  pool,
  query,
  run,
  startChain,
  tx,
  UNBONDING_S,
  unbondingEntries,
  validators,
} from "./helpers/chain";
import { Rng } from "./helpers/rng";
import { createValidatorMsg, delegateMsg, redelegateMsg, undelegateMsg, valoper } from "./helpers/staking";

t.test("gentxs make the genesis validators; InitChain hands their powers to CometBFT", async (t) => {
  const c = await startChain(t, { validators: 3 });
  const init = c.init as { validators: { pubKey: { ed25519: Uint8Array }; power: bigint }[] };
  t.equal(init.validators.length, 3);
  const byKey = new Map(init.validators.map((v) => [Buffer.from(v.pubKey.ed25519).toString("hex"), v.power]));
  for (let i = 0; i < 3; i++) t.equal(byKey.get(c.keys[i]!.toString("hex")), BigInt(10 + i), `validator ${i}: power = self-bond / 10^6`);
  const vals = validators(c.app, "BOND_STATUS_BONDED");
  t.equal(vals.length, 3);
  t.same(vals.map((v) => v.description.moniker).sort(), ["val0", "val1", "val2"]);
  t.equal(pool(c.app).bonded, 33n * MIRA);
  t.equal(delegationBalance(c.app, c.wallets[0]!.address, valoper(c.wallets[0]!.address)), 10n * MIRA, "a self-delegation");
  t.equal(balance(c.app, c.wallets[0]!.address), 990n * MIRA, "the self-bond left the account; gentxs pay no fee");
  checkInvariants(t, c, "genesis");
});

t.test("delegate, undelegate (paid exactly after the unbonding time), redelegate, and the set updates", async (t) => {
  const c = await startChain(t, { validators: 3 });
  const [v0, v1, , , d] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const op0 = valoper(v0.address);
  const op1 = valoper(v1.address);
  const before = balance(c.app, d.address);

  const raw = await signTx(d, [delegateMsg(d.address, op0, (5n * MIRA).toString())], {
    accountNumber: c.accNum.get(d.address)!,
    sequence: 0,
    gas: "400000",
    fee: "10000",
  });
  const res = await run(c, [raw]);
  c.seq.set(d.address, 1);
  t.equal(res.txResults![0]!.code, 0, res.txResults![0]!.log ?? "");
  t.same(
    res.validatorUpdates?.map((u) => [Buffer.from(u.pubKey!.ed25519!).toString("hex"), u.power]),
    [[c.keys[0]!.toString("hex"), 15n]],
    "one power change, in the same block",
  );
  t.equal(delegationBalance(c.app, d.address, op0), 5n * MIRA);
  t.equal(balance(c.app, d.address), before - 5n * MIRA - 10_000n);
  const delegateEvents = res.txResults![0]!.events!.filter((e) => e.type === "delegate");
  t.equal(delegateEvents.length, 1);
  t.match(Object.fromEntries(delegateEvents[0]!.attributes!.map((a) => [a.key, a.value])), { validator: op0, delegator: d.address, amount: "5000000umira" });
  checkInvariants(t, c, "after delegate");

  const und = await tx(c, d, [undelegateMsg(d.address, op0, (2n * MIRA).toString())]);
  t.equal(und.code, 0, und.log);
  const resp = MsgUndelegateResponse.decode(TxMsgData.decode(und.data!).msgResponses[0]!.value);
  t.equal(resp.amount.amount, (2n * MIRA).toString());
  t.equal(delegationBalance(c.app, d.address, op0), 3n * MIRA);
  const entries = unbondingEntries(c.app, d.address, op0);
  t.equal(entries.length, 1);
  t.equal(entries[0]!.balance, (2n * MIRA).toString());
  t.equal(pool(c.app).notBonded, 2n * MIRA, "unbonding tokens wait in the not-bonded pool");
  checkInvariants(t, c, "after undelegate");
  const mid = balance(c.app, d.address);
  for (let i = 0; i < UNBONDING_S / 5 - 1; i++) await run(c, []);
  t.equal(balance(c.app, d.address), mid, "nothing paid before the unbonding time");
  t.equal(unbondingEntries(c.app, d.address, op0).length, 1);
  await run(c, []);
  t.equal(balance(c.app, d.address), mid + 2n * MIRA, "paid exactly when it matures");
  t.equal(unbondingEntries(c.app, d.address, op0).length, 0);
  t.equal(pool(c.app).notBonded, 0n);
  checkInvariants(t, c, "after maturity");

  const red = await tx(c, d, [redelegateMsg(d.address, op0, op1, (1n * MIRA).toString())]);
  t.equal(red.code, 0, red.log);
  t.equal(delegationBalance(c.app, d.address, op0), 2n * MIRA);
  t.equal(delegationBalance(c.app, d.address, op1), 1n * MIRA);
  const reds = query(
    c.app,
    "/cosmos.staking.v1beta1.Query/Redelegations",
    QueryRedelegationsRequest.encode({ delegatorAddr: d.address, srcValidatorAddr: "", dstValidatorAddr: "" }).finish(),
    QueryRedelegationsResponse.decode,
  );
  t.equal(reds.redelegationResponses.length, 1);
  t.equal(reds.redelegationResponses[0]!.entries[0]!.balance, (1n * MIRA).toString());
  const hop = await tx(c, d, [redelegateMsg(d.address, op1, op0, "1000")]);
  t.equal(hop.code, 32, "a transitive redelegation is refused");
  t.equal(hop.codespace, "staking");
  t.equal(delegationBalance(c.app, d.address, op1), 1n * MIRA, "and changes nothing");
  checkInvariants(t, c, "after redelegate");
});

t.test("bad staking messages fail with their codes and change nothing but the fee", async (t) => {
  const c = await startChain(t, { validators: 2 });
  const [v0, , , , d] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const op0 = valoper(v0.address);
  const cases: [string, Parameters<typeof signTx>[1], number, string][] = [
    ["unknown validator", [delegateMsg(d.address, valoper(d.address), "1000")], 3, "staking"],
    [
      "wrong denom",
      [
        {
          typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
          value: { delegatorAddress: d.address, validatorAddress: op0, amount: { denom: "uother", amount: "5" } },
        },
      ],
      18,
      "sdk",
    ],
    ["more than delegated", [undelegateMsg(v0.address, op0, (11n * MIRA).toString())], 24, "staking"],
    ["no delegation", [undelegateMsg(d.address, op0, "1000")], 19, "staking"],
    ["a second validator for one key", [createValidatorMsg(d, c.keys[0]!, (1n * MIRA).toString())], 5, "staking"],
    ["insufficient funds", [delegateMsg(d.address, op0, (5000n * MIRA).toString())], 5, "sdk"],
  ];
  for (const [name, msgs, code, codespace] of cases) {
    const signer = name === "more than delegated" ? v0 : d;
    const bal = balance(c.app, signer.address);
    const vals = JSON.stringify(validators(c.app).map((v) => [v.tokens, v.delegatorShares]));
    const r = await tx(c, signer, msgs);
    t.equal(r.code, code, `${name}: code ${code} (${r.log})`);
    t.equal(r.codespace, codespace, `${name}: codespace`);
    t.equal(balance(c.app, signer.address), bal - 10_000n, `${name}: only the fee was taken`);
    t.equal(JSON.stringify(validators(c.app).map((v) => [v.tokens, v.delegatorShares])), vals, `${name}: validators unchanged`);
  }
  checkInvariants(t, c, "after failures");
});

t.test("max_validators: a stronger newcomer enters, the weakest leaves (power 0) and unbonds", async (t) => {
  const c = await startChain(t, { validators: 2, maxValidators: 2 });
  const [v0, , v2] = c.wallets as [Wallet, Wallet, Wallet];
  const create = await run(c, [
    await signTx(v2, [createValidatorMsg(v2, c.keys[2]!, (30n * MIRA).toString(), "val2")], { accountNumber: 2n, sequence: 0, gas: "400000", fee: "10000" }),
  ]);
  t.equal(create.txResults![0]!.code, 0, create.txResults![0]!.log ?? "");
  const updates = new Map(create.validatorUpdates!.map((u) => [Buffer.from(u.pubKey!.ed25519!).toString("hex"), u.power]));
  t.equal(updates.get(c.keys[2]!.toString("hex")), 30n, "the newcomer joins");
  t.equal(updates.get(c.keys[0]!.toString("hex")), 0n, "the weakest (10) leaves");
  t.equal(updates.size, 2);
  const v0state = () => validators(c.app).find((v) => v.operatorAddress === valoper(v0.address))!;
  t.equal(v0state().status, BondStatus.BOND_STATUS_UNBONDING);
  t.equal(pool(c.app).notBonded, 10n * MIRA, "its tokens left the bonded pool");
  checkInvariants(t, c, "after set change");
  for (let i = 0; i < UNBONDING_S / 5; i++) await run(c, []);
  t.equal(v0state().status, BondStatus.BOND_STATUS_UNBONDED, "unbonded after the unbonding time");
  checkInvariants(t, c, "after validator unbonded");
});

t.test("undelegating a whole self-delegation takes the validator out of CometBFT's set", async (t) => {
  const c = await startChain(t, { validators: 3 });
  const v2 = c.wallets[2]!;
  const raw = await signTx(v2, [undelegateMsg(v2.address, valoper(v2.address), (12n * MIRA).toString())], {
    accountNumber: 2n,
    sequence: 1,
    gas: "400000",
    fee: "10000",
  });
  const res = await run(c, [raw]);
  t.equal(res.txResults![0]!.code, 0, res.txResults![0]!.log ?? "");
  t.same(
    res.validatorUpdates?.map((u) => [Buffer.from(u.pubKey!.ed25519!).toString("hex"), u.power]),
    [[c.keys[2]!.toString("hex"), 0n]],
    "power 0 goes to CometBFT in that block",
  );
  const last = await run(c, []);
  t.same(last.validatorUpdates ?? [], [], "no further change");
  const v = validators(c.app).find((x) => x.operatorAddress === valoper(v2.address));
  t.ok(v === undefined || v.status !== BondStatus.BOND_STATUS_BONDED, "no longer bonded");
  checkInvariants(t, c, "after self-unbond");
});

t.test("random delegations, undelegations, redelegations and cancellations keep the invariants", async (t) => {
  for (const seed of [1, 2, 3]) {
    const c = await startChain(t, { validators: 3, maxValidators: 2 });
    const rng = new Rng(seed);
    const ops = ["delegate", "undelegate", "redelegate", "cancel", "send", "withdraw"] as const;
    let failures = 0;
    for (let step = 0; step < 60; step++) {
      const w = rng.pick(c.wallets);
      const target = valoper(c.wallets[rng.int(3)]!.address);
      const other = valoper(c.wallets[rng.int(3)]!.address);
      const amount = (BigInt(1 + rng.int(8)) * MIRA + BigInt(rng.int(1000))).toString();
      const op = rng.pick(ops);
      let msgs: Parameters<typeof signTx>[1];
      if (op === "delegate") msgs = [delegateMsg(w.address, target, amount)];
      else if (op === "undelegate") msgs = [undelegateMsg(w.address, target, amount)];
      else if (op === "redelegate") msgs = [redelegateMsg(w.address, target, other, amount)];
      else if (op === "send") msgs = [send(w.address, rng.pick(c.wallets).address, amount)];
      else if (op === "withdraw")
        msgs = [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", value: { delegatorAddress: w.address, validatorAddress: target } }];
      else {
        const entries = unbondingEntries(c.app, w.address, target);
        const e = entries[0];
        msgs = [
          {
            typeUrl: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
            value: {
              delegatorAddress: w.address,
              validatorAddress: target,
              amount: { denom: "umira", amount: e?.balance ?? amount },
              creationHeight: e?.creationHeight ?? 1n,
            },
          },
        ];
      }
      // Now and then a validator double-signed a few blocks ago: F1's slash events and the slashed stake's paths.
      const cheat = rng.int(20) === 0 ? rng.int(3) : undefined;
      const r = await tx(c, w, msgs, (req) => {
        if (cheat === undefined) return;
        const v = validators(c.app).find((x) => x.operatorAddress === valoper(c.wallets[cheat]!.address));
        if (v === undefined) return;
        req.misbehavior = [
          {
            type: MisbehaviorType.DUPLICATE_VOTE,
            validator: { address: createHash("sha256").update(c.keys[cheat]!).digest().subarray(0, 20), power: BigInt(v.tokens) / MIRA },
            height: req.height - 2n,
            time: { seconds: 0n, nanos: 0 },
            totalVotingPower: 100n,
          },
        ];
      });
      if (r.code !== 0) failures++;
      checkInvariants(t, c, `seed ${seed} step ${step} (${op}, code ${r.code}${cheat !== undefined ? `, validator ${cheat} double-signed` : ""})`);
      if (rng.int(4) === 0) await run(c, []);
    }
    t.ok(failures < 60, `seed ${seed}: ${60 - failures} of 60 operations succeeded, invariants held after each`);
  }
});

t.test("HistoricalInfo: each block's header facts and bonded set, kept for historical_entries blocks", async (t) => {
  const c = await startChain(t, { validators: 3, extra: { staking: { params: { unbonding_time: "20s", historical_entries: 3 } } } });
  for (let i = 0; i < 5; i++) await run(c, []);
  const h = BigInt(c.app.store.version);
  const hist = query(
    c.app,
    "/cosmos.staking.v1beta1.Query/HistoricalInfo",
    QueryHistoricalInfoRequest.encode({ height: h }).finish(),
    QueryHistoricalInfoResponse.decode,
  ).hist!;
  t.equal(hist.header.height, h);
  t.equal(hist.header.chainId, "mira-test-1");
  t.same(Buffer.from(hist.header.appHash), c.app.store.commitInfoAt(Number(h) - 1).appHash, "the header's app hash is the one after the block before");
  t.same(
    hist.valset.map((v) => v.tokens),
    ["12000000", "11000000", "10000000"],
    "the bonded set, strongest first",
  );
  t.throws(
    () =>
      query(
        c.app,
        "/cosmos.staking.v1beta1.Query/HistoricalInfo",
        QueryHistoricalInfoRequest.encode({ height: h - 3n }).finish(),
        QueryHistoricalInfoResponse.decode,
      ),
    /not found/,
    "older than 3 blocks: pruned",
  );
  t.ok(
    query(
      c.app,
      "/cosmos.staking.v1beta1.Query/HistoricalInfo",
      QueryHistoricalInfoRequest.encode({ height: h - 2n }).finish(),
      QueryHistoricalInfoResponse.decode,
    ).hist,
    "within the window: kept",
  );
});
