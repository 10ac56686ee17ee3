/**
 * The distribution module's errors. Every error a distribution tx or query returns is one of the
 * SDK's own codes in codespace "sdk" (registered in app/core/errors.ts), so CODESPACE is that one,
 * except the community pool's shortfall (codespace "distribution", as in the SDK), and the helpers below are the
 * errors the module raises, with their codes and messages as they always were. (A broken
 * internal invariant, such as a missing rewards period, is a plain Error: a bug, not bad input.)
 */
import { ChainError, registerCodes, SDK_CODESPACE, SdkCode } from "../../app/core/errors";

/** The codespace of every distribution error but one: the SDK's. */
export const CODESPACE = SDK_CODESPACE;

/** The codes of codespace "distribution", as the Cosmos SDK registers them: only the one without an SDK equivalent. */
export const DistributionCode = registerCodes("distribution", { BadDistribution: 9 } as const);

/** MsgCommunityPoolSpend asking for more than the community pool holds (the SDK's ErrBadDistribution). */
export function communityPoolShortError(pool: string, asked: string): ChainError {
  return new ChainError(
    DistributionCode.BadDistribution,
    `community pool does not have sufficient coins to distribute: it holds ${pool} of the asked ${asked}`,
    "distribution",
  );
}

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
