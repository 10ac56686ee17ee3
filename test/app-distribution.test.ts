// Distribution and mint driven through MiraApp: fees of a block go to the validators that signed
// it by power, after the community tax; commission to the operator; the rest to delegators by
// stake; withdrawals pay exactly what the query said; minting follows block time.
import {
  QueryCommunityPoolResponse,
  QueryDelegationRewardsRequest,
  QueryDelegationRewardsResponse,
  QueryValidatorCommissionRequest,
  QueryValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MsgWithdrawDelegatorRewardResponse } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { QueryAnnualProvisionsResponse, QueryInflationResponse } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { QueryTotalSupplyRequest, QueryTotalSupplyResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import t from "tap";
import type { MiraApp } from "../app/chain/app";
import { send, type Wallet } from "./helpers/app-driver";
import { allSigned, balance, Chain, checkInvariants, MIRA, query, run, startChain, tx } from "./helpers/chain";
import { delegateMsg, valoper } from "./helpers/staking";

const D = 10n ** 18n;
const NO_MINT = { mint: { params: { inflation: "0" } }, distribution: { params: { community_tax: "0.02" } } };

function rewards(app: MiraApp, delegator: string, validator: string): bigint {
  const r = query(
    app,
    "/cosmos.distribution.v1beta1.Query/DelegationRewards",
    QueryDelegationRewardsRequest.encode({ delegatorAddress: delegator, validatorAddress: validator }).finish(),
    QueryDelegationRewardsResponse.decode,
  );
  return BigInt(r.rewards.find((c) => c.denom === "umira")?.amount ?? "0");
}

function commission(app: MiraApp, validator: string): bigint {
  const r = query(
    app,
    "/cosmos.distribution.v1beta1.Query/ValidatorCommission",
    QueryValidatorCommissionRequest.encode({ validatorAddress: validator }).finish(),
    QueryValidatorCommissionResponse.decode,
  );
  return BigInt(r.commission.commission.find((c) => c.denom === "umira")?.amount ?? "0");
}

function communityPool(app: MiraApp): bigint {
  const r = query(app, "/cosmos.distribution.v1beta1.Query/CommunityPool", new Uint8Array(), QueryCommunityPoolResponse.decode);
  return BigInt(r.pool.find((c) => c.denom === "umira")?.amount ?? "0");
}

function supply(app: MiraApp): bigint {
  return BigInt(
    query(app, "/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest.encode({}).finish(), QueryTotalSupplyResponse.decode).supply.find(
      (c) => c.denom === "umira",
    )!.amount,
  );
}

/** Blocks whose only tx is a 10,000umira-fee send from `payer`; the fees are allocated one block later. */
async function feeBlocks(c: Chain, payer: Wallet, n: number): Promise<void> {
  for (let i = 0; i < n; i++) t.equal((await tx(c, payer, [send(payer.address, payer.address, "1")])).code, 0);
}

t.test("fees go to signers by power after the tax; commission and delegator shares are exact", async (t) => {
  const c = await startChain(t, { validators: 3, extra: NO_MINT, stakes: [10n, 10n, 10n] });
  const [v0, , , payer, d] = c.wallets as [Wallet, Wallet, Wallet, Wallet, Wallet];
  const op0 = valoper(v0.address);
  // d delegates 10 MIRA to v0 (10 self): v0 has 20 of 40 power, and d half of v0's stake.
  t.equal((await tx(c, d, [delegateMsg(d.address, op0, (10n * MIRA).toString())])).code, 0);
  await run(c, []); // allocates that tx's fee, before d's stake counts... d's record starts now
  const r0 = rewards(c.app, d.address, op0);
  const c0 = commission(c.app, op0);
  const pool0 = communityPool(c.app);
  await feeBlocks(c, payer, 4);
  await run(c, []); // allocates the last fee
  await run(c, []); // allocates nothing: the previous block had no fee
  // 4 fees of 10,000: 2% tax, then v0 gets 20/40 of the rest; 10% commission; d owns half of v0.
  const toV0 = (4n * 10_000n * D * 98n) / 100n / 2n;
  t.equal(commission(c.app, op0) - c0, toV0 / 10n, "commission: 10% of v0's share");
  const dGot = rewards(c.app, d.address, op0) - r0;
  const want = (toV0 * 9n) / 10n / 2n;
  t.ok(dGot <= want && want - dGot < 10n ** 6n, `d's rewards ${dGot} = half of the delegators' part ${want} (to within rounding of 10^-12)`);
  t.ok(communityPool(c.app) - pool0 >= (4n * 10_000n * D * 2n) / 100n, "the community tax went to the pool");
  checkInvariants(t, c, "after fees");

  // Withdrawing pays exactly what the query said (no allocation happens in the withdrawing block).
  const said = rewards(c.app, d.address, op0);
  const before = balance(c.app, d.address);
  const w = await tx(c, d, [
    { typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward", value: { delegatorAddress: d.address, validatorAddress: op0 } },
  ]);
  t.equal(w.code, 0, w.log);
  const paid = BigInt(MsgWithdrawDelegatorRewardResponse.decode(TxMsgData.decode(w.data!).msgResponses[0]!.value).amount[0]!.amount);
  t.equal(paid, said / D, "paid the whole coins of what the query said");
  t.equal(balance(c.app, d.address), before + paid - 10_000n, "the account received them (minus the tx fee)");
  t.equal(rewards(c.app, d.address, op0), 0n, "nothing left to claim in the same block");
  checkInvariants(t, c, "after withdrawal");

  const op = await tx(c, v0, [{ typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission", value: { validatorAddress: op0 } }]);
  t.equal(op.code, 0, op.log);
  t.ok(commission(c.app, op0) < D, "only the decimal change of the commission is left");
  checkInvariants(t, c, "after commission");
});

t.test("a validator that did not sign the last block gets nothing of its fees", async (t) => {
  const c = await startChain(t, { validators: 2, extra: NO_MINT, stakes: [10n, 10n] });
  const [v0, v1, , payer] = c.wallets as [Wallet, Wallet, Wallet, Wallet];
  const c0 = commission(c.app, valoper(v0.address));
  const c1 = commission(c.app, valoper(v1.address));
  await feeBlocks(c, payer, 1);
  await run(c, [], (req) => {
    const all = allSigned(c);
    req.decidedLastCommit = { round: 0, votes: all.votes.map((v, i) => ({ ...v, blockIdFlag: i === 0 ? v.blockIdFlag : 1 })) };
  });
  const gained0 = commission(c.app, valoper(v0.address)) - c0;
  const gained1 = commission(c.app, valoper(v1.address)) - c1;
  t.ok(gained0 > 0n && gained1 === 0n, `only the signer earned (${gained0}, ${gained1})`);
  t.equal(gained0, (10_000n * D * 98n) / 100n / 10n, "all of the fee after tax, 10% commission");
  checkInvariants(t, c, "after an absent validator");
});

t.test("mint: a fixed yearly inflation by block time, paid out as rewards", async (t) => {
  const c = await startChain(t, { validators: 2, extra: { mint: { params: { inflation: "0.10" } } } });
  const inflation = query(c.app, "/cosmos.mint.v1beta1.Query/Inflation", new Uint8Array(), QueryInflationResponse.decode);
  t.equal(Buffer.from(inflation.inflation).toString(), (D / 10n).toString(), "10%, as LegacyDec bytes");
  const s0 = supply(c.app);
  await run(c, []);
  const s1 = supply(c.app);
  const provisions = BigInt(
    Buffer.from(
      query(c.app, "/cosmos.mint.v1beta1.Query/AnnualProvisions", new Uint8Array(), QueryAnnualProvisionsResponse.decode).annualProvisions,
    ).toString(),
  );
  t.equal(s1 - s0, (s0 * (D / 10n) * 5000n) / (365n * 24n * 3600n * 1000n * D), "supply × 10% × 5 s / year minted in a 5-second block");
  t.ok(provisions > 0n);
  await run(c, []);
  t.ok(commission(c.app, valoper(c.wallets[0]!.address)) > 0n, "minted coins reach validators even with no fees");
  checkInvariants(t, c, "after minting");
});
