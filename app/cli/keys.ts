// `mirad keys`: the local keyring, as `simd keys` (add, import, list, show, delete).
import { AddedKey, KeyInfo, Keyring } from "../keyring/keyring";
import { PASSWORD_ENV, readInputLine } from "../keyring/prompt";
import { openCliKeyring, parseFlags } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { isHelpFlag, OutputFormat, parseOutputFormat, printJson, printLine, printNotice, printRecords, usageError } from "./output";

const COMMON_FLAGS = {
  home: { type: "string" },
  "keyring-backend": { type: "string", default: "file" },
  output: { type: "string", short: "o", default: "text" },
  help: { type: "boolean", short: "h" },
} as const;

const HD_FLAGS = {
  account: { type: "string" },
  index: { type: "string" },
} as const;

const COMMON_HELP = `Flags:
      --home DIR                   node home (default $MIRA_HOME, else ~/.mira)
      --keyring-backend file|test  file (default): each mnemonic encrypted with the keyring password;
                                   test: mnemonics in clear, for localnets and tests only
  -o, --output text|json           output format (default text)
  -h, --help                       this help

The file backend's password is $${PASSWORD_ENV}, else read from stdin: a prompt on a terminal,
else the first line.`;

const HD_HELP = `      --account N                  HD account: m/44'/118'/N'/0/index (default 0)
      --index N                    HD address index: m/44'/118'/account'/0/N (default 0)`;

const KEYS_HELP = `Manage the local keyring: BIP39 mnemonics, secp256k1 keys, bech32 "mira" addresses.

Usage: mirad keys <command> [flags]

Commands:
  add <name>      Create a new key, or recover one from its mnemonic with --recover
  import <name>   Import a key from its mnemonic, read from stdin
  list            List all keys
  show <name>     Show a key's address and public key
  delete <name>   Delete a key

${COMMON_HELP}`;

const ADD_HELP = `Create a key from a new 24-word mnemonic, printed once, or recover one with --recover.

Usage: mirad keys add <name> [--recover] [--account N] [--index N] [flags]

      --recover                    read the mnemonic from stdin (after the password, if that comes from stdin too)
${HD_HELP}
${COMMON_HELP}`;

const IMPORT_HELP = `Import a key from its BIP39 mnemonic, read from stdin (after the password, if that comes from stdin too).

Usage: mirad keys import <name> [--account N] [--index N] [flags]

${HD_HELP}
${COMMON_HELP}`;

const LIST_HELP = `List all keys of the keyring.

Usage: mirad keys list [flags]

${COMMON_HELP}`;

const SHOW_HELP = `Show a key's name, address, public key and HD path.

Usage: mirad keys show <name> [--address] [flags]

  -a, --address                    print the address only
${COMMON_HELP}`;

const DELETE_HELP = `Delete a key. Without its mnemonic, it cannot be recovered.

Usage: mirad keys delete <name> --yes [flags]

  -y, --yes                        delete without asking (required when stdin is not a terminal)
${COMMON_HELP}`;

const SUBCOMMANDS: Readonly<Record<string, CommandHandler>> = {
  add: addCommand,
  import: importCommand,
  list: listCommand,
  show: showCommand,
  delete: deleteCommand,
};

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || isHelpFlag(name)) return printHelp(KEYS_HELP);
  const subcommand = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (subcommand === undefined) throw usageError(`unknown keys command "${name}"`, "keys");
  return subcommand(rest, ctx);
}

async function addCommand(args: string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags(args, { ...COMMON_FLAGS, ...HD_FLAGS, recover: { type: "boolean" } }, "keys add");
  if (flags.values.help === true) return printHelp(ADD_HELP);
  return addKey("keys add", nameArgument(flags.positionals, "keys add"), flags.values, ctx, flags.values.recover === true);
}

async function importCommand(args: string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags(args, { ...COMMON_FLAGS, ...HD_FLAGS }, "keys import");
  if (flags.values.help === true) return printHelp(IMPORT_HELP);
  return addKey("keys import", nameArgument(flags.positionals, "keys import"), flags.values, ctx, true);
}

interface KeyringFlags {
  home?: string;
  "keyring-backend": string;
  output: string;
}

interface HdFlags {
  account?: string;
  index?: string;
}

