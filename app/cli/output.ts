/** How every mirad command talks to the user: results on stdout, notices and errors on stderr, one line per error. */
export type OutputFormat = "text" | "json";

export function parseOutputFormat(value: string): OutputFormat {
  if (value === "text" || value === "json") return value;
  throw new Error(`unknown output format "${value}": use text or json`);
}

export function printLine(text = ""): void {
  process.stdout.write(text + "\n");
}

/** One JSON document per line, compact, for jq and scripts. */
export function printJson(value: unknown): void {
  printLine(JSON.stringify(value));
}

/** A YAML-like list, as the Cosmos SDK prints records in text mode. */
export function printRecords(records: readonly Readonly<Record<string, string>>[]): void {
  for (const record of records) {
    Object.entries(record).forEach(([key, value], i) => printLine(`${i === 0 ? "-" : " "} ${key}: ${value}`));
  }
}

export function printNotice(text: string): void {
  process.stderr.write(text + "\n");
}

export function isHelpFlag(arg: string): boolean {
  return arg === "--help" || arg === "-h" || arg === "help";
}

/** An error for bad command-line input, pointing at the command's help. */
export function usageError(message: string, command: string): Error {
  const help = command === "" ? "mirad --help" : `mirad ${command} --help`;
  return new Error(`${message} (see '${help}')`);
}

/** One clear line on stderr, never a stack trace (MIRA_DEBUG=1 adds it, for bug reports). */
export function reportError(err: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const message = err instanceof Error ? err.message : String(err);
  printNotice(`Error: ${message.replace(/\s*\n\s*/g, " ")}`);
  if (env.MIRA_DEBUG && err instanceof Error && err.stack !== undefined) printNotice(err.stack);
}
