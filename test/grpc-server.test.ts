// The gRPC server over a fake backend, called by a real @grpc/grpc-js client: query methods through
// the one generic handler with the SDK's height header, error statuses, Simulate, Config.
import * as grpc from "@grpc/grpc-js";
import { QueryAccountRequest } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { ServiceClientImpl as NodeService } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import { ServiceClientImpl as TendermintService } from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import { BroadcastMode, ServiceClientImpl as TxService } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import t, { type Test } from "tap";
import { ChainError, chainError, SdkCode } from "../app/core/errors";
import { BLOCK_HEIGHT_HEADER, grpcStatusOf, GrpcStatusError, queryServices, startGrpcServer } from "../app/grpc";
import { callUnary, grpcClient, grpcFailure, rpcOver } from "./helpers/grpc-client";
import { ACCOUNT, BALANCE, FakeBackend, KNOWN_ADDRESS, LATEST_HEIGHT } from "./helpers/grpc-fake-backend";

async function serve(t: Test, backend = new FakeBackend()): Promise<{ backend: FakeBackend; client: grpc.Client }> {
  const server = await startGrpcServer(queryServices(backend), "127.0.0.1:0");
  t.teardown(() => server.close());
  t.ok(server.port > 0, "the server reports the port it bound");
  return { backend, client: grpcClient(t, server.port) };
}

const balanceRequest = (address = KNOWN_ADDRESS) => QueryBalanceRequest.encode({ address, denom: "umira" }).finish();

function atHeight(height: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(BLOCK_HEIGHT_HEADER, height);
  return md;
}

t.test("a query method answers at the latest height and says which", async (t) => {
  const { backend, client } = await serve(t);
  const { response, headers } = await callUnary(client, BALANCE, balanceRequest());
  t.same(QueryBalanceResponse.decode(response).balance, { denom: "umira", amount: "10000" });
  t.same(headers.get(BLOCK_HEIGHT_HEADER), [LATEST_HEIGHT.toString()], "the answered height comes back in the response headers");
  t.same(backend.queries, [{ method: BALANCE, height: 0n }], "no header asks the backend for the latest height (0)");
});

t.test("the x-cosmos-block-height header picks a past height", async (t) => {
  const { backend, client } = await serve(t);
  const { response, headers } = await callUnary(client, BALANCE, balanceRequest(), atHeight("7"));
  t.equal(QueryBalanceResponse.decode(response).balance?.amount, "7000");
  t.same(headers.get(BLOCK_HEIGHT_HEADER), ["7"]);
  t.same(backend.queries, [{ method: BALANCE, height: 7n }]);
});

t.test("a malformed or future height is INVALID_ARGUMENT", async (t) => {
  const { backend, client } = await serve(t);
  for (const bad of ["-1", "abc", "1.5", "99999999999999999999"]) {
    const err = await grpcFailure(t, callUnary(client, BALANCE, balanceRequest(), atHeight(bad)));
    t.equal(err.code, grpc.status.INVALID_ARGUMENT, `height ${bad}`);
    t.match(err.details, BLOCK_HEIGHT_HEADER);
  }
  t.same(backend.queries, [], "the backend is never asked");
  const future = await grpcFailure(t, callUnary(client, BALANCE, balanceRequest(), atHeight("11")));
  t.equal(future.code, grpc.status.INVALID_ARGUMENT);
  t.match(future.details, "codespace sdk code 18: cannot query with height in the future");
});

t.test("not found is NOT_FOUND with the SDK's 'key not found' text", async (t) => {
  const { client } = await serve(t);
  const req = QueryAccountRequest.encode({ address: "mira1nobody" }).finish();
  const err = await grpcFailure(t, callUnary(client, ACCOUNT, req));
  t.equal(err.code, grpc.status.NOT_FOUND);
  t.match(err.details, "key not found");
  t.match(err.details, "account mira1nobody not found");
  const ok = await callUnary(client, ACCOUNT, QueryAccountRequest.encode({ address: KNOWN_ADDRESS }).finish());
  t.ok(ok.response.length > 0, "a known account answers");
});

t.test("an invalid address is INVALID_ARGUMENT", async (t) => {
  const { client } = await serve(t);
  const err = await grpcFailure(t, callUnary(client, BALANCE, balanceRequest("cosmos1abc")));
  t.equal(err.code, grpc.status.INVALID_ARGUMENT);
  t.match(err.details, "codespace sdk code 7: invalid address");
});

t.test("an unknown method is UNIMPLEMENTED", async (t) => {
  const { client } = await serve(t);
  const err = await grpcFailure(t, callUnary(client, "/cosmos.bank.v1beta1.Query/NoSuchMethod", new Uint8Array()));
  t.equal(err.code, grpc.status.UNIMPLEMENTED);
  const otherService = await grpcFailure(t, callUnary(client, "/mira.claims.v1.Query/Certificate", new Uint8Array()));
  t.equal(otherService.code, grpc.status.UNIMPLEMENTED);
});

