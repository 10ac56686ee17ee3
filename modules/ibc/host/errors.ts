import { ChainError, registerCodes } from "../../../app/core/errors";

/** ICS-24 host errors, with ibc-go's codespace and codes (modules/core/24-host/errors.go). */
export const HOST_CODESPACE = "host";

export const HostCode = registerCodes(HOST_CODESPACE, {
  InvalidID: 2,
  InvalidPath: 3,
  InvalidPacket: 4,
} as const);

/** A host-codespace error with one of the codes above. */
export function hostError(code: (typeof HostCode)[keyof typeof HostCode], message: string): ChainError {
  return new ChainError(code, message, HOST_CODESPACE);
}
