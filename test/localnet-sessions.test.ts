// Sessions on the real 4-validator localnet, with CosmJS and the package's own session helper
// (modules/sessions/client.ts), as a dApp would use them: the user's wallet signs one
// MsgCreateSession; a fresh session key with no balance then sends the user's tokens within the
// limit and submits content for verification, paying its fees from the user's account; over the
// limit, outside the scope, escalating, after expiry (with no revoke) or after a revoke, it fails.
import { DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import t from "tap";
import { createSessionKey, createSessionMsg, miraRegistry, revokeSessionMsg, SessionClient } from "../modules/sessions/client";
import { QuerySessionRequest, QuerySessionsByGranterRequest, QuerySessionsByGranterResponse } from "../proto/gen/mira/sessions/v1/query";
import { startLocalnet } from "./helpers/localnet";

const OFFSET = 2_500; // its own ports, below the kernel's ephemeral range (32768+)
const gasPrice = GasPrice.fromString("0.025umira");
const SEND = "/cosmos.bank.v1beta1.MsgSend";
const SUBMIT = "/mira.claims.v1.MsgSubmitContent";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test("a session key acts for its user within scope, limit and time on the localnet", async (t) => {
  const net = startLocalnet(t, OFFSET);
  const rpc = net.rpc(0);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[0]!.mnemonic, { prefix: "mira" });
  const user = net.accounts[0]!.address;
  const to = net.accounts[1]!.address;
  const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice, registry: miraRegistry() });
  t.teardown(() => client.disconnect());
  const comet = await connectComet(rpc);
  t.teardown(() => comet.disconnect());
  const umira = async (address: string) => BigInt((await client.getBalance(address, "umira")).amount);
  const sessionExists = async (granter: string, grantee: string) =>
    (await comet.abciQuery({ path: "/mira.sessions.v1.Query/Session", data: QuerySessionRequest.encode({ granter, grantee }).finish() })).code === 0;
  const chainTimeMs = async () => new Date((await comet.status()).syncInfo.latestBlockTime.toISOString()).getTime();
  const oneSend = (): EncodeObject[] => [{ typeUrl: SEND, value: { fromAddress: user, toAddress: to, amount: [{ denom: "umira", amount: "1" }] } }];

  // The user's wallet signs once: a day-long session in production; an hour here, longer than the checks below take
  // however slow the machine (a session that expired in the middle of them would fail them for the wrong reason).
  const key = await createSessionKey();
  const expiresAt = new Date((await chainTimeMs()) + 3_600_000);
  const created = await client.signAndBroadcast(
    user,
    [
      createSessionMsg({
        granter: user,
        sessionKey: key.address,
        allowedMsgs: [SEND, SUBMIT],
        spendLimit: [{ denom: "umira", amount: "1000000" }],
        expiresAt,
        feeGrant: true,
      }),
    ],
    "auto",
  );
  t.equal(created.code, 0, created.rawLog ?? "");
  const session = await SessionClient.connect(rpc, key, user, { gasPrice });
  t.teardown(() => session.disconnect());
  t.equal(await umira(key.address), 0n, "the session key holds nothing");

  // A second session, 30 s long, to watch expire at the end: made and used at once, so that only these two txs
  // must land before it expires; the checks in between take what they take.
  const shortKey = await createSessionKey();
  const shortExpiresAt = new Date((await chainTimeMs()) + 30_000);
  const createdShort = await client.signAndBroadcast(
    user,
    [
      createSessionMsg({
        granter: user,
        sessionKey: shortKey.address,
        allowedMsgs: [SEND],
        spendLimit: [{ denom: "umira", amount: "100000" }],
        expiresAt: shortExpiresAt,
        feeGrant: true,
      }),
    ],
    "auto",
  );
  t.equal(createdShort.code, 0, createdShort.rawLog ?? "");
  const shortSession = await SessionClient.connect(rpc, shortKey, user, { gasPrice });
  t.teardown(() => shortSession.disconnect());
  const usedShort = await shortSession.exec(oneSend(), { gas: 300_000 });
  t.equal(usedShort.code, 0, `the short session acts before it expires (${usedShort.rawLog})`);

  const toBefore = await umira(to);
  const userBefore = await umira(user);
  const sent = await session.exec([{ typeUrl: SEND, value: { fromAddress: user, toAddress: to, amount: [{ denom: "umira", amount: "300000" }] } }]);
  t.equal(sent.code, 0, sent.rawLog ?? "");
  t.equal(await umira(to), toBefore + 300_000n, "the session key sent the user's tokens");
  const fee = BigInt(
    sent.events
      .find((e) => e.type === "tx" && e.attributes.some((a) => a.key === "fee_granter"))!
      .attributes.find((a) => a.key === "fee")!
      .value.replace("umira", ""),
  );
  t.equal(await umira(user), userBefore - 300_000n - fee, "the user paid the send and the session key's fee");
  t.equal(await umira(key.address), 0n, "the key still holds nothing");

  // The motivating use: an AI app's key submits content for verification, paid from the user's account.
  const submitted = await session.exec([
    {
      typeUrl: SUBMIT,
      value: { submitter: user, content: "The Eiffel Tower is in Paris.", claims: [], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 0 },
    },
  ]);
  t.equal(submitted.code, 0, submitted.rawLog ?? "");
  t.ok(
    submitted.events.some((e) => e.type === "content_submitted" && e.attributes.some((a) => a.key === "submitter" && a.value === user)),
    "content submitted as the user",
  );

  const fails = async (name: string, msgs: EncodeObject[], code: number) => {
    const before = [await umira(user), await umira(to)];
    const res = await session.exec(msgs, { gas: 300_000 });
    t.equal(res.code, code, `${name}: code ${code} (${res.rawLog})`);
    t.equal(await umira(to), before[1]!, `${name}: nothing reached the recipient`);
    t.ok(before[0]! - (await umira(user)) <= 7_500n, `${name}: the user lost no more than the fee`);
  };
  await fails(
    "a send over the remaining limit",
    [{ typeUrl: SEND, value: { fromAddress: user, toAddress: to, amount: [{ denom: "umira", amount: "900000" }] } }],
    5,
  );
  await fails(
    "a message type outside the scope",
    [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
        value: { delegatorAddress: user, validatorAddress: "miravaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqm0vt7c", amount: { denom: "umira", amount: "1" } },
      },
    ],
    4,
  );
  await fails("a session creating a session", [createSessionMsg({ granter: user, sessionKey: to, allowedMsgs: [SEND], spendLimit: [], expiresAt })], 7);
  await t.rejects(
    session.exec([session.wrap([{ typeUrl: SEND, value: { fromAddress: user, toAddress: to, amount: [{ denom: "umira", amount: "1" }] } }])], { gas: 300_000 }),
    /code 7/,
    "a nested exec is refused at CheckTx",
  );

  // A revoked session fails at once.
  const other = await createSessionKey();
  t.equal(
    (
      await client.signAndBroadcast(
        user,
        [
          createSessionMsg({
            granter: user,
            sessionKey: other.address,
            allowedMsgs: [SEND],
            spendLimit: [{ denom: "umira", amount: "100000" }],
            expiresAt,
            feeGrant: true,
          }),
        ],
        "auto",
      )
    ).code,
    0,
  );
  const revoked = await client.signAndBroadcast(user, [revokeSessionMsg(user, other.address)], "auto");
  t.equal(revoked.code, 0, revoked.rawLog ?? "");
  const otherSession = await SessionClient.connect(rpc, other, user, { gasPrice });
  t.teardown(() => otherSession.disconnect());
  await t.rejects(
    otherSession.exec([{ typeUrl: SEND, value: { fromAddress: user, toAddress: to, amount: [{ denom: "umira", amount: "1" }] } }], { gas: 300_000 }),
    /code 2/,
    "a revoked session fails at once",
  );

  // Expiry, with no revoke: once the chain's time passes the short session's expiration, the same exec fails and the
  // session is gone. Wait for the first block at or after it, then for the app to have committed that block (its
  // end-block deletes the session; CometBFT's status shows a block a moment before the app has committed it).
  let expiredAt = 0;
  for (const until = Date.now() + 180_000; expiredAt === 0; await sleep(500)) {
    const { syncInfo } = await comet.status();
    if (syncInfo.latestBlockTime.getTime() >= shortExpiresAt.getTime()) expiredAt = syncInfo.latestBlockHeight;
    else if (Date.now() > until) throw new Error(`the chain's time did not reach ${shortExpiresAt.toISOString()}`);
  }
  for (const until = Date.now() + 60_000; ((await comet.abciInfo()).lastBlockHeight ?? 0) < expiredAt; await sleep(200)) {
    if (Date.now() > until) throw new Error(`the app did not commit height ${expiredAt}`);
  }
  const toBeforeLate = await umira(to);
  await t.rejects(shortSession.exec(oneSend(), { gas: 300_000 }), /code [23]/, "after expiry the exec fails");
  t.equal(await umira(to), toBeforeLate, "and changes nothing");
  t.equal(await sessionExists(user, shortKey.address), false, "the session no longer exists");
  const left = QuerySessionsByGranterResponse.decode(
    (await comet.abciQuery({ path: "/mira.sessions.v1.Query/SessionsByGranter", data: QuerySessionsByGranterRequest.encode({ granter: user }).finish() }))
      .value,
  );
  t.same(
    left.sessions.map((s) => s.grantee),
    [key.address],
    "SessionsByGranter lists only the live session: not the expired one, nor the revoked one",
  );
});
