// `mirad tx distribution ...`: withdraw-rewards (and commission), set-withdraw-addr, fund-community-pool.
import {
  MsgFundCommunityPool,
  MsgSetWithdrawAddress,
  MsgWithdrawDelegatorReward,
  MsgWithdrawValidatorCommission,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { formatAmounts, parseCoinsText, toCoin } from "../core/coins";
import { parseAddress } from "../core/address";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { usageError } from "./output";
import { validatorArg, valoperOf } from "./staking-args";
import { runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

const WITHDRAW_REWARDS_HELP = txHelp(
  "Withdraw the rewards of the delegation of <from> to a validator (to its withdraw address, by default itself);\nwith --commission, also the validator's commission, when <from> is its operator",
  "mirad tx distribution withdraw-rewards <from> <validator-addr> [--commission] [flags]",
  `      --commission                 also withdraw the validator's commission (<from> must be its operator)
`,
);

const SET_WITHDRAW_ADDR_HELP = txHelp(
  "Set where the rewards and commission of <from> go from now on",
  "mirad tx distribution set-withdraw-addr <from> <address> [flags]",
);

const FUND_COMMUNITY_POOL_HELP = txHelp(
  "Give coins to the community pool",
  "mirad tx distribution fund-community-pool <from> <amount> [flags]    e.g. mirad tx distribution fund-community-pool alice 1000umira --fees 5000umira",
);

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  "withdraw-rewards": withdrawRewardsCommand,
  "set-withdraw-addr": setWithdrawAddrCommand,
  "fund-community-pool": fundCommunityPoolCommand,
};

async function withdrawRewardsCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx distribution withdraw-rewards";
  const flags = parseFlags(args, { ...TX_FLAGS, commission: { type: "boolean" } }, command);
  if (flags.values.help === true) return printHelp(WITHDRAW_REWARDS_HELP);
  const [from, validatorText] = positionalArguments(flags.positionals, ["from", "validator-addr"], command);
  const validator = validatorArg(validatorText, command);
  const commission = flags.values.commission === true;
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => {
      const messages: EncodeObject[] = [
        {
          typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
          value: MsgWithdrawDelegatorReward.fromPartial({ delegatorAddress: key.address, validatorAddress: validator }),
        },
      ];
      if (!commission) return messages;
      if (valoperOf(key.address) !== validator) {
        throw usageError(
          `--commission: key "${key.name}" (${key.address}) does not operate ${validator}; only its operator may withdraw its commission`,
          command,
        );
      }
      messages.push({
        typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
        value: MsgWithdrawValidatorCommission.fromPartial({ validatorAddress: validator }),
      });
      return messages;
    },
    describe: (key) => `Withdraw the rewards of "${key.name}" (${key.address}) from ${validator}${commission ? ", and its commission" : ""}`,
  });
}

async function setWithdrawAddrCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx distribution set-withdraw-addr";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(SET_WITHDRAW_ADDR_HELP);
  const [from, address] = positionalArguments(flags.positionals, ["from", "address"], command);
  parseAddress(address);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
        value: MsgSetWithdrawAddress.fromPartial({ delegatorAddress: key.address, withdrawAddress: address }),
      },
    ],
    describe: (key) => `Send the rewards of "${key.name}" (${key.address}) to ${address} from now on`,
  });
}

async function fundCommunityPoolCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx distribution fund-community-pool";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(FUND_COMMUNITY_POOL_HELP);
  const [from, amountText] = positionalArguments(flags.positionals, ["from", "amount"], command);
  const amount = parseCoinsText(amountText);
  if (amount.length === 0) throw usageError("the amount is empty; expected e.g. 1000umira", command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
        value: MsgFundCommunityPool.fromPartial({ amount: amount.map(toCoin), depositor: key.address }),
      },
    ],
    describe: (key) => `Give ${formatAmounts(amount)} from "${key.name}" (${key.address}) to the community pool`,
  });
}
