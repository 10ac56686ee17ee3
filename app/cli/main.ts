#!/usr/bin/env node
// mirad: the Mira node and client. Each command lives in app/cli/<command>.ts and exports `run`.
// Every mirad process (node, CLI txs and queries) encodes protobuf with the mended writer.
import "../../proto/writer";
import os from "node:os";
import path from "node:path";
import { closeInput } from "../keyring/prompt";
import type { CliContext, CommandHandler } from "./command";
import { isHelpFlag, printLine, printNotice, reportError, usageError } from "./output";

interface Command {
  summary: string;
  /** Loaded on use, so that `mirad keys` does not pay for the node's dependencies. */
  load?: () => CommandHandler;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  init: { summary: "Create a node home: config, genesis and validator key", load: () => (require("./init") as typeof import("./init")).run },
  start: { summary: "Run the node under CometBFT", load: () => (require("./start") as typeof import("./start")).run },
  keys: { summary: "Manage the local keyring (add, import, list, show, delete)", load: () => (require("./keys") as typeof import("./keys")).run },
  tx: { summary: "Sign and broadcast a transaction", load: () => (require("./tx") as typeof import("./tx")).run },
  query: { summary: "Query the chain's state", load: () => (require("./query") as typeof import("./query")).run },
  status: { summary: "Show the node's status", load: () => (require("./status") as typeof import("./status")).run },
  "verify-certificate": {
    summary: "Verify a claims certificate's proof against a block header (@confio/ics23)",
    load: () => (require("./verify-certificate") as typeof import("./verify-certificate")).run,
  },
  sidecar: {
    summary: "Serve a verification model over gRPC (mira.verifier.v1.Verifier)",
    load: () => (require("./sidecar") as typeof import("./sidecar")).run,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    "mirad: the Mira chain's node and command-line client",
    "",
    "Usage: mirad <command> [flags]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run 'mirad <command> --help' for a command's flags. The home folder is --home, else $MIRA_HOME, else ~/.mira.",
  ].join("\n");
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || isHelpFlag(name)) {
    printLine(usage());
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw usageError(`unknown command "${name}"`, "");
  if (command.load === undefined) {
    printNotice(`not implemented yet: ${name}`);
    return 1;
  }
  const ctx: CliContext = { env, defaultHome: env.MIRA_HOME || path.join(os.homedir(), ".mira") };
  return command.load()(args, ctx);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (err: unknown) => {
        reportError(err);
        process.exitCode = 1;
      },
    )
    .finally(closeInput);
}
