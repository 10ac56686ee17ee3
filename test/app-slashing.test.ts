// Slashing driven through MiraApp: downtime from the last commit's signatures (window, minimum,
// exact slash fraction, jail, unjail after the jail time), double signs from CometBFT's
// misbehavior list (tombstone, exact fraction, delegators and fresh unbondings shrink), and the
// keeper's punish() for other modules, with the supply shrinking by exactly what was burned.
import { createHash } from "node:crypto";
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { MisbehaviorType, type RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { QueryTotalSupplyRequest, QueryTotalSupplyResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import t from "tap";
import type { MiraApp } from "../app/chain/app";
import { Context } from "../app/core/context";
import { infiniteGasMeter } from "../app/core/gas";
import { valconsAddress } from "../modules/slashing/keeper";
import { parseValoper } from "../app/core/address";
import type { Wallet } from "./helpers/app-driver";
import { Chain, checkInvariants, delegationBalance, MIRA, query, run, startChain, tx, unbondingEntries, validators } from "./helpers/chain";
import { delegateMsg, undelegateMsg, valoper } from "./helpers/staking";

const SLASHING = {
  mint: { params: { inflation: "0" } }, // no minting: the supply moves only by what is burned
  slashing: {
    params: {
      signed_blocks_window: 10,
      min_signed_per_window: "0.5",
      downtime_jail_duration: "30s",
      slash_fraction_downtime: "0.01",
      slash_fraction_double_sign: "0.05",
    },
  },
};

const cons = (key: Buffer): Buffer => createHash("sha256").update(key).digest().subarray(0, 20);

/** A last commit in which validator `absent` (index into the chain's keys) did not sign. */
function commitWithout(c: Chain, absent: number | undefined, powers: bigint[]) {
  return (req: RequestFinalizeBlock): void => {
    req.decidedLastCommit = {
      round: 0,
      votes: powers.map((power, i) => ({
        validator: { address: cons(c.keys[i]!), power },
        blockIdFlag: i === absent ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      })),
    };
  };
}

function tokens(app: MiraApp, w: Wallet): bigint {
  return BigInt(validators(app).find((v) => v.operatorAddress === valoper(w.address))!.tokens);
}

function jailed(app: MiraApp, w: Wallet): boolean {
  return validators(app).find((v) => v.operatorAddress === valoper(w.address))!.jailed;
}

function supply(app: MiraApp): bigint {
  const s = query(app, "/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest.encode({}).finish(), QueryTotalSupplyResponse.decode).supply;
  return BigInt(s.find((x) => x.denom === "umira")!.amount);
}

t.test("downtime: missing more than the window allows slashes exactly 1%, jails, and unjail waits for the jail time", async (t) => {
  const c = await startChain(t, { validators: 3, extra: SLASHING });
  const v2 = c.wallets[2]!;
  const powers = [10n, 11n, 12n];
  const supply0 = supply(c.app);
  let slashedAt = 0;
  for (let b = 0; b < 30 && slashedAt === 0; b++) {
    const res = await run(c, [], commitWithout(c, 2, powers));
    const slash = (res.events ?? []).find((e) => e.type === "slash");
    if (slash !== undefined) {
      slashedAt = b;
      t.match(
        Object.fromEntries(slash.attributes.map((a) => [a.key, a.value])),
        { reason: "missing_signature", power: "12", burned_coins: "120000umira" },
        "the slash event says why and how much",
      );
      t.same(
        res.validatorUpdates?.map((u) => [Buffer.from(u.pubKey!.ed25519!).toString("hex"), u.power]),
        [[c.keys[2]!.toString("hex"), 0n]],
        "jailed: out of CometBFT's set in the same block",
      );
    }
  }
  t.ok(slashedAt > 0, "slashed once the window filled with more than 5 misses");
  t.equal(tokens(c.app, v2), 12n * MIRA - 120_000n, "exactly 1% of the stake at the infraction");
  t.equal(supply(c.app), supply0 - 120_000n, "the burned tokens left the supply");
  t.ok(jailed(c.app, v2));
  const info = query(
    c.app,
    "/cosmos.slashing.v1beta1.Query/SigningInfo",
    QuerySigningInfoRequest.encode({ consAddress: valconsAddress(cons(c.keys[2]!)) }).finish(),
    QuerySigningInfoResponse.decode,
  ).valSigningInfo;
  t.equal(info.missedBlocksCounter, 0n, "a fresh window after the jail");
  t.ok(info.jailedUntil.seconds > 0n);
  checkInvariants(t, c, "after downtime slash");

  const early = await tx(
    c,
    v2,
    [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: valoper(v2.address) } }],
    commitWithout(c, undefined, [10n, 11n, 0n]),
  );
  t.equal(early.code, 4, `unjail before the jail time is refused (${early.log})`);
  t.equal(early.codespace, "slashing");
  for (let i = 0; i < 6; i++) await run(c, [], commitWithout(c, undefined, [10n, 11n, 0n]));
  const ok = await tx(
    c,
    v2,
    [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: valoper(v2.address) } }],
    commitWithout(c, undefined, [10n, 11n, 0n]),
  );
  t.equal(ok.code, 0, ok.log);
  t.notOk(jailed(c.app, v2), "unjailed");
  const back = await run(c, []);
  const all = await run(c, []);
  t.same([...(back.validatorUpdates ?? []), ...(all.validatorUpdates ?? [])].length, 0, "(the set change came in the unjail block)");
  t.equal(validators(c.app, "BOND_STATUS_BONDED").length, 3, "bonded again");
  const again = await tx(c, v2, [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: valoper(v2.address) } }]);
  t.equal(again.code, 5, "unjailing a validator that is not jailed: code 5");
});

