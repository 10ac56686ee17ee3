// Sessions driven on the app object: a session key with no balance acts for its granter within the
// session's scope, spend limit (fees included) and time; everything outside fails with a sessions
// code and changes nothing but the fee; expiry deletes the session at end of block; and a random
// sequence of create / exec / revoke / time never lets a session overspend, outlive or overreach.
import { SigningStargateClient } from "@cosmjs/stargate";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import t from "tap";
import { createSessionKey, createSessionMsg, revokeSessionMsg } from "../modules/sessions/client";
import {
  QuerySessionRequest,
  QuerySessionResponse,
  QuerySessionsByGranteeRequest,
  QuerySessionsByGranteeResponse,
  QuerySessionsByGranterRequest,
  QuerySessionsByGranterResponse,
} from "../proto/gen/mira/sessions/v1/query";
import { MsgExecSession } from "../proto/gen/mira/sessions/v1/tx";
import { registry, send, signTx, type Wallet } from "./helpers/app-driver";
import { balance, type Chain, checkInvariants, query, run, startChain, tx } from "./helpers/chain";
import { Rng } from "./helpers/rng";
import { valoper } from "./helpers/staking";

const SEND = "/cosmos.bank.v1beta1.MsgSend";
const DELEGATE = "/cosmos.staking.v1beta1.MsgDelegate";
const FEE = 10_000n;

/** Block time of the next block in ms (the driver's blocks are 5 s apart). */
const nextBlockMs = (c: Chain) => (1_700_000_000 + (c.app.store.version + 1) * 5) * 1000;

async function sessionKeyWallet(): Promise<Wallet> {
  const key = await createSessionKey();
  return { address: key.address, client: await SigningStargateClient.offline(key.wallet, { registry: registry() }) };
}

