import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, SignDoc, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { chainError, SdkCode } from "./errors";

export const SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey";

/** A tx as the ante handler needs it: the raw bytes that were signed, and their decoded forms. */
export interface DecodedTx {
  raw: TxRaw;
  body: TxBody;
  authInfo: AuthInfo;
}

/** Decodes `TxRaw` bytes; anything malformed is TxDecode (code 2). Never throws anything else. */
export function decodeTx(bytes: Uint8Array, maxBytes = 1024 * 1024): DecodedTx {
  if (bytes.length === 0) throw chainError(SdkCode.TxDecode, "tx is empty");
  if (bytes.length > maxBytes) throw chainError(SdkCode.TxTooLarge, `tx of ${bytes.length} bytes exceeds ${maxBytes}`);
  let raw: TxRaw, body: TxBody, authInfo: AuthInfo;
  try {
    raw = TxRaw.decode(bytes);
    body = TxBody.decode(raw.bodyBytes);
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch (err) {
    throw chainError(SdkCode.TxDecode, `tx parse error: ${(err as Error).message}`);
  }
  // One signed tx must have one encoding (and one hash): refuse reordered, repeated or unknown
  // TxRaw fields, as the SDK does (ADR-027).
  if (!Buffer.from(TxRaw.encode(raw).finish()).equals(Buffer.from(bytes))) {
    throw chainError(SdkCode.TxDecode, "tx parse error: TxRaw is not in canonical encoding (ADR-027)");
  }
  if (body.messages.length === 0) throw chainError(SdkCode.InvalidRequest, "tx must contain at least one message");
  if (raw.signatures.length !== authInfo.signerInfos.length) {
    throw chainError(SdkCode.Unauthorized, `wrong number of signatures; expected ${authInfo.signerInfos.length}, got ${raw.signatures.length}`);
  }
  return { raw, body, authInfo };
}

/** The bytes a SIGN_MODE_DIRECT signer signs: SignDoc over the tx's own body and auth info bytes. */
export function directSignBytes(tx: DecodedTx, chainId: string, accountNumber: bigint): Uint8Array {
  return SignDoc.encode({ bodyBytes: tx.raw.bodyBytes, authInfoBytes: tx.raw.authInfoBytes, chainId, accountNumber }).finish();
}

/** The compressed secp256k1 key of signer `i`, if the tx carries one. */
export function signerPubKey(tx: DecodedTx, i: number): Uint8Array | undefined {
  const info = tx.authInfo.signerInfos[i];
  if (info?.publicKey === undefined) return undefined;
  if (info.publicKey.typeUrl !== SECP256K1_PUBKEY_URL) {
    throw chainError(SdkCode.InvalidPubKey, `unsupported public key type ${info.publicKey.typeUrl}; use ${SECP256K1_PUBKEY_URL}`);
  }
  try {
    return PubKey.decode(info.publicKey.value).key;
  } catch (err) {
    throw chainError(SdkCode.InvalidPubKey, `bad public key: ${(err as Error).message}`);
  }
}

/** SIGN_MODE_DIRECT is the one sign mode this chain accepts from signers. */
export function signMode(tx: DecodedTx, i: number): SignMode {
  return tx.authInfo.signerInfos[i]?.modeInfo?.single?.mode ?? SignMode.SIGN_MODE_UNSPECIFIED;
}