t.test("double sign: tombstoned, exactly 5% burned, delegators and later unbondings shrink too", async (t) => {
  const c = await startChain(t, { validators: 3, extra: SLASHING });
  const [, v1, , , d] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const op1 = valoper(v1.address);
  t.equal((await tx(c, d, [delegateMsg(d.address, op1, (9n * MIRA).toString())])).code, 0);
  const infractionHeight = BigInt(c.app.store.version + 1);
  await run(c, []);
  await run(c, []);
  // After the infraction, the delegator starts unbonding 4 MIRA: that stake was at fault too.
  t.equal((await tx(c, d, [undelegateMsg(d.address, op1, (4n * MIRA).toString())])).code, 0);
  const supply0 = supply(c.app);
  const powerAtInfraction = 20n; // 11 self + 9 delegated
  const res = await run(c, [], (req) => {
    req.misbehavior = [
      {
        type: MisbehaviorType.DUPLICATE_VOTE,
        validator: { address: cons(c.keys[1]!), power: powerAtInfraction },
        height: infractionHeight,
        time: { seconds: 1_700_000_000n, nanos: 0 },
        totalVotingPower: 42n,
      },
    ];
  });
  const slash = (res.events ?? []).find((e) => e.type === "slash");
  t.match(Object.fromEntries(slash!.attributes.map((a) => [a.key, a.value])), { reason: "double_sign", power: "20" });
  // 5% of 20 MIRA = 1 MIRA: 0.2 from the 4-MIRA unbonding entry, 0.8 from the validator's 16 MIRA.
  t.same(
    unbondingEntries(c.app, d.address, op1).map((e) => e.balance),
    [(4n * MIRA - 200_000n).toString()],
    "the unbonding entry lost 5% of its initial balance",
  );
  t.equal(tokens(c.app, v1), 16n * MIRA - 800_000n, "the rest came from the validator's tokens");
  t.equal(supply(c.app), supply0 - 1_000_000n, "exactly 5% of the power at the infraction burned");
  t.equal(delegationBalance(c.app, d.address, op1), 5n * MIRA - 250_000n, "the delegation shrank by 5% (rounded down)");
  t.ok(jailed(c.app, v1));
  const info = query(
    c.app,
    "/cosmos.slashing.v1beta1.Query/SigningInfo",
    QuerySigningInfoRequest.encode({ consAddress: valconsAddress(cons(c.keys[1]!)) }).finish(),
    QuerySigningInfoResponse.decode,
  ).valSigningInfo;
  t.ok(info.tombstoned, "tombstoned");
  const second = await run(c, [], (req) => {
    req.misbehavior = [
      {
        type: MisbehaviorType.DUPLICATE_VOTE,
        validator: { address: cons(c.keys[1]!), power: 20n },
        height: infractionHeight,
        time: { seconds: 1_700_000_000n, nanos: 0 },
        totalVotingPower: 42n,
      },
    ];
  });
  t.notOk(
    (second.events ?? []).some((e) => e.type === "slash"),
    "a tombstoned validator is not slashed twice",
  );
  for (let i = 0; i < 10; i++) await run(c, []);
  const unjail = await tx(c, v1, [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: op1 } }]);
  t.equal(unjail.code, 4, "a tombstoned validator stays jailed for ever");
  checkInvariants(t, c, "after double sign");
});