function accountOf(c: Chain, address: string): BaseAccount {
  const res = query(c.app, "/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish(), QueryAccountResponse.decode);
  return BaseAccount.decode(res.account!.value);
}
const accountNumber = (c: Chain, address: string): bigint => accountOf(c, address).accountNumber;

function session(c: Chain, granter: string, grantee: string) {
  try {
    return query(c.app, "/mira.sessions.v1.Query/Session", QuerySessionRequest.encode({ granter, grantee }).finish(), QuerySessionResponse.decode).session;
  } catch {
    return undefined;
  }
}

/** One MsgExecSession tx signed by the session key alone; the granter pays the fee when `granted`. */
async function exec(c: Chain, key: Wallet, granter: string, inner: EncodeObject[], granted = true) {
  if (!c.accNum.has(key.address)) {
    c.accNum.set(key.address, accountNumber(c, key.address));
    c.seq.set(key.address, 0);
  }
  const reg = registry();
  const msg = {
    typeUrl: "/mira.sessions.v1.MsgExecSession",
    value: MsgExecSession.fromPartial({ grantee: key.address, granter, msgs: inner.map((m) => reg.encodeAsAny(m)) }),
  };
  const sequence = c.seq.get(key.address)!;
  const raw = await signTx(key, [msg], {
    accountNumber: c.accNum.get(key.address)!,
    sequence,
    gas: "400000",
    fee: FEE.toString(),
    ...(granted ? { granter } : {}),
  });
  const res = (await run(c, [raw])).txResults![0]!;
  c.seq.set(key.address, Number(accountOf(c, key.address).sequence)); // moved only if the ante passed
  return res;
}

t.test("a session key with no balance acts for its granter only within scope, limit and time", async (t) => {
  const c = await startChain(t, { validators: 1 });
  const user = c.wallets[4]!;
  const to = c.wallets[3]!.address;
  const key = await sessionKeyWallet();
  const created = await tx(c, user, [
    createSessionMsg({
      granter: user.address,
      sessionKey: key.address,
      allowedMsgs: [SEND, "/mira.claims.v1.MsgSubmitContent"],
      spendLimit: [{ denom: "umira", amount: "1000000" }],
      expiresAt: new Date(nextBlockMs(c) + 60_000),
      feeGrant: true,
    }),
  ]);
  t.equal(created.code, 0, created.log ?? "");
  t.equal(balance(c.app, key.address), 0n, "the session key holds nothing");
  t.ok(accountNumber(c, key.address) > 0n, "but it has an account to sign with");

  let userBefore = balance(c.app, user.address);
  const ok = await exec(c, key, user.address, [send(user.address, to, "300000")]);
  t.equal(ok.code, 0, ok.log ?? "");
  t.equal(balance(c.app, user.address), userBefore - 300_000n - FEE, "the granter paid the send and the fee");
  t.equal(balance(c.app, key.address), 0n);
  t.same(session(c, user.address, key.address)!.spent, [{ denom: "umira", amount: (300_000n + FEE).toString() }], "the fee counts against the limit");

  /** `charged`: the ante passed, so the granter paid the fee (out of the session's limit). */
  const refused = async (name: string, inner: EncodeObject[], code: number, opts: { granted?: boolean; charged?: boolean } = {}) => {
    const granted = opts.granted ?? true;
    const fee = (opts.charged ?? true) ? FEE : 0n;
    const before = [balance(c.app, user.address), balance(c.app, to)];
    const spent = BigInt(session(c, user.address, key.address)!.spent[0]!.amount);
    const res = await exec(c, key, user.address, inner, granted);
    t.equal(res.code, code, `${name}: code ${code} (${res.log})`);
    t.equal(res.codespace, granted ? "sessions" : "sdk", `${name}: codespace`);
    t.same(
      [balance(c.app, user.address), balance(c.app, to)],
      [before[0]! - fee, before[1]!],
      `${name}: nothing moved but ${fee === 0n ? "nothing" : "the fee"}`,
    );
    t.equal(BigInt(session(c, user.address, key.address)!.spent[0]!.amount), spent + fee, `${name}: only the fee was counted`);
  };
  await refused("a send over the remaining limit", [send(user.address, to, "700000")], 5);
  await refused(
    "a type outside the scope",
    [
      {
        typeUrl: DELEGATE,
        value: { delegatorAddress: user.address, validatorAddress: valoper(c.wallets[0]!.address), amount: { denom: "umira", amount: "10" } },
      },
    ],
    4,
  );
  await refused("a message for someone else's coins", [send(c.wallets[2]!.address, to, "10")], 6);
  await refused(
    "creating a session from a session",
    [
      createSessionMsg({
        granter: user.address,
        sessionKey: c.wallets[2]!.address,
        allowedMsgs: [SEND],
        spendLimit: [],
        expiresAt: new Date(nextBlockMs(c) + 60_000),
      }),
    ],
    7,
  );
  await refused("revoking from a session", [revokeSessionMsg(user.address, key.address)], 7);
  const reg = registry();
  await refused(
    "a nested exec (refused before the ante)",
    [
      {
        typeUrl: "/mira.sessions.v1.MsgExecSession",
        value: MsgExecSession.fromPartial({ grantee: key.address, granter: user.address, msgs: [reg.encodeAsAny(send(user.address, to, "1"))] }),
      },
    ],
    7,
    { charged: false },
  );
  await refused("no fee grant asked: the key cannot pay", [send(user.address, to, "1")], 5, { granted: false, charged: false });

  // Two execs in one tx, the second over the limit: the tx fails whole; the fee is counted once, alone.
  {
    const reg2 = registry();
    const execOf = (amount: string) => ({
      typeUrl: "/mira.sessions.v1.MsgExecSession",
      value: MsgExecSession.fromPartial({ grantee: key.address, granter: user.address, msgs: [reg2.encodeAsAny(send(user.address, to, amount))] }),
    });
    const before = [balance(c.app, user.address), balance(c.app, to), BigInt(session(c, user.address, key.address)!.spent[0]!.amount)];
    const raw = await signTx(key, [execOf("10"), execOf("900000")], {
      accountNumber: c.accNum.get(key.address)!,
      sequence: c.seq.get(key.address)!,
      gas: "400000",
      fee: FEE.toString(),
      granter: user.address,
    });
    const res = (await run(c, [raw])).txResults![0]!;
    c.seq.set(key.address, c.seq.get(key.address)! + 1);
    t.match(res, { code: 5, codespace: "sessions" }, "the second exec is over the limit");
    t.same(
      [balance(c.app, user.address), balance(c.app, to), BigInt(session(c, user.address, key.address)!.spent[0]!.amount)],
      [before[0]! - FEE, before[1]!, before[2]! + FEE],
      "the first exec's send is undone; the fee is paid and counted once",
    );
  }

  // Expiry: the session acts until the block time reaches its expiration, then is gone with no revoke.
  const expiresAt = new Date(
    session(c, user.address, key.address)!.expiration!.seconds * 1000n > 0n ? Number(session(c, user.address, key.address)!.expiration!.seconds) * 1000 : 0,
  );
  while (nextBlockMs(c) < expiresAt.getTime() - 5_000) await run(c, []);
  t.equal((await exec(c, key, user.address, [send(user.address, to, "1")])).code, 0, "still acts in its last block");
  const last = await run(c, []);
  t.ok(
    (last.events ?? []).some((e) => e.type === "session_expired"),
    "a session_expired event at its expiration block",
  );
  t.equal(session(c, user.address, key.address), undefined, "the session no longer exists");
  userBefore = balance(c.app, user.address);
  const late = await exec(c, key, user.address, [send(user.address, to, "1")]);
  t.equal(late.code, 2, "after expiry the same exec fails: no session");
  t.equal(balance(c.app, user.address), userBefore, "and the granter pays nothing, not even the fee");
  checkInvariants(t, c, "after the session");
});

t.test("revocation is immediate, uses run out, and what a session may allow is bounded", async (t) => {
  const c = await startChain(t, { validators: 1, extra: { sessions: { params: { max_duration: "3600s", max_scope_size: 2 } } } });
  const user = c.wallets[4]!;
  const to = c.wallets[3]!.address;
  const key = await sessionKeyWallet();
  const terms = {
    granter: user.address,
    sessionKey: key.address,
    allowedMsgs: [SEND],
    spendLimit: [{ denom: "umira", amount: "100000" }],
    expiresAt: new Date(nextBlockMs(c) + 600_000),
    feeGrant: true,
  };
  t.equal((await tx(c, user, [createSessionMsg({ ...terms, maxUses: 2 })])).code, 0);
  t.equal((await tx(c, user, [createSessionMsg(terms)])).code, 8, "a second session with the same key: revoke first");
  t.equal((await exec(c, key, user.address, [send(user.address, to, "1")])).code, 0);
  const used = await run(c, [
    await signTx(
      key,
      [
        {
          typeUrl: "/mira.sessions.v1.MsgExecSession",
          value: MsgExecSession.fromPartial({ grantee: key.address, granter: user.address, msgs: [registry().encodeAsAny(send(user.address, to, "1"))] }),
        },
      ],
      { accountNumber: c.accNum.get(key.address)!, sequence: c.seq.get(key.address)!, gas: "400000", fee: FEE.toString(), granter: user.address },
    ),
  ]);
  c.seq.set(key.address, c.seq.get(key.address)! + 1);
  t.equal(used.txResults![0]!.code, 0, "the second and last use");
  t.ok((used.txResults![0]!.events ?? []).some((e) => e.type === "session_used_up"));
  t.equal((await exec(c, key, user.address, [send(user.address, to, "1")])).code, 2, "used up: gone");

  t.equal((await tx(c, user, [createSessionMsg(terms)])).code, 0, "a new session once the old one is gone");
  t.equal((await tx(c, user, [revokeSessionMsg(user.address, key.address)])).code, 0);
  t.equal((await exec(c, key, user.address, [send(user.address, to, "1")])).code, 2, "revoked: fails at once");
  t.equal((await tx(c, user, [revokeSessionMsg(user.address, key.address)])).code, 2, "nothing left to revoke");

  const bad: [string, Partial<typeof terms>, number][] = [
    ["longer than max_duration", { expiresAt: new Date(nextBlockMs(c) + 7_200_000) }, 9],
    ["already expired", { expiresAt: new Date(nextBlockMs(c) - 1000) }, 9],
    ["more types than max_scope_size", { allowedMsgs: [SEND, DELEGATE, "/mira.claims.v1.MsgSubmitContent"] }, 9],
    ["an unknown type", { allowedMsgs: ["/no.such.Msg"] }, 9],
    ["a session allowing sessions", { allowedMsgs: ["/mira.sessions.v1.MsgCreateSession"] }, 7],
    ["the granter as its own key", { sessionKey: user.address }, 9],
  ];
  for (const [name, change, code] of bad) {
    const r = await tx(c, user, [createSessionMsg({ ...terms, ...change })]);
    t.equal(r.code, code, `${name}: code ${code} (${r.log})`);
  }
  t.equal(
    (await tx(c, user, [createSessionMsg({ ...terms, allowedMsgs: ["/cosmos.distribution.v1beta1.MsgSetWithdrawAddress"] })])).code,
    7,
    "a session cannot redirect the granter's rewards",
  );
  // An expiration outside a Timestamp's range (as a raw message, since a Date cannot hold it) fails the tx, nothing more.
  const absurd = createSessionMsg(terms);
  (absurd.value as { expiration: { seconds: bigint; nanos: number } }).expiration = { seconds: -10_000_000_000_000n, nanos: 0 };
  const r = await tx(c, user, [absurd]);
  t.match(r, { code: 9, codespace: "sessions" }, `an absurd expiration is refused (${r.log})`);
  t.equal((await run(c, [])).txResults!.length, 0, "and the chain goes on");
  const negative = await tx(c, user, [createSessionMsg({ ...terms, spendLimit: [{ denom: "umira", amount: "-5" }] })]).catch((e: Error) => ({
    code: -1,
    log: e.message,
  }));
  t.not(negative.code, 0, "a negative spend limit never gets in");
  t.same(
    query(
      c.app,
      "/mira.sessions.v1.Query/SessionsByGranter",
      QuerySessionsByGranterRequest.encode({ granter: user.address }).finish(),
      QuerySessionsByGranterResponse.decode,
    ).sessions,
    [],
    "no session left",
  );
});

t.test("a fee-granted session tx whose messages fail uses up one of max_uses, as a successful one", async (t) => {
  const c = await startChain(t, { validators: 1 });
  const user = c.wallets[4]!;
  const to = c.wallets[3]!.address;
  const key = await sessionKeyWallet();
  const terms = {
    granter: user.address,
    sessionKey: key.address,
    allowedMsgs: [SEND],
    spendLimit: [{ denom: "umira", amount: "100000" }],
    expiresAt: new Date(nextBlockMs(c) + 600_000),
    feeGrant: true,
    maxUses: 2,
  };
  t.equal((await tx(c, user, [createSessionMsg(terms)])).code, 0);
  // The inner send is over the spend limit: the messages fail, the granted fee is paid all the same.
  const failed = await exec(c, key, user.address, [send(user.address, to, "1000000")]);
  t.not(failed.code, 0, `the messages fail (${failed.log})`);
  const usage = session(c, user.address, key.address)!;
  t.equal(usage.uses, 1n, "the failed tx counted one use");
  t.same(usage.spent, [{ denom: "umira", amount: FEE.toString() }], "and its fee");
  const second = await exec(c, key, user.address, [send(user.address, to, "1000000")]);
  t.not(second.code, 0);
  t.ok(
    (second.events ?? []).some((e) => e.type === "session_used_up"),
    "the second failure used the session up",
  );
  t.equal(session(c, user.address, key.address), undefined, "gone after two uses");
  t.equal((await exec(c, key, user.address, [send(user.address, to, "1")])).code, 2, "a third tx finds no session");
});

t.test("property: random create / exec / revoke / time never overspend, outlive or overreach a session", async (t) => {
  const c = await startChain(t, { validators: 1 });
  const rng = new Rng(0x5e55);
  const user = c.wallets[4]!;
  const to = c.wallets[3]!.address;
  const keys = [await sessionKeyWallet(), await sessionKeyWallet()];
  c.wallets.push(...keys); // so that the supply invariant counts their balances
  for (const k of keys) t.equal((await tx(c, c.wallets[2]!, [send(c.wallets[2]!.address, k.address, "1")])).code, 0, "the keys' accounts exist (1umira each)");
  // The model: per key, the live session's terms and what it has moved out of the granter.
  const model = new Map<string, { limit: bigint; expiresMs: number; scope: string[]; moved: bigint }>();
  let violations = 0;
  let successes = 0;
  for (let step = 0; step < 200; step++) {
    const key = rng.pick(keys);
    const live = model.get(key.address);
    const op = rng.int(10);
    if (op < 4 && live === undefined) {
      const limit = BigInt(10_000 + rng.int(200_000 - 10_000));
      const expiresMs = nextBlockMs(c) + (1 + rng.int(12 - 1)) * 5000;
      const scope = rng.int(2) === 0 ? [SEND] : [DELEGATE];
      const r = await tx(c, user, [
        createSessionMsg({
          granter: user.address,
          sessionKey: key.address,
          allowedMsgs: scope,
          spendLimit: [{ denom: "umira", amount: limit.toString() }],
          expiresAt: new Date(expiresMs),
          feeGrant: true,
        }),
      ]);
      if (r.code === 0) model.set(key.address, { limit, expiresMs, scope, moved: 0n });
    } else if (op < 1 && live !== undefined) {
      t.equal((await tx(c, user, [revokeSessionMsg(user.address, key.address)])).code, 0);
      model.delete(key.address);
    } else if (op < 2) {
      await run(c, []);
    } else {
      const type = rng.int(4) === 0 ? DELEGATE : SEND;
      const amount = (1 + rng.int(80_000 - 1)).toString();
      const inner =
        type === SEND
          ? send(user.address, to, amount)
          : {
              typeUrl: DELEGATE,
              value: { delegatorAddress: user.address, validatorAddress: valoper(c.wallets[0]!.address), amount: { denom: "umira", amount } },
            };
      const blockMs = nextBlockMs(c);
      const before = balance(c.app, user.address);
      const r = await exec(c, key, user.address, [inner]);
      const moved = before - balance(c.app, user.address);
      if (live !== undefined) live.moved += moved;
      if (r.code === 0) {
        successes++;
        if (live === undefined || blockMs >= live.expiresMs || !live.scope.includes(type)) violations++;
      } else if (live === undefined || blockMs >= live.expiresMs) {
        t.equal(moved, 0n, "no live session: not even a fee is paid");
      }
      if (live !== undefined && live.moved > live.limit) violations++;
    }
    // Whatever the model says is gone is gone from state after its expiry block.
    for (const [address, m] of model) {
      if (nextBlockMs(c) - 5000 >= m.expiresMs) {
        t.equal(session(c, user.address, address), undefined, "expired sessions are deleted");
        model.delete(address);
      }
    }
  }
  t.equal(violations, 0, "no exec outside scope or time succeeded, and no session moved more than its limit");
  t.ok(successes > 10, `the sequence exercised real execs (${successes} succeeded)`);
  const byGrantee = query(
    c.app,
    "/mira.sessions.v1.Query/SessionsByGrantee",
    QuerySessionsByGranteeRequest.encode({ grantee: keys[0]!.address }).finish(),
    QuerySessionsByGranteeResponse.decode,
  );
  t.equal(byGrantee.sessions.length, model.has(keys[0]!.address) ? 1 : 0, "SessionsByGrantee agrees with the model");
  checkInvariants(t, c, "after the random sequence");
});
