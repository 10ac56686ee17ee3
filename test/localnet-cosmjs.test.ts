// The real 4-validator localnet (CometBFT + mirad each) driven with CosmJS only, as a wallet would.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { calculateFee, defaultRegistryTypes, GasPrice, SigningStargateClient, StargateClient } from "@cosmjs/stargate";
import { CometClient, connectComet } from "@cosmjs/tendermint-rpc";
import { followBlockEvents } from "./helpers/block-events";
import { verifyChainedProof } from "../app/store/ics23";
import { QueryCertificateRequest, QueryCertificateResponse } from "../proto/gen/mira/claims/v1/query";
import { MsgSubmitContent, MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import t from "tap";
import { SdkCode } from "../app/core/errors";
import { REPO_ROOT } from "../app/cli/cometbft";
import { callUnary, grpcClient } from "./helpers/grpc-client";
import { tempDir } from "./helpers/tmp";

const OFFSET = -2_000; // beside a developer's localnet, and below the kernel's ephemeral ports (32768+)
const RPC = `http://127.0.0.1:${26657 + OFFSET}`;
const gasPrice = GasPrice.fromString("0.025umira");

function localnet(cmd: string, dir: string): void {
  const res = spawnSync(process.execPath, [path.join(REPO_ROOT, "dist", "localnet", "localnet.js"), cmd], {
    env: { ...process.env, MIRA_LOCALNET_DIR: dir, MIRA_LOCALNET_PORT_OFFSET: String(OFFSET) },
    encoding: "utf8",
    timeout: 180_000,
  });
  if (res.status !== 0) throw new Error(`localnet ${cmd} failed (${res.status}): ${res.stdout}\n${res.stderr}`);
}

async function waitForTx(client: StargateClient, hash: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await client.getTx(hash)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`tx ${hash} not committed`);
}

