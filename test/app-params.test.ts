// Every module's parameters change through governance and nothing else (#15): each MsgUpdateParams
// signed by an ordinary account fails with gov's InvalidSigner (code 13) and changes nothing; run
// as the gov module account (test/helpers/authority.ts, as gov will run a passed proposal) it
// changes the params the Params query answers from the next block, and a bad field is refused
// with a coded error and changes nothing. Consensus params reach CometBFT through FinalizeBlock's
// consensus_param_updates; the community pool pays out only what it holds; a model hash taken off
// the claims allow-list stops counting from the next block.
import type { EncodeObject } from "@cosmjs/proto-signing";
import { QueryParamsResponse as AuthParams } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryParamsResponse as BankParams } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryParamsResponse as ConsensusParamsResponse } from "cosmjs-types/cosmos/consensus/v1/query";
import { QueryCommunityPoolResponse, QueryParamsResponse as DistributionParams } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { QueryParamsResponse as MintParams } from "cosmjs-types/cosmos/mint/v1beta1/query";
import { QueryParamsResponse as SlashingParams, QuerySigningInfoRequest, QuerySigningInfoResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { QueryValidatorsRequest, QueryValidatorsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { QueryParamsResponse as StakingParams } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { ConfigResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import {
  type RequestFinalizeBlock,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import t, { type Test } from "tap";
import type { MiraApp } from "../app/chain/app";
import { SidecarClient } from "../app/chain/sidecar-client";
import { encodeInjectedCommit } from "../app/chain/vote-extensions";
import { startSidecar, type SidecarModel } from "../app/sidecar/service";
import { Params as ClaimsParamsCodec, Verdict, VoteExtension } from "../proto/gen/mira/claims/v1/claims";
import {
  QueryClaimRequest,
  QueryClaimResponse,
  QueryContentRequest,
  QueryContentResponse,
  QueryParamsResponse as ClaimsParams,
} from "../proto/gen/mira/claims/v1/query";
import { bech32Address } from "../app/core/address";
import { moduleAddress } from "../modules/auth/keeper";
import { valconsAddress } from "../modules/slashing/keeper";
import { valoper } from "./helpers/staking";
import { MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import { QueryParamsResponse as SessionsParams } from "../proto/gen/mira/sessions/v1/query";
import { send, type Wallet } from "./helpers/app-driver";
import { execAs, GOV_ADDRESS } from "./helpers/authority";
import { balance, type Chain, consAddress, query, run, startChain, tx } from "./helpers/chain";

const dec = (text: string): string => text; // LegacyDec atomics, written out for the reader: "50000000000000000" is 0.05
const ascii = (text: string): Uint8Array => Buffer.from(text, "ascii");

/** One module's params: the query that reads them (as protobuf bytes), a valid new set, and an invalid one. */
interface ParamsCase {
  module: string;
  typeUrl: string;
  /** The Params query's answer, re-encoded: what "the params" are for comparisons. */
  read(app: MiraApp): string;
  /** The same encoding of `valid`. */
  encoded: string;
  valid: unknown;
  invalid: unknown;
  /** What the invalid set breaks, for the test's name. */
  breaks: string;
}

function reader<T>(path: string, decode: (b: Uint8Array) => T, params: (r: T) => unknown, encode: (p: never) => Uint8Array): (app: MiraApp) => string {
  return (app) => Buffer.from(encode(params(query(app, path, new Uint8Array(), decode)) as never)).toString("hex");
}

const CLAIMS_PARAMS = {
  maxClaims: 64,
  maxClaimBytes: 512,
  maxContentBytes: 16_384,
  defaultVerifiersPerClaim: 5,
  maxVerifiersPerClaim: 21,
  defaultThresholdBp: 8000,
  minThresholdBp: 5001,
  deadlineBlocks: 12n,
  feePerClaim: { denom: "umira", amount: "2000" },
  faultWindow: 100n,
  maxFaultBp: 3000,
  slashFractionVerification: "0.002",
  jailDuration: { seconds: 900n, nanos: 0 },
  allowedModelHashes: [Buffer.alloc(32, 7)],
  maxExtensionBytes: 65_536,
  lateVoteBlocks: 3n,
  driftFastShift: 3,
  driftSlowShift: 9,
  driftMinSamples: 24n,
  driftAgreementMarginBp: 2000,
  driftConfidenceMarginBp: 2000,
  driftHistoryMarginBp: 1500,
};

const CASES: ParamsCase[] = [
  {
    module: "auth",
    typeUrl: "/cosmos.auth.v1beta1.MsgUpdateParams",
    read: reader(
      "/cosmos.auth.v1beta1.Query/Params",
      AuthParams.decode,
      (r) => r.params,
      (p) => AuthParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: { maxMemoCharacters: 512n, txSigLimit: 5n, txSizeCostPerByte: 12n, sigVerifyCostEd25519: 600n, sigVerifyCostSecp256k1: 1100n },
    invalid: { maxMemoCharacters: 512n, txSigLimit: 0n, txSizeCostPerByte: 12n, sigVerifyCostEd25519: 600n, sigVerifyCostSecp256k1: 1100n },
    breaks: "tx_sig_limit 0",
  },
  {
    module: "bank",
    typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParams",
    read: reader(
      "/cosmos.bank.v1beta1.Query/Params",
      BankParams.decode,
      (r) => r.params,
      (p) => BankParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: { sendEnabled: [], defaultSendEnabled: false },
    invalid: { sendEnabled: [{ denom: "umira", enabled: false }], defaultSendEnabled: true },
    breaks: "a send_enabled entry",
  },
  {
    module: "staking",
    typeUrl: "/cosmos.staking.v1beta1.MsgUpdateParams",
    read: reader(
      "/cosmos.staking.v1beta1.Query/Params",
      StakingParams.decode,
      (r) => r.params,
      (p) => StakingParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: {
      unbondingTime: { seconds: 100n, nanos: 0 },
      maxValidators: 50,
      maxEntries: 9,
      historicalEntries: 20,
      bondDenom: "umira",
      minCommissionRate: dec("50000000000000000"),
    },
    invalid: {
      unbondingTime: { seconds: 100n, nanos: 0 },
      maxValidators: 0,
      maxEntries: 9,
      historicalEntries: 20,
      bondDenom: "umira",
      minCommissionRate: dec("50000000000000000"),
    },
    breaks: "max_validators 0",
  },
  {
    module: "slashing",
    typeUrl: "/cosmos.slashing.v1beta1.MsgUpdateParams",
    read: reader(
      "/cosmos.slashing.v1beta1.Query/Params",
      SlashingParams.decode,
      (r) => r.params,
      (p) => SlashingParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: {
      signedBlocksWindow: 50n,
      minSignedPerWindow: ascii("400000000000000000"),
      downtimeJailDuration: { seconds: 120n, nanos: 0 },
      slashFractionDoubleSign: ascii("100000000000000000"),
      slashFractionDowntime: ascii("20000000000000000"),
    },
    invalid: {
      signedBlocksWindow: 50n,
      minSignedPerWindow: ascii("400000000000000000"),
      downtimeJailDuration: { seconds: 120n, nanos: 0 },
      slashFractionDoubleSign: ascii("100000000000000000"),
      slashFractionDowntime: ascii("2000000000000000000"),
    },
    breaks: "slash_fraction_downtime 2",
  },
  {
    module: "distribution",
    typeUrl: "/cosmos.distribution.v1beta1.MsgUpdateParams",
    read: reader(
      "/cosmos.distribution.v1beta1.Query/Params",
      DistributionParams.decode,
      (r) => r.params,
      (p) => DistributionParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: { communityTax: dec("50000000000000000"), baseProposerReward: "0", bonusProposerReward: "0", withdrawAddrEnabled: false },
    invalid: { communityTax: dec("1500000000000000000"), baseProposerReward: "0", bonusProposerReward: "0", withdrawAddrEnabled: false },
    breaks: "community_tax 1.5",
  },
  {
    module: "mint",
    typeUrl: "/cosmos.mint.v1beta1.MsgUpdateParams",
    read: reader(
      "/cosmos.mint.v1beta1.Query/Params",
      MintParams.decode,
      (r) => r.params,
      (p) => MintParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: {
      mintDenom: "umira",
      inflationRateChange: "0",
      inflationMax: dec("100000000000000000"),
      inflationMin: dec("100000000000000000"),
      goalBonded: dec("670000000000000000"),
      blocksPerYear: 6_000_000n,
    },
    invalid: {
      mintDenom: "umira",
      inflationRateChange: "0",
      inflationMax: dec("100000000000000000"),
      inflationMin: dec("200000000000000000"),
      goalBonded: dec("670000000000000000"),
      blocksPerYear: 6_000_000n,
    },
    breaks: "inflation_min above inflation_max",
  },
  {
    module: "claims",
    typeUrl: "/mira.claims.v1.MsgUpdateParams",
    read: reader(
      "/mira.claims.v1.Query/Params",
      ClaimsParams.decode,
      (r) => r.params,
      (p) => ClaimsParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: CLAIMS_PARAMS,
    invalid: { ...CLAIMS_PARAMS, defaultThresholdBp: 5000 },
    breaks: "default_threshold_bp 5000",
  },
  {
    module: "sessions",
    typeUrl: "/mira.sessions.v1.MsgUpdateParams",
    read: reader(
      "/mira.sessions.v1.Query/Params",
      SessionsParams.decode,
      (r) => r.params,
      (p) => SessionsParams.encode({ params: p }).finish(),
    ),
    encoded: "",
    valid: { maxDuration: { seconds: 3600n, nanos: 0 }, maxScopeSize: 4 },
    invalid: { maxDuration: { seconds: 3600n, nanos: 0 }, maxScopeSize: 0 },
    breaks: "max_scope_size 0",
  },
];
// What the query must answer once `valid` is in force: the same response encoding.
for (const c of CASES) {
  const encode: Record<string, (p: never) => Uint8Array> = {
    auth: (p) => AuthParams.encode({ params: p }).finish(),
    bank: (p) => BankParams.encode({ params: p }).finish(),
    staking: (p) => StakingParams.encode({ params: p }).finish(),
    slashing: (p) => SlashingParams.encode({ params: p }).finish(),
    distribution: (p) => DistributionParams.encode({ params: p }).finish(),
    mint: (p) => MintParams.encode({ params: p }).finish(),
    claims: (p) => ClaimsParams.encode({ params: p }).finish(),
    sessions: (p) => SessionsParams.encode({ params: p }).finish(),
  };
  c.encoded = Buffer.from(encode[c.module]!(c.valid as never)).toString("hex");
}

const update = (typeUrl: string, authority: string, params: unknown): EncodeObject => ({ typeUrl, value: { authority, params } });

/** A 3-validator chain with the minimum gas price and a user (wallet 4) with funds. */
async function chain(t: Test, extra = {}): Promise<{ c: Chain; user: Wallet }> {
  const c = await startChain(t, { validators: 3, extra });
  return { c, user: c.wallets[4]! };
}

for (const pc of CASES) {
  t.test(`${pc.module}: MsgUpdateParams is governance's alone, checked as genesis checks it`, async (t) => {
    const { c, user } = await chain(t);
    const before = pc.read(c.app);
    t.not(before, pc.encoded, "the new params differ from genesis'");

    // An ordinary account signs a MsgUpdateParams naming itself as the authority: refused, nothing changes.
    const refused = await tx(c, user, [update(pc.typeUrl, user.address, pc.valid)]);
    t.equal(refused.code, 13, `refused with code 13 (${refused.log})`);
    t.equal(refused.codespace, "gov", "gov's InvalidSigner");
    t.match(refused.log ?? "", /expected gov account as only signer/);
    t.equal(pc.read(c.app), before, "the params are unchanged");

    // The gov module account with a bad field: refused with a coded error, nothing written.
    const bad = execAs(c.app, update(pc.typeUrl, GOV_ADDRESS, pc.invalid));
    t.equal(bad.code, 18, `${pc.breaks}: InvalidRequest (${bad.log})`);
    t.equal(bad.codespace, "sdk");
    await run(c, []);
    t.equal(pc.read(c.app), before, `${pc.breaks}: the params are unchanged`);

    // The gov module account with valid params: the Params query answers them from the next block.
    const ok = execAs(c.app, update(pc.typeUrl, GOV_ADDRESS, pc.valid));
    t.equal(ok.code, 0, ok.log);
    await run(c, []);
    t.equal(pc.read(c.app), pc.encoded, "the Params query answers the new params");
  });
}

t.test("staking: bond_denom cannot change while stake is bonded or unbonding", async (t) => {
  const { c } = await chain(t);
  const stakingCase = CASES.find((x) => x.module === "staking")!;
  const before = stakingCase.read(c.app);
  const r = execAs(c.app, update("/cosmos.staking.v1beta1.MsgUpdateParams", GOV_ADDRESS, { ...(stakingCase.valid as object), bondDenom: "uother" }));
  t.equal(r.code, 18, `InvalidRequest (${r.log})`);
  t.match(r.log, /bond_denom cannot change from umira to uother while \d+umira is staked or unbonding/);
  await run(c, []);
  t.equal(stakingCase.read(c.app), before, "the params are unchanged");
});

t.test("bank: with default_send_enabled off, sends fail with bank's SendDisabled", async (t) => {
  const { c, user } = await chain(t);
  t.equal(execAs(c.app, update("/cosmos.bank.v1beta1.MsgUpdateParams", GOV_ADDRESS, { sendEnabled: [], defaultSendEnabled: false })).code, 0);
  await run(c, []);
  const r = await tx(c, user, [send(user.address, c.wallets[3]!.address, "1")]);
  t.equal(r.code, 5, r.log);
  t.equal(r.codespace, "bank");
});

t.test("a governance-only message whose authority is another module account is refused too", async (t) => {
  const { c } = await chain(t);
  const other = bech32Address(moduleAddress("mint")); // any account but gov's
  const r = execAs(c.app, update("/cosmos.mint.v1beta1.MsgUpdateParams", other, CASES.find((x) => x.module === "mint")!.valid), other);
  t.equal(r.code, 13);
  t.equal(r.codespace, "gov");
});

const CONSENSUS = "/cosmos.consensus.v1.MsgUpdateParams";
const consensusParams = (app: MiraApp) => query(app, "/cosmos.consensus.v1.Query/Params", new Uint8Array(), ConsensusParamsResponse.decode).params!;
const consensusUpdate = (authority: string, over: Record<string, unknown> = {}): EncodeObject => ({
  typeUrl: CONSENSUS,
  value: {
    authority,
    block: { maxBytes: 1_000_000n, maxGas: 50_000_000n },
    evidence: { maxAgeNumBlocks: 5000n, maxAgeDuration: { seconds: 3600n, nanos: 0 }, maxBytes: 10_000n },
    validator: { pubKeyTypes: ["ed25519"] },
    ...over,
  },
});

t.test("consensus params: stored at InitChain, changed only by governance, handed to CometBFT in the block that changed them", async (t) => {
  const { c, user } = await chain(t);
  const genesis = consensusParams(c.app);
  t.equal(genesis.block?.maxBytes, 22_020_096n, "InitChain's (here CometBFT's default) block size answers from genesis");
  t.same(genesis.validator?.pubKeyTypes, ["ed25519"]);
  t.equal(genesis.abci?.voteExtensionsEnableHeight, 0n);

  const refused = await tx(c, user, [consensusUpdate(user.address)]);
  t.equal(refused.code, 13, refused.log);
  t.equal(refused.codespace, "gov");
  t.same(consensusParams(c.app), genesis, "unchanged");
  t.notOk((await run(c, [])).consensusParamUpdates, "a block that changes nothing hands CometBFT no update");

  const h = BigInt(c.app.store.version + 1);
  const bad: [string, Record<string, unknown>][] = [
    ["block.max_bytes 0", { block: { maxBytes: 0n, maxGas: -1n } }],
    ["block.max_bytes above 100 MiB", { block: { maxBytes: 104_857_601n, maxGas: -1n } }],
    ["block.max_gas below -1", { block: { maxBytes: -1n, maxGas: -2n } }],
    ["evidence.max_bytes above block.max_bytes", { evidence: { maxAgeNumBlocks: 5000n, maxAgeDuration: { seconds: 3600n, nanos: 0 }, maxBytes: 2_000_000n } }],
    ["evidence.max_age_num_blocks 0", { evidence: { maxAgeNumBlocks: 0n, maxAgeDuration: { seconds: 3600n, nanos: 0 }, maxBytes: 10n } }],
    ["evidence.max_age_duration 0", { evidence: { maxAgeNumBlocks: 10n, maxAgeDuration: { seconds: 0n, nanos: 0 }, maxBytes: 10n } }],
    ["no ed25519 key type", { validator: { pubKeyTypes: ["secp256k1"] } }],
    ["an unknown key type", { validator: { pubKeyTypes: ["ed25519", "sr25519"] } }],
    ["vote extensions at the current height", { abci: { voteExtensionsEnableHeight: h } }],
    ["vote extensions in the past", { abci: { voteExtensionsEnableHeight: 1n } }],
  ];
  for (const [why, over] of bad) {
    const r = execAs(c.app, consensusUpdate(GOV_ADDRESS, over));
    t.equal(r.code, 18, `${why}: InvalidRequest (${r.log})`);
  }
  const missing = execAs(c.app, { typeUrl: CONSENSUS, value: { authority: GOV_ADDRESS, block: { maxBytes: 1000n, maxGas: -1n } } });
  t.equal(missing.code, 18, `block, evidence and validator must all be present (${missing.log})`);
  t.notOk((await run(c, [])).consensusParamUpdates, "refused updates reach nobody");
  t.same(consensusParams(c.app), genesis, "unchanged");

  // Valid: new block and evidence limits, and vote extensions from three blocks on.
  const enableAt = BigInt(c.app.store.version + 3);
  t.equal(execAs(c.app, consensusUpdate(GOV_ADDRESS, { abci: { voteExtensionsEnableHeight: enableAt } })).code, 0);
  const changed = await run(c, []);
  const updates = changed.consensusParamUpdates as ConsensusParams | undefined;
  t.ok(updates, "the block that changed them carries consensus_param_updates");
  t.equal(updates?.block?.maxBytes, 1_000_000n);
  t.equal(updates?.block?.maxGas, 50_000_000n);
  t.equal(updates?.evidence?.maxBytes, 10_000n);
  t.equal(updates?.abci?.voteExtensionsEnableHeight, enableAt);
  t.same({ ...consensusParams(c.app), version: undefined }, updates, "the query answers them");
  t.equal(updates?.version, undefined, "the version section is never sent back (CometBFT keeps the app version)");
  t.notOk((await run(c, [])).consensusParamUpdates, "the next block carries none");

  // The app follows the new height: from enableAt + 1 a proposal must start with the extended commit.
  const after = enableAt + 1n;
  while (BigInt(c.app.store.version + 1) < after) await run(c, []);
  const p = await c.app.processProposal({
    txs: [],
    proposedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: after,
    time: { seconds: 1_700_000_000n + after * 5n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  t.equal(p.status, ResponseProcessProposal_ProposalStatus.REJECT, "a proposal without the extended commit is rejected once extensions are on");

  // Once on, the height can be neither moved nor switched off.
  const later = BigInt(c.app.store.version + 10);
  for (const [why, height] of [
    ["moved", later],
    ["switched off", 0n],
  ] as const) {
    const r = execAs(c.app, consensusUpdate(GOV_ADDRESS, { abci: { voteExtensionsEnableHeight: height } }));
    t.equal(r.code, 18, `vote extensions ${why} once enabled: refused (${r.log})`);
  }
});

t.test("a vote extensions height still in the future may be moved or switched off again", async (t) => {
  const { c } = await chain(t);
  const h = BigInt(c.app.store.version);
  t.equal(execAs(c.app, consensusUpdate(GOV_ADDRESS, { abci: { voteExtensionsEnableHeight: h + 10n } })).code, 0);
  await run(c, []);
  t.equal(execAs(c.app, consensusUpdate(GOV_ADDRESS, { abci: { voteExtensionsEnableHeight: h + 20n } })).code, 0, "moved further");
  await run(c, []);
  t.equal(execAs(c.app, consensusUpdate(GOV_ADDRESS, { abci: { voteExtensionsEnableHeight: 0n } })).code, 0, "switched off before it started");
  const res = await run(c, []);
  t.equal((res.consensusParamUpdates as ConsensusParams | undefined)?.abci?.voteExtensionsEnableHeight, 0n);
});

function communityPool(app: MiraApp): bigint {
  const r = query(app, "/cosmos.distribution.v1beta1.Query/CommunityPool", new Uint8Array(), QueryCommunityPoolResponse.decode);
  return BigInt(r.pool.find((x) => x.denom === "umira")?.amount ?? "0") / 10n ** 18n;
}

t.test("MsgCommunityPoolSpend: governance pays from the pool; a short pool or another signer changes nothing", async (t) => {
  const { c, user } = await chain(t, { mint: { params: { inflation: "0" } } });
  const recipient = c.wallets[3]!;
  t.equal(
    (
      await tx(c, user, [
        { typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool", value: { depositor: user.address, amount: [{ denom: "umira", amount: "1000000" }] } },
      ])
    ).code,
    0,
  );
  const pool = communityPool(c.app);
  t.ok(pool >= 1_000_000n, `the pool holds ${pool}`);
  const spend = (authority: string, amount: bigint): EncodeObject => ({
    typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    value: { authority, recipient: recipient.address, amount: [{ denom: "umira", amount: amount.toString() }] },
  });

  const refused = await tx(c, user, [spend(user.address, 1n)]);
  t.equal(refused.code, 13, refused.log);
  t.equal(refused.codespace, "gov");

  const got = balance(c.app, recipient.address);
  const poolNow = communityPool(c.app);
  const short = execAs(c.app, spend(GOV_ADDRESS, poolNow + 1n));
  t.equal(short.code, 9, `a pool short of the amount: distribution's BadDistribution (${short.log})`);
  t.equal(short.codespace, "distribution");
  t.match(short.log, /community pool does not have sufficient coins/);
  await run(c, []);
  t.equal(balance(c.app, recipient.address), got, "the recipient got nothing");
  t.ok(communityPool(c.app) >= poolNow, "the pool paid nothing");

  const poolBefore = communityPool(c.app);
  const paid = execAs(c.app, spend(GOV_ADDRESS, 400_000n));
  t.equal(paid.code, 0, paid.log);
  await run(c, []);
  t.equal(balance(c.app, recipient.address), got + 400_000n, "the recipient is paid");
  t.ok(communityPool(c.app) <= poolBefore - 400_000n + 10n, "the pool paid it (the block's tax may add a little)");

  const toModule = execAs(c.app, {
    typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    value: { authority: GOV_ADDRESS, recipient: bech32Address(moduleAddress("distribution")), amount: [{ denom: "umira", amount: "1" }] },
  });
  t.equal(toModule.code, 4, `a module account does not receive from the pool (${toModule.log})`);
});

t.test("claims: a model hash taken off the allow-list stops counting from the next block", async (t) => {
  const modelA = Buffer.alloc(32, 0xa);
  const modelB = Buffer.alloc(32, 0xb);
  const hex = (b: Buffer) => b.toString("hex");
  const c = await startChain(t, {
    validators: 3,
    voteExtensionsHeight: 1n,
    extra: { claims: { params: { allowed_model_hashes: [hex(modelA), hex(modelB)] } } },
  });
  const user = c.wallets[4]!;
  const res = await tx(c, user, [
    {
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: user.address, content: "", claims: ["Water is wet.", "The sky is green."], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 3 },
    },
  ]);
  t.equal(res.code, 0, res.log ?? "");
  const [first, second] = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value).claimIds as [bigint, bigint];
  const claim = (id: bigint) => query(c.app, "/mira.claims.v1.Query/Claim", QueryClaimRequest.encode({ id }).finish(), QueryClaimResponse.decode).claim!;
  const extension = (claimId: bigint, model: Buffer) =>
    VoteExtension.encode({ verdicts: [{ claimId, verdict: Verdict.VERDICT_UNVERIFIABLE, confidenceBp: 9000 }], modelHash: model }).finish();
  const commit = (votes: [number, Uint8Array][]) =>
    encodeInjectedCommit({
      round: 0,
      votes: votes.map(([i, voteExtension]) => ({
        validator: { address: consAddress(c, i), power: BigInt(10 + i) },
        voteExtension,
        extensionSignature: Buffer.alloc(64, 1),
        blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      })),
    });

  // Under the genesis list, model A's verdict counts.
  await run(c, [commit([[0, extension(first, modelA)]])]);
  t.same(
    claim(first).votes.map((v) => hex(Buffer.from(v.modelHash))),
    [hex(modelA)],
    "model A's verdict is recorded while A is allowed",
  );

  // Governance keeps only model B.
  const current = query(c.app, "/mira.claims.v1.Query/Params", new Uint8Array(), ClaimsParams.decode).params!;
  const params = ClaimsParamsCodec.fromPartial({ ...current, allowedModelHashes: [modelB] });
  t.equal(execAs(c.app, update("/mira.claims.v1.MsgUpdateParams", GOV_ADDRESS, params)).code, 0);
  await run(c, []);
  t.same(
    query(c.app, "/mira.claims.v1.Query/Params", new Uint8Array(), ClaimsParams.decode).params!.allowedModelHashes.map((h) => hex(Buffer.from(h))),
    [hex(modelB)],
  );

  // From the next block: model A's verdicts are not counted, model B's are; VerifyVoteExtension judges by the new list.
  await run(c, [
    commit([
      [1, extension(first, modelA)],
      [2, extension(second, modelB)],
      [0, extension(second, modelA)],
    ]),
  ]);
  t.equal(claim(first).votes.length, 1, "model A's new verdict on the first claim is not counted");
  t.same(
    claim(second).votes.map((v) => hex(Buffer.from(v.modelHash))),
    [hex(modelB)],
    "on the second claim only model B's verdict is counted",
  );
  const verify = (i: number, ext: Uint8Array) =>
    c.app.verifyVoteExtension({ hash: new Uint8Array(32), validatorAddress: consAddress(c, i), height: BigInt(c.app.store.version + 1), voteExtension: ext })
      .status;
  t.equal(verify(1, extension(second, modelA)), ResponseVerifyVoteExtension_VerifyStatus.REJECT, "an extension from model A is refused");
  t.equal(verify(1, extension(second, modelB)), ResponseVerifyVoteExtension_VerifyStatus.ACCEPT, "one from model B is accepted");
});

t.test("claims: a new default threshold and verifiers per claim apply to the next content", async (t) => {
  const { c, user } = await chain(t);
  t.equal(execAs(c.app, update("/mira.claims.v1.MsgUpdateParams", GOV_ADDRESS, { ...CLAIMS_PARAMS, allowedModelHashes: [] })).code, 0);
  await run(c, []);
  const res = await tx(c, user, [
    {
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: user.address, content: "Water is wet.", claims: [], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 0 },
    },
  ]);
  t.equal(res.code, 0, res.log ?? "");
  const { contentId } = MsgSubmitContentResponse.decode(TxMsgData.decode(res.data!).msgResponses[0]!.value);
  const content = query(c.app, "/mira.claims.v1.Query/Content", QueryContentRequest.encode({ id: contentId }).finish(), QueryContentResponse.decode).content!;
  t.equal(content.thresholdBp, 8000, "the new default threshold");
  t.equal(content.verifiersPerClaim, 5, "the new default verifiers per claim");
  t.equal(content.fee?.amount, "2000", "the new fee per claim (at the default verifiers per claim)");
});

t.test("claims: the node's own sidecar verdicts stop going out once governance drops their model", async (t) => {
  const modelA = "a".repeat(64);
  const c = await startChain(t, { validators: 3, voteExtensionsHeight: 1n, extra: { claims: { params: { allowed_model_hashes: [modelA] } } } });
  const model: SidecarModel = {
    sha256: modelA,
    verify: async (pairs) => pairs.map(() => ({ verdict: "SUPPORTED" as const, confidenceBp: 9000, modelSha256: modelA })),
  };
  const sidecar = await startSidecar({ model, listen: "127.0.0.1:0" });
  t.teardown(() => sidecar.close());
  const client = new SidecarClient(sidecar.address);
  t.teardown(() => client.close());
  const logs: string[] = [];
  c.app.attachVerifier(client, consAddress(c, 0), (line) => logs.push(line));
  const user = c.wallets[4]!;
  const submitted = await tx(c, user, [
    {
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: user.address, content: "", claims: ["Water is wet."], sourceContext: "", thresholdBp: 0, verifiersPerClaim: 3 },
    },
  ]);
  t.equal(submitted.code, 0, submitted.log ?? "");
  let ext: Uint8Array = new Uint8Array();
  const height = () => BigInt(c.app.store.version + 1);
  for (const until = Date.now() + 10_000; ext.length === 0 && Date.now() < until; await new Promise((r) => setTimeout(r, 50)))
    ext = c.app.extendVote({ height: height() }).voteExtension;
  t.equal(Buffer.from(VoteExtension.decode(ext).modelHash).toString("hex"), modelA, "model A's verdict goes out while A is allowed");

  const current = query(c.app, "/mira.claims.v1.Query/Params", new Uint8Array(), ClaimsParams.decode).params!;
  const params = ClaimsParamsCodec.fromPartial({ ...current, allowedModelHashes: [Buffer.alloc(32, 0xb)] });
  t.equal(execAs(c.app, update("/mira.claims.v1.MsgUpdateParams", GOV_ADDRESS, params)).code, 0);
  await run(c, []);
  await run(c, []); // past the height right after the one it went out at (the bridge holds back a resend there)
  t.equal(c.app.extendVote({ height: height() }).voteExtension.length, 0, "after the change the verdict of model A is not sent");
  t.match(logs.join("\n"), /is not allowed by the claims params/);
});

t.test("the minimum gas price: governance's alone (mira.auth.v1.MsgUpdateMinGasPrice), applied to the next tx and reported by the node", async (t) => {
  const { c, user } = await chain(t);
  const setPrice = (authority: string, minGasPrice: string): EncodeObject => ({
    typeUrl: "/mira.auth.v1.MsgUpdateMinGasPrice",
    value: { authority, minGasPrice },
  });
  const reported = async () =>
    ConfigResponse.decode((await c.app.query({ path: "/cosmos.base.node.v1beta1.Service/Config", data: new Uint8Array(), height: 0n, prove: false })).value!)
      .minimumGasPrice;
  t.equal(await reported(), "0.025umira");
  const refused = await tx(c, user, [setPrice(user.address, "0.05umira")]);
  t.equal(refused.code, 13, refused.log);
  t.equal(refused.codespace, "gov");
  const bad = execAs(c.app, setPrice(GOV_ADDRESS, "five umira"));
  t.equal(bad.code, 10, `not a gas price: InvalidCoins, as genesis refuses it (${bad.log})`);
  await run(c, []);
  t.equal(await reported(), "0.025umira", "unchanged");
  t.equal(execAs(c.app, setPrice(GOV_ADDRESS, "0.05umira")).code, 0);
  await run(c, []);
  t.equal(await reported(), "0.05umira", "the node reports the new price");
  const cheap = await tx(c, user, [send(user.address, c.wallets[3]!.address, "1")]); // 10,000umira for 400,000 gas: 0.025
  t.equal(cheap.code, 13, `a fee at the old price is now too low (${cheap.log})`);
});

t.test("slashing: a new signed_blocks_window starts every validator's window afresh", async (t) => {
  const c = await startChain(t, {
    validators: 3,
    extra: { slashing: { params: { signed_blocks_window: 10, min_signed_per_window: "0.5", downtime_jail_duration: "30s" } } },
  });
  const cons2 = consAddress(c, 2);
  const missing2 = (req: RequestFinalizeBlock): void => {
    req.decidedLastCommit = {
      round: 0,
      votes: [0, 1, 2].map((i) => ({
        validator: { address: consAddress(c, i), power: BigInt(10 + i) },
        blockIdFlag: i === 2 ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
      })),
    };
  };
  // Signed blocks first, then misses: the misses sit at window indices 4 to 7 (or later), which a window of 4 never revisits.
  for (let i = 0; i < 4; i++) await run(c, []);
  for (let i = 0; i < 4; i++) await run(c, [], missing2);
  const missed = () =>
    query(
      c.app,
      "/cosmos.slashing.v1beta1.Query/SigningInfo",
      QuerySigningInfoRequest.encode({ consAddress: valconsAddress(cons2) }).finish(),
      QuerySigningInfoResponse.decode,
    ).valSigningInfo.missedBlocksCounter;
  t.equal(missed(), 4n, "4 missed blocks in a window of 10 (5 allowed)");
  // A window of 4 allows 2 missed: the 4 old misses, never revisited by the smaller window, would stay counted and jail it.
  const params = {
    signedBlocksWindow: 4n,
    minSignedPerWindow: ascii("500000000000000000"),
    downtimeJailDuration: { seconds: 30n, nanos: 0 },
    slashFractionDoubleSign: ascii("50000000000000000"),
    slashFractionDowntime: ascii("10000000000000000"),
  };
  t.equal(execAs(c.app, update("/cosmos.slashing.v1beta1.MsgUpdateParams", GOV_ADDRESS, params)).code, 0);
  await run(c, []);
  t.equal(missed(), 0n, "the window starts afresh");
  for (let i = 0; i < 6; i++) await run(c, []);
  const v2 = query(
    c.app,
    "/cosmos.staking.v1beta1.Query/Validators",
    QueryValidatorsRequest.encode({ status: "" }).finish(),
    QueryValidatorsResponse.decode,
  ).validators.find((v) => v.operatorAddress === valoper(c.wallets[2]!.address))!;
  t.notOk(v2.jailed, "not jailed for blocks missed under the old window");
});
