// The fuzz test's accounts and its pool of valid txs, signed once with CosmJS: plain sends and
// multi-sends through SigningStargateClient (app-driver's signTx), and hand-built bodies (several
// signers, timeout height, two fee denoms, big multi-sends) through the wallet's own signDirect.
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { SigningStargateClient } from "@cosmjs/stargate";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { AppGenesis } from "../../app/chain/genesis";
import { GOV_INVALID_SIGNER_CODE } from "../../app/core/authority";
import { SdkCode } from "../../app/core/errors";
import { CHAIN_ID, registry, send, signTx, Wallet } from "./app-driver";
import type { Rng } from "./rng";

const MNEMONIC = "letter advice cage absurd amount doctor acoustic avoid letter advice cage above";

export const RICH_UMIRA = 1_000_000_000_000n;
export const RICH_USTAKE = 1_000_000_000n;
/** Less than one fee: every tx of this account fails the fee deduction in the ante handler. */
export const POOR_UMIRA = 3_000n;
export const MIN_FEE_PER_200K = 5000n; // 200000 gas at the default 0.025umira

export type AccountRole = "rich" | "poor" | "ghost";

export interface FuzzAccount {
  index: number;
  role: AccountRole;
  address: string;
  bytes: Buffer;
  pubkey: Uint8Array;
  /** As genesis assigns them (balances in this order); meaningless for the ghost, never funded. */
  accountNumber: bigint;
  wallet: Wallet;
  signer: DirectSecp256k1HdWallet;
}

/** What the app must do with a pool tx the first time its (signed) content is delivered. */
export interface PoolTx {
  id: number;
  bytes: Uint8Array;
  label: string;
  /** Account indexes of its signers, in signer order. */
  signers: number[];
  /** "ok": code 0; "msg-fail": ante passes (fee and sequences kept), a message fails; "ante-fail": nothing kept. */
  expect: "ok" | "msg-fail" | "ante-fail";
  expectCode: number;
}

export async function fuzzAccounts(): Promise<FuzzAccount[]> {
  const roles: AccountRole[] = ["rich", "rich", "rich", "rich", "rich", "poor", "ghost"];
  // One wallet per account: an HD wallet derives every one of its keys again on each signature.
  return Promise.all(
    roles.map(async (role, i) => {
      const signer = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "mira", hdPaths: [makeCosmoshubPath(i)] });
      const client = await SigningStargateClient.offline(signer, { registry: registry() });
      const [a] = await signer.getAccounts();
      if (a === undefined) throw new Error("no account");
      return {
        index: i,
        role,
        address: a.address,
        bytes: Buffer.from(fromBech32(a.address, 90).data),
        pubkey: a.pubkey,
        accountNumber: BigInt(i),
        wallet: { address: a.address, client },
        signer,
      };
    }),
  );
}

export function fuzzGenesis(accounts: FuzzAccount[]): AppGenesis {
  const balances = accounts
    .filter((a) => a.role !== "ghost")
    .map((a) => ({
      address: a.address,
      coins:
        a.role === "rich"
          ? [
              { denom: "umira", amount: RICH_UMIRA.toString() },
              { denom: "ustake", amount: RICH_USTAKE.toString() },
            ]
          : [{ denom: "umira", amount: POOR_UMIRA.toString() }],
    }));
  return { bank: { balances } };
}

/** Recipients: the rich accounts (never the poor one or the ghost, whose fate must not depend on order) and fresh addresses, two of them 32 bytes long. */
export function fuzzRecipients(rng: Rng, accounts: FuzzAccount[]): string[] {
  const fresh = Array.from({ length: 10 }, (_, i) => toBech32("mira", rng.bytes(i < 8 ? 20 : 32)));
  return [...accounts.filter((a) => a.role === "rich").map((a) => a.address), ...fresh];
}

export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function umira(amount: bigint | number): Coin[] {
  return [{ denom: "umira", amount: amount.toString() }];
}

function sendAny(from: string, to: string, amount: Coin[]): Any {
  return Any.fromPartial({ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode({ fromAddress: from, toAddress: to, amount }).finish() });
}

function multiSendObject(from: string, outputs: { address: string; coins: Coin[] }[]): EncodeObject {
  const total = new Map<string, bigint>();
  for (const o of outputs) for (const c of o.coins) total.set(c.denom, (total.get(c.denom) ?? 0n) + BigInt(c.amount));
  const coins = [...total].sort(([a], [b]) => (a < b ? -1 : 1)).map(([denom, amount]) => ({ denom, amount: amount.toString() }));
  return { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: MsgMultiSend.fromPartial({ inputs: [{ address: from, coins }], outputs }) };
}

