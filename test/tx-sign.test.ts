// Txs signed by CosmJS itself (DirectSecp256k1HdWallet + SigningStargateClient.offline) decode and
// verify on our side; tampering of any signed part, a high-S signature or the wrong chain fail.
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import t from "tap";
import { ChainError, SdkCode } from "../app/core/errors";
import { toBech32 } from "@cosmjs/encoding";
import { addressBytesOf, bech32Address, encodeBech32, parseAddress } from "../app/core/address";
import { decodeTx, directSignBytes, signerPubKey } from "../app/core/tx-decode";
import { verifySecp256k1 } from "../app/core/secp256k1";
import { Rng } from "./helpers/rng";

const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const CHAIN_ID = "mira-localnet-1";
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

async function signedSend(accountNumber: number, sequence: number) {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "mira" });
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.offline(wallet, { gasPrice: GasPrice.fromString("0.025umira") });
  const msg = {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: account!.address, toAddress: "mira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwp", amount: [{ denom: "umira", amount: "1234" }] },
  };
  const fee = { amount: [{ denom: "umira", amount: "5000" }], gas: "200000" };
  const raw = await client.sign(account!.address, [msg], fee, "hello", { accountNumber: BigInt(accountNumber), sequence, chainId: CHAIN_ID });
  return { address: account!.address, pubkey: account!.pubkey, bytes: TxRaw.encode(raw).finish() };
}

function codeOf(f: () => unknown): number | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return err instanceof ChainError ? err.code : -1;
  }
}

t.test("a CosmJS-signed MsgSend decodes, its key gives the signer's address, the signature verifies", async (t) => {
  const { address, pubkey, bytes } = await signedSend(7, 3);
  const tx = decodeTx(bytes);
  t.equal(tx.body.messages[0]!.typeUrl, "/cosmos.bank.v1beta1.MsgSend");
  t.equal(tx.body.memo, "hello");
  t.equal(tx.authInfo.signerInfos[0]!.sequence, 3n);
  const key = signerPubKey(tx, 0)!;
  t.same(Buffer.from(key), Buffer.from(pubkey));
  t.equal(bech32Address(addressBytesOf(key)), address, "address derivation matches CosmJS");
  t.same(parseAddress(address), addressBytesOf(key));
  const sig = tx.raw.signatures[0]!;
  t.ok(verifySecp256k1(key, directSignBytes(tx, CHAIN_ID, 7n), sig), "signature verifies");
  t.notOk(verifySecp256k1(key, directSignBytes(tx, "other-chain", 7n), sig), "wrong chain id fails");
  t.notOk(verifySecp256k1(key, directSignBytes(tx, CHAIN_ID, 8n), sig), "wrong account number fails");

  const flipped = Buffer.from(sig);
  flipped[10]! ^= 1;
  t.notOk(verifySecp256k1(key, directSignBytes(tx, CHAIN_ID, 7n), flipped), "a flipped signature bit fails");
  // The same signature with s replaced by n - s is valid ECDSA but malleable: refused.
  const s = BigInt("0x" + Buffer.from(sig.subarray(32)).toString("hex"));
  const highS = Buffer.concat([Buffer.from(sig.subarray(0, 32)), Buffer.from((N - s).toString(16).padStart(64, "0"), "hex")]);
  t.notOk(verifySecp256k1(key, directSignBytes(tx, CHAIN_ID, 7n), highS), "high-S form refused");
  t.notOk(verifySecp256k1(key.subarray(1), directSignBytes(tx, CHAIN_ID, 7n), sig), "malformed key refused, no throw");

  // Changing any signed byte (here the memo inside the body) breaks the signature.
  const raw = TxRaw.decode(bytes);
  const body = Buffer.from(raw.bodyBytes);
  body[body.indexOf("hello")]! ^= 0x20;
  const tampered = decodeTx(TxRaw.encode({ ...raw, bodyBytes: body }).finish());
  t.notOk(verifySecp256k1(key, directSignBytes(tampered, CHAIN_ID, 7n), sig), "tampered body fails");
});

t.test("malformed txs and addresses get SDK codes", async (t) => {
  t.equal(
    codeOf(() => decodeTx(new Uint8Array())),
    SdkCode.TxDecode,
  );
  t.equal(
    codeOf(() => decodeTx(Buffer.from([0x0a, 0xff, 0x01]))),
    SdkCode.TxDecode,
  );
  t.equal(
    codeOf(() => decodeTx(Buffer.alloc(10, 0xff))),
    SdkCode.TxDecode,
  );
  const noMessages = TxBody.encode(TxBody.fromPartial({ memo: "nothing to do" })).finish();
  t.equal(
    codeOf(() => decodeTx(TxRaw.encode({ bodyBytes: noMessages, authInfoBytes: new Uint8Array(), signatures: [] }).finish())),
    SdkCode.InvalidRequest,
    "no messages",
  );
  t.equal(
    codeOf(() => decodeTx(Buffer.alloc(2 * 1024 * 1024, 1))),
    SdkCode.TxTooLarge,
  );
  t.equal(
    codeOf(() => parseAddress("cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu")),
    SdkCode.InvalidAddress,
    "wrong prefix",
  );
  t.equal(
    codeOf(() => parseAddress("mira1notbech32")),
    SdkCode.InvalidAddress,
  );
  const { bytes } = await signedSend(0, 0);
  const raw = TxRaw.decode(bytes);
  t.equal(
    codeOf(() => decodeTx(TxRaw.encode({ ...raw, signatures: [] }).finish())),
    SdkCode.Unauthorized,
    "signature count must match signers",
  );
});

t.test("our bech32 encoder gives CosmJS's strings, for random data and every prefix we use", async (t) => {
  const rng = new Rng(118);
  let checked = 0;
  for (let i = 0; i < 3000; i++) {
    const prefix = rng.pick(["mira", "miravaloper", "miravalcons", "cosmos", "a"]);
    const data = rng.bytes(rng.pick([0, 1, 7, 20, 32, 33]));
    const ours = encodeBech32(prefix, data);
    const theirs = toBech32(prefix, data);
    if (ours !== theirs) {
      t.fail(`${prefix} ${data.toString("hex")}: ${ours} != ${theirs}`);
      return;
    }
    if (prefix === "mira" && (data.length === 20 || data.length === 32) && !parseAddress(ours).equals(data)) {
      t.fail(`${ours} does not parse back to ${data.toString("hex")}`);
      return;
    }
    checked++;
  }
  t.equal(checked, 3000);
  t.equal(encodeBech32("a", new Uint8Array()), "a12uel5l", "BIP-173's test vector");
  t.throws(() => encodeBech32("mira", Buffer.alloc(60)), /exceeds the limit of 90/, "longer than bech32's 90 characters");
});
