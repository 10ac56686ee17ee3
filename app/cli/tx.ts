// `mirad tx`: signs with a keyring key through CosmJS, broadcasts, and waits for the block. Every tx
// command (bank send here; staking, slashing, distribution in tx-<module>.ts) goes through runTx.
import type { MsgSendEncodeObject } from "@cosmjs/stargate";
import { formatAmounts, parseCoinsText, toCoin } from "../core/coins";
import { parseAddress } from "../core/address";
import type { CliContext, CommandHandler } from "./command";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import { isHelpFlag, usageError } from "./output";
import { runTx, TX_FLAGS, TX_FLAGS_HELP, txHelp } from "./tx-broadcast";

const TX_HELP = `Sign a transaction with a keyring key, broadcast it and wait until a block includes it.

Usage: mirad tx <module> <command> [flags]

Commands:
  bank send <from> <to> <amount>                    Send coins from a key (name or address) to an address
  staking delegate <from> <validator> <amount>      Delegate (bond) coins to a validator
  staking unbond <from> <validator> <amount>        Undelegate coins; they come back after the unbonding time
  staking redelegate <from> <src-validator> <dst-validator> <amount>
                                                    Move a delegation to another validator, without unbonding
  staking cancel-unbond <from> <validator> <amount> <creation-height>
                                                    Bond again coins that are still unbonding
  staking create-validator <from> --pubkey K --amount C --moniker M
                                                    Make a node a validator, self-bonding coins from <from>
  staking edit-validator <from> [--moniker M ...]   Change a validator's description, commission or min self-delegation
  slashing unjail <from>                            Bring the jailed validator of <from> back
  distribution withdraw-rewards <from> <validator> [--commission]
                                                    Withdraw a delegation's rewards (and the validator's commission)
  distribution set-withdraw-addr <from> <address>   Where rewards and commission go from now on
  distribution fund-community-pool <from> <amount>  Give coins to the community pool
  gov submit-proposal <from> <proposal.json>        Submit a proposal (SDK v0.50 file: messages, deposit, title, summary)
  gov deposit <from> <proposal-id> <amount>         Add a deposit to a proposal
  gov vote <from> <proposal-id> <option>            Vote yes, no, abstain or no_with_veto
  gov weighted-vote <from> <proposal-id> yes=0.6,no=0.4
                                                    Split a vote between options
  gov cancel <from> <proposal-id>                   Cancel your proposal before its vote ends
  claims submit <from> --content TEXT | --content-file FILE | --claim TEXT...
                                                    Submit content (or a list of claims) for verification
  sessions create <from> <session-key> --allow TYPE_URL --spend-limit COINS --expires TIME|DURATION
                                                    Let a session key run listed messages for <from>, within a limit
  sessions revoke <from> <session-key>              End a session at once
  sessions exec <session-key> <granter> --msg JSON [--fee-granted]
                                                    As the session key, run messages for the granter
  ibc-transfer transfer <from> <receiver> <amount> --channel ID
                                                    Send coins to another chain over an IBC transfer channel

<from> is a key's name or address; validators are miravaloper1... addresses. Run 'mirad tx <module> <command> --help'.

${TX_FLAGS_HELP}`;

const SEND_HELP = txHelp(
  "Send coins",
  "mirad tx bank send <from> <to-address> <amount> [flags]    e.g. mirad tx bank send alice mira1... 1000umira --fees 5000umira",
);

/** The tx commands of each module; staking, slashing and distribution load on use (they import this module). */
const MODULES: Readonly<Record<string, () => Readonly<Record<string, CommandHandler>>>> = {
  bank: () => ({ send: sendCommand }),
  staking: () => (require("./tx-staking") as typeof import("./tx-staking")).COMMANDS,
  slashing: () => (require("./tx-slashing") as typeof import("./tx-slashing")).COMMANDS,
  distribution: () => (require("./tx-distribution") as typeof import("./tx-distribution")).COMMANDS,
  gov: () => (require("./tx-gov") as typeof import("./tx-gov")).COMMANDS,
  claims: () => (require("./tx-claims") as typeof import("./tx-claims")).COMMANDS,
  sessions: () => (require("./tx-sessions") as typeof import("./tx-sessions")).COMMANDS,
  "ibc-transfer": () => (require("./tx-ibc") as typeof import("./tx-ibc")).COMMANDS,
};

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const [module, name, ...rest] = args;
  if (module === undefined || isHelpFlag(module)) return printHelp(TX_HELP);
  const load = Object.hasOwn(MODULES, module) ? MODULES[module] : undefined;
  if (load === undefined) throw usageError(`unknown tx module "${module}"`, "tx");
  if (name === undefined || isHelpFlag(name)) return printHelp(TX_HELP);
  const commands = load();
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) throw usageError(`unknown tx command "${module} ${name}"`, "tx");
  return command(rest, ctx);
}

async function sendCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx bank send";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(SEND_HELP);
  const [from, to, amountText] = positionalArguments(flags.positionals, ["from", "to-address", "amount"], command);
  parseAddress(to);
  const amount = parseCoinsText(amountText);
  if (amount.length === 0) throw usageError("the amount is empty; expected e.g. 1000umira", command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key): MsgSendEncodeObject[] => [
      { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: key.address, toAddress: to, amount: amount.map(toCoin) } },
    ],
    describe: (key) => `Send ${formatAmounts(amount)} from "${key.name}" (${key.address}) to ${to}`,
  });
}
