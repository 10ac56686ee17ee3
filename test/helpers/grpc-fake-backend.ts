// A GrpcBackend for tests: two query methods over a tiny in-memory history, and a simulator that
// echoes what it was given. Records what the server asked of it.
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { chainError, SdkCode } from "../../app/core/errors";
import type { GrpcBackend, SimulatedResult } from "../../app/grpc";

export const BALANCE = "/cosmos.bank.v1beta1.Query/Balance";
export const ACCOUNT = "/cosmos.auth.v1beta1.Query/Account";
export const LATEST_HEIGHT = 10n;
export const KNOWN_ADDRESS = "mira1qyqszqgpqyqszqgpqyqszqgpqyqszqgp0mkh6u";

export class FakeBackend implements GrpcBackend {
  readonly queries: { method: string; height: bigint }[] = [];
  readonly simulated: Uint8Array[] = [];
  /** Extra paths to expose, e.g. one that a built-in service also serves. */
  extraMethods: string[] = [];

  constructor(
    readonly cometRpcUrl = "http://127.0.0.1:9",
    readonly minimumGasPrice = "0.025umira",
  ) {}

  queryMethods(): string[] {
    return [BALANCE, ACCOUNT, ...this.extraMethods];
  }

  async query(method: string, request: Uint8Array, height: bigint): Promise<{ value: Uint8Array; height: bigint }> {
    this.queries.push({ method, height });
    if (height > LATEST_HEIGHT) throw chainError(SdkCode.InvalidRequest, `cannot query with height in the future (${height} > ${LATEST_HEIGHT})`);
    const at = height === 0n ? LATEST_HEIGHT : height;
    switch (method) {
      case BALANCE:
        return { value: balance(QueryBalanceRequest.decode(request), at), height: at };
      case ACCOUNT:
        return { value: account(QueryAccountRequest.decode(request)), height: at };
      default:
        throw chainError(SdkCode.UnknownRequest, `no query method ${method}`);
    }
  }

  /** ABCI Query: echoes the path and data, at the latest height. */
  async abciQuery(request: { path: string; data: Uint8Array }): Promise<{ code: number; key: Uint8Array; value: Uint8Array; height: bigint }> {
    return { code: 0, key: request.data, value: Buffer.from(request.path), height: LATEST_HEIGHT };
  }

  async simulate(txBytes: Uint8Array): Promise<{ gasWanted: bigint; gasUsed: bigint; result: SimulatedResult }> {
    this.simulated.push(txBytes);
    if (Buffer.from(txBytes).toString() === "broke") throw chainError(SdkCode.InsufficientFunds, "spendable balance 0umira is smaller than 5umira");
    return {
      gasWanted: 200_000n,
      gasUsed: 1_000n + BigInt(txBytes.length),
      result: {
        data: Uint8Array.of(1, 2, 3),
        log: "",
        events: [{ type: "message", attributes: [{ key: "action", value: "/cosmos.bank.v1beta1.MsgSend", index: true }] }],
        msgResponses: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse", value: new Uint8Array() }],
      },
    };
  }
}

/** 1000umira per block of height, so that a past height answers a different amount. */
function balance(req: QueryBalanceRequest, height: bigint): Uint8Array {
  if (!req.address.startsWith("mira1")) throw chainError(SdkCode.InvalidAddress, `invalid address ${JSON.stringify(req.address)}`);
  const amount = req.address === KNOWN_ADDRESS ? (1000n * height).toString() : "0";
  return QueryBalanceResponse.encode({ balance: { denom: req.denom, amount } }).finish();
}

function account(req: QueryAccountRequest): Uint8Array {
  if (req.address !== KNOWN_ADDRESS) throw chainError(SdkCode.KeyNotFound, `account ${req.address} not found`);
  return QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: new Uint8Array() } }).finish();
}
