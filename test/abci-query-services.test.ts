// Every method of the query registry (the one list the gRPC server and ABCI Query both serve) called
// over gRPC and over CometBFT's abci_query on a real chain (CometBFT + mirad start): the same code,
// and on success the same bytes. Hermes' health check asks Config, GetNodeInfo and staking Params
// over abci_query; a BroadcastTx over abci_query (CheckTx while the Query waits) must not deadlock.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAllBalancesRequest, QueryBalanceRequest, QuerySupplyOfRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryDenomMetadataRequest } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QuerySigningInfoRequest } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { StatusResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import {
  ABCIQueryRequest,
  GetBlockByHeightRequest,
  GetLatestBlockResponse,
  GetLatestValidatorSetResponse,
  GetValidatorSetByHeightRequest,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import {
  QueryDelegationRewardsRequest,
  QueryDelegationTotalRewardsRequest,
  QueryDelegatorValidatorsRequest as DistributionDelegatorValidatorsRequest,
  QueryDelegatorWithdrawAddressRequest,
  QueryValidatorCommissionRequest,
  QueryValidatorOutstandingRewardsRequest,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import {
  QueryDelegationRequest,
  QueryDelegatorDelegationsRequest,
  QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorValidatorRequest,
  QueryDelegatorValidatorsRequest,
  QueryHistoricalInfoRequest,
  QueryRedelegationsRequest,
  QueryValidatorDelegationsRequest,
  QueryValidatorRequest,
  QueryValidatorUnbondingDelegationsRequest,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { QueryAccountRequest } from "cosmjs-types/cosmos/auth/v1beta1/query";
import {
  BroadcastMode,
  BroadcastTxRequest,
  BroadcastTxResponse,
  GetTxRequest,
  GetTxResponse,
  SimulateRequest,
  SimulateResponse,
} from "cosmjs-types/cosmos/tx/v1beta1/service";
import t, { type Test } from "tap";
import { MiraApp, STORE_NAMES } from "../app/chain/app";
import { waitForHeight } from "../app/cli/cometbft";
import { bech32Address, consensusAddress, VALCONS_PREFIX } from "../app/core/address";
import { SdkCode } from "../app/core/errors";
import { BLOCK_HEIGHT_HEADER } from "../app/grpc";
import { MultiStore } from "../app/store";
import { QueryClaimsBySubmitterRequest } from "../proto/gen/mira/claims/v1/query";
import { QuerySessionsByGranteeRequest, QuerySessionsByGranterRequest } from "../proto/gen/mira/sessions/v1/query";
import { send, signTx, wallet } from "./helpers/app-driver";
import { callUnary, grpcClient } from "./helpers/grpc-client";
import { SINGLE_NODE_CHAIN_ID, startSingleNode } from "./helpers/single-node";
import { tempDir } from "./helpers/tmp";

const OFFSET = 4_500; // its own ports (the other chain tests use -6000..4000), below the ephemeral range (32768+)

const BROADCAST_TX = "/cosmos.tx.v1beta1.Service/BroadcastTx";
const GET_TX = "/cosmos.tx.v1beta1.Service/GetTx";
const HEALTH_CHECK = [
  "/cosmos.base.node.v1beta1.Service/Config",
  "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo",
  "/cosmos.staking.v1beta1.Query/Params",
];

/** The registry's method paths, from the same code mirad serves them with. */
function registeredMethods(t: Test): string[] {
  const store = MultiStore.open(path.join(tempDir(t), "registry.db"), { stores: STORE_NAMES });
  t.teardown(() => store.close());
  return [...new MiraApp(store).services.keys()];
}

interface AbciAnswer {
  code: number;
  codespace: string;
  log: string;
  value: Buffer;
  height: bigint;
}

/** CometBFT's abci_query over JSON-RPC, as Hermes sends it: the method's path and the hex request. */
async function abciQuery(rpcUrl: string, methodPath: string, request: Uint8Array, height = 0n): Promise<AbciAnswer> {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "abci_query",
      params: { path: methodPath, data: Buffer.from(request).toString("hex"), height: height.toString(), prove: false },
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = (await res.json()) as {
    result?: { response: { code?: number; codespace?: string; log?: string; value?: string | null; height?: string } };
    error?: { message: string; data?: string };
  };
  if (body.error || !body.result) throw new Error(`abci_query ${methodPath}: ${JSON.stringify(body.error)}`);
  const r = body.result.response;
  return { code: r.code ?? 0, codespace: r.codespace ?? "", log: r.log ?? "", value: Buffer.from(r.value ?? "", "base64"), height: BigInt(r.height ?? "0") };
}

type GrpcAnswer = { ok: true; value: Buffer; height: bigint | undefined } | { ok: false; error: grpc.ServiceError };

async function grpcQuery(client: grpc.Client, methodPath: string, request: Uint8Array, height: bigint): Promise<GrpcAnswer> {
  const md = new grpc.Metadata();
  md.set(BLOCK_HEIGHT_HEADER, height.toString());
  try {
    const { response, headers } = await callUnary(client, methodPath, request, md);
    const h = headers.get(BLOCK_HEIGHT_HEADER);
    return { ok: true, value: response, height: h.length === 1 ? BigInt(String(h[0])) : undefined };
  } catch (err) {
    return { ok: false, error: err as grpc.ServiceError };
  }
}

/**
 * The code a gRPC failure has over abci_query: a chain error's own ("codespace X code N: …"), any
 * other status as the SDK's gRPCErrorToSDKError maps it.
 */
function abciCodeOf(err: grpc.ServiceError): { codespace: string; code: number } {
  const m = /^codespace (\S+) code (\d+): /.exec(err.details);
  if (m) return { codespace: m[1]!, code: Number(m[2]) };
  const bySdk = new Map<grpc.status, number>([
    [grpc.status.NOT_FOUND, SdkCode.KeyNotFound],
    [grpc.status.INVALID_ARGUMENT, SdkCode.InvalidRequest],
    [grpc.status.FAILED_PRECONDITION, SdkCode.InvalidRequest],
    [grpc.status.UNAUTHENTICATED, SdkCode.Unauthorized],
  ]);
  return { codespace: "sdk", code: bySdk.get(err.code) ?? SdkCode.UnknownRequest };
}

const sha256Hex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex").toUpperCase();

/** Polls GetTx over gRPC until the tx is in a committed block; its height. */
async function committedHeight(client: grpc.Client, hash: string, timeoutMs = 30_000): Promise<bigint> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const answer = await grpcQuery(client, GET_TX, GetTxRequest.encode({ hash }).finish(), 0n);
    if (answer.ok) return GetTxResponse.decode(answer.value).txResponse!.height;
    if (answer.error.code !== grpc.status.NOT_FOUND || Date.now() > end) throw answer.error;
    await new Promise((r) => setTimeout(r, 100));
  }
}