/**
 * Signs `body` for several signers with SIGN_MODE_DIRECT, each with the wallet's own signDirect
 * over the SignDoc of its account number (what CosmJS does for one signer, repeated).
 */
async function signCrafted(
  accounts: FuzzAccount[],
  signers: { account: number; sequence: bigint }[],
  body: TxBody,
  fee: { amount: Coin[]; gasLimit: bigint },
): Promise<Uint8Array> {
  const bodyBytes = TxBody.encode(body).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: signers.map((s) => ({
        publicKey: Any.fromPartial({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: accounts[s.account]!.pubkey }).finish() }),
        modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
        sequence: s.sequence,
      })),
      fee: { amount: fee.amount, gasLimit: fee.gasLimit, payer: "", granter: "" },
    }),
  ).finish();
  const signatures: Uint8Array[] = [];
  for (const s of signers) {
    const a = accounts[s.account]!;
    const doc = SignDoc.fromPartial({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: a.accountNumber });
    const { signature } = await a.signer.signDirect(a.address, doc);
    signatures.push(Buffer.from(signature.signature, "base64"));
  }
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures }).finish();
}

/**
 * `n` txs in delivery order, with the sequences they will find when delivered in that order.
 * Balances are huge, so every tx meant to succeed does whatever else happens before it.
 */