/** Checks every flag and the name before the first prompt; the password is read before the mnemonic. */
async function addKey(command: string, name: string, flags: KeyringFlags & HdFlags, ctx: CliContext, recover: boolean): Promise<number> {
  const output = parseOutputFormat(flags.output);
  const hd = { account: hdIndexFlag(flags.account, "account", command), index: hdIndexFlag(flags.index, "index", command) };
  const keyring = keyringOf(flags, ctx);
  keyring.assertAddable(name);
  await keyring.unlock();
  const mnemonic = recover ? await readInputLine("the mnemonic", "> Enter your bip39 mnemonic\n") : undefined;
  printAddedKey(await keyring.add(name, { ...hd, mnemonic }), output);
  return 0;
}

async function listCommand(args: string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags(args, COMMON_FLAGS, "keys list");
  if (flags.values.help === true) return printHelp(LIST_HELP);
  if (flags.positionals.length > 0) throw usageError(`unexpected argument "${flags.positionals[0]}"`, "keys list");
  const output = parseOutputFormat(flags.values.output);
  const keys = await keyringOf(flags.values, ctx).list();
  if (output === "json") printJson(keys);
  else if (keys.length === 0) printLine("No keys in the keyring; create one with 'mirad keys add <name>'.");
  else printRecords(keys.map(keyRecord));
  return 0;
}

async function showCommand(args: string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags(args, { ...COMMON_FLAGS, address: { type: "boolean", short: "a" } }, "keys show");
  if (flags.values.help === true) return printHelp(SHOW_HELP);
  const name = nameArgument(flags.positionals, "keys show");
  const output = parseOutputFormat(flags.values.output);
  const key = await keyringOf(flags.values, ctx).show(name);
  if (flags.values.address === true) printLine(key.address);
  else if (output === "json") printJson(key);
  else printRecords([keyRecord(key)]);
  return 0;
}

async function deleteCommand(args: string[], ctx: CliContext): Promise<number> {
  const flags = parseFlags(args, { ...COMMON_FLAGS, yes: { type: "boolean", short: "y" } }, "keys delete");
  if (flags.values.help === true) return printHelp(DELETE_HELP);
  const name = nameArgument(flags.positionals, "keys delete");
  const output = parseOutputFormat(flags.values.output);
  const keyring = keyringOf(flags.values, ctx);
  await keyring.show(name); // "not found" before any question
  if (flags.values.yes !== true && !(await confirmDelete(name))) {
    printNotice("Aborted: nothing deleted.");
    return 1;
  }
  await keyring.delete(name);
  if (output === "json") printJson({ name, deleted: true });
  else printLine(`Key "${name}" deleted.`);
  return 0;
}

/** On a terminal, asks; otherwise refuses, since a script must say --yes. */
async function confirmDelete(name: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw usageError(`refusing to delete key "${name}" without --yes`, "keys delete");
  const answer = await readInputLine("a confirmation", `Key "${name}" will be deleted and can only be recovered from its mnemonic. Continue? [y/N] `);
  return /^y(es)?$/i.test(answer.trim());
}

function keyringOf(flags: KeyringFlags, ctx: CliContext): Keyring {
  return openCliKeyring(flags.home, flags["keyring-backend"], ctx);
}

function nameArgument(positionals: string[], command: string): string {
  if (positionals.length === 0) throw usageError("missing key name", command);
  if (positionals.length > 1) throw usageError(`expected one key name, got ${positionals.length} arguments`, command);
  return positionals[0] as string;
}

function hdIndexFlag(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw usageError(`--${flag} must be a non-negative integer, got "${value}"`, command);
  return Number(value);
}

function printAddedKey(key: AddedKey, output: OutputFormat): void {
  if (output === "json") {
    printJson(key);
    return;
  }
  printRecords([keyRecord(key)]);
  if (key.mnemonic === undefined) return;
  // On stderr, as the SDK does: the phrase reaches the terminal, not a file stdout is redirected to.
  printNotice("\n**Important** write this mnemonic phrase in a safe place.");
  printNotice("It is the only way to recover your account if you ever forget your password.\n");
  printNotice(key.mnemonic);
}

function keyRecord(key: KeyInfo): Record<string, string> {
  return { name: key.name, address: key.address, pubkey: key.pubkey, hdPath: key.hdPath };
}

function printHelp(text: string): number {
  printLine(text);
  return 0;
}
