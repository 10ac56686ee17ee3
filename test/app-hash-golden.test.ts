// The app hashes of a fixed tx sequence, block by block, against the ones recorded in
// test/fixtures/app-hashes-golden.json before the layout move (#14): moving files and imports must
// not change a single byte of state. The sequence touches every module: bank sends, staking
// (delegate, redelegate, undelegate and its maturity), distribution withdrawals, claims with an
// injected commit that certifies, sessions (create, exec, expiry), slashing's missed blocks, and a
// failing tx. Consensus keys are fixed, so the genesis validators are the same on every run.
// Record anew (only when the state format is meant to change): MIRA_WRITE_GOLDEN=1.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import t, { type Test } from "tap";
import { encodeInjectedCommit } from "../app/chain/vote-extensions";
import { createSessionMsg } from "../modules/sessions/client";
import { Verdict, VoteExtension } from "../proto/gen/mira/claims/v1/claims";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import { MsgExecSession } from "../proto/gen/mira/sessions/v1/tx";
import { registry, send, signTx } from "./helpers/app-driver";
import { type Chain, MIRA, run, startChain, tx } from "./helpers/chain";
import { valoper } from "./helpers/staking";

const FIXTURE = path.join(__dirname, "..", "..", "test", "fixtures", "app-hashes-golden.json");
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString("hex");
const fixedKey = (i: number): Buffer => createHash("sha256").update(`mira-golden-consensus-key-${i}`).digest();

async function goldenSequence(t: Test): Promise<{ hashes: string[]; codes: number[] }> {
  const hashes: string[] = [];
  const codes: number[] = [];
  const c: Chain = await startChain(t, { validators: 3, voteExtensionsHeight: 1n, keys: [0, 1, 2, 3, 4].map(fixedKey) });
  hashes.push(hex(c.app.store.appHash));
  // Every block from here on: its app hash and its txs' codes.
  const finalize = c.app.finalizeBlock.bind(c.app);
  c.app.finalizeBlock = (req) => {
    const res = finalize(req);
    hashes.push(hex(res.appHash));
    for (const r of res.txResults ?? []) codes.push(r.code ?? 0);
    return res;
  };
  const [v0, v1, v2, d, user] = c.wallets as [Chain["wallets"][0], Chain["wallets"][0], Chain["wallets"][0], Chain["wallets"][0], Chain["wallets"][0]];
  const [op0, op1] = [v0, v1].map((w) => valoper(w.address)) as [string, string, string];
  const coin = (n: bigint) => ({ denom: "umira", amount: n.toString() });

  await tx(c, user, [send(user.address, d.address, (5n * MIRA).toString())]);
  await tx(c, user, [
    {
      typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
      value: {
        inputs: [{ address: user.address, coins: [coin(300n)] }],
        outputs: [
          { address: v0.address, coins: [coin(100n)] },
          { address: v1.address, coins: [coin(200n)] },
        ],
      },
    },
  ]);
  await tx(c, d, [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: d.address, validatorAddress: op0, amount: coin(20n * MIRA) } }]);
  await tx(c, d, [
    {
      typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
      value: { delegatorAddress: d.address, validatorSrcAddress: op0, validatorDstAddress: op1, amount: coin(3n * MIRA) },
    },
  ]);
  await tx(c, d, [
    { typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate", value: { delegatorAddress: d.address, validatorAddress: op0, amount: coin(2n * MIRA) } },
  ]);

  // Claims: two claims, certified by an injected commit in which all three validators agree.
  const submitted = await tx(c, user, [
    {
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: {
        submitter: user.address,
        content: "The Eiffel Tower is in Paris. Water boils at 100 degrees Celsius at sea level.",
        claims: [],
        sourceContext: "",
        thresholdBp: 0,
        verifiersPerClaim: 0,
      },
    },
  ]);
  const { claimIds } = MsgSubmitContentResponse.decode(TxMsgData.decode(submitted.data!).msgResponses[0]!.value);
  const extension = VoteExtension.encode({
    verdicts: claimIds.map((claimId) => ({ claimId, verdict: Verdict.VERDICT_SUPPORTED, confidenceBp: 9000 })),
    modelHash: Buffer.alloc(32, 1),
  }).finish();
  await run(c, [
    encodeInjectedCommit({
      round: 0,
      votes: [0, 1, 2].map((i) => ({
        validator: { address: createHash("sha256").update(c.keys[i]!).digest().subarray(0, 20), power: BigInt(10 + i) },
        voteExtension: extension,
        extensionSignature: Buffer.alloc(64, 1),
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      })),
    }),
  ]);

  await tx(c, v0, [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", value: { delegatorAddress: v0.address, validatorAddress: op0 } }]);
  await tx(c, v0, [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: op0 } }]);

  // Sessions: the user lets d send for it until a block time a few blocks ahead.
  const expiresMs = (1_700_000_000 + (c.app.store.version + 6) * 5) * 1000;
  await tx(c, user, [
    createSessionMsg({
      granter: user.address,
      sessionKey: d.address,
      allowedMsgs: ["/cosmos.bank.v1beta1.MsgSend"],
      spendLimit: [coin(MIRA)],
      expiresAt: new Date(expiresMs),
    }),
  ]);
  const inner: EncodeObject[] = [send(user.address, v2.address, "12345")];
  await tx(c, d, [
    {
      typeUrl: "/mira.sessions.v1.MsgExecSession",
      value: MsgExecSession.fromPartial({ grantee: d.address, granter: user.address, msgs: inner.map((m) => registry().encodeAsAny(m)) }),
    },
  ]);

  // A tx that fails in its message (more than the balance): the fee and sequence still move.
  await tx(c, d, [send(d.address, user.address, (10_000n * MIRA).toString())]);

  // v2 misses a few blocks; the session expires and the unbonding matures meanwhile.
  for (let i = 0; i < 6; i++) {
    await run(c, [], (req) => {
      req.decidedLastCommit = {
        round: 0,
        votes: (req.decidedLastCommit?.votes ?? []).map((v, j) => (j === 2 ? { ...v, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT } : v)),
      };
    });
  }
  // A raw tx outside the chain's rules (a wrong chain id) is refused without a state change.
  const wrong = await signTx(user, [send(user.address, d.address, "1")], {
    accountNumber: c.accNum.get(user.address)!,
    sequence: c.seq.get(user.address)!,
    chainId: "other-chain",
  });
  await run(c, [wrong]);
  await run(c, []);
  return { hashes, codes };
}

t.test("a fixed tx sequence gives the recorded app hash at every block", async (t) => {
  const got = await goldenSequence(t);
  if (process.env.MIRA_WRITE_GOLDEN === "1") {
    fs.writeFileSync(FIXTURE, JSON.stringify(got, null, 1) + "\n");
    t.comment(`recorded ${got.hashes.length} app hashes in ${FIXTURE}`);
  }
  const want = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { hashes: string[]; codes: number[] };
  t.ok(want.hashes.length >= 20, `the fixture holds a real sequence (${want.hashes.length} hashes)`);
  t.ok(new Set(want.hashes).size > want.hashes.length / 2, "the recorded hashes change from block to block");
  t.same(got.codes, want.codes, "every tx ends with the recorded code");
  t.equal(got.hashes.length, want.hashes.length, "as many blocks as recorded");
  for (let i = 0; i < want.hashes.length; i++) t.equal(got.hashes[i], want.hashes[i], `app hash ${i}`);
});