t.test("punish(): the keeper method for other modules slashes the current stake, jails, and says why", async (t) => {
  const c = await startChain(t, { validators: 3, extra: SLASHING });
  const v0 = c.wallets[0]!;
  const height = BigInt(c.app.store.version + 1);
  const ctx = new Context(c.app.store.working, height, 1_700_000_000_000n + height * 5000n, "mira-test-1", infiniteGasMeter(), "deliver");
  const burned = c.app.slashing.punish(ctx, parseValoper(valoper(v0.address)), 10n ** 17n, 60_000n, "wrong_verdict");
  t.equal(burned, 1n * MIRA, "10% of 10 MIRA");
  const ev = ctx.events.events.find((e) => e.type === "slash")!;
  t.equal(ev.attributes.find((a) => a.key === "reason")?.value, "wrong_verdict");
  const res = await run(c, []);
  t.same(
    res.validatorUpdates?.map((u) => u.power),
    [0n],
    "jailed, so out of the set",
  );
  t.equal(tokens(c.app, v0), 9n * MIRA);
  checkInvariants(t, c, "after punish");
});

t.test("a double sign reaches stake redelegated away after the infraction", async (t) => {
  const c = await startChain(t, { validators: 3, extra: SLASHING });
  const [, v1, v2, , d] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const op1 = valoper(v1.address);
  const op2 = valoper(v2.address);
  t.equal((await tx(c, d, [delegateMsg(d.address, op1, (8n * MIRA).toString())])).code, 0);
  const infractionHeight = BigInt(c.app.store.version + 1);
  await run(c, []);
  await run(c, []);
  // After the infraction, d moves 6 MIRA from v1 to v2: that stake was behind v1 when it cheated.
  const red = await tx(c, d, [
    {
      typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
      value: { delegatorAddress: d.address, validatorSrcAddress: op1, validatorDstAddress: op2, amount: { denom: "umira", amount: (6n * MIRA).toString() } },
    },
  ]);
  t.equal(red.code, 0, red.log);
  const onV2 = delegationBalance(c.app, d.address, op2)!;
  const supply0 = supply(c.app);
  await run(c, [], (req) => {
    req.misbehavior = [
      {
        type: MisbehaviorType.DUPLICATE_VOTE,
        validator: { address: cons(c.keys[1]!), power: 19n },
        height: infractionHeight,
        time: { seconds: 1_700_000_000n, nanos: 0 },
        totalVotingPower: 41n,
      },
    ];
  });
  // 5% of 19 MIRA = 0.95 MIRA: 0.3 (5% of the 6 redelegated) from d's delegation to v2, the rest from v1.
  t.equal(delegationBalance(c.app, d.address, op2), onV2 - 300_000n, "the redelegated stake lost 5% at its new validator");
  t.equal(tokens(c.app, v1), 13n * MIRA - 650_000n, "the rest from v1's own tokens");
  t.equal(supply(c.app), supply0 - 950_000n, "exactly 5% of the power at the infraction burned");
  checkInvariants(t, c, "after a slashed redelegation");
});
