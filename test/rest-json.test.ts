// The REST gateway's pieces without a chain: its routes come from the protos' google.api.http options
// and cover every query method the chain serves; path templates; JSON both ways by the gateway's rules.
import path from "node:path";
import { Duration } from "cosmjs-types/google/protobuf/duration";
import { Any } from "cosmjs-types/google/protobuf/any";
import { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { QueryParamsResponse as GovParamsResponse } from "cosmjs-types/cosmos/gov/v1/query";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { BroadcastMode, BroadcastTxRequest, GetTxsEventRequest, OrderBy } from "cosmjs-types/cosmos/tx/v1beta1/service";
import t from "tap";
import { MiraApp, STORE_NAMES } from "../app/chain/app";
import { loadSchema } from "../app/grpc/protos";
import { atomicsToDecimal, bytesToJson, jsonToBytes, timestampToJson } from "../app/grpc/rest-json";
import { routesOf, setFieldPath, templateRegex } from "../app/grpc/rest-routes";
import { MultiStore } from "../app/store";
import { tempDir } from "./helpers/tmp";

const schema = loadSchema();
const type = (name: string) => schema.lookupType(name);

// ibc-go v10's transfer v2 names, served for CosmJS 0.39's setupIbcExtension; ibc-go v8.8.0's protos (whose routes we take) have no such methods.
const NOT_IN_V8_PROTOS = new Set(["/ibc.applications.transfer.v1.Query/Denom", "/ibc.applications.transfer.v1.Query/Denoms"]);

t.test("every query method the chain serves has a REST route from its proto", async (t) => {
  const store = MultiStore.open(path.join(tempDir(t), "routes.db"), { stores: STORE_NAMES });
  t.teardown(() => store.close());
  const served = [...new MiraApp(store).services.keys()];
  const routed = new Set(routesOf(schema).map((r) => r.grpcPath));
  const missing = served.filter((m) => !routed.has(m) && !NOT_IN_V8_PROTOS.has(m));
  t.same(missing, [], "no served method without a route");
  t.ok(served.length > 100, `${served.length} methods served`);
  const routes = routesOf(schema);
  const route = (grpcPath: string) => routes.find((r) => r.grpcPath === grpcPath)!;
  t.equal(route("/cosmos.bank.v1beta1.Query/Balance").template, "/cosmos/bank/v1beta1/balances/{address}/by_denom");
  t.equal(route("/cosmos.tx.v1beta1.Service/BroadcastTx").httpMethod, "POST");
  t.equal(route("/cosmos.tx.v1beta1.Service/BroadcastTx").body, "*");
  t.equal(route("/mira.claims.v1.Query/Certificate").template, "/mira/claims/v1/certificates/{content_id}");
  // More literal segments win: ".../validators/{addr}/delegations" before ".../validators/{addr}".
  const delegations = routes.findIndex((r) => r.grpcPath === "/cosmos.staking.v1beta1.Query/ValidatorDelegations");
  const validator = routes.findIndex((r) => r.grpcPath === "/cosmos.staking.v1beta1.Query/Validator");
  t.ok(delegations < validator);
});

t.test("path templates", async (t) => {
  const simple = templateRegex("/cosmos/bank/v1beta1/balances/{address}/by_denom");
  t.same(simple.variables, ["address"]);
  t.ok(new RegExp(`^${simple.source}$`).test("/cosmos/bank/v1beta1/balances/mira1abc/by_denom"));
  t.notOk(new RegExp(`^${simple.source}$`).test("/cosmos/bank/v1beta1/balances/a/b/by_denom"), "one variable is one segment");
  const greedy = templateRegex("/ibc/apps/transfer/v1/denom_traces/{hash=**}");
  const m = new RegExp(`^${greedy.source}$`).exec("/ibc/apps/transfer/v1/denom_traces/transfer/channel-0/umira");
  t.equal(m?.[1], "transfer/channel-0/umira", "{x=**} takes the rest of the path");
  t.ok(greedy.greedy);
  const verb = templateRegex("/v1/{name=projects/*}:cancel");
  t.ok(new RegExp(`^${verb.source}$`).test("/v1/projects/p1:cancel"));
});

t.test("protobuf to the gateway's JSON", async (t) => {
  const account = QueryAccountResponse.encode({
    account: Any.fromPartial({
      typeUrl: "/cosmos.auth.v1beta1.BaseAccount",
      value: BaseAccount.encode({
        address: "mira1x",
        pubKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: Uint8Array.of(1, 2, 3) }).finish() },
        accountNumber: 18446744073709551615n,
        sequence: 0n,
      }).finish(),
    }),
  }).finish();
  t.same(bytesToJson(type("cosmos.auth.v1beta1.QueryAccountResponse"), account), {
    account: {
      "@type": "/cosmos.auth.v1beta1.BaseAccount",
      address: "mira1x",
      pub_key: { "@type": "/cosmos.crypto.secp256k1.PubKey", key: "AQID" },
      account_number: "18446744073709551615",
      sequence: "0",
    },
  });
  const gov = GovParamsResponse.encode({
    params: {
      minDeposit: [],
      maxDepositPeriod: Duration.fromPartial({ seconds: 172800n }),
      votingPeriod: Duration.fromPartial({ seconds: 1n, nanos: 500_000_000 }),
      quorum: "0.334000000000000000",
      threshold: "0.5",
      vetoThreshold: "",
      minInitialDepositRatio: "",
      proposalCancelRatio: "",
      proposalCancelDest: "",
      expeditedVotingPeriod: undefined,
      expeditedThreshold: "",
      expeditedMinDeposit: [],
      burnVoteQuorum: false,
      burnProposalDepositPrevote: false,
      burnVoteVeto: true,
      minDepositRatio: "",
    },
  }).finish();
  const json = bytesToJson(type("cosmos.gov.v1.QueryParamsResponse"), gov) as Record<string, Record<string, unknown>>;
  t.equal(json.params!.max_deposit_period, "172800s");
  t.equal(json.params!.voting_period, "1.500s", "fractions of a second in groups of three digits");
  t.equal(json.params!.expedited_voting_period, null, "an absent message is null");
  t.same(json.params!.min_deposit, [], "an empty list is []");
  t.equal(json.voting_params, null);
  t.equal(json.params!.burn_vote_veto, true);
  t.equal(atomicsToDecimal("1500000000000000000"), "1.500000000000000000");
  t.equal(atomicsToDecimal("5"), "0.000000000000000005");
  t.equal(atomicsToDecimal(""), "0.000000000000000000");
  t.equal(atomicsToDecimal("-20000000000000000"), "-0.020000000000000000");
  t.equal(timestampToJson(0n, 0), "1970-01-01T00:00:00Z");
  t.equal(timestampToJson(1_700_000_000n, 120_000_000), "2023-11-14T22:13:20.120Z");
  t.equal(timestampToJson(1_700_000_000n, 1), "2023-11-14T22:13:20.000000001Z");
  const ts = Timestamp.encode({ seconds: 1n, nanos: 5000 }).finish();
  t.equal(bytesToJson(type("google.protobuf.Timestamp"), ts), "1970-01-01T00:00:01.000005Z");
});

