import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import type { Context, FeeGrantUse } from "../core/context";
import { type Amount, parseCoins, requiredFee, formatAmounts } from "../core/coins";
import { chainError, SdkCode } from "../core/errors";
import type { RoutedMsg } from "../core/router";
import { addressBytesOf, bech32Address, parseAddress } from "../core/address";
import { DecodedTx, directSignBytes, signerPubKey, signMode } from "../core/tx-decode";
import { latin1Key } from "../core/memo";
import { verifySecp256k1 } from "../core/secp256k1";
import type { AuthKeeper } from "../../modules/auth/keeper";
import { FEE_COLLECTOR } from "../../modules/auth/keeper";
import type { BankSendKeeper } from "../../modules/bank/keeper";
import { ATTR_ACC_SEQ, ATTR_FEE, ATTR_FEE_GRANTER, ATTR_FEE_PAYER, EVENT_TX } from "../../modules/auth/events";

/** The largest gas limit (int64), as CometBFT counts gas. */
const MAX_GAS = 2n ** 63n - 1n;

/** Bytes a secp256k1 signature adds to a signed tx (64) plus its protobuf framing. */
const BIG_SIGNATURE_BYTES = 66n;

export interface AnteKeepers {
  auth: AuthKeeper;
  bank: BankSendKeeper;
  /** Fee grants (`AuthInfo.fee.granter`): the sessions module decides whether the granter pays. */
  feeGrants?: { checkFeeGrant(ctx: Context, granter: Uint8Array, payer: Uint8Array, fee: readonly Amount[], msgs: readonly RoutedMsg[]): unknown };
}

/** How a tx is being checked, beyond the context's mode. */
export interface AnteOptions {
  /**
   * CheckTx of type RECHECK (a tx already in the mempool, checked again after a block): its
   * signatures were verified when it entered and its bytes are the same, so they are not verified
   * again, as the SDK's signature decorator does; sequences, fees and balances are.
   */
  recheck?: boolean;
  /** consensus_params.block.max_gas: a tx whose gas limit is above it can never fit in a block (-1 or 0: no limit). */
  maxBlockGas?: bigint;
  /**
   * Signatures of this very tx (the same bytes) already verified, by signer index, account number,
   * chain id and key: a tx verified in CheckTx is not verified again in FinalizeBlock.
   */
  verified?: Set<string>;
}

/** The unique signers of a tx's messages, in order of first appearance (the SDK's GetSigners). */
export function signersOf(msgs: RoutedMsg[]): Buffer[] {
  const seen = new Set<string>();
  const out: Buffer[] = [];
  for (const { handler, msg } of msgs) {
    for (const s of handler.signers(msg)) {
      const id = s.toString("hex");
      if (!seen.has(id)) {
        seen.add(id);
        out.push(s);
      }
    }
  }
  return out;
}

/**
 * The checks every tx passes before its messages run, the same in CheckTx, simulation and
 * FinalizeBlock: size and memo limits, signer keys and addresses, sequences, signatures
 * (skipped when simulating), the fee against the consensus minimum gas price, fee deduction and
 * sequence increments. Its writes stay even if a message later fails.
 */
