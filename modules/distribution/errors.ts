/**
 * The distribution module's errors. It registers no codespace of its own: every error a
 * distribution tx or query returns today is one of the SDK's own codes in codespace "sdk"
 * (registered in app/core/errors.ts), so CODESPACE is that one, and the helpers below are the
 * errors the module raises, with their codes and messages as they always were. (A broken
 * internal invariant, such as a missing rewards period, is a plain Error: a bug, not bad input.)
 */
import { ChainError, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/** The codespace of every distribution error: the SDK's. */
export const CODESPACE = SDK_CODESPACE;

/** A distribution error: one of the SDK's codes. */
export function distributionError(code: (typeof SdkCode)[keyof typeof SdkCode], message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}

/** MsgSetWithdrawAddress while the params disable it (Unauthorized). */
export function withdrawAddrDisabledError(): ChainError {
  return distributionError(SdkCode.Unauthorized, "set withdraw address disabled");
}

/** MsgSetWithdrawAddress naming a module account (Unauthorized). */
export function moduleAccountWithdrawAddrError(address: string): ChainError {
  return distributionError(SdkCode.Unauthorized, `${address} is a module account and cannot receive rewards`);
}

/** A reward withdrawal for a delegation without a rewards record (NotFound). */
export function noDelegationRewardsError(): ChainError {
  return distributionError(SdkCode.NotFound, "delegation does not exist: no rewards to withdraw");
}

/** MsgWithdrawDelegatorReward naming a validator that does not exist (NotFound). */
export function validatorNotFoundError(valoper: string): ChainError {
  return distributionError(SdkCode.NotFound, `validator ${valoper} does not exist`);
}

/** MsgWithdrawDelegatorReward for a delegation that does not exist (NotFound). */
export function delegationNotFoundError(): ChainError {
  return distributionError(SdkCode.NotFound, "delegation does not exist");
}

/** MsgWithdrawValidatorCommission with nothing to withdraw (InvalidRequest). */
export function noValidatorCommissionError(): ChainError {
  return distributionError(SdkCode.InvalidRequest, "no validator commission to withdraw");
}

/** MsgFundCommunityPool with no coins (InvalidCoins). */
export function emptyAmountError(): ChainError {
  return distributionError(SdkCode.InvalidCoins, "amount must not be empty");
}
