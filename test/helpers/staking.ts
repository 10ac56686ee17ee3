// Staking helpers for tests: ed25519 consensus keys and gentxs (MsgCreateValidator signed by CosmJS).
import { generateKeyPairSync } from "node:crypto";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { toBech32, fromBech32 } from "@cosmjs/encoding";
import { signTx, Wallet } from "./app-driver";

export const ED25519_URL = "/cosmos.crypto.ed25519.PubKey";

/** A fresh ed25519 key pair's 32-byte public key (what CometBFT's priv_validator_key.json holds). */
export function consensusKey(): Buffer {
  const { publicKey } = generateKeyPairSync("ed25519");
  return Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
}

export function valoper(address: string): string {
  return toBech32("miravaloper", fromBech32(address, 90).data);
}

/** 10% commission, 20% max, 1% max change; min self-delegation 1. */
export function createValidatorMsg(w: Wallet, key: Uint8Array, amount: string, moniker = "v"): EncodeObject {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
    value: {
      description: { moniker, identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" },
      minSelfDelegation: "1",
      delegatorAddress: "",
      validatorAddress: valoper(w.address),
      pubkey: { typeUrl: ED25519_URL, value: Ed25519PubKey.encode({ key }).finish() },
      value: { denom: "umira", amount },
    },
  };
}

/** A genesis tx: signed for account number 0 and sequence 0, as `gentx` does, base64 TxRaw. */
export async function gentx(w: Wallet, key: Uint8Array, amount: string, chainId: string, moniker = "v"): Promise<string> {
  const raw = await signTx(w, [createValidatorMsg(w, key, amount, moniker)], { accountNumber: 0n, sequence: 0, fee: "0", gas: "300000", chainId });
  return Buffer.from(raw).toString("base64");
}

export function delegateMsg(delegator: string, validator: string, amount: string): EncodeObject {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
    value: { delegatorAddress: delegator, validatorAddress: validator, amount: { denom: "umira", amount } },
  };
}

export function undelegateMsg(delegator: string, validator: string, amount: string): EncodeObject {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
    value: { delegatorAddress: delegator, validatorAddress: validator, amount: { denom: "umira", amount } },
  };
}

export function redelegateMsg(delegator: string, src: string, dst: string, amount: string): EncodeObject {
  return {
    typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
    value: { delegatorAddress: delegator, validatorSrcAddress: src, validatorDstAddress: dst, amount: { denom: "umira", amount } },
  };
}
