// `mirad tx slashing unjail`: brings a jailed validator back, once its jail time is over.
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { valoperOf } from "./staking-args";
import { runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

const UNJAIL_HELP = txHelp(
  "Unjail the validator operated by the key <from> (its miravaloper1... address), once its jail time is over\n('mirad query slashing signing-info' shows jailed_until)",
  "mirad tx slashing unjail <from> [flags]    e.g. mirad tx slashing unjail alice --fees 5000umira",
);

export const COMMANDS: Readonly<Record<string, CommandHandler>> = { unjail: unjailCommand };

async function unjailCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx slashing unjail";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(UNJAIL_HELP);
  const [from] = positionalArguments(flags.positionals, ["from"], command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: MsgUnjail.fromPartial({ validatorAddr: valoperOf(key.address) }) }],
    describe: (key) => `Unjail validator ${valoperOf(key.address)} (key "${key.name}")`,
  });
}
