// Staking on the real 4-validator localnet, as a wallet and an operator see it: CosmJS's
// delegateTokens / undelegateTokens / getDelegation and its staking query extension; the validator
// set CometBFT reports follows; a fifth node joins, becomes a validator by MsgCreateValidator, and
// leaves when its operator undelegates its whole self-delegation.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, setupStakingExtension, SigningStargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import t from "tap";
import { rpc } from "../localnet/cometbft";
import { startLocalnet } from "./helpers/localnet";
import { valoper } from "./helpers/staking";

const OFFSET = 1_000; // its own ports, below the kernel's ephemeral range (32768+)
const gasPrice = GasPrice.fromString("0.025umira");

interface CometValidators {
  validators: { address: string; pub_key: { value: string }; voting_power: string }[];
}

async function cometPowers(url: string): Promise<Map<string, bigint>> {
  const r = await rpc<CometValidators>(url, "validators", { per_page: "100" });
  return new Map(r.validators.map((v) => [v.pub_key.value, BigInt(v.voting_power)]));
}

/** Polls CometBFT's /validators until `check` holds (the set changes one or two blocks after the tx). */
async function waitForSet(url: string, check: (powers: Map<string, bigint>) => boolean, what: string): Promise<Map<string, bigint>> {
  let last = new Map<string, bigint>();
  for (let i = 0; i < 60; i++) {
    last = await cometPowers(url);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`CometBFT's validator set never showed ${what}; last: ${JSON.stringify([...last].map(([k, v]) => [k, v.toString()]))}`);
}

t.test("staking with CosmJS on the 4-node localnet, and a fifth validator joining and leaving", async (t) => {
  const net = startLocalnet(t, OFFSET);
  const rpcUrl = net.rpc(0);
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as { valoper: string; consensus_pubkey: string; address: string }[];
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
  const q = QueryClient.withExtensions(comet, setupStakingExtension);

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

  const und = await client.undelegateTokens(me, target.valoper, { denom: "umira", amount: "2000000" }, "auto");
  t.equal(und.code, 0, und.rawLog ?? "");
  t.same(await client.getDelegation(me, target.valoper), { denom: "umira", amount: "3000000" });
  const unbonding = await q.staking.delegatorUnbondingDelegations(me);
  t.equal(unbonding.unbondingResponses.length, 1);
  t.equal(unbonding.unbondingResponses[0]!.entries[0]!.balance, "2000000", "the unbonding entry holds the undelegated tokens");
  t.equal((await q.staking.pool()).pool.notBondedTokens, "2000000");
  await waitForSet(rpcUrl, (p) => p.get(target.consensus_pubkey) === 103n, "power 103 after the undelegation");

  // A fifth node joins as a full node; dev1 makes it a validator with its consensus key.
  net.run("join");
  const key = JSON.parse(fs.readFileSync(path.join(net.dir, "node4", "cometbft", "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };
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
  const v = await q.staking.validator(valoper(opAddress));
  t.equal(v.validator.status, 2, "it is unbonding (BOND_STATUS_UNBONDING)");
});
