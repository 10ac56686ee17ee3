// The types every mirad command shares: main.ts dispatches to commands, which import only this.

/** What every command gets from the environment, resolved once by main.ts. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  /** --home when not given: $MIRA_HOME, else ~/.mira. */
  defaultHome: string;
}

/** A command's entry: its arguments after the command name; resolves to the exit code. */
export type CommandHandler = (args: string[], ctx: CliContext) => Promise<number>;
