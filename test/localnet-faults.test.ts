// Faults on the real localnet: a validator killed outright, and mirad killed alone at random
// moments. The chain keeps going, the restarted node catches up with the same app hash, and no
// committed tx is lost.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import t from "tap";
import { rpc, StatusResult, waitForHeight } from "../app/cli/cometbft";
import { startLocalnet } from "./helpers/localnet";
import { Rng } from "./helpers/rng";

interface AbciInfo {
  response: { last_block_height: string; last_block_app_hash: string };
}
interface Block {
  block: { header: { app_hash: string } };
}

async function height(url: string): Promise<number> {
  return Number((await rpc<StatusResult>(url, "status")).sync_info.latest_block_height);
}

/**
 * Waits until the app behind node `url` has committed `h`. CometBFT's status counts a block once it
 * is stored, a moment before the app has run and committed it, so a query right after status shows
 * `h` may still read the state of h-1 (a CI run once saw the last tx "missing" that way).
 */
async function waitForAppHeight(url: string, h: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < end) {
    last = Number((await rpc<AbciInfo>(url, "abci_info")).response.last_block_height);
    if (last >= h) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app at ${url} did not commit height ${h} in ${timeoutMs} ms (last: ${last})`);
}

/** The app of node `url` agrees with the chain: its last app hash is the one the next header carries. */
async function appAgrees(url: string, reference: string): Promise<{ height: number; ok: boolean }> {
  const info = await rpc<AbciInfo>(url, "abci_info");
  const h = Number(info.response.last_block_height);
  await waitForHeight(reference, h + 1);
  const next = await rpc<Block>(reference, "block", { height: String(h + 1) });
  const appHash = Buffer.from(info.response.last_block_app_hash, "base64").toString("hex").toUpperCase();
  return { height: h, ok: appHash === next.block.header.app_hash };
}

interface ValidatorsResult {
  validators: { pub_key: { value: string } }[];
}

/** Whether the validator with this consensus key (base64) is in the set at the latest height of `url`. */
async function inSet(url: string, consensusPubkey: string): Promise<boolean> {
  const res = await rpc<ValidatorsResult>(url, "validators", { per_page: "100" });
  return res.validators.some((v) => v.pub_key.value === consensusPubkey);
}

/**
 * Brings validator i back into the set when its downtime got it jailed. Missing more than 10 of a
 * 20-block window jails; on a loaded machine a restart and catch-up can take that long, and then a
 * later fault (another node down) would leave exactly 2/3 of the power and halt the chain.
 */
async function unjailIfJailed(net: { dir: string; rpc(i: number): string }, i: number): Promise<boolean> {
  const v = (
    JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as {
      consensus_pubkey: string;
      mnemonic: string;
      address: string;
      valoper: string;
    }[]
  )[i]!;
  // Jailing happens in the block where the misses go over the limit, and the set changes one block later.
  const tip = await height(net.rpc(0));
  await waitForAppHeight(net.rpc(i), tip);
  await waitForHeight(net.rpc(0), tip + 3);
  if (await inSet(net.rpc(0), v.consensus_pubkey)) return false;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(v.mnemonic, { prefix: "mira" });
  const registry = new Registry([...defaultRegistryTypes, ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail]]);
  const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice: GasPrice.fromString("0.025umira"), registry });
  try {
    const msg = { typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: v.valoper } };
    for (const until = Date.now() + 180_000; ;) {
      try {
        const r = await client.signAndBroadcast(v.address, [msg], "auto");
        if (r.code === 0) break;
        throw new Error(`MsgUnjail failed: ${r.rawLog}`);
      } catch (err) {
        // Still jailed (the jail time is 20 s): try again until it is over.
        if (!/still jailed/.test((err as Error).message) || Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    client.disconnect();
  }
  for (const until = Date.now() + 60_000; !(await inSet(net.rpc(0), v.consensus_pubkey));) {
    if (Date.now() > until) throw new Error(`validator ${i} was unjailed but did not come back into the set`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return true;
}

t.test("faults on the 4-validator localnet", async (t) => {
  const net = startLocalnet(t, -6_000);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[1]!.mnemonic, { prefix: "mira" });
  const [me] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice: GasPrice.fromString("0.025umira") });
  t.teardown(() => client.disconnect());
  const to = net.accounts[2]!.address;
  const send = async (amount: string) => {
    const r = await client.sendTokens(me!.address, to, [{ denom: "umira", amount }], "auto");
    if (r.code !== 0) throw new Error(r.rawLog);
    return r;
  };

  // One validator (3 of 4 hold > 2/3 of the power) killed outright: blocks and txs go on.
  net.run("kill-node", "3", "both");
  const h0 = await height(net.rpc(0));
  await waitForHeight(net.rpc(0), h0 + 3);
  const whileDown = await send("1");
  t.ok(whileDown.height > h0, "a tx is committed while node3 is down");
  net.run("start-node", "3");
  await waitForHeight(net.rpc(3), whileDown.height + 1, 90_000);
  const agree3 = await appAgrees(net.rpc(3), net.rpc(0));
  t.ok(agree3.ok, `node3 caught up with the same app hash (height ${agree3.height})`);
  const node3 = await StargateClient.connect(net.rpc(3));
  t.teardown(() => node3.disconnect());
  t.ok(await node3.getTx(whileDown.transactionHash), "node3 has the tx made while it was down");
  // Below, node1's mirad goes down too: the other three must hold more than 2/3 of the power.
  if (await unjailIfJailed(net, 3)) t.comment("node3 had been jailed for its downtime (a slow restart): unjailed");

  // mirad alone killed at random moments (CometBFT then stops itself); restarted each time.
  const rng = new Rng(11);
  let expected = BigInt((await client.getBalance(to, "umira")).amount);
  for (let round = 0; round < 3; round++) {
    const r = await send(String(10 + round));
    expected += BigInt(10 + round);
    await new Promise((res) => setTimeout(res, rng.int(1500)));
    net.run("kill-node", "1", "mirad");
    await send("1"); // the other three keep committing
    expected += 1n;
    net.run("start-node", "1");
    await waitForHeight(net.rpc(1), r.height + 2, 90_000).catch((err: Error) => {
      // Say what node1 last wrote: the folder goes with the test.
      const tail = (f: string) => {
        const p = path.join(net.dir, "node1", "logs", f);
        return fs.existsSync(p) ? fs.readFileSync(p, "utf8").split("\n").slice(-25).join("\n") : "(none)";
      };
      throw new Error(`${err.message}\n--- node1 cometbft.log ---\n${tail("cometbft.log")}\n--- node1 mirad.log ---\n${tail("mirad.log")}`);
    });
    const agree = await appAgrees(net.rpc(1), net.rpc(0));
    t.ok(agree.ok, `round ${round}: node1's app agrees with the chain at height ${agree.height}`);
  }
  const node1 = await StargateClient.connect(net.rpc(1));
  t.teardown(() => node1.disconnect());
  const h = await height(net.rpc(0));
  await waitForAppHeight(net.rpc(1), h);
  const final = await appAgrees(net.rpc(1), net.rpc(0));
  t.ok(final.ok && final.height >= h, `node1's app agrees with the chain at height ${final.height} (≥ ${h})`);
  t.equal(BigInt((await node1.getBalance(to, "umira")).amount), expected, "node1 lost no committed tx");
  t.equal(BigInt((await client.getBalance(to, "umira")).amount), expected, "node0 agrees");
});