t.test("CosmJS against the 4-node localnet", async (t) => {
  const dir = tempDir(t, "mira-localnet-");
  localnet("start", dir);
  t.teardown(() => localnet("stop", dir));
  const accounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8")) as { address: string; mnemonic: string }[];
  t.equal(accounts.length, 5);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(accounts[0]!.mnemonic, { prefix: "mira" });
  const [me] = await wallet.getAccounts();
  t.equal(me!.address, accounts[0]!.address);
  const client = await SigningStargateClient.connectWithSigner(RPC, wallet, { gasPrice });
  t.teardown(() => client.disconnect());
  t.equal(await client.getChainId(), "mira-localnet-1");

  const fresh = (await DirectSecp256k1HdWallet.generate(12, { prefix: "mira" })).getAccounts();
  const to = (await fresh)[0]!.address;
  t.equal(await client.getAccount(to), null, "an unknown address has no account (null, not an error)");
  const before = BigInt((await client.getBalance(me!.address, "umira")).amount);

  // fee: "auto" goes through Simulate.
  const auto = await client.sendTokens(me!.address, to, [{ denom: "umira", amount: "12345" }], "auto", "auto fee");
  t.equal(auto.code, 0, auto.rawLog ?? "");
  t.equal((await client.getBalance(to, "umira")).amount, "12345");
  // An explicit fee.
  const fee = calculateFee(120_000, gasPrice);
  const explicit = await client.sendTokens(me!.address, to, [{ denom: "umira", amount: "5" }], fee, "explicit");
  t.equal(explicit.code, 0, explicit.rawLog ?? "");
  t.equal((await client.getBalance(to, "umira")).amount, "12350");
  const after = BigInt((await client.getBalance(me!.address, "umira")).amount);
  t.ok(before - after >= 12350n + 3000n, "sender paid the amounts and the fees");

  const found = await client.getTx(explicit.transactionHash);
  t.equal(found?.height, explicit.height, "getTx finds the tx");
  const bySender = await client.searchTx([{ key: "message.sender", value: me!.address }]);
  t.ok(
    bySender.some((r) => r.hash === explicit.transactionHash),
    "searchTx by message.sender finds it",
  );

  const acct = await client.getAccount(me!.address);
  t.equal(acct?.sequence, 2, "two txs sent");

  // Several txs from one account in one block: signed with successive sequences, broadcast at once.
  const signed: Uint8Array[] = [];
  for (let i = 0; i < 5; i++) {
    const raw = await client.sign(
      me!.address,
      [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: me!.address, toAddress: to, amount: [{ denom: "umira", amount: "1" }] } }],
      fee,
      "",
      {
        accountNumber: acct!.accountNumber,
        sequence: acct!.sequence + i,
        chainId: "mira-localnet-1",
      },
    );
    signed.push(TxRaw.encode(raw).finish());
  }
  const hashes: string[] = [];
  for (const tx of signed) hashes.push(await client.broadcastTxSync(tx)); // in order: CheckTx tracks the sequence
  const perBlock = new Map<number, number>();
  for (const h of hashes) {
    await waitForTx(client, h);
    const height = (await client.getTx(h))!.height;
    perBlock.set(height, (perBlock.get(height) ?? 0) + 1);
  }
  // How they split over blocks depends on timing; what matters is that one block held several.
  t.ok(Math.max(...perBlock.values()) >= 2, `several txs of one account in one block (${[...perBlock.values()].join("+")})`);
  t.equal((await client.getBalance(to, "umira")).amount, "12355", "all five landed");

  // Replaying a committed tx is refused: by CometBFT's mempool cache, or by CheckTx's sequence check
  // (app-bank.test.ts shows the app refusing it in FinalizeBlock too).
  await t.rejects(client.broadcastTxSync(signed[0]!), new RegExp(`already exists in cache|code ${SdkCode.WrongSequence}|sequence`), "replay refused");
  t.equal((await client.getBalance(to, "umira")).amount, "12355", "the replay changed nothing");
  // The same balance over gRPC (what Hermes and grpcurl use), with the height header.
  const grpc = grpcClient(t, 9090 + OFFSET);
  const answer = await callUnary(grpc, "/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ address: to, denom: "umira" }).finish());
  t.equal(QueryBalanceResponse.decode(answer.response).balance?.amount, "12355", "gRPC Balance");
  t.ok(Number(answer.headers.get("x-cosmos-block-height")[0]) > 0, "gRPC answers carry their height");
  // Each bad tx is refused with its SDK code and changes nothing.
  const cur = (await client.getAccount(me!.address))!;
  const bad = async (name: string, opts: { chainId?: string; accountNumber?: bigint; sequence?: number; fee?: string; amount?: string }, code: number) => {
    const raw = await client.sign(
      me!.address,
      [
        {
          typeUrl: "/cosmos.bank.v1beta1.MsgSend",
          value: { fromAddress: me!.address, toAddress: to, amount: [{ denom: "umira", amount: opts.amount ?? "1" }] },
        },
      ],
      { amount: [{ denom: "umira", amount: opts.fee ?? "5000" }], gas: "150000" },
      "",
      { accountNumber: opts.accountNumber ?? cur.accountNumber, sequence: opts.sequence ?? cur.sequence, chainId: opts.chainId ?? "mira-localnet-1" },
    );
    const balanceBefore = (await client.getBalance(me!.address, "umira")).amount;
    await t.rejects(client.broadcastTxSync(TxRaw.encode(raw).finish()), { code }, `${name}: code ${code}`);
    t.equal((await client.getBalance(me!.address, "umira")).amount, balanceBefore, `${name}: nothing changed`);
  };
  await bad("wrong chain id", { chainId: "other-chain-1" }, SdkCode.Unauthorized);
  await bad("bad signature (wrong account number)", { accountNumber: cur.accountNumber + 7n }, SdkCode.Unauthorized);
  await bad("wrong sequence", { sequence: cur.sequence + 5 }, SdkCode.WrongSequence);
  await bad("insufficient fee", { fee: "1" }, SdkCode.InsufficientFee);
  await bad("fee above the balance", { fee: "100000000000000" }, SdkCode.InsufficientFunds);
  // Insufficient funds for the amount itself shows at delivery: the fee is charged, nothing else.
  const poor = await DirectSecp256k1HdWallet.generate(12, { prefix: "mira" });
  const [poorAcct] = await poor.getAccounts();
  await client.sendTokens(me!.address, poorAcct!.address, [{ denom: "umira", amount: "100000" }], "auto");
  const poorClient = await SigningStargateClient.connectWithSigner(RPC, poor, { gasPrice });
  t.teardown(() => poorClient.disconnect());
  const over = await poorClient.sendTokens(poorAcct!.address, to, [{ denom: "umira", amount: "99000" }], calculateFee(100_000, gasPrice));
  t.equal(over.code, SdkCode.InsufficientFunds, "insufficient funds at delivery: code 5");
  t.equal((await client.getBalance(poorAcct!.address, "umira")).amount, "97500", "only the fee (2500) was taken");
  // Malformed bytes get the decode error.
  await t.rejects(client.broadcastTxSync(Buffer.from("garbage")), /code 2|tx parse error/, "malformed bytes refused");

  // Claims: content submitted through CosmJS is split, assigned, checked by each validator's
  // sidecar, carried in vote extensions, and certified within 3 blocks, with a proof.
  const registry = new Registry([...defaultRegistryTypes, ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent]]);
  const comet = await connectComet(RPC);
  t.teardown(() => comet.disconnect());
  const submitter = await SigningStargateClient.connectWithSigner(RPC, wallet, { gasPrice, registry });
  t.teardown(() => submitter.disconnect());
  // A client follows the verification live over CometBFT's websocket: every block's events.
  const live = await followBlockEvents(t, RPC);
  const source = "The main office of Lumvath Group is in Ostin. Lumvath Group makes water filters. Lumvath Group was started by Vinard in 1996.";
  const sub = await submitter.signAndBroadcast(
    me!.address,
    [
      {
        typeUrl: "/mira.claims.v1.MsgSubmitContent",
        value: {
          submitter: me!.address,
          content: "Lumvath Group was founded by Vinard in 1996. Lumvath Group makes water filters.",
          claims: [],
          sourceContext: source,
          thresholdBp: 0,
          verifiersPerClaim: 0,
        },
      },
    ],
    "auto",
  );
  t.equal(sub.code, 0, sub.rawLog ?? "");
  const { contentId, claimIds } = MsgSubmitContentResponse.decode(sub.msgResponses[0]!.value);
  t.equal(claimIds.length, 2);
  // Read at the tx's height + 3 once the app has committed it, rather than polling for a while: however slow the
  // blocks, the certificate is in that state if it was written within 3 blocks.
  await waitForAppHeight(comet, sub.height + 3);
  let certHeight = 0;
  const within = await comet.abciQuery({
    path: "/mira.claims.v1.Query/Certificate",
    data: QueryCertificateRequest.encode({ contentId }).finish(),
    height: sub.height + 3,
  });
  if (within.code === 0) certHeight = Number(QueryCertificateResponse.decode(within.value).certificate!.height);
  t.ok(certHeight > 0, "a certificate was written");
  t.ok(certHeight - sub.height <= 3, `certified within 3 blocks (tx at ${sub.height}, certificate at ${certHeight})`);
  const certRes = await comet.abciQuery({ path: "/mira.claims.v1.Query/Certificate", data: QueryCertificateRequest.encode({ contentId }).finish() });
  const cert = QueryCertificateResponse.decode(certRes.value).certificate!;
  t.ok(
    cert.claims.every((c) => c.status === 2 && c.voters.length >= 3),
    "every claim certified by at least 3 of the 4 validators' verdicts",
  );
  // The events the websocket delivered for this content, in order: assigned, verified, certified.
  for (
    const until = Date.now() + 60_000;
    Date.now() < until && !live.some((e) => e.type === "content_certified" && e.attrs["content_id"] === String(contentId));
  )
    await new Promise((r) => setTimeout(r, 300));
  const mine = live.filter((e) => e.attrs["content_id"] === String(contentId));
  const heightOf = (type: string) => mine.filter((e) => e.type === type).map((e) => e.height);
  t.equal(heightOf("claim_assigned").length, 2, "claim_assigned for each claim");
  t.ok(heightOf("claim_verified").length >= 6, `claim_verified for each verdict recorded (${heightOf("claim_verified").length})`);
  t.equal(heightOf("claim_certified").length, 2, "claim_certified for each claim");
  t.same(heightOf("content_certified"), [certHeight], "content_certified at the certificate's height");
  t.ok(
    Math.max(...heightOf("claim_assigned")) < Math.min(...heightOf("claim_verified")) &&
      Math.max(...heightOf("claim_verified")) <= Math.min(...heightOf("claim_certified")),
    "in order: assigned, verified, certified",
  );
  // The certificate's bytes in the claims store, proven against the next header's app hash.
  const key = Buffer.concat([
    Buffer.of(0x16),
    (() => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(contentId);
      return b;
    })(),
  ]);
  const proven = await comet.abciQuery({ path: "store/claims/key", data: key, height: certHeight, prove: true });
  await waitForHeightAbove(comet, certHeight + 1);
  const header = await comet.block(certHeight + 1);
  t.doesNotThrow(
    () =>
      verifyChainedProof(
        proven.proof!.ops.map((o) => ({ type: o.type, key: o.key, data: o.data })),
        Buffer.from(header.block.header.appHash),
        "claims",
        key,
        proven.value,
      ),
    "the certificate's proof verifies against the header",
  );

  // What a wallet is handed: Keplr's ChainInfo and the chain registry's files, each consistent with what
  // the chain itself answers over plain REST; a CosmJS client set up from the ChainInfo alone sends a tx.
  type KeplrCurrency = { coinDenom: string; coinMinimalDenom: string; coinDecimals: number };
  const readJson = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as T;
  const keplr = readJson<{
    chainId: string;
    rpc: string;
    rest: string;
    bip44: { coinType: number };
    bech32Config: Record<string, string>;
    currencies: KeplrCurrency[];
    feeCurrencies: (KeplrCurrency & { gasPriceStep: { low: number; average: number; high: number } })[];
    stakeCurrency: KeplrCurrency;
  }>("keplr-chain-info.json");
  const chainRegistry = readJson<{
    chain_id: string;
    bech32_prefix: string;
    slip44: number;
    apis: Record<string, { address: string }[]>;
    fees: { fee_tokens: { denom: string; fixed_min_gas_price: number }[] };
  }>("chain.json");
  const assetList = readJson<{ assets: { base: string; display: string; denom_units: { denom: string; exponent: number }[] }[] }>("assetlist.json");
  const getJson = async <T>(route: string): Promise<T> => {
    const res = await fetch(`${keplr.rest}${route}`);
    t.equal(res.status, 200, `GET ${route}`);
    return (await res.json()) as T;
  };
  t.equal(keplr.chainId, "mira-localnet-1");
  t.equal(chainRegistry.chain_id, keplr.chainId);
  t.equal(keplr.rpc, RPC);
  t.equal(chainRegistry.apis.rest![0]!.address, keplr.rest);
  t.equal(chainRegistry.apis.rpc![0]!.address, keplr.rpc);
  t.equal(keplr.bip44.coinType, 118);
  t.equal(chainRegistry.slip44, 118);
  t.ok(me!.address.startsWith(`${keplr.bech32Config.bech32PrefixAccAddr}1`), "account prefix");
  t.equal(chainRegistry.bech32_prefix, keplr.bech32Config.bech32PrefixAccAddr);
  const nodeInfo = await getJson<{ default_node_info: { network: string } }>("/cosmos/base/tendermint/v1beta1/node_info");
  t.equal(nodeInfo.default_node_info.network, keplr.chainId, "the ChainInfo's REST endpoint serves this chain");
  const nodeConfig = await getJson<{ minimum_gas_price: string }>("/cosmos/base/node/v1beta1/config");
  const feeCurrency = keplr.feeCurrencies[0]!;
  t.equal(`${feeCurrency.gasPriceStep.low}${feeCurrency.coinMinimalDenom}`, nodeConfig.minimum_gas_price, "the low gas price step is the chain's minimum");
  t.equal(`${chainRegistry.fees.fee_tokens[0]!.fixed_min_gas_price}${chainRegistry.fees.fee_tokens[0]!.denom}`, nodeConfig.minimum_gas_price);
  t.ok(feeCurrency.gasPriceStep.low < feeCurrency.gasPriceStep.average && feeCurrency.gasPriceStep.average < feeCurrency.gasPriceStep.high);
  const metadata = await getJson<{ metadata: { base: string; display: string; denom_units: { denom: string; exponent: number }[] } }>(
    `/cosmos/bank/v1beta1/denoms_metadata/${keplr.currencies[0]!.coinMinimalDenom}`,
  );
  t.same(
    assetList.assets[0]!.denom_units.map((u) => [u.denom, u.exponent]),
    metadata.metadata.denom_units.map((u) => [u.denom, u.exponent]),
    "the asset list's denom units are the chain's denom metadata",
  );
  t.equal(assetList.assets[0]!.display, metadata.metadata.display);
  t.equal(keplr.currencies[0]!.coinDecimals, Math.max(...metadata.metadata.denom_units.map((u) => u.exponent)));
  const stakingParams = await getJson<{ params: { bond_denom: string } }>("/cosmos/staking/v1beta1/params");
  t.equal(keplr.stakeCurrency.coinMinimalDenom, stakingParams.params.bond_denom, "the stake currency is the bond denom");
  const fromChainInfo = await SigningStargateClient.connectWithSigner(keplr.rpc, wallet, {
    gasPrice: GasPrice.fromString(`${feeCurrency.gasPriceStep.average}${feeCurrency.coinMinimalDenom}`),
  });
  t.teardown(() => fromChainInfo.disconnect());
  const viaChainInfo = await fromChainInfo.sendTokens(me!.address, to, [{ denom: feeCurrency.coinMinimalDenom, amount: "7" }], "auto");
  t.equal(viaChainInfo.code, 0, `a tx with the ChainInfo's average gas price is committed (${viaChainInfo.rawLog ?? ""})`);
});

async function waitForHeightAbove(comet: CometClient, h: number, timeoutMs = 120_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until;) {
    if ((await comet.status()).syncInfo.latestBlockHeight > h) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no block above ${h} within ${timeoutMs} ms`);
}

/** Waits until the app has committed height `h` (CometBFT's status counts a block a moment before the app has committed it). */
async function waitForAppHeight(comet: CometClient, h: number, timeoutMs = 120_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; Date.now() < until;) {
    if (((await comet.abciInfo()).lastBlockHeight ?? 0) >= h) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the app did not commit height ${h} within ${timeoutMs} ms`);
}
