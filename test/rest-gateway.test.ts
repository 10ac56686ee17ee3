// The REST API on a real chain (CometBFT + mirad start --rest): each query sent to REST and to gRPC at
// the same height, the gRPC answer decoded with cosmjs-types and compared field by field with the
// REST JSON (proto names, 64-bit integers as strings, decimals, Any with @type, times); a tx
// broadcast over REST and found over REST; plain-fetch clients; and the bad input the gateway refuses.
import { createHash } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { Decimal } from "@cosmjs/math";
import {
  QueryAccountRequest,
  QueryAccountResponse,
  QueryParamsRequest as AuthParamsRequest,
  QueryParamsResponse as AuthParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { ConfigRequest, ConfigResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import {
  GetBlockByHeightRequest,
  GetBlockByHeightResponse,
  GetNodeInfoRequest,
  GetNodeInfoResponse,
  GetValidatorSetByHeightRequest,
  GetValidatorSetByHeightResponse,
} from "cosmjs-types/cosmos/base/tendermint/v1beta1/query";
import {
  QueryCommunityPoolRequest,
  QueryCommunityPoolResponse,
  QueryParamsRequest as DistributionParamsRequest,
  QueryParamsResponse as DistributionParamsResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { QueryParamsRequest as GovParamsRequest, QueryParamsResponse as GovParamsResponse } from "cosmjs-types/cosmos/gov/v1/query";
import {
  QueryInflationRequest,
  QueryInflationResponse,
  QueryParamsRequest as MintParamsRequest,
  QueryParamsResponse as MintParamsResponse,
} from "cosmjs-types/cosmos/mint/v1beta1/query";
import { QueryParamsRequest as SlashingParamsRequest, QueryParamsResponse as SlashingParamsResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import {
  QueryDelegationRequest,
  QueryDelegationResponse,
  QueryParamsRequest as StakingParamsRequest,
  QueryParamsResponse as StakingParamsResponse,
  QueryPoolRequest,
  QueryPoolResponse,
  QueryValidatorRequest,
  QueryValidatorResponse,
  QueryValidatorsRequest,
  QueryValidatorsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import t, { type Test } from "tap";
import { BLOCK_HEIGHT_HEADER } from "../app/grpc";
import { MAX_BODY_BYTES } from "../app/grpc/rest";
import { QueryParamsRequest as ClaimsParamsRequest, QueryParamsResponse as ClaimsParamsResponse } from "../proto/gen/mira/claims/v1/query";
import { QueryParamsRequest as SessionsParamsRequest, QueryParamsResponse as SessionsParamsResponse } from "../proto/gen/mira/sessions/v1/query";
import { send, signTx, wallet } from "./helpers/app-driver";
import { callUnary, grpcClient } from "./helpers/grpc-client";
import { SINGLE_NODE_CHAIN_ID, startSingleNode } from "./helpers/single-node";

const OFFSET = -1_000; // its own ports (the other chain tests use -8000..-2000 and 1000..6000), below the ephemeral range

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
  fromPartial(o: object): T;
}

async function restGet(base: string, path: string, height?: bigint): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { headers: height === undefined ? {} : { [BLOCK_HEIGHT_HEADER]: height.toString() } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Compares REST JSON with the value cosmjs-types decoded from the gRPC bytes, field by field, by the
 * gateway's rules. `what` names the place for the failure message.
 */
function compareField(t: Test, json: unknown, decoded: unknown, what: string): void {
  if (decoded === undefined || decoded === null) {
    // An absent message is null, or (gogoproto nullable=false) its defaults.
    t.ok(json === null || (typeof json === "object" && !Array.isArray(json)), `${what}: absent message is null or defaults`);
    return;
  }
  if (typeof decoded === "bigint") {
    t.equal(json, decoded.toString(), `${what}: 64-bit integer as a string`);
  } else if (decoded instanceof Uint8Array && typeof json === "string" && /^\d+\.\d{18}$/.test(json)) {
    // A LegacyDec in a bytes field (slashing params): the wire holds its atomics as text.
    t.equal(Decimal.fromUserInput(json, 18).atomics, Buffer.from(decoded).toString("utf8"), `${what}: a LegacyDec (bytes) prints as a decimal`);
  } else if (decoded instanceof Uint8Array && decoded.length === 0) {
    t.equal(json, null, `${what}: empty bytes (Go's nil slice) print as null`);
  } else if (decoded instanceof Uint8Array) {
    t.equal(json, Buffer.from(decoded).toString("base64"), `${what}: bytes as base64`);
  } else if (typeof decoded === "number") {
    // An enum prints its name; other numbers print as numbers.
    t.ok(
      json === decoded || (typeof json === "string" && /^[A-Z0-9_]+$/.test(json)),
      `${what}: number ${decoded} or an enum name (got ${JSON.stringify(json)})`,
    );
  } else if (typeof decoded === "string") {
    if (typeof json === "string" && json.includes(".") && /^\d+$/.test(decoded)) {
      t.match(json, /^\d+\.\d{18}$/, `${what}: a LegacyDec prints as a decimal with 18 places`);
      t.equal(Decimal.fromUserInput(json, 18).atomics, decoded, `${what}: the decimal is the wire's atomics`);
    } else t.equal(json, decoded, what);
  } else if (typeof decoded === "boolean") {
    t.equal(json, decoded, what);
  } else if (Array.isArray(decoded)) {
    t.ok(Array.isArray(json), `${what}: a list`);
    t.equal((json as unknown[]).length, decoded.length, `${what}: as many items`);
    decoded.forEach((item, i) => compareField(t, (json as unknown[])[i], item, `${what}[${i}]`));
  } else {
    const obj = decoded as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 2 && keys.includes("typeUrl") && keys.includes("value")) {
      t.equal((json as Record<string, unknown>)["@type"], obj.typeUrl, `${what}: an Any prints its type as @type`);
      return;
    }
    if (keys.length === 2 && keys.includes("seconds") && keys.includes("nanos") && typeof json === "string") {
      if (json.endsWith("Z")) t.equal(Date.parse(json), Number(obj.seconds) * 1000 + Math.floor(Number(obj.nanos) / 1e6), `${what}: a time in RFC 3339`);
      else t.equal(Number(json.replace(/s$/, "")), Number(obj.seconds) + Number(obj.nanos) / 1e9, `${what}: a duration in seconds`);
      return;
    }
    t.ok(json !== null && typeof json === "object", `${what}: an object`);
    const jsonObj = json as Record<string, unknown>;
    for (const key of keys) {
      if (obj[key] === undefined && !(snake(key) in jsonObj)) continue; // an unset oneof member
      t.ok(snake(key) in jsonObj, `${what}.${snake(key)} is printed under its proto name`);
      compareField(t, jsonObj[snake(key)], obj[key], `${what}.${snake(key)}`);
    }
  }
}

t.test("REST answers as the gRPC answers decode, field by field, and takes txs", async (t) => {
  const chain = await startSingleNode(t, OFFSET, { grpc: true, rest: true });
  const base = `http://127.0.0.1:${chain.restPort!}`;
  const client = grpcClient(t, chain.grpcPort!);
  const user = await wallet(chain.user.mnemonic);

  // A tx broadcast over REST (JSON body, base64 tx bytes), then found by hash over REST.
  const account = await restGet(base, `/cosmos/auth/v1beta1/accounts/${user.address}`);
  t.equal(account.status, 200);
  const acc = account.json.account as Record<string, string>;
  t.equal(acc["@type"], "/cosmos.auth.v1beta1.BaseAccount");
  t.equal(acc.address, user.address);
  const txBytes = await signTx(user, [send(user.address, chain.validator.address, "1234")], {
    accountNumber: BigInt(acc.account_number),
    sequence: Number(acc.sequence),
    chainId: SINGLE_NODE_CHAIN_ID,
  });
  const posted = await fetch(`${base}/cosmos/tx/v1beta1/txs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tx_bytes: Buffer.from(txBytes).toString("base64"), mode: "BROADCAST_MODE_SYNC" }),
  });
  t.equal(posted.status, 200, "POST /cosmos/tx/v1beta1/txs");
  const txResponse = ((await posted.json()) as { tx_response: Record<string, unknown> }).tx_response;
  const hash = createHash("sha256").update(txBytes).digest("hex").toUpperCase();
  t.equal(txResponse.code, 0, `CheckTx passed (${String(txResponse.raw_log)})`);
  t.equal(txResponse.txhash, hash);
  let found: Record<string, unknown> | undefined;
  for (const end = Date.now() + 60_000; Date.now() < end;) {
    const r = await restGet(base, `/cosmos/tx/v1beta1/txs/${hash}`);
    if (r.status === 200) {
      found = r.json;
      break;
    }
    t.equal(r.status, 404, "not yet committed: 404");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  t.ok(found, "the tx is committed and found by hash");
  const txr = found!.tx_response as Record<string, unknown>;
  t.equal(txr.code, 0);
  t.match(txr.height, /^\d+$/, "height as a string");
  const msg = ((found!.tx as Record<string, unknown>).body as { messages: Record<string, unknown>[] }).messages[0];
  t.same(msg, {
    "@type": "/cosmos.bank.v1beta1.MsgSend",
    from_address: user.address,
    to_address: chain.validator.address,
    amount: [{ denom: "umira", amount: "1234" }],
  });
  t.equal((txr.tx as Record<string, unknown>)["@type"], "/cosmos.tx.v1beta1.Tx");
  t.match(txr.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const height = BigInt(txr.height as string);

  // The tx by its events (GET /cosmos/tx/v1beta1/txs?query=...).
  const byEvents = await restGet(base, `/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`message.sender='${user.address}'`)}&order_by=ORDER_BY_DESC`);
  t.equal(byEvents.status, 200);
  t.equal(byEvents.json.total, "1");
  t.equal(((byEvents.json.tx_responses as Record<string, unknown>[])[0] as { txhash: string }).txhash, hash);

  // The same query at the same height over gRPC and REST.
  const valoper = chain.validator.valoper;
  const cases: [string, string, Codec<unknown>, Codec<unknown>, object][] = [
    [
      `/cosmos/bank/v1beta1/balances/${user.address}/by_denom?denom=umira`,
      "/cosmos.bank.v1beta1.Query/Balance",
      QueryBalanceRequest,
      QueryBalanceResponse,
      { address: user.address, denom: "umira" },
    ],
    [
      `/cosmos/bank/v1beta1/balances/${user.address}`,
      "/cosmos.bank.v1beta1.Query/AllBalances",
      QueryAllBalancesRequest,
      QueryAllBalancesResponse,
      { address: user.address },
    ],
    ["/cosmos/bank/v1beta1/supply", "/cosmos.bank.v1beta1.Query/TotalSupply", QueryTotalSupplyRequest, QueryTotalSupplyResponse, {}],
    [
      `/cosmos/auth/v1beta1/accounts/${user.address}`,
      "/cosmos.auth.v1beta1.Query/Account",
      QueryAccountRequest,
      QueryAccountResponse,
      { address: user.address },
    ],
    ["/cosmos/auth/v1beta1/params", "/cosmos.auth.v1beta1.Query/Params", AuthParamsRequest, AuthParamsResponse, {}],
    ["/cosmos/staking/v1beta1/validators", "/cosmos.staking.v1beta1.Query/Validators", QueryValidatorsRequest, QueryValidatorsResponse, {}],
    [
      `/cosmos/staking/v1beta1/validators/${valoper}`,
      "/cosmos.staking.v1beta1.Query/Validator",
      QueryValidatorRequest,
      QueryValidatorResponse,
      { validatorAddr: valoper },
    ],
    [
      `/cosmos/staking/v1beta1/validators/${valoper}/delegations/${chain.validator.address}`,
      "/cosmos.staking.v1beta1.Query/Delegation",
      QueryDelegationRequest,
      QueryDelegationResponse,
      { validatorAddr: valoper, delegatorAddr: chain.validator.address },
    ],
    ["/cosmos/staking/v1beta1/params", "/cosmos.staking.v1beta1.Query/Params", StakingParamsRequest, StakingParamsResponse, {}],
    ["/cosmos/staking/v1beta1/pool", "/cosmos.staking.v1beta1.Query/Pool", QueryPoolRequest, QueryPoolResponse, {}],
    ["/cosmos/distribution/v1beta1/params", "/cosmos.distribution.v1beta1.Query/Params", DistributionParamsRequest, DistributionParamsResponse, {}],
    [
      "/cosmos/distribution/v1beta1/community_pool",
      "/cosmos.distribution.v1beta1.Query/CommunityPool",
      QueryCommunityPoolRequest,
      QueryCommunityPoolResponse,
      {},
    ],
    ["/cosmos/slashing/v1beta1/params", "/cosmos.slashing.v1beta1.Query/Params", SlashingParamsRequest, SlashingParamsResponse, {}],
    ["/cosmos/mint/v1beta1/params", "/cosmos.mint.v1beta1.Query/Params", MintParamsRequest, MintParamsResponse, {}],
    ["/cosmos/mint/v1beta1/inflation", "/cosmos.mint.v1beta1.Query/Inflation", QueryInflationRequest, QueryInflationResponse, {}],
    ["/cosmos/gov/v1/params/tallying", "/cosmos.gov.v1.Query/Params", GovParamsRequest, GovParamsResponse, { paramsType: "tallying" }],
    [
      `/cosmos/base/tendermint/v1beta1/blocks/${height}`,
      "/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight",
      GetBlockByHeightRequest,
      GetBlockByHeightResponse,
      { height },
    ],
    [
      `/cosmos/base/tendermint/v1beta1/validatorsets/${height}`,
      "/cosmos.base.tendermint.v1beta1.Service/GetValidatorSetByHeight",
      GetValidatorSetByHeightRequest,
      GetValidatorSetByHeightResponse,
      { height },
    ],
    ["/cosmos/base/tendermint/v1beta1/node_info", "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo", GetNodeInfoRequest, GetNodeInfoResponse, {}],
    ["/cosmos/base/node/v1beta1/config", "/cosmos.base.node.v1beta1.Service/Config", ConfigRequest, ConfigResponse, {}],
    ["/mira/claims/v1/params", "/mira.claims.v1.Query/Params", ClaimsParamsRequest as Codec<unknown>, ClaimsParamsResponse as Codec<unknown>, {}],
    ["/mira/sessions/v1/params", "/mira.sessions.v1.Query/Params", SessionsParamsRequest as Codec<unknown>, SessionsParamsResponse as Codec<unknown>, {}],
  ];
  for (const [path, method, requestCodec, responseCodec, request] of cases) {
    const md = new grpc.Metadata();
    md.set(BLOCK_HEIGHT_HEADER, height.toString());
    const answer = await callUnary(client, method, requestCodec.encode(requestCodec.fromPartial(request)).finish(), md);
    const decoded = responseCodec.decode(answer.response);
    const rest = await restGet(base, path, height);
    t.equal(rest.status, 200, `${path}: 200 (${JSON.stringify(rest.json).slice(0, 200)})`);
    compareField(t, rest.json, decoded, path);
    if (answer.headers.get(BLOCK_HEIGHT_HEADER).length > 0) {
      t.equal(rest.headers.get(BLOCK_HEIGHT_HEADER), height.toString(), `${path}: answered at the height asked`);
    }
  }

  // The fields the wallets read, in the JSON the gateway writes.
  const validator = (await restGet(base, `/cosmos/staking/v1beta1/validators/${valoper}`)).json.validator as Record<string, Record<string, unknown>>;
  t.match((validator.commission.commission_rates as Record<string, string>).rate, /^\d+\.\d{18}$/, "a commission rate is a decimal with 18 places");
  t.equal((validator.consensus_pubkey as Record<string, string>)["@type"], "/cosmos.crypto.ed25519.PubKey");
  t.equal(validator.status, "BOND_STATUS_BONDED" as unknown as Record<string, unknown>, "enums by name");
  const stakingParams = (await restGet(base, "/cosmos/staking/v1beta1/params")).json.params as Record<string, unknown>;
  t.equal(stakingParams.unbonding_time, "60s", "a duration as seconds");
  const balances = await restGet(base, `/cosmos/bank/v1beta1/balances/${user.address}?pagination.limit=1&pagination.count_total=true`);
  t.same(balances.json.pagination, { next_key: null, total: "1" }, "pagination as the gateway prints it: no next page is null");
});

t.test("bad input: 404, 405, 400, 413, 501, with the gateway's error body and CORS", async (t) => {
  const chain = await startSingleNode(t, OFFSET + 100, { rest: true });
  const base = `http://127.0.0.1:${chain.restPort!}`;
  const expectError = async (res: Response, status: number, code: number, text: RegExp | string): Promise<void> => {
    t.equal(res.status, status, `HTTP ${status}`);
    const body = (await res.json()) as { code: number; message: string; details: unknown[] };
    t.equal(body.code, code, `gRPC code ${code}`);
    t.match(body.message, text);
    t.same(body.details, []);
    t.equal(res.headers.get("access-control-allow-origin"), "*", "CORS on errors too");
  };
  await expectError(await fetch(`${base}/cosmos/bank/v1beta1/nothing_here`), 404, grpc.status.NOT_FOUND, "Not Found");
  await expectError(await fetch(`${base}/mira/claims/v1/contents/abc`), 400, grpc.status.INVALID_ARGUMENT, /id: "abc" is not an integer/);
  await expectError(await fetch(`${base}/mira/claims/v1/contents/99999999999999999999999`), 400, grpc.status.INVALID_ARGUMENT, /integer|range/);
  await expectError(await fetch(`${base}/mira/claims/v1/contents/77`), 404, grpc.status.NOT_FOUND, /not found/);
  await expectError(await fetch(`${base}/cosmos/staking/v1beta1/validators?pagination.limit=ten`), 400, grpc.status.INVALID_ARGUMENT, /pagination\.limit/);
  await expectError(await fetch(`${base}/cosmos/staking/v1beta1/validators?pagination.key=***`), 400, grpc.status.INVALID_ARGUMENT, /base64/);
  await expectError(await fetch(`${base}/cosmos/bank/v1beta1/balances/not-an-address`), 400, grpc.status.INVALID_ARGUMENT, /address/i);
  await expectError(
    await fetch(`${base}/cosmos/bank/v1beta1/supply`, { headers: { [BLOCK_HEIGHT_HEADER]: "nine" } }),
    400,
    grpc.status.INVALID_ARGUMENT,
    BLOCK_HEIGHT_HEADER,
  );
  await expectError(await fetch(`${base}/cosmos/bank/v1beta1/supply`, { method: "POST" }), 405, grpc.status.UNIMPLEMENTED, "Method Not Allowed");
  await expectError(await fetch(`${base}/cosmos/nft/v1beta1/classes`), 501, grpc.status.UNIMPLEMENTED, /does not serve/);
  await expectError(
    await fetch(`${base}/cosmos/tx/v1beta1/txs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" }),
    400,
    grpc.status.INVALID_ARGUMENT,
    /not JSON/,
  );
  await expectError(
    await fetch(`${base}/cosmos/tx/v1beta1/txs`, { method: "POST", body: JSON.stringify({ tx_bytes: "AAAA", mode: "BROADCAST_MODE_SYNC", extra: 1 }) }),
    400,
    grpc.status.INVALID_ARGUMENT,
    /unknown field "extra"/,
  );
  await expectError(
    await fetch(`${base}/cosmos/tx/v1beta1/txs`, { method: "POST", body: JSON.stringify({ tx_bytes: "A".repeat(MAX_BODY_BYTES) }) }),
    413,
    grpc.status.RESOURCE_EXHAUSTED,
    /larger than/,
  );
  await expectError(await fetch(`${base}/cosmos/tx/v1beta1/txs?query=`), 400, grpc.status.INVALID_ARGUMENT, /query cannot be empty/);
  const preflight = await fetch(`${base}/cosmos/tx/v1beta1/txs`, {
    method: "OPTIONS",
    headers: { origin: "http://example.org", "access-control-request-method": "POST" },
  });
  t.equal(preflight.status, 204, "a CORS preflight is answered");
  t.match(preflight.headers.get("access-control-allow-methods"), /POST/);
  // A page size above the limit is lowered to it, not allocated.
  const big = await fetch(`${base}/cosmos/staking/v1beta1/validators?pagination.limit=100000000`);
  t.equal(big.status, 200);
  t.equal(((await big.json()) as { validators: unknown[] }).validators.length, 1);
});
