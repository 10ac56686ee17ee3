/**
 * The dApp side of sessions, for CosmJS (exported as `mira-chain/sessions`): make a session key in
 * the browser or on a server, have the user's wallet sign one MsgCreateSession, then sign every later
 * action with the session key alone; with `feeGrant` the user's account pays the fees, within the
 * session's spend limit, so the session key never needs a balance.
 *
 *   const key = await createSessionKey();
 *   await wallet.signAndBroadcast(user, [createSessionMsg({ granter: user, sessionKey: key.address,
 *     allowedMsgs: ["/mira.claims.v1.MsgSubmitContent"], spendLimit: [{ denom: "umira", amount: "5000000" }],
 *     expiresAt: new Date(Date.now() + 86_400_000), feeGrant: true })], "auto");
 *   const session = await SessionClient.connect(rpcUrl, key, user, { gasPrice: GasPrice.fromString("0.025umira") });
 *   await session.exec([{ typeUrl: "/mira.claims.v1.MsgSubmitContent", value: { submitter: user, content, ... } }]);
 */
import { DirectSecp256k1Wallet, type EncodeObject, type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { calculateFee, type DeliverTxResponse, defaultRegistryTypes, type GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { MsgCreateSession, MsgExecSession, MsgRevokeSession, MsgUpdateParams as SessionsMsgUpdateParams } from "../../proto/gen/mira/sessions/v1/tx";
import { MsgSubmitContent, MsgUpdateParams as ClaimsMsgUpdateParams } from "../../proto/gen/mira/claims/v1/tx";
import { MsgUpdateMinGasPrice } from "../../proto/gen/mira/auth/v1/tx";

export const MSG_CREATE_SESSION_URL = "/mira.sessions.v1.MsgCreateSession";
export const MSG_REVOKE_SESSION_URL = "/mira.sessions.v1.MsgRevokeSession";
export const MSG_EXEC_SESSION_URL = "/mira.sessions.v1.MsgExecSession";

/** Mira's own message types, to add to a CosmJS Registry. */
export const miraTypes: ReadonlyArray<[string, GeneratedType]> = [
  [MSG_CREATE_SESSION_URL, MsgCreateSession],
  [MSG_REVOKE_SESSION_URL, MsgRevokeSession],
  [MSG_EXEC_SESSION_URL, MsgExecSession],
  ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent],
  ["/mira.claims.v1.MsgUpdateParams", ClaimsMsgUpdateParams],
  ["/mira.sessions.v1.MsgUpdateParams", SessionsMsgUpdateParams],
  ["/mira.auth.v1.MsgUpdateMinGasPrice", MsgUpdateMinGasPrice],
];

/** The SDK's types plus Mira's. */
export function miraRegistry(): Registry {
  return new Registry([...defaultRegistryTypes, ...miraTypes]);
}

export interface SessionKey {
  /** The raw secp256k1 private key: keep it where the app keeps secrets (it can only do what the session allows). */
  privateKey: Uint8Array;
  address: string;
  wallet: DirectSecp256k1Wallet;
}

/** A new session key (32 random bytes from the platform's CSPRNG), or the one for `privateKey`. */
export async function createSessionKey(privateKey?: Uint8Array, prefix = "mira"): Promise<SessionKey> {
  const key = privateKey ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  const wallet = await DirectSecp256k1Wallet.fromKey(key, prefix);
  const [account] = await wallet.getAccounts();
  return { privateKey: key, address: account!.address, wallet };
}

export interface SessionTerms {
  granter: string;
  sessionKey: string;
  /** Type URLs the session key may run for the granter. */
  allowedMsgs: string[];
  /** The most the session may move out of the granter's account, fees included. */
  spendLimit: { denom: string; amount: string }[];
  expiresAt: Date;
  /** The most MsgExecSession it may run (0 or absent: no limit). */
  maxUses?: number;
  /** The granter pays the session key's fees (within spendLimit). */
  feeGrant?: boolean;
}

/** The MsgCreateSession the user's wallet signs once. */
export function createSessionMsg(terms: SessionTerms): EncodeObject {
  const ms = terms.expiresAt.getTime();
  return {
    typeUrl: MSG_CREATE_SESSION_URL,
    value: MsgCreateSession.fromPartial({
      granter: terms.granter,
      grantee: terms.sessionKey,
      allowedMsgs: terms.allowedMsgs,
      spendLimit: terms.spendLimit,
      expiration: { seconds: BigInt(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 },
      maxUses: BigInt(terms.maxUses ?? 0),
      feeGrant: terms.feeGrant ?? false,
    }),
  };
}

/** The MsgRevokeSession that ends a session at once (signed by the granter). */
export function revokeSessionMsg(granter: string, sessionKey: string): EncodeObject {
  return { typeUrl: MSG_REVOKE_SESSION_URL, value: MsgRevokeSession.fromPartial({ granter, grantee: sessionKey }) };
}

/** Signs with the session key alone: each action is wrapped in a MsgExecSession for the granter. */
export class SessionClient {
  private constructor(
    readonly client: SigningStargateClient,
    readonly key: SessionKey,
    readonly granter: string,
    private readonly registry: Registry,
    private readonly gasPrice: GasPrice,
    private readonly feeGrant: boolean,
  ) {}

  static async connect(
    rpcUrl: string,
    key: SessionKey,
    granter: string,
    opts: { gasPrice: GasPrice; registry?: Registry; feeGrant?: boolean },
  ): Promise<SessionClient> {
    const registry = opts.registry ?? miraRegistry();
    const client = await SigningStargateClient.connectWithSigner(rpcUrl, key.wallet, { registry, gasPrice: opts.gasPrice });
    return new SessionClient(client, key, granter, registry, opts.gasPrice, opts.feeGrant ?? true);
  }

  /** The MsgExecSession that runs `msgs` as the granter. */
  wrap(msgs: EncodeObject[]): EncodeObject {
    return {
      typeUrl: MSG_EXEC_SESSION_URL,
      value: MsgExecSession.fromPartial({ grantee: this.key.address, granter: this.granter, msgs: msgs.map((m) => this.registry.encodeAsAny(m)) }),
    };
  }

  /** Runs `msgs` as the granter; gas is simulated (×1.4) unless given; the granter pays the fee when the session grants it. */
  async exec(msgs: EncodeObject[], opts: { gas?: number; memo?: string } = {}): Promise<DeliverTxResponse> {
    const wrapped = this.wrap(msgs);
    const gas = opts.gas ?? Math.ceil((await this.client.simulate(this.key.address, [wrapped], opts.memo)) * 1.4);
    const fee = { ...calculateFee(gas, this.gasPrice), ...(this.feeGrant ? { granter: this.granter } : {}) };
    return this.client.signAndBroadcast(this.key.address, [wrapped], fee, opts.memo);
  }

  disconnect(): void {
    this.client.disconnect();
  }
}
