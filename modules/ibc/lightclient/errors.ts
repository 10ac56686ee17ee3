// The 07-tendermint light client's error codes, in ibc-go's codespace and numbers, so that a relayer
// reading a refused MsgUpdateClient or MsgSubmitMisbehaviour sees the code it knows.
import { ChainError, registerCodes } from "../../../app/core/errors";
import { ClientCode, clientError } from "../errors";

export { CLIENT_CODESPACE } from "../errors";

export const TENDERMINT_CODESPACE = "07-tendermint";

/** ibc-go's modules/light-clients/07-tendermint/errors.go, code for code. */
export const TendermintCode = registerCodes(TENDERMINT_CODESPACE, {
  InvalidChainId: 2,
  InvalidTrustingPeriod: 3,
  InvalidUnbondingPeriod: 4,
  InvalidHeaderHeight: 5,
  InvalidHeader: 6,
  InvalidMaxClockDrift: 7,
  ProcessedTimeNotFound: 8,
  ProcessedHeightNotFound: 9,
  DelayPeriodNotPassed: 10,
  TrustingPeriodExpired: 11,
  UnbondingPeriodExpired: 12,
  InvalidProofSpecs: 13,
  InvalidValidatorSet: 14,
  InvalidTrustLevel: 15,
} as const);

export type TendermintCodeValue = (typeof TendermintCode)[keyof typeof TendermintCode];

export function tendermintError(code: TendermintCodeValue, message: string): ChainError {
  return new ChainError(code, message, TENDERMINT_CODESPACE);
}

/** The 02-client codes ibc-go's 07-tendermint answers with where it does not use its own (registered in ../errors.ts). */
export const LightClientClientCode = {
  InvalidClient: ClientCode.InvalidClient,
  InvalidHeader: ClientCode.InvalidHeader,
  InvalidMisbehaviour: ClientCode.InvalidMisbehaviour,
} as const;

export function lightClientClientError(code: (typeof LightClientClientCode)[keyof typeof LightClientClientCode], message: string): ChainError {
  return clientError(code, message);
}