t.test("chain errors map to gRPC codes as the SDK's gateway reads them", async (t) => {
  const cases: [unknown, grpc.status][] = [
    [chainError(SdkCode.KeyNotFound, "x"), grpc.status.NOT_FOUND],
    [chainError(SdkCode.NotFound, "x"), grpc.status.NOT_FOUND],
    [chainError(SdkCode.InvalidRequest, "x"), grpc.status.INVALID_ARGUMENT],
    [chainError(SdkCode.InvalidAddress, "x"), grpc.status.INVALID_ARGUMENT],
    [chainError(SdkCode.InvalidCoins, "x"), grpc.status.INVALID_ARGUMENT],
    [chainError(SdkCode.TxDecode, "x"), grpc.status.INVALID_ARGUMENT],
    [chainError(SdkCode.Unauthorized, "x"), grpc.status.UNAUTHENTICATED],
    [chainError(SdkCode.InsufficientFunds, "x"), grpc.status.UNKNOWN],
    [new ChainError(22, "a module's own code 22 is not the SDK's", "claims"), grpc.status.UNKNOWN],
    [new GrpcStatusError(grpc.status.UNAVAILABLE, "x"), grpc.status.UNAVAILABLE],
    [new Error("bug"), grpc.status.INTERNAL],
  ];
  for (const [err, code] of cases) t.equal(grpcStatusOf(err).code, code, (err as Error).message + " " + String(code));
  t.equal(grpcStatusOf(chainError(SdkCode.InsufficientFunds, "need 5umira")).details, "codespace sdk code 5: need 5umira");
});

t.test("Simulate runs the tx bytes (or the deprecated tx) through the backend", async (t) => {
  const { backend, client } = await serve(t);
  const tx = new TxService(rpcOver(client));
  const txBytes = Buffer.from("some tx bytes");
  const res = await tx.Simulate({ txBytes });
  t.same(res.gasInfo, { gasWanted: 200_000n, gasUsed: 1_000n + BigInt(txBytes.length) });
  t.same(res.result?.data, Uint8Array.of(1, 2, 3));
  t.equal(res.result?.events[0]?.attributes[0]?.value, "/cosmos.bank.v1beta1.MsgSend");
  t.equal(res.result?.msgResponses[0]?.typeUrl, "/cosmos.bank.v1beta1.MsgSendResponse");
  t.same(backend.simulated[0], txBytes);

  const body = TxBody.fromPartial({ memo: "deprecated field" });
  await tx.Simulate({ tx: { body, authInfo: AuthInfo.fromPartial({}), signatures: [Uint8Array.of(9)] }, txBytes: new Uint8Array() });
  const raw = TxRaw.decode(backend.simulated[1]!);
  t.equal(TxBody.decode(raw.bodyBytes).memo, "deprecated field", "the deprecated `tx` is encoded as TxRaw bytes");
  t.same(raw.signatures, [Uint8Array.of(9)]);

  const empty = await grpcFailure(t, tx.Simulate({ txBytes: new Uint8Array() }));
  t.equal(empty.code, grpc.status.INVALID_ARGUMENT);
  t.match(empty.details, "empty txBytes");
  const broke = await grpcFailure(t, tx.Simulate({ txBytes: Buffer.from("broke") }));
  t.equal(broke.code, grpc.status.UNKNOWN);
  t.match(broke.details, "codespace sdk code 5: spendable balance");
});

t.test("a malformed request to a built-in method is INVALID_ARGUMENT", async (t) => {
  const { client } = await serve(t);
  const err = await grpcFailure(t, callUnary(client, "/cosmos.tx.v1beta1.Service/Simulate", Uint8Array.of(0x0a, 0x05, 0x01)));
  t.equal(err.code, grpc.status.INVALID_ARGUMENT);
  t.match(err.details, "malformed request");
});

t.test("Config answers the minimum gas price; built-ins win over a query method of the same path", async (t) => {
  const backend = new FakeBackend("http://127.0.0.1:9", "0.5umira");
  backend.extraMethods = ["/cosmos.base.node.v1beta1.Service/Config"];
  const { client } = await serve(t, backend);
  const res = await new NodeService(rpcOver(client)).Config();
  t.equal(res.minimumGasPrice, "0.5umira");
  t.same(backend.queries, [], "the backend's query router is not asked");
});

t.test("BroadcastTx refuses the removed BLOCK mode; CometBFT down is UNAVAILABLE", async (t) => {
  const { client } = await serve(t);
  const tx = new TxService(rpcOver(client));
  const block = await grpcFailure(t, tx.BroadcastTx({ txBytes: Buffer.from("a=b"), mode: BroadcastMode.BROADCAST_MODE_BLOCK }));
  t.equal(block.code, grpc.status.INVALID_ARGUMENT);
  t.match(block.details, "BROADCAST_MODE_BLOCK");
  const down = await grpcFailure(t, new TendermintService(rpcOver(client)).GetNodeInfo());
  t.equal(down.code, grpc.status.UNAVAILABLE);
  t.match(down.details, "CometBFT RPC");
});

t.test("a query method path that is not /package.Service/Method is refused at start", async (t) => {
  const backend = new FakeBackend();
  backend.extraMethods = ["cosmos.bank.v1beta1.Query.Balance"];
  await t.rejects(startGrpcServer(queryServices(backend), "127.0.0.1:0"), /not of the form \/package.Service\/Method/);
});
