// The keyring: CosmJS-compatible derivation, the file and test backends, their files on disk,
// every error a user can cause, and a signer whose signatures our own verifier accepts.
import fs from "node:fs";
import path from "node:path";
import { Bip39, EnglishMnemonic, stringToPath } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet, makeCosmoshubPath, makeSignBytes, makeSignDoc } from "@cosmjs/proto-signing";
import t from "tap";
import { ChainError } from "../app/core/errors";
import { KEYRING_CODESPACE, KeyringCode } from "../app/keyring/errors";
import { openKeyring } from "../app/keyring/keyring";
import type { EncryptedKeyRecord } from "../app/keyring/store";
import { verifySecp256k1 } from "../app/core/secp256k1";
import { tempDir } from "./helpers/tmp";

const ABANDON = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const ABANDON_ADDRESS = "mira19rl4cm2hmr8afy4kldpxz3fka4jguq0a7v0mlw";
const PASSWORD = "correct horse battery";

function keyringError(code: number) {
  return { name: "ChainError", codespace: KEYRING_CODESPACE, code };
}

async function cosmjsAddress(mnemonic: string, hdPath: string): Promise<string> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "mira", hdPaths: [stringToPath(hdPath)] });
  return (await wallet.getAccounts())[0]!.address;
}

t.test("the abandon mnemonic gives the known address, and account/index follow CosmJS", async (t) => {
  const keyring = openKeyring({ home: tempDir(t), backend: "test" });
  const key = await keyring.import("abandon", ABANDON);
  t.equal(key.address, ABANDON_ADDRESS);
  t.equal(key.hdPath, "m/44'/118'/0'/0/0");
  t.equal(Buffer.from(key.pubkey, "base64").length, 33, "compressed secp256k1 public key");

  const byIndex = await keyring.import("index-1", ABANDON, { index: 1 });
  const cosmoshub1 = await DirectSecp256k1HdWallet.fromMnemonic(ABANDON, { prefix: "mira", hdPaths: [makeCosmoshubPath(1)] });
  t.equal(byIndex.address, (await cosmoshub1.getAccounts())[0]!.address, "index 1 is makeCosmoshubPath(1)");

  const byAccount = await keyring.import("account-2", ABANDON, { account: 2, index: 5 });
  t.equal(byAccount.hdPath, "m/44'/118'/2'/0/5");
  t.equal(byAccount.address, await cosmjsAddress(ABANDON, "m/44'/118'/2'/0/5"));
  t.not(byAccount.address, byIndex.address);
});

t.test("add generates a 24-word mnemonic, returned once; list, show and delete", async (t) => {
  const keyring = openKeyring({ home: tempDir(t), backend: "file", password: PASSWORD });
  const bob = await keyring.add("bob");
  t.equal(bob.mnemonic!.split(" ").length, 24);
  t.doesNotThrow(() => new EnglishMnemonic(bob.mnemonic!), "a valid BIP39 mnemonic");
  t.equal(bob.address, await cosmjsAddress(bob.mnemonic!, "m/44'/118'/0'/0/0"));
  const alice = await keyring.add("alice", { mnemonic: ABANDON });
  t.equal(alice.mnemonic, undefined, "a recovered mnemonic is not echoed back");

  const listed = await keyring.list();
  t.same(
    listed.map((k) => k.name),
    ["alice", "bob"],
    "sorted by name",
  );
  t.same(await keyring.show("bob"), { name: "bob", address: bob.address, pubkey: bob.pubkey, hdPath: bob.hdPath });
  t.notOk("mnemonic" in (await keyring.show("bob")), "show never reveals the mnemonic");
  t.equal(await keyring.has("alice"), true);

  await keyring.delete("alice");
  t.same(
    (await keyring.list()).map((k) => k.name),
    ["bob"],
  );
  t.equal(await keyring.has("alice"), false);
  await t.rejects(keyring.show("alice"), keyringError(KeyringCode.KeyNotFound));
  await t.rejects(keyring.delete("alice"), keyringError(KeyringCode.KeyNotFound));
  await t.rejects(keyring.signer("alice"), keyringError(KeyringCode.KeyNotFound));
  t.same(await openKeyring({ home: tempDir(t) }).list(), [], "an unused home lists nothing");
});

