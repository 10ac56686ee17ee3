// `mirad tx ibc-transfer transfer`: sends coins to another chain over an IBC transfer channel (ICS-20).
import { MsgTransfer } from "cosmjs-types/ibc/applications/transfer/v1/tx";
import { parseCoinsText } from "../core/coins";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { usageError } from "./output";
import { runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

const TRANSFER_FLAGS = {
  ...TX_FLAGS,
  channel: { type: "string" },
  port: { type: "string", default: "transfer" },
  "timeout-height": { type: "string" },
  "timeout-seconds": { type: "string" },
  "packet-memo": { type: "string", default: "" },
} as const;

const TRANSFER_HELP = txHelp(
  "Send coins over an IBC transfer channel to an address on the other chain (native coins are escrowed here, ibc/...\nvouchers going home are burned; a packet that times out brings the coins back)",
  "mirad tx ibc-transfer transfer <from> <receiver> <amount> --channel ID [flags]\n       e.g. mirad tx ibc-transfer transfer alice cosmos1... 1000umira --channel channel-0 --fees 10000umira",
  `      --channel ID                 this chain's end of the transfer channel, e.g. channel-0 (required)
      --port ID                    the port (default transfer)
      --timeout-height REV-H       the other chain's height (revision-height, e.g. 1-5000) at which the packet times out
      --timeout-seconds N          seconds from now after which it times out (default 600 when no height is given)
      --packet-memo TEXT           the packet's memo, for the receiving chain (--memo is the tx's)
`,
);

export const COMMANDS: Readonly<Record<string, CommandHandler>> = { transfer: transferCommand };

async function transferCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx ibc-transfer transfer";
  const flags = parseFlags(args, TRANSFER_FLAGS, command);
  if (flags.values.help === true) return printHelp(TRANSFER_HELP);
  const [from, receiver, amountText] = positionalArguments(flags.positionals, ["from", "receiver", "amount"], command);
  const channel = flags.values.channel;
  if (channel === undefined || !/^channel-\d+$/.test(channel))
    throw usageError("--channel channel-N is required (this chain's end of the transfer channel)", command);
  const amount = parseCoinsText(amountText);
  if (amount.length !== 1) throw usageError(`send one coin at a time, e.g. 1000umira (got "${amountText}")`, command);
  let timeoutHeight = { revisionNumber: 0n, revisionHeight: 0n };
  if (flags.values["timeout-height"] !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(flags.values["timeout-height"]);
    if (m === null) throw usageError(`--timeout-height is revision-height, e.g. 1-5000 (got "${flags.values["timeout-height"]}")`, command);
    timeoutHeight = { revisionNumber: BigInt(m[1]!), revisionHeight: BigInt(m[2]!) };
  }
  const secondsText = flags.values["timeout-seconds"] ?? (flags.values["timeout-height"] === undefined ? "600" : undefined);
  let timeoutTimestamp = 0n;
  if (secondsText !== undefined) {
    if (!/^\d+$/.test(secondsText) || Number(secondsText) < 1)
      throw usageError(`--timeout-seconds must be a positive number of seconds (got "${secondsText}")`, command);
    timeoutTimestamp = (BigInt(Date.now()) + BigInt(secondsText) * 1000n) * 1_000_000n;
  }
  const coin = { denom: amount[0]!.denom, amount: amount[0]!.amount.toString() };
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/ibc.applications.transfer.v1.MsgTransfer",
        value: MsgTransfer.fromPartial({
          sourcePort: flags.values.port,
          sourceChannel: channel,
          token: coin,
          sender: key.address,
          receiver,
          timeoutHeight,
          timeoutTimestamp,
          memo: flags.values["packet-memo"],
        }),
      },
    ],
    describe: (key) => `Send ${coin.amount}${coin.denom} from "${key.name}" (${key.address}) over ${flags.values.port}/${channel} to ${receiver}`,
  });
}
