// The flags several mirad commands share, and how they are read: one parser, one --node, one -o.
import path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { Keyring, openKeyring } from "../keyring/keyring";
import { passwordFromEnvOrInput } from "../keyring/prompt";
import type { CliContext } from "./command";
import { printLine, usageError } from "./output";

export type FlagSpec = NonNullable<ParseArgsConfig["options"]>;
export type ParsedFlags<T extends FlagSpec> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/** parseArgs, with its errors turned into one usage line. */
export function parseFlags<T extends FlagSpec>(args: string[], options: T, command: string): ParsedFlags<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true as const, strict: true as const });
  } catch (err) {
    // parseArgs explains over several sentences and lines; the first says what is wrong.
    const firstSentence = ((err as Error).message.split(/\.\s/)[0] ?? "invalid arguments").replace(/\.$/, "");
    throw usageError(firstSentence.charAt(0).toLowerCase() + firstSentence.slice(1), command);
  }
}

export const DEFAULT_NODE = "http://127.0.0.1:26657";

/** --node, -o and --help: what every command that talks to a node takes. */
export const NODE_FLAGS = {
  node: { type: "string", default: DEFAULT_NODE },
  output: { type: "string", short: "o", default: "text" },
  help: { type: "boolean", short: "h" },
} as const;

export const NODE_HELP = `      --node URL                   CometBFT RPC of a node (default ${DEFAULT_NODE})
  -o, --output text|json           output format (default text)
  -h, --help                       this help`;

/** Exactly one positional argument per name, in order; the error names the missing ones. */
export function positionalArguments<const Names extends readonly string[]>(
  positionals: string[],
  names: Names,
  command: string,
): { [K in keyof Names]: string } {
  if (positionals.length < names.length) throw usageError(`missing ${names.slice(positionals.length).join(", ")}`, command);
  if (positionals.length > names.length) throw usageError(`unexpected argument "${positionals[names.length]}"`, command);
  return positionals as { [K in keyof Names]: string };
}

/** A non-negative integer flag (a height), or undefined when not given. */
export function integerFlag(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw usageError(`--${flag} must be a non-negative integer, got "${value}"`, command);
  }
  return Number(value);
}

/** As simd: "tcp://host:port" and a bare "host:port" mean the node's HTTP RPC. */
export function nodeUrl(value: string): string {
  if (value.startsWith("tcp://")) return "http://" + value.slice("tcp://".length);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return "http://" + value;
  return value;
}

/** Connects to a node's CometBFT RPC; an unreachable node is one line that says which and what to do. */
export async function connectNode(url: string): Promise<CometClient> {
  // Required here, not imported: `mirad keys` parses flags too and never needs the RPC client.
  const { connectComet } = require("@cosmjs/tendermint-rpc") as typeof import("@cosmjs/tendermint-rpc");
  try {
    return await connectComet(url);
  } catch (err) {
    throw new Error(`cannot reach a node at ${url}: ${causeOf(err)}; is it running? (set --node)`, { cause: err });
  }
}

/** fetch reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (cause instanceof Error) return cause.message;
  return err.message;
}

/** `--help`: the text on stdout, exit 0. */
export function printHelp(text: string): number {
  printLine(text);
  return 0;
}

/** The keyring the --home and --keyring-backend flags name; its password comes from the env or stdin. */
export function openCliKeyring(home: string | undefined, backend: string | undefined, ctx: CliContext): Keyring {
  return openKeyring({ home: path.resolve(home ?? ctx.defaultHome), backend, password: passwordFromEnvOrInput(ctx.env) });
}
