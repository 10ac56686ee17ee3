// Staking on the real 4-validator localnet, as a wallet and an operator see it: CosmJS's
// delegateTokens / undelegateTokens / getDelegation and its staking query extension; the validator
// set CometBFT reports follows; a fifth node joins, becomes a validator by MsgCreateValidator, and
// leaves when its operator undelegates its whole self-delegation. Rewards grow and are withdrawn;
// a stopped validator is jailed for downtime, slashed by exactly 1% and unjailed after its jail
// time; a real double sign (evidence that CometBFT verifies and commits) tombstones a validator
// and burns exactly 5% of its stake, delegators' included.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import {
  defaultRegistryTypes,
  GasPrice,
  QueryClient,
  setupDistributionExtension,
  setupSlashingExtension,
  setupStakingExtension,
  SigningStargateClient,
} from "@cosmjs/stargate";
import { Registry } from "@cosmjs/proto-signing";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { createHash } from "node:crypto";
import { toBech32 } from "@cosmjs/encoding";
import { submitDoubleSign } from "./helpers/evidence";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import t from "tap";
import { rpc } from "../app/cli/cometbft";
import { startLocalnet } from "./helpers/localnet";
import { valoper } from "./helpers/staking";
import {
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";

const OFFSET = 1_000; // its own ports, below the kernel's ephemeral range (32768+)
const gasPrice = GasPrice.fromString("0.025umira");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface CometValidators {
  validators: { address: string; pub_key: { value: string }; voting_power: string }[];
}

async function cometPowers(url: string): Promise<Map<string, bigint>> {
  const r = await rpc<CometValidators>(url, "validators", { per_page: "100" });
  return new Map(r.validators.map((v) => [v.pub_key.value, BigInt(v.voting_power)]));
}

/** Polls CometBFT's /validators until `check` holds (the set changes one or two blocks after the tx). */
async function waitForSet(url: string, check: (powers: Map<string, bigint>) => boolean, what: string, timeoutMs = 30_000): Promise<Map<string, bigint>> {
  let last = new Map<string, bigint>();
  for (let i = 0; i < timeoutMs / 500; i++) {
    last = await cometPowers(url);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`CometBFT's validator set never showed ${what}; last: ${JSON.stringify([...last].map(([k, v]) => [k, v.toString()]))}`);
}

t.test("staking with CosmJS on the 4-node localnet, and a fifth validator joining and leaving", async (t) => {
  const net = startLocalnet(t, OFFSET);
  const rpcUrl = net.rpc(0);
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as {
    valoper: string;
    consensus_pubkey: string;
    address: string;
  }[];
  t.equal(operators.length, 4);
  const initial = await cometPowers(rpcUrl);
  t.equal(initial.size, 4, "CometBFT's set is the four gentx validators");
  for (const o of operators) t.equal(initial.get(o.consensus_pubkey), 100n, "power 100 = the 100 MIRA self-bond");

  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[0]!.mnemonic, { prefix: "mira" });
  const me = net.accounts[0]!.address;
  const client = await SigningStargateClient.connectWithSigner(rpcUrl, wallet, { gasPrice });
  t.teardown(() => client.disconnect());
  const comet = await connectComet(rpcUrl);
  t.teardown(() => comet.disconnect());
  const q = QueryClient.withExtensions(comet, setupStakingExtension, setupDistributionExtension, setupSlashingExtension);
  /**
   * The last height the app has committed: its state is final and can be queried at that height.
   * (CometBFT's status counts a block a moment before the app has committed it.)
   */
  const appHeight = async (): Promise<number> => (await comet.abciInfo()).lastBlockHeight ?? 0;
  /** Waits until the app has committed `h`; returns its last committed height then. */
  const waitForAppHeight = async (h: number, timeoutMs = 120_000): Promise<number> => {
    for (const until = Date.now() + timeoutMs; ; await sleep(200)) {
      const now = await appHeight();
      if (now >= h) return now;
      if (Date.now() > until) throw new Error(`the app did not commit height ${h} in ${timeoutMs} ms (last: ${now})`);
    }
  };
  /** A query answered with the state after block `height`, whatever has matured since. */
  const queryAt = async <T>(height: number, method: string, request: Uint8Array, decode: (bytes: Uint8Array) => T): Promise<T> =>
    decode((await q.queryAbci(method, request, height)).value);

  const bonded = await q.staking.validators("BOND_STATUS_BONDED");
  t.equal(bonded.validators.length, 4, "the staking query extension lists the four bonded validators");
  t.same(bonded.validators.map((v) => v.operatorAddress).sort(), operators.map((o) => o.valoper).sort());
  const params = await q.staking.params();
  t.equal(params.params.bondDenom, "umira");
  t.equal(params.params.unbondingTime.seconds, 60n);
  const pool0 = await q.staking.pool();
  t.equal(pool0.pool.bondedTokens, "400000000");

  const target = operators[0]!;
  t.equal(await client.getDelegation(me, target.valoper), null, "no delegation yet: null");
  const before = BigInt((await client.getBalance(me, "umira")).amount);
  const del = await client.delegateTokens(me, target.valoper, { denom: "umira", amount: "5000000" }, "auto");
  t.equal(del.code, 0, del.rawLog ?? "");
  t.same(await client.getDelegation(me, target.valoper), { denom: "umira", amount: "5000000" }, "getDelegation says what was delegated");
  const paid = before - BigInt((await client.getBalance(me, "umira")).amount);
  t.ok(paid > 5_000_000n && paid < 5_100_000n, `the account paid the delegation and a fee (${paid})`);
  await waitForSet(rpcUrl, (p) => p.get(target.consensus_pubkey) === 105n, "power 105 for the delegated validator");
  const mine = await q.staking.delegatorDelegations(me);
  t.equal(mine.delegationResponses.length, 1);
  t.equal(mine.delegationResponses[0]!.balance.amount, "5000000");
  const valDel = await q.staking.validatorDelegations(target.valoper);
  t.equal(valDel.delegationResponses.length, 2, "the operator's self-delegation and ours");

  // Rewards: fees and minted coins reach the delegation every block; a withdrawal pays them.
  const rewardsAt = async (height?: number): Promise<bigint> => {
    const c = await connectComet(rpcUrl);
    try {
      const hq = QueryClient.withExtensions(c, setupDistributionExtension);
      // The extension asks at the latest height; for a past one, ask abci_query directly.
      if (height === undefined) return BigInt((await hq.distribution.delegationRewards(me, target.valoper)).rewards[0]?.amount ?? "0");
      const { QueryDelegationRewardsRequest, QueryDelegationRewardsResponse } = await import("cosmjs-types/cosmos/distribution/v1beta1/query");
      const res = await hq.queryAbci(
        "/cosmos.distribution.v1beta1.Query/DelegationRewards",
        QueryDelegationRewardsRequest.encode({ delegatorAddress: me, validatorAddress: target.valoper }).finish(),
        height,
      );
      return BigInt(QueryDelegationRewardsResponse.decode(res.value).rewards[0]?.amount ?? "0");
    } finally {
      c.disconnect();
    }
  };
  // Two committed heights' answers, not two reads some time apart: on a slow machine no block need come between those.
  const h1 = await appHeight();
  const r1 = await rewardsAt(h1);
  const r2 = await rewardsAt(await waitForAppHeight(h1 + 1));
  t.ok(r2 > r1 && r1 > 0n, `rewards grow between blocks (${r1} → ${r2}, in 10^-18 umira)`);
  const balBefore = BigInt((await client.getBalance(me, "umira")).amount);
  const wd = await client.withdrawRewards(me, target.valoper, "auto");
  t.equal(wd.code, 0, wd.rawLog ?? "");
  const ev = wd.events.find((e) => e.type === "withdraw_rewards")!;
  const withdrawn = BigInt(ev.attributes.find((a) => a.key === "amount")!.value.replace("umira", ""));
  const feePaid = BigInt(
    wd.events
      .find((e) => e.type === "tx" && e.attributes.some((a) => a.key === "fee"))!
      .attributes.find((a) => a.key === "fee")!
      .value.replace("umira", ""),
  );
  t.equal(
    BigInt((await client.getBalance(me, "umira")).amount),
    balBefore + withdrawn - feePaid,
    "the account received exactly the withdrawn rewards (minus the fee)",
  );
  const said = await rewardsAt(wd.height - 1);
  t.ok(withdrawn >= said / 10n ** 18n, `paid ${withdrawn}umira: at least what the query said one block earlier (${said / 10n ** 18n})`);
  t.equal(await rewardsAt(wd.height), 0n, "nothing left right after the withdrawal (rewards accrue at the start of each block)");

  const und = await client.undelegateTokens(me, target.valoper, { denom: "umira", amount: "2000000" }, "auto");
  t.equal(und.code, 0, und.rawLog ?? "");
  t.same(await client.getDelegation(me, target.valoper), { denom: "umira", amount: "3000000" });
  // At the tx's height: the entry completes (and leaves the not-bonded pool) 60 s later, which a slow run can reach.
  const unbonding = await queryAt(
    und.height,
    "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations",
    QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: me }).finish(),
    QueryDelegatorUnbondingDelegationsResponse.decode,
  );
  t.equal(unbonding.unbondingResponses.length, 1);
  t.equal(unbonding.unbondingResponses[0]!.entries[0]!.balance, "2000000", "the unbonding entry holds the undelegated tokens");
  t.equal(
    (await queryAt(und.height, "/cosmos.staking.v1beta1.Query/Pool", QueryPoolRequest.encode({}).finish(), QueryPoolResponse.decode)).pool.notBondedTokens,
    "2000000",
  );
  await waitForSet(rpcUrl, (p) => p.get(target.consensus_pubkey) === 103n, "power 103 after the undelegation");

  // A fifth node joins as a full node; dev1 makes it a validator with its consensus key.
  net.run("join");
  const key = JSON.parse(fs.readFileSync(path.join(net.dir, "node4", "cometbft", "config", "priv_validator_key.json"), "utf8")) as {
    pub_key: { value: string };
  };
  t.notOk((await cometPowers(rpcUrl)).has(key.pub_key.value), "a full node is not in the set");
  const opWallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[1]!.mnemonic, { prefix: "mira" });
  const opAddress = net.accounts[1]!.address;
  const op = await SigningStargateClient.connectWithSigner(rpcUrl, opWallet, { gasPrice });
  t.teardown(() => op.disconnect());
  const create = await op.signAndBroadcast(
    opAddress,
    [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
        value: {
          description: { moniker: "node4", identity: "", website: "", securityContact: "", details: "" },
          commission: { rate: "50000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
          minSelfDelegation: "1",
          delegatorAddress: "",
          validatorAddress: valoper(opAddress),
          pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: Buffer.from(key.pub_key.value, "base64") }).finish() },
          value: { denom: "umira", amount: "7000000" },
        },
      },
    ],
    "auto",
  );
  t.equal(create.code, 0, create.rawLog ?? "");
  const joined = await waitForSet(rpcUrl, (p) => p.get(key.pub_key.value) === 7n, "the new validator with power 7");
  t.equal(joined.size, 5, "five validators now");
  const node4Status = await rpc<{ validator_info: { voting_power: string } }>(net.rpc(4), "status");
  t.equal(node4Status.validator_info.voting_power, "7", "node4 itself knows it validates");

  const leave = await op.undelegateTokens(opAddress, valoper(opAddress), { denom: "umira", amount: "7000000" }, "auto");
  t.equal(leave.code, 0, leave.rawLog ?? "");
  const left = await waitForSet(rpcUrl, (p) => !p.has(key.pub_key.value), "the fifth validator gone");
  t.equal(left.size, 4, "undelegating its whole self-delegation took it out of the set");
  // At the tx's height (its end-block took it out): 60 s later it is unbonded and, with no shares left, removed.
  const v = await queryAt(
    leave.height,
    "/cosmos.staking.v1beta1.Query/Validator",
    QueryValidatorRequest.encode({ validatorAddr: valoper(opAddress) }).finish(),
    QueryValidatorResponse.decode,
  );
  t.equal(v.validator.status, 2, "it is unbonding (BOND_STATUS_UNBONDING)");

  // Downtime: node3 stops; more than half of a 20-block window missed → jailed, 1% burned, out of the set.
  const v3 = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8"))[3] as {
    valoper: string;
    consensus_pubkey: string;
    mnemonic: string;
    address: string;
  };
  net.run("kill-node", "3", "both");
  // More than 10 of 20 blocks missed: ~11 blocks, some of them slow (a round is lost each time node3 should propose).
  await waitForSet(rpcUrl, (p) => !p.has(v3.consensus_pubkey), "node3 jailed and removed", 120_000);
  const jailed = (await q.staking.validator(v3.valoper)).validator;
  t.ok(jailed.jailed, "node3 is jailed");
  t.equal(jailed.tokens, "99000000", "slashed by exactly 1% of its 100 MIRA");
  const cons3 = toBech32("miravalcons", createHash("sha256").update(Buffer.from(v3.consensus_pubkey, "base64")).digest().subarray(0, 20));
  const info3 = (await q.slashing.signingInfo(cons3)).valSigningInfo;
  t.ok(info3.jailedUntil.seconds > 0n, "its signing info says until when");
  net.run("start-node", "3");
  const registry = new Registry([...defaultRegistryTypes, ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail]]);
  const v3Wallet = await DirectSecp256k1HdWallet.fromMnemonic(v3.mnemonic, { prefix: "mira" });
  const v3Client = await SigningStargateClient.connectWithSigner(rpcUrl, v3Wallet, { gasPrice, registry });
  t.teardown(() => v3Client.disconnect());
  const unjailMsg = { typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: v3.valoper } };
  let unjailed = false;
  for (const until = Date.now() + 180_000; !unjailed && Date.now() < until;) {
    try {
      const r = await v3Client.signAndBroadcast(v3.address, [unjailMsg], "auto");
      unjailed = r.code === 0;
    } catch (err) {
      // Still jailed (simulation fails with "validator still jailed"): wait for the jail time.
      if (!/still jailed/.test((err as Error).message)) throw err;
    }
    if (!unjailed) await new Promise((r) => setTimeout(r, 1000));
  }
  t.ok(unjailed, "MsgUnjail succeeds once the jail time is over");
  await waitForSet(rpcUrl, (p) => p.get(v3.consensus_pubkey) === 99n, "node3 back with power 99");

  // Double signing for real: two conflicting prevotes signed with node2's consensus key.
  const v2 = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8"))[2] as { valoper: string; consensus_pubkey: string };
  const d2 = await client.delegateTokens(me, v2.valoper, { denom: "umira", amount: "10000000" }, "auto");
  t.equal(d2.code, 0, d2.rawLog ?? "");
  await waitForSet(rpcUrl, (p) => p.get(v2.consensus_pubkey) === 110n, "node2 with power 110");
  // The evidence carries node2's power at the infraction height (CometBFT's set there), which the slash uses.
  const status = await rpc<{ sync_info: { latest_block_height: string } }>(rpcUrl, "status");
  const infraction = Number(status.sync_info.latest_block_height);
  const setThen = await rpc<CometValidators>(rpcUrl, "validators", { height: String(infraction), per_page: "100" });
  const powerThen = BigInt(setThen.validators.find((x) => x.pub_key.value === v2.consensus_pubkey)!.voting_power);
  const burned = (powerThen * 1_000_000n * 5n) / 100n;
  await submitDoubleSign({
    rpcUrl,
    chainId: "mira-localnet-1",
    privValidatorKeyFile: path.join(net.dir, "node2", "cometbft", "config", "priv_validator_key.json"),
    height: infraction,
  });
  await waitForSet(rpcUrl, (p) => !p.has(v2.consensus_pubkey), "node2 removed after its double sign");
  const cheater = (await q.staking.validator(v2.valoper)).validator;
  t.ok(cheater.jailed, "jailed");
  t.equal(cheater.tokens, (110_000_000n - burned).toString(), `exactly 5% of its power then (${powerThen}) burned`);
  const cons2 = toBech32("miravalcons", createHash("sha256").update(Buffer.from(v2.consensus_pubkey, "base64")).digest().subarray(0, 20));
  t.ok((await q.slashing.signingInfo(cons2)).valSigningInfo.tombstoned, "tombstoned for ever");
  t.same(
    await client.getDelegation(me, v2.valoper),
    { denom: "umira", amount: ((10_000_000n * (110_000_000n - burned)) / 110_000_000n).toString() },
    "the delegator's stake shrank in proportion",
  );
});
