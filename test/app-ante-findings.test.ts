// Fuzz findings, fixed: each assertion states what the Cosmos SDK does and what we now do too.
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ResponseCheckTx } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { SdkCode } from "../app/core/errors";
import { block, CHAIN_ID, send, signTx, startApp, wallet } from "./helpers/app-driver";

const ALICE = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const BOB = "legal winner thank year wave sausage worth useful legal winner thank yellow";

async function signed(opts: { memo?: string; gasLimit?: bigint; fee?: string; payer?: string; granter?: string }) {
  const w = await DirectSecp256k1HdWallet.fromMnemonic(ALICE, { prefix: "mira" });
  const [a] = await w.getAccounts();
  const bob = (await wallet(BOB)).address;
  const bodyBytes = TxBody.encode(
    TxBody.fromPartial({
      messages: [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgSend",
          value: MsgSend.encode({ fromAddress: a!.address, toAddress: bob, amount: [{ denom: "umira", amount: "1" }] }).finish(),
        },
      ],
      memo: opts.memo ?? "",
    }),
  ).finish();
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: a!.pubkey }).finish() },
          modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
          sequence: 0n,
        },
      ],
      fee: {
        amount: opts.fee === undefined ? [{ denom: "umira", amount: "5000" }] : opts.fee === "" ? [] : [{ denom: "umira", amount: opts.fee }],
        gasLimit: opts.gasLimit ?? 200_000n,
        payer: opts.payer ?? "",
        granter: opts.granter ?? "",
      },
    }),
  ).finish();
  const { signature } = await w.signDirect(a!.address, SignDoc.fromPartial({ bodyBytes, authInfoBytes, chainId: CHAIN_ID, accountNumber: 0n }));
  return { alice: a!.address, bob, bytes: TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [Buffer.from(signature.signature, "base64")] }).finish() };
}

t.test("1. TxRaw framing malleability: the SDK refuses non-ADR-027 TxRaw with code 2", async (t) => {
  const alice = await wallet(ALICE);
  const bob = await wallet(BOB);
  const { app } = await startApp(t, { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "1000000" }] }] } });
  const tx = await signTx(alice, [send(alice.address, bob.address, "1")], { accountNumber: 0n, sequence: 0 });
  const raw = TxRaw.decode(tx);
  const len = (f: number, b: Uint8Array) => Buffer.concat([Buffer.of((f << 3) | 2, b.length), b]); // lengths < 128 here
  const variants: [string, Uint8Array][] = [
    ["unknown field 4 appended", Buffer.concat([tx, Buffer.of(0x22, 0x00)])],
    ["signatures before body", Buffer.concat([len(3, raw.signatures[0]!), tx.subarray(0, tx.length - 66)])],
    ["a decoy body_bytes first", Buffer.concat([len(1, Buffer.from("decoy")), tx])],
  ];
  for (const [name, bytes] of variants) {
    const fresh = await startApp(t, { bank: { balances: [{ address: alice.address, coins: [{ denom: "umira", amount: "1000000" }] }] } });
    t.equal((await fresh.app.checkTx({ tx: bytes, type: 0 })).code, SdkCode.TxDecode, `CheckTx refuses: ${name}`);
  }
  const [res] = await block(app, [variants[0]![1]]);
  t.equal(res!.code, SdkCode.TxDecode, "FinalizeBlock refuses it (today: code 0, executed under a different tx hash)");
});

t.test("2. fee.granter is refused without a session that grants fees, and fee.payer must be a signer", async (t) => {
  const a = await signed({ granter: (await wallet(BOB)).address });
  const { app } = await startApp(t, { bank: { balances: [{ address: a.alice, coins: [{ denom: "umira", amount: "1000000" }] }] } });
  const res = await app.checkTx({ tx: a.bytes, type: 0 });
  t.match(res, { code: 2, codespace: "sessions" }, "only a session's granter pays fees (x/feegrant's role): none here");
  const b = await signed({ payer: a.bob });
  const fresh = await startApp(t, { bank: { balances: [{ address: a.alice, coins: [{ denom: "umira", amount: "1000000" }] }] } });
  t.equal((await fresh.app.checkTx({ tx: b.bytes, type: 0 })).code, SdkCode.Unauthorized, "SDK: the fee payer is a required signer (2 expected, 1 given)");
});

t.test("3. the memo limit counts bytes, as the SDK does", async (t) => {
  const a = await signed({ memo: "é".repeat(200) }); // 200 chars, 400 bytes > 256
  const { app } = await startApp(t, { bank: { balances: [{ address: a.alice, coins: [{ denom: "umira", amount: "1000000" }] }] } });
  t.equal((await app.checkTx({ tx: a.bytes, type: 0 })).code, SdkCode.MemoTooLarge);
});

t.test("4. a gas limit above 2^63-1 is refused and gas_wanted stays a valid int64", async (t) => {
  const a = await signed({ gasLimit: 2n ** 64n - 1n, fee: "" });
  const { app } = await startApp(t, {
    auth: { min_gas_price: "0umira" },
    bank: { balances: [{ address: a.alice, coins: [{ denom: "umira", amount: "1000000" }] }] },
  });
  const res = await app.checkTx({ tx: a.bytes, type: 0 });
  const wire = ResponseCheckTx.decode(ResponseCheckTx.encode(ResponseCheckTx.fromPartial(res)).finish());
  t.comment(`code ${res.code}, gas_wanted on the wire ${wire.gasWanted}`);
  t.equal(res.code, SdkCode.InvalidRequest, "SDK: invalid gas supplied; 18446744073709551615 > 9223372036854775807");
});