export function runAnte(ctx: Context, k: AnteKeepers, tx: DecodedTx, txBytes: Uint8Array, msgs: RoutedMsg[], opts: AnteOptions = {}): FeeGrantUse | undefined {
  const params = k.auth.getParams(ctx);
  const simulate = ctx.mode === "simulate";
  const { body, authInfo } = tx;
  const memoBytes = Buffer.byteLength(body.memo, "utf8"); // the SDK counts bytes
  if (BigInt(memoBytes) > params.maxMemoCharacters) {
    throw chainError(SdkCode.MemoTooLarge, `maximum number of characters is ${params.maxMemoCharacters} but received ${memoBytes} characters`);
  }
  if (body.timeoutHeight > 0n && ctx.height > body.timeoutHeight) {
    throw chainError(SdkCode.TxTimeoutHeight, `block height: ${ctx.height}, timeout height: ${body.timeoutHeight}`);
  }
  if (body.extensionOptions.length > 0 || body.nonCriticalExtensionOptions.length > 0) {
    throw chainError(SdkCode.UnknownExtensionOptions, "unknown extension options");
  }
  const signers = signersOf(msgs);
  if (BigInt(signers.length) > params.txSigLimit) {
    throw chainError(SdkCode.TooManySignatures, `signatures: ${signers.length}, limit: ${params.txSigLimit}`);
  }
  if (authInfo.signerInfos.length !== signers.length) {
    throw chainError(SdkCode.Unauthorized, `invalid number of signer; expected: ${signers.length}, got ${authInfo.signerInfos.length}`);
  }
  ctx.gas.consume(params.txSizeCostPerByte * BigInt(txBytes.length), "txSize");
  if (simulate) {
    // A simulated tx carries empty signatures: charge for the bytes real ones will add, as the SDK does.
    const missing = tx.raw.signatures.filter((sig) => sig.length === 0).length;
    ctx.gas.consume(params.txSizeCostPerByte * BIG_SIGNATURE_BYTES * BigInt(missing), "txSize: simulated signatures");
  }

  const fee = authInfo.fee;
  const gasLimit = fee?.gasLimit ?? 0n;
  if (gasLimit > MAX_GAS) throw chainError(SdkCode.InvalidRequest, `invalid gas supplied; ${gasLimit} > ${MAX_GAS}`);
  if (fee !== undefined && fee.granter !== "" && k.feeGrants === undefined) throw chainError(SdkCode.InvalidRequest, "fee grants are not enabled");
  const feeCoins = parseCoins(fee?.amount ?? [], "fee");
  if (!simulate && ctx.mode !== "genesis") {
    if (gasLimit === 0n) throw chainError(SdkCode.InvalidGasLimit, "gas limit must be positive");
    const maxBlockGas = opts.maxBlockGas ?? -1n;
    if (maxBlockGas > 0n && gasLimit > maxBlockGas) throw chainError(SdkCode.InvalidGasLimit, `tx gas limit ${gasLimit} exceeds block max gas ${maxBlockGas}`);
    const price = k.auth.getMinGasPrice(ctx);
    const need = requiredFee(price, gasLimit);
    const paid = feeCoins.find((c) => c.denom === price.denom)?.amount ?? 0n;
    if (paid < need) {
      throw chainError(SdkCode.InsufficientFee, `insufficient fees; got: ${formatAmounts(feeCoins) || "0" + price.denom} required: ${need}${price.denom}`);
    }
  }

  for (let i = 0; i < signers.length; i++) {
    const address = signers[i]!;
    const account = k.auth.getAccount(ctx, address);
    if (account === undefined) throw chainError(SdkCode.UnknownAddress, `account ${bech32Address(address)} does not exist`);
    const txKey = signerPubKey(tx, i);
    const pubkey = account.pubkey ?? txKey;
    if (pubkey === undefined) throw chainError(SdkCode.InvalidPubKey, `pubkey on account ${bech32Address(address)} is not set`);
    if (!addressBytesOf(pubkey).equals(address)) {
      throw chainError(SdkCode.InvalidPubKey, `pubKey does not match signer address ${bech32Address(address)} with signer index: ${i}`);
    }
    const seq = authInfo.signerInfos[i]!.sequence;
    if (seq !== account.sequence) {
      throw chainError(SdkCode.WrongSequence, `account sequence mismatch, expected ${account.sequence}, got ${seq}: incorrect account sequence`);
    }
    ctx.gas.consume(params.sigVerifyCostSecp256k1, "ante verify: secp256k1");
    if (!simulate && opts.recheck !== true) {
      if (signMode(tx, i) !== SignMode.SIGN_MODE_DIRECT) {
        throw chainError(SdkCode.Unauthorized, `signature mode ${signMode(tx, i)} is not supported; use SIGN_MODE_DIRECT`);
      }
      // Genesis txs are signed before accounts have numbers: for account number 0, as in the SDK.
      const accountNumber = ctx.mode === "genesis" ? 0n : account.accountNumber;
      const done = `${i}/${accountNumber}/${ctx.chainId}/${latin1Key(pubkey)}`;
      if (opts.verified?.has(done) !== true) {
        if (!verifySecp256k1(pubkey, directSignBytes(tx, ctx.chainId, accountNumber), tx.raw.signatures[i]!)) {
          throw chainError(
            SdkCode.Unauthorized,
            `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId}): unauthorized`,
          );
        }
        opts.verified?.add(done);
      }
    }
    k.auth.setAccount(ctx, { ...account, pubkey, sequence: account.sequence + 1n });
    if (ctx.events.on) ctx.events.emit(EVENT_TX, { [ATTR_ACC_SEQ]: `${bech32Address(address)}/${account.sequence}` });
  }

  const payer = fee !== undefined && fee.payer !== "" ? parseAddress(fee.payer) : signers[0]!;
  if (!signers.some((s) => s.equals(payer))) {
    throw chainError(SdkCode.Unauthorized, `fee payer ${fee!.payer} is not a signer of the tx`);
  }
  // Simulations usually carry no fee yet: move a zero fee so that the estimate pays for the transfer.
  const charged = feeCoins.length === 0 && simulate ? [{ denom: k.auth.getMinGasPrice(ctx).denom, amount: 0n }] : feeCoins;
  // A fee granter (a session's granter) pays instead of the payer, if its session says so.
  const granter = fee !== undefined && fee.granter !== "" ? parseAddress(fee.granter) : undefined;
  const found = granter === undefined ? undefined : k.feeGrants!.checkFeeGrant(ctx, granter, payer, charged, msgs);
  const source = granter ?? payer;
  if (charged.length > 0) k.bank.sendCoins(ctx, source, k.auth.moduleAccount(ctx, FEE_COLLECTOR).address, charged);
  if (ctx.events.on)
    ctx.events.emit(
      EVENT_TX,
      granter === undefined
        ? { [ATTR_FEE]: formatAmounts(feeCoins), [ATTR_FEE_PAYER]: bech32Address(payer) }
        : { [ATTR_FEE]: formatAmounts(feeCoins), [ATTR_FEE_PAYER]: bech32Address(payer), [ATTR_FEE_GRANTER]: bech32Address(granter) },
    );
  return granter === undefined ? undefined : { granter, payer, fee: charged, charged: false, found };
}