t.test("a mnemonic is normalized and its words and checksum are checked", async (t) => {
  const keyring = openKeyring({ home: tempDir(t), backend: "test" });
  const messy = `  ${ABANDON.toUpperCase().replace(/ /g, " \t ")}\n`;
  t.equal((await keyring.import("messy", messy)).address, ABANDON_ADDRESS, "case and spacing do not matter");
  const badChecksum = ABANDON.replace(/about$/, "abandon");
  await t.rejects(keyring.import("a", badChecksum), { ...keyringError(KeyringCode.InvalidMnemonic), message: /checksum/ });
  await t.rejects(keyring.import("a", ABANDON.replace(/about$/, "aboot")), { message: /unknown word: aboot/ });
  await t.rejects(keyring.import("a", "abandon abandon abandon"), { message: /3 words, expected 12, 15, 18, 21 or 24/ });
  await t.rejects(keyring.import("a", ""), keyringError(KeyringCode.InvalidMnemonic));
  const twelve = Bip39.encode(new Uint8Array(16).fill(7)).toString();
  t.ok((await keyring.import("twelve", twelve)).address.startsWith("mira1"), "12-word mnemonics are accepted too");
  t.same(
    (await keyring.list()).map((k) => k.name),
    ["messy", "twelve"],
    "no file left by a refused key",
  );
});

t.test("bad names, taken names, bad HD indexes and unknown backends are refused", async (t) => {
  const keyring = openKeyring({ home: tempDir(t), backend: "test" });
  for (const name of ["", "a/b", "../up", "sp ace", "é", "x".repeat(65)]) {
    await t.rejects(keyring.import(name, ABANDON), keyringError(KeyringCode.InvalidName), JSON.stringify(name));
  }
  t.ok(await keyring.import("A-z_0.9", ABANDON), "the whole alphabet is allowed");
  t.ok(await keyring.import("x".repeat(64), ABANDON), "64 characters are allowed");
  await t.rejects(keyring.add("A-z_0.9"), { ...keyringError(KeyringCode.KeyExists), message: /already exists/ });
  t.throws(() => keyring.assertAddable("A-z_0.9"), keyringError(KeyringCode.KeyExists));
  await t.rejects(keyring.add("neg", { account: -1 }), keyringError(KeyringCode.InvalidHdPath));
  await t.rejects(keyring.add("big", { index: 2 ** 31 }), keyringError(KeyringCode.InvalidHdPath));
  await t.rejects(keyring.add("frac", { index: 1.5 }), keyringError(KeyringCode.InvalidHdPath));
  t.throws(() => openKeyring({ home: tempDir(t), backend: "os" }), keyringError(KeyringCode.InvalidBackend));
});

t.test("file backend: 0700 folder, 0600 files, the mnemonic encrypted with fresh salt and nonce", async (t) => {
  const home = tempDir(t);
  const keyring = openKeyring({ home, password: PASSWORD });
  const generated = await keyring.add("gen");
  await keyring.import("one", ABANDON);
  await keyring.import("two", ABANDON);
  const dir = path.join(home, "keyring-file");
  t.equal(fs.statSync(dir).mode & 0o777, 0o700);
  t.same(fs.readdirSync(dir).sort(), ["gen.json", "one.json", "two.json"], "no temp files left");
  for (const file of fs.readdirSync(dir)) t.equal(fs.statSync(path.join(dir, file)).mode & 0o777, 0o600, file);

  const text = fs.readFileSync(path.join(dir, "one.json"), "utf8");
  t.notOk(text.includes("abandon"), "no mnemonic word in clear");
  t.notOk(fs.readFileSync(path.join(dir, "gen.json"), "utf8").includes(generated.mnemonic!.split(" ").slice(0, 3).join(" ")));
  const one = JSON.parse(text) as EncryptedKeyRecord;
  t.match(one, { version: 1, name: "one", address: ABANDON_ADDRESS, hdPath: "m/44'/118'/0'/0/0" });
  t.match(one.encryptedMnemonic, { kdf: { name: "scrypt", n: 32768, r: 8, p: 1 }, cipher: { name: "aes-256-gcm" } });
  t.equal(Buffer.from(one.encryptedMnemonic.cipher.nonce, "base64").length, 12);
  const two = JSON.parse(fs.readFileSync(path.join(dir, "two.json"), "utf8")) as EncryptedKeyRecord;
  t.not(two.encryptedMnemonic.kdf.salt, one.encryptedMnemonic.kdf.salt, "a fresh salt per key");
  t.not(two.encryptedMnemonic.cipher.nonce, one.encryptedMnemonic.cipher.nonce, "a fresh nonce per key");
  t.not(two.encryptedMnemonic.ciphertext, one.encryptedMnemonic.ciphertext);

  const reopened = openKeyring({ home, password: PASSWORD });
  t.equal((await (await reopened.signer("one")).getAccounts())[0]!.address, ABANDON_ADDRESS, "decrypts with the password");
});

t.test("test backend: plain files in keyring-test, no password needed", async (t) => {
  const home = tempDir(t);
  await openKeyring({ home, backend: "test" }).import("local", ABANDON);
  const file = path.join(home, "keyring-test", "local.json");
  t.equal(fs.statSync(file).mode & 0o777, 0o600);
  t.equal((JSON.parse(fs.readFileSync(file, "utf8")) as { mnemonic: string }).mnemonic, ABANDON);
  t.same(await openKeyring({ home, backend: "file", password: PASSWORD }).list(), [], "the backends keep separate folders");
});