export async function buildPool(
  rng: Rng,
  accounts: FuzzAccount[],
  recipients: string[],
  n: number,
  /** The height pool tx `id` will be delivered at (for timeout heights on the boundary). */
  heightOf: (id: number) => bigint,
): Promise<PoolTx[]> {
  const rich = accounts.filter((a) => a.role === "rich");
  const poor = accounts.find((a) => a.role === "poor")!;
  const ghost = accounts.find((a) => a.role === "ghost")!;
  const seq = new Map<number, bigint>(accounts.map((a) => [a.index, 0n]));
  const pool: PoolTx[] = [];
  const next = (a: FuzzAccount): bigint => seq.get(a.index)!;
  const bump = (a: FuzzAccount): void => {
    seq.set(a.index, seq.get(a.index)! + 1n);
  };
  const amount = (): bigint => BigInt(1 + rng.int(100_000));
  const memo = (): string => (rng.int(4) === 0 ? "fuzz memo " + rng.int(1_000_000) : "");

  for (let id = 0; id < n; id++) {
    const from = rng.pick(rich);
    const to = rng.pick(recipients);
    const r = rng.int(100);
    const push = (bytes: Uint8Array, label: string, signers: number[], expect: PoolTx["expect"], expectCode: number): void => {
      pool.push({ id, bytes, label, signers, expect, expectCode });
    };
    if (r < 38) {
      const bytes = await signTx(from.wallet, [send(from.address, to, amount().toString())], {
        accountNumber: from.accountNumber,
        sequence: Number(next(from)),
        memo: memo(),
      });
      push(bytes, "send", [from.index], "ok", 0);
      bump(from);
    } else if (r < 46) {
      const msg: EncodeObject = {
        typeUrl: "/cosmos.bank.v1beta1.MsgSend",
        value: {
          fromAddress: from.address,
          toAddress: to,
          amount: [
            { denom: "umira", amount: "7" },
            { denom: "ustake", amount: amount().toString() },
          ],
        },
      };
      const bytes = await signTx(from.wallet, [msg], { accountNumber: from.accountNumber, sequence: Number(next(from)), fee: "6000", gas: "240000" });
      push(bytes, "send two denoms", [from.index], "ok", 0);
      bump(from);
    } else if (r < 58) {
      const outputs = Array.from({ length: 1 + rng.int(3) }, () => ({ address: rng.pick(recipients), coins: umira(amount()) }));
      const bytes = await signTx(from.wallet, [multiSendObject(from.address, outputs)], {
        accountNumber: from.accountNumber,
        sequence: Number(next(from)),
        memo: memo(),
      });
      push(bytes, "multi-send", [from.index], "ok", 0);
      bump(from);
    } else if (r < 64) {
      const msgs = Array.from({ length: 2 + rng.int(2) }, () => send(from.address, rng.pick(recipients), amount().toString()));
      const bytes = await signTx(from.wallet, msgs, { accountNumber: from.accountNumber, sequence: Number(next(from)), gas: "300000", fee: "7500" });
      push(bytes, "several sends", [from.index], "ok", 0);
      bump(from);
    } else if (r < 72) {
      // Two or three signers in one tx; the first pays the fee.
      const signers = shuffle(rng, rich).slice(0, 2 + rng.int(2));
      const body = TxBody.fromPartial({ messages: signers.map((s) => sendAny(s.address, rng.pick(recipients), umira(amount()))), memo: memo() });
      const bytes = await signCrafted(
        accounts,
        signers.map((s) => ({ account: s.index, sequence: next(s) })),
        body,
        { amount: umira(10_000), gasLimit: 400_000n },
      );
      push(
        bytes,
        "several signers",
        signers.map((s) => s.index),
        "ok",
        0,
      );
      signers.forEach(bump);
    } else if (r < 78) {
      // Optional fields a client may set: a timeout height (far, or exactly the height the tx is
      // delivered at, or 1: expired wherever a mutant of it lands), a full-length memo, two fee denoms.
      const k = rng.int(4);
      const timeoutHeight = k === 0 ? heightOf(id) : k === 1 ? 1n : 1_000_000_000n;
      const body = TxBody.fromPartial({
        messages: [sendAny(from.address, to, umira(amount()))],
        memo: rng.int(2) === 0 ? "m".repeat(256) : "",
        timeoutHeight,
      });
      const fee = [
        { denom: "umira", amount: "5000" },
        { denom: "ustake", amount: "3" },
      ];
      const bytes = await signCrafted(accounts, [{ account: from.index, sequence: next(from) }], body, { amount: fee, gasLimit: 200_000n });
      if (k === 1) push(bytes, "timeout height passed", [from.index], "ante-fail", SdkCode.TxTimeoutHeight);
      else {
        push(bytes, k === 0 ? "timeout height = block height" : "timeout, memo, two fee denoms", [from.index], "ok", 0);
        bump(from);
      }
    } else if (r < 83) {
      // A governance-only message signed by an ordinary account (#15): past the ante handler, then
      // refused with gov's InvalidSigner (code 13); fee and sequence stay, the params do not move.
      const msg: EncodeObject =
        rng.int(2) === 0
          ? { typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParams", value: { authority: from.address, params: { sendEnabled: [], defaultSendEnabled: false } } }
          : {
              typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
              value: { authority: from.address, recipient: to, amount: umira(amount()) },
            };
      const bytes = await signTx(from.wallet, [msg], { accountNumber: from.accountNumber, sequence: Number(next(from)) });
      push(bytes, "governance-only message from an ordinary account", [from.index], "msg-fail", GOV_INVALID_SIGNER_CODE);
      bump(from);
    } else if (r < 86) {
      // Valid and signed, but the message fails after the ante handler: fee and sequence stay.
      const k = rng.int(3);
      const msg =
        k === 0
          ? send(from.address, to, (RICH_UMIRA * 10n).toString())
          : k === 1
            ? ({
                typeUrl: "/cosmos.bank.v1beta1.MsgSend",
                value: { fromAddress: from.address, toAddress: to, amount: [{ denom: "unothing", amount: "1" }] },
              } as EncodeObject)
            : multiSendObject(from.address, [{ address: to, coins: umira(RICH_UMIRA * 2n) }]);
      const bytes = await signTx(from.wallet, [msg], { accountNumber: from.accountNumber, sequence: Number(next(from)) });
      push(bytes, "message fails: insufficient funds", [from.index], "msg-fail", SdkCode.InsufficientFunds);
      bump(from);
    } else if (r < 90) {
      // 60 outputs: the ante handler fits in 150k gas, the outputs do not.
      const outputs = Array.from({ length: 60 }, () => ({ address: rng.pick(recipients), coins: umira(1) }));
      const bytes = await signTx(from.wallet, [multiSendObject(from.address, outputs)], {
        accountNumber: from.accountNumber,
        sequence: Number(next(from)),
        gas: "150000",
        fee: "3750",
      });
      push(bytes, "message runs out of gas", [from.index], "msg-fail", SdkCode.OutOfGas);
      bump(from);
    } else if (r < 95) {
      // The poor account cannot pay its fee: refused in the ante handler, sequence unchanged.
      const bytes = await signTx(poor.wallet, [send(poor.address, to, "1")], {
        accountNumber: poor.accountNumber,
        sequence: Number(next(poor)),
        memo: `#${id}`,
      });
      push(bytes, "fee above balance", [poor.index], "ante-fail", SdkCode.InsufficientFunds);
    } else {
      const bytes = await signTx(ghost.wallet, [send(ghost.address, to, "1")], { accountNumber: 0n, sequence: 0, memo: `#${id}` });
      push(bytes, "signer has no account", [ghost.index], "ante-fail", SdkCode.UnknownAddress);
    }
  }
  return pool;
}