t.test("every registered query method answers the same over gRPC and abci_query", async (t) => {
  const chain = await startSingleNode(t, OFFSET, { grpc: true });
  const client = grpcClient(t, chain.grpcPort!);
  const methods = registeredMethods(t);
  for (const m of [...HEALTH_CHECK, BROADCAST_TX, GET_TX]) t.ok(methods.includes(m), `${m} is registered`);

  // A real tx, sent with BroadcastTx over abci_query (CheckTx runs while that Query waits), then found by GetTx.
  const user = await wallet(chain.user.mnemonic);
  const accountAnswer = await grpcQuery(client, "/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address: user.address }).finish(), 0n);
  if (!accountAnswer.ok) throw accountAnswer.error;
  const account = BaseAccount.decode(QueryAccountResponse.decode(accountAnswer.value).account!.value);
  const sign = (sequence: bigint) =>
    signTx(user, [send(user.address, chain.validator.address, "1000")], {
      accountNumber: account.accountNumber,
      sequence: Number(sequence),
      chainId: SINGLE_NODE_CHAIN_ID,
    });
  const txBytes = await sign(account.sequence);
  const broadcast = await abciQuery(chain.rpc, BROADCAST_TX, BroadcastTxRequest.encode({ txBytes, mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish());
  t.equal(broadcast.code, 0, `BroadcastTx over abci_query answers (${broadcast.log})`);
  const broadcastResponse = BroadcastTxResponse.decode(broadcast.value).txResponse!;
  t.equal(broadcastResponse.code, 0, `the tx passed CheckTx (${broadcastResponse.rawLog})`);
  t.equal(broadcastResponse.txhash, sha256Hex(txBytes));
  const height = await committedHeight(client, sha256Hex(txBytes));

  // A sensible request per method; a method left out gets the empty request, and must still fail or answer alike.
  const accountReq = { address: user.address };
  const delegator = chain.validator.address;
  const valoper = chain.validator.valoper;
  const validatorKey = JSON.parse(fs.readFileSync(path.join(chain.dir, "cometbft", "config", "priv_validator_key.json"), "utf8")) as {
    pub_key: { value: string };
  };
  const valcons = bech32Address(consensusAddress(Buffer.from(validatorKey.pub_key.value, "base64")), VALCONS_PREFIX);
  const requests = new Map<string, Uint8Array>([
    ["/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode(accountReq).finish()],
    ["/cosmos.bank.v1beta1.Query/AllBalances", QueryAllBalancesRequest.encode({ ...accountReq, resolveDenom: false }).finish()],
    ["/cosmos.bank.v1beta1.Query/Balance", QueryBalanceRequest.encode({ ...accountReq, denom: "umira" }).finish()],
    ["/cosmos.bank.v1beta1.Query/DenomMetadata", QueryDenomMetadataRequest.encode({ denom: "umira" }).finish()],
    ["/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: "umira" }).finish()],
    [
      "/cosmos.distribution.v1beta1.Query/DelegationRewards",
      QueryDelegationRewardsRequest.encode({ delegatorAddress: delegator, validatorAddress: valoper }).finish(),
    ],
    ["/cosmos.distribution.v1beta1.Query/DelegationTotalRewards", QueryDelegationTotalRewardsRequest.encode({ delegatorAddress: delegator }).finish()],
    ["/cosmos.distribution.v1beta1.Query/DelegatorValidators", DistributionDelegatorValidatorsRequest.encode({ delegatorAddress: delegator }).finish()],
    ["/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress", QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: delegator }).finish()],
    ["/cosmos.distribution.v1beta1.Query/ValidatorCommission", QueryValidatorCommissionRequest.encode({ validatorAddress: valoper }).finish()],
    ["/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards", QueryValidatorOutstandingRewardsRequest.encode({ validatorAddress: valoper }).finish()],
    ["/cosmos.staking.v1beta1.Query/Delegation", QueryDelegationRequest.encode({ delegatorAddr: delegator, validatorAddr: valoper }).finish()],
    ["/cosmos.staking.v1beta1.Query/DelegatorDelegations", QueryDelegatorDelegationsRequest.encode({ delegatorAddr: delegator }).finish()],
    ["/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations", QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: delegator }).finish()],
    ["/cosmos.staking.v1beta1.Query/DelegatorValidator", QueryDelegatorValidatorRequest.encode({ delegatorAddr: delegator, validatorAddr: valoper }).finish()],
    ["/cosmos.staking.v1beta1.Query/DelegatorValidators", QueryDelegatorValidatorsRequest.encode({ delegatorAddr: delegator }).finish()],
    ["/cosmos.staking.v1beta1.Query/HistoricalInfo", QueryHistoricalInfoRequest.encode({ height }).finish()],
    [
      "/cosmos.staking.v1beta1.Query/Redelegations",
      QueryRedelegationsRequest.encode(QueryRedelegationsRequest.fromPartial({ delegatorAddr: delegator })).finish(),
    ],
    ["/cosmos.staking.v1beta1.Query/Validator", QueryValidatorRequest.encode({ validatorAddr: valoper }).finish()],
    ["/cosmos.staking.v1beta1.Query/ValidatorDelegations", QueryValidatorDelegationsRequest.encode({ validatorAddr: valoper }).finish()],
    ["/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations", QueryValidatorUnbondingDelegationsRequest.encode({ validatorAddr: valoper }).finish()],
    ["/cosmos.slashing.v1beta1.Query/SigningInfo", QuerySigningInfoRequest.encode({ consAddress: valcons }).finish()],
    ["/mira.claims.v1.Query/ClaimsBySubmitter", QueryClaimsBySubmitterRequest.encode({ submitter: user.address }).finish()],
    ["/mira.sessions.v1.Query/SessionsByGranter", QuerySessionsByGranterRequest.encode({ granter: user.address }).finish()],
    ["/mira.sessions.v1.Query/SessionsByGrantee", QuerySessionsByGranteeRequest.encode({ grantee: user.address }).finish()],
    // The next tx of the same account: a simulation that succeeds.
    ["/cosmos.tx.v1beta1.Service/Simulate", SimulateRequest.encode({ txBytes: await sign(account.sequence + 1n) }).finish()],
    [GET_TX, GetTxRequest.encode({ hash: sha256Hex(txBytes) }).finish()],
    // Not a tx: CheckTx refuses it alike both times (a refused tx is not kept in CometBFT's cache).
    [BROADCAST_TX, BroadcastTxRequest.encode({ txBytes: Buffer.from("not a tx"), mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish()],
    ["/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight", GetBlockByHeightRequest.encode({ height }).finish()],
    ["/cosmos.base.tendermint.v1beta1.Service/GetValidatorSetByHeight", GetValidatorSetByHeightRequest.encode({ height }).finish()],
    [
      "/cosmos.base.tendermint.v1beta1.Service/ABCIQuery",
      ABCIQueryRequest.encode({ path: "/cosmos.staking.v1beta1.Query/Params", data: new Uint8Array(), height, prove: false }).finish(),
    ],
  ]);
  // The methods whose answer moves between two calls (the latest block, status and validator set, a
  // simulation on the mempool's state): what cannot move is compared.
  const moving = new Map<string, (overGrpc: Buffer, overAbci: Buffer) => void>([
    [
      "/cosmos.base.node.v1beta1.Service/Status",
      (overGrpc, overAbci) => {
        const [a, b] = [StatusResponse.decode(overGrpc), StatusResponse.decode(overAbci)];
        t.equal(a.earliestStoreHeight, b.earliestStoreHeight, "Status: the same earliest height");
        t.ok(a.height >= height && b.height >= a.height, `Status: height ${a.height} over gRPC, then ${b.height} over abci_query`);
      },
    ],
    [
      "/cosmos.base.tendermint.v1beta1.Service/GetLatestValidatorSet",
      (overGrpc, overAbci) => {
        const [a, b] = [GetLatestValidatorSetResponse.decode(overGrpc), GetLatestValidatorSetResponse.decode(overAbci)];
        t.same(
          a.validators.map((v) => [v.address, v.votingPower]),
          b.validators.map((v) => [v.address, v.votingPower]),
          "GetLatestValidatorSet: the same validators",
        );
        t.ok(b.blockHeight >= a.blockHeight, `GetLatestValidatorSet: at ${a.blockHeight}, then ${b.blockHeight}`);
      },
    ],
    [
      "/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock",
      (overGrpc, overAbci) => {
        const [a, b] = [GetLatestBlockResponse.decode(overGrpc).block!.header!, GetLatestBlockResponse.decode(overAbci).block!.header!];
        t.equal(a.chainId, SINGLE_NODE_CHAIN_ID);
        t.equal(b.chainId, SINGLE_NODE_CHAIN_ID);
        t.ok(a.height >= height && b.height >= a.height, `latest block ${a.height} over gRPC, then ${b.height} over abci_query`);
      },
    ],
    [
      // A simulation runs on the mempool's state, which a block committed between the two calls renews: the fee
      // collector's balance, read by the fee deduction and charged by its length, can differ by a few bytes of gas.
      "/cosmos.tx.v1beta1.Service/Simulate",
      (overGrpc, overAbci) => {
        const [a, b] = [SimulateResponse.decode(overGrpc), SimulateResponse.decode(overAbci)];
        t.equal(a.gasInfo!.gasWanted, b.gasInfo!.gasWanted, "Simulate: the same gas wanted");
        const [ga, gb] = [Number(a.gasInfo!.gasUsed), Number(b.gasInfo!.gasUsed)];
        t.ok(ga > 0 && Math.abs(ga - gb) <= 100, `Simulate: gas used ${ga} over gRPC, ${gb} over abci_query`);
        t.same(a.result!.msgResponses, b.result!.msgResponses, "Simulate: the same message responses");
        t.same(
          a.result!.events.map((e) => e.type),
          b.result!.events.map((e) => e.type),
          "Simulate: the same events",
        );
      },
    ],
  ]);
  for (const m of [...requests.keys(), ...moving.keys()]) t.ok(methods.includes(m), `the request table names a registered method: ${m}`);

  const succeeded: string[] = [];
  // One call at a time: two BroadcastTx of the same bytes at once would meet CometBFT's cache.
  for (const method of methods) {
    const request = requests.get(method) ?? new Uint8Array();
    const overGrpc = await grpcQuery(client, method, request, height);
    const overAbci = await abciQuery(chain.rpc, method, request, height);
    if (!overGrpc.ok) {
      const want = abciCodeOf(overGrpc.error);
      t.same({ code: overAbci.code, codespace: overAbci.codespace }, want, `${method} fails alike (gRPC: ${overGrpc.error.details})`);
      continue;
    }
    if (overAbci.code !== 0) {
      t.fail(`${method} answers over gRPC but abci_query says code ${overAbci.code} (${overAbci.codespace}): ${overAbci.log}`);
      continue;
    }
    succeeded.push(method);
    const compareMoving = moving.get(method);
    if (compareMoving) compareMoving(overGrpc.value, overAbci.value);
    else t.ok(overGrpc.value.equals(overAbci.value), `${method}: the same ${overGrpc.value.length} bytes`);
    // A query of state answers at the height asked for, on both; abci_query always says a height.
    if (overGrpc.height !== undefined) t.equal(overGrpc.height, height, `${method} answered at height ${height} over gRPC`);
    t.equal(overAbci.height, height, `${method} answered at height ${height} over abci_query`);
  }
  for (const m of HEALTH_CHECK) t.ok(succeeded.includes(m), `${m} answers code 0 over abci_query (Hermes' health check)`);
  for (const m of requests.keys()) {
    // The chain has no denom metadata: DenomMetadata is a not-found over both.
    if (m !== "/cosmos.bank.v1beta1.Query/DenomMetadata") t.ok(succeeded.includes(m), `${m} answers with its request`);
  }
  t.ok(succeeded.length >= methods.length / 2, `${succeeded.length} of ${methods.length} methods answered code 0`);

  const unknown = await abciQuery(chain.rpc, "/cosmos.nothing.v1beta1.Query/Nothing", new Uint8Array());
  t.same({ code: unknown.code, codespace: unknown.codespace }, { code: SdkCode.UnknownRequest, codespace: "sdk" }, "an unknown path is code 6");
  t.match(unknown.log, /unknown query path/);

  // Many callers at once of the methods that wait on CometBFT's RPC, BroadcastTx among them (some
  // meet CometBFT's cache): every one is answered and blocks keep coming, so no Query holds the ABCI queue.
  const before = await waitForHeight(chain.rpc, 1);
  const refused = BroadcastTxRequest.encode({ txBytes: Buffer.from("still not a tx"), mode: BroadcastMode.BROADCAST_MODE_SYNC }).finish();
  const calls = [...HEALTH_CHECK, "/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock", BROADCAST_TX];
  const answers = await Promise.all(
    Array.from({ length: 50 }, (_, i) => calls[i % calls.length]!).map((m) => abciQuery(chain.rpc, m, m === BROADCAST_TX ? refused : new Uint8Array())),
  );
  t.ok(
    answers.every((a) => a.code === 0),
    "50 concurrent abci_query calls all answer code 0",
  );
  await waitForHeight(chain.rpc, before + 3, 30_000);
  t.pass("blocks kept coming");
});