t.test("the gateway's JSON (and parameters) to protobuf", async (t) => {
  const broadcast = type("cosmos.tx.v1beta1.BroadcastTxRequest");
  const decoded = BroadcastTxRequest.decode(jsonToBytes(broadcast, { tx_bytes: "AQID", mode: "BROADCAST_MODE_SYNC" }));
  t.same([...decoded.txBytes], [1, 2, 3]);
  t.equal(decoded.mode, BroadcastMode.BROADCAST_MODE_SYNC);
  t.equal(
    BroadcastTxRequest.decode(jsonToBytes(broadcast, { txBytes: "AQID", mode: 2 })).mode,
    BroadcastMode.BROADCAST_MODE_SYNC,
    "JSON names and enum numbers too",
  );
  t.same([...BroadcastTxRequest.decode(jsonToBytes(broadcast, { tx_bytes: "-_8" })).txBytes], [0xfb, 0xff], "URL-safe base64");
  t.throws(() => jsonToBytes(broadcast, { tx_bytes: 5 }), { name: "RestInputError", message: /tx_bytes: want base64 bytes/ });
  t.throws(() => jsonToBytes(broadcast, { mode: "BROADCAST_MODE_NOPE" }), /not a value of cosmos\.tx\.v1beta1\.BroadcastMode/);
  t.throws(() => jsonToBytes(broadcast, { nope: 1 }), /unknown field "nope"/);
  t.throws(() => jsonToBytes(broadcast, []), /want a JSON object/);

  const events = type("cosmos.tx.v1beta1.GetTxsEventRequest");
  const obj: Record<string, unknown> = {};
  setFieldPath(events, obj, "events", "a.b='1'");
  setFieldPath(events, obj, "events", "c.d='2'");
  setFieldPath(events, obj, "order_by", "ORDER_BY_DESC");
  setFieldPath(events, obj, "pagination.limit", "7");
  setFieldPath(events, obj, "pagination.reverse", "true");
  setFieldPath(events, obj, "page", "18446744073709551615");
  setFieldPath(events, obj, "no_such_field", "x");
  const req = GetTxsEventRequest.decode(events.encode(events.fromObject(obj)).finish());
  t.same(req.events, ["a.b='1'", "c.d='2'"], "a repeated parameter gathers its values");
  t.equal(req.orderBy, OrderBy.ORDER_BY_DESC);
  t.equal(req.pagination?.limit, 7n);
  t.equal(req.pagination?.reverse, true);
  t.equal(req.page, 18446744073709551615n);
  t.throws(() => setFieldPath(events, {}, "page", "18446744073709551616"), /out of range/);
  t.throws(() => setFieldPath(events, {}, "page", "-1"), /out of range/);
  t.throws(() => setFieldPath(events, {}, "limit", "1e3"), /not an integer/);
  t.throws(() => setFieldPath(events, {}, "pagination.count_total", "yes"), /not true or false/);
  t.throws(() => setFieldPath(events, {}, "pagination", "x"), /message field/);
});
