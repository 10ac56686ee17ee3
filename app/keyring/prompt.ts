import readline from "node:readline";
import { Writable } from "node:stream";
import { keyringError, KeyringCode } from "./errors";
import { MIN_PASSWORD_LENGTH, PasswordSource } from "./keyring";

export const PASSWORD_ENV = "MIRA_KEYRING_PASSWORD";

/** Piped stdin is read through one line iterator, so a password and a mnemonic can come on successive lines. */
let pipedInput: readline.Interface | undefined;
let pipedLines: AsyncIterator<string> | undefined;

/**
 * One line of user input: a prompt on stderr when stdin is a terminal (echo off when `hidden`),
 * else the next line of stdin. `what` names the input in the error when stdin has run out.
 */
export async function readInputLine(what: string, prompt: string, options: { hidden?: boolean } = {}): Promise<string> {
  if (process.stdin.isTTY) return promptTerminal(prompt, options.hidden ?? false);
  pipedInput ??= readline.createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  pipedLines ??= pipedInput[Symbol.asyncIterator]();
  const next = await pipedLines.next();
  if (next.done === true) throw new Error(`expected ${what} on stdin, got end of input`);
  return next.value;
}

/** Releases stdin so that the process can exit; call once the command is done. */
export function closeInput(): void {
  pipedInput?.close();
}

/** The keyring password from MIRA_KEYRING_PASSWORD, else from stdin (asked twice for a new keyring on a terminal). */
export function passwordFromEnvOrInput(env: NodeJS.ProcessEnv = process.env): PasswordSource {
  return async ({ newKeyring }) => {
    const fromEnv = env[PASSWORD_ENV];
    if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
    const what = `the keyring password (or set ${PASSWORD_ENV})`;
    const hint = newKeyring ? ` (at least ${MIN_PASSWORD_LENGTH} characters)` : "";
    const password = await readInputLine(what, `Enter keyring passphrase${hint}: `, { hidden: true });
    if (newKeyring && process.stdin.isTTY) {
      const again = await readInputLine(what, "Re-enter keyring passphrase: ", { hidden: true });
      if (again !== password) throw keyringError(KeyringCode.InvalidPassword, "the two passwords differ");
    }
    return password;
  };
}

function promptTerminal(prompt: string, hidden: boolean): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const terminal = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve, reject) => {
    terminal.on("SIGINT", () => {
      terminal.close();
      process.stderr.write("\n");
      reject(new Error("cancelled"));
    });
    terminal.question(prompt, (answer) => {
      terminal.close();
      if (hidden) process.stderr.write("\n");
      resolve(answer);
    });
    muted = hidden; // after the prompt is written: only the typed characters are swallowed
  });
}
