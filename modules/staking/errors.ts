import { ChainError, registerCodes } from "../../app/core/errors";

/** The staking module's codes, as the Cosmos SDK registers them in codespace "staking". */
export const CODESPACE = "staking";

export const StakingCode = registerCodes(CODESPACE, {
  EmptyValidatorAddr: 2,
  NoValidatorFound: 3,
  ValidatorOwnerExists: 4,
  ValidatorPubKeyExists: 5,
  ValidatorPubKeyTypeNotSupported: 6,
  ValidatorJailed: 7,
  CommissionNegative: 9,
  CommissionHuge: 10,
  CommissionGTMaxRate: 11,
  CommissionUpdateTime: 12,
  CommissionChangeRateNegative: 13,
  CommissionChangeRateGTMaxRate: 14,
  CommissionGTMaxChangeRate: 15,
  SelfDelegationBelowMinimum: 16,
  MinSelfDelegationDecreased: 17,
  NoDelegation: 19,
  NotEnoughDelegationShares: 24,
  NoUnbondingDelegation: 26,
  MaxUnbondingDelegationEntries: 27,
  NoRedelegation: 28,
  SelfRedelegation: 29,
  TinyRedelegationAmount: 30,
  TransitiveRedelegation: 32,
  MaxRedelegationEntries: 33,
  DelegatorShareExRateInvalid: 34,
  NoHistoricalInfo: 38,
  EmptyValidatorPubKey: 39,
  CommissionLTMinRate: 40,
} as const);

/** A staking-codespace error with one of the codes above. */
export function stakingError(code: (typeof StakingCode)[keyof typeof StakingCode], message: string): ChainError {
  return new ChainError(code, message, CODESPACE);
}
