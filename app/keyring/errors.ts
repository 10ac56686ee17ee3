import { ChainError } from "../core/errors";

/** The keyring's codes under its own codespace, so a caller can tell "not found" from "wrong password". */
export const KEYRING_CODESPACE = "keyring";

export const KeyringCode = {
  InvalidName: 1,
  KeyExists: 2,
  KeyNotFound: 3,
  InvalidMnemonic: 4,
  InvalidPassword: 5,
  WrongPassword: 6,
  InvalidHdPath: 7,
  InvalidBackend: 8,
  CorruptKeyFile: 9,
} as const;

export type KeyringErrorCode = (typeof KeyringCode)[keyof typeof KeyringCode];

export function keyringError(code: KeyringErrorCode, message: string): ChainError {
  return new ChainError(code, message, KEYRING_CODESPACE);
}
