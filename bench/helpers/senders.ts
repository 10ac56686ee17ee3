// Sender accounts for the load: the localnet's funded dev accounts, plus (for more concurrent
// streams than there are dev accounts) fresh accounts funded by one MsgMultiSend before the clock.
import { randomBytes } from "node:crypto";
import { DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { signTx, wallet, Wallet } from "../../test/helpers/app-driver";

export interface Sender {
  wallet: Wallet;
  accountNumber: bigint;
  sequence: number;
}

/** Umira each extra sender gets: far more than its fees (5,000 per tx). */
const FUNDING = 1_000_000_000n;

/**
 * Wallets for `count` fresh accounts, one random private key each (a single HD wallet with many
 * paths would derive every key again at each signature).
 */
export async function freshWallets(count: number): Promise<Wallet[]> {
  const out: Wallet[] = [];
  for (let i = 0; i < count; i++) {
    const key = await DirectSecp256k1Wallet.fromKey(randomBytes(32), "mira");
    const [a] = await key.getAccounts();
    out.push({ address: a!.address, client: await SigningStargateClient.offline(key) });
  }
  return out;
}

/**
 * `count` senders with their account numbers and next sequences: the dev accounts first, then
 * fresh ones that the first dev account funds in one committed MsgMultiSend.
 */
export async function prepareSenders(rpcUrl: string, chainId: string, denom: string, devMnemonics: readonly string[], count: number): Promise<Sender[]> {
  const wallets = await Promise.all(devMnemonics.slice(0, count).map((m) => wallet(m)));
  const query = await StargateClient.connect(rpcUrl);
  try {
    if (count > wallets.length) {
      const extra = await freshWallets(count - wallets.length);
      const funder = wallets[0]!;
      const acct = await query.getAccount(funder.address);
      if (acct === null) throw new Error(`dev account ${funder.address} does not exist on the localnet`);
      const perOutput = [{ denom, amount: FUNDING.toString() }];
      const msg = {
        typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
        value: {
          inputs: [{ address: funder.address, coins: [{ denom, amount: (FUNDING * BigInt(extra.length)).toString() }] }],
          outputs: extra.map((w) => ({ address: w.address, coins: perOutput })),
        },
      };
      const gas = 200_000 + 40_000 * extra.length;
      const tx = await signTx(funder, [msg], {
        accountNumber: acct.accountNumber,
        sequence: acct.sequence,
        gas: String(gas),
        fee: String(Math.ceil(gas * 0.025)),
        chainId,
      });
      const res = await query.broadcastTx(tx, 60_000, 200);
      if (res.code !== 0) throw new Error(`funding ${extra.length} extra senders failed (code ${res.code}): ${res.rawLog ?? ""}`);
      wallets.push(...extra);
    }
    const senders: Sender[] = [];
    for (const w of wallets) {
      const a = await query.getAccount(w.address);
      if (a === null) throw new Error(`sender ${w.address} has no account on the chain`);
      senders.push({ wallet: w, accountNumber: a.accountNumber, sequence: a.sequence });
    }
    return senders;
  } finally {
    query.disconnect();
  }
}