t.test("wrong, short or missing passwords are clear errors", async (t) => {
  const home = tempDir(t);
  await openKeyring({ home, password: PASSWORD }).import("alice", ABANDON);
  const wrong = openKeyring({ home, password: "not the password" });
  await t.rejects(wrong.signer("alice"), { ...keyringError(KeyringCode.WrongPassword), message: /wrong keyring password/ });
  await t.rejects(wrong.add("bob"), keyringError(KeyringCode.WrongPassword), "a keyring never mixes passwords");
  t.notOk(await wrong.has("bob"));
  t.same(
    (await wrong.list()).map((k) => k.name),
    ["alice"],
    "list and show need no password",
  );

  await t.rejects(openKeyring({ home: tempDir(t), password: "short" }).add("x"), keyringError(KeyringCode.InvalidPassword));
  await t.rejects(openKeyring({ home: tempDir(t) }).add("x"), { ...keyringError(KeyringCode.InvalidPassword), message: /needs a password/ });
});

t.test("the password is asked lazily, once, and told whether the keyring is new", async (t) => {
  const home = tempDir(t);
  const asked: boolean[] = [];
  const source = async ({ newKeyring }: { newKeyring: boolean }) => {
    asked.push(newKeyring);
    return PASSWORD;
  };
  const first = openKeyring({ home, password: source });
  await first.list();
  t.same(asked, [], "listing asks nothing");
  await first.import("a", ABANDON);
  await first.add("b");
  await first.signer("a");
  t.same(asked, [true], "asked once, for a new keyring");
  const second = openKeyring({ home, password: source });
  await second.unlock();
  t.same(asked, [true, false], "an existing keyring: checked against a key");
});

t.test("tampered key files are detected", async (t) => {
  const home = tempDir(t);
  const keyring = openKeyring({ home, password: PASSWORD });
  await keyring.import("alice", ABANDON);
  const file = path.join(home, "keyring-file", "alice.json");
  const record = JSON.parse(fs.readFileSync(file, "utf8")) as EncryptedKeyRecord;

  const flipped = Buffer.from(record.encryptedMnemonic.ciphertext, "base64");
  flipped[0]! ^= 1;
  fs.writeFileSync(file, JSON.stringify({ ...record, encryptedMnemonic: { ...record.encryptedMnemonic, ciphertext: flipped.toString("base64") } }));
  await t.rejects(openKeyring({ home, password: PASSWORD }).signer("alice"), keyringError(KeyringCode.WrongPassword), "GCM refuses a changed ciphertext");

  fs.writeFileSync(file, JSON.stringify({ ...record, address: "mira1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwp" }));
  await t.rejects(
    openKeyring({ home, password: PASSWORD }).signer("alice"),
    keyringError(KeyringCode.CorruptKeyFile),
    "a recorded address that the mnemonic does not give",
  );

  fs.writeFileSync(file, "{not json");
  await t.rejects(keyring.show("alice"), { ...keyringError(KeyringCode.CorruptKeyFile), message: /alice\.json/ });
  fs.writeFileSync(file, JSON.stringify({ ...record, version: 2 }));
  await t.rejects(keyring.list(), { message: /unsupported version 2/ });
  fs.writeFileSync(file, JSON.stringify({ ...record, hdPath: "44/118" }));
  await t.rejects(keyring.show("alice"), { message: /"hdPath" is not an HD path/ });
});

t.test("the signer signs a SignDoc that verifySecp256k1 accepts", async (t) => {
  const keyring = openKeyring({ home: tempDir(t), password: PASSWORD });
  const key = await keyring.import("signer", ABANDON);
  const wallet = await keyring.signer("signer");
  const [account] = await wallet.getAccounts();
  t.equal(account!.address, key.address);
  t.equal(Buffer.from(account!.pubkey).toString("base64"), key.pubkey);

  const signDoc = makeSignDoc(new Uint8Array([10, 3, 1, 2, 3]), new Uint8Array([18, 2, 4, 5]), "mira-localnet-1", 7);
  const { signature } = await wallet.signDirect(key.address, signDoc);
  const pubkey = Buffer.from(key.pubkey, "base64");
  const sig = Buffer.from(signature.signature, "base64");
  t.ok(verifySecp256k1(pubkey, makeSignBytes(signDoc), sig), "verifies over the sign bytes");
  t.notOk(verifySecp256k1(pubkey, makeSignBytes({ ...signDoc, chainId: "other-chain" }), sig), "not over another chain's");
});

t.test("errors are ChainErrors with the keyring codespace", async (t) => {
  const keyring = openKeyring({ home: tempDir(t), backend: "test" });
  const err = await keyring.show("nobody").catch((e: unknown) => e);
  t.ok(err instanceof ChainError);
  t.equal((err as ChainError).message, 'key "nobody" not found in the keyring');
});
