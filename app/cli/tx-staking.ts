// `mirad tx staking ...`: delegate, unbond, redelegate, cancel-unbond, create-validator, edit-validator.
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  MsgBeginRedelegate,
  MsgCancelUnbondingDelegation,
  MsgCreateValidator,
  MsgDelegate,
  MsgEditValidator,
  MsgUndelegate,
} from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { formatAmounts, toCoin } from "../core/coins";
import { parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { usageError } from "./output";
import { consensusKeyArg, decArg, decText, oneCoinArg, validatorArg, valoperOf } from "./staking-args";
import { runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

/** MsgEditValidator's "leave this description field as it is". */
const DO_NOT_MODIFY = "[do-not-modify]";

const DELEGATE_HELP = txHelp(
  "Delegate (bond) coins to a validator",
  "mirad tx staking delegate <from> <validator-addr> <amount> [flags]    e.g. mirad tx staking delegate alice miravaloper1... 1000000umira --fees 5000umira",
);

const UNBOND_HELP = txHelp(
  "Undelegate coins from a validator; they come back to <from> after the chain's unbonding time\n('mirad query staking unbonding-delegations' shows them until then)",
  "mirad tx staking unbond <from> <validator-addr> <amount> [flags]    e.g. mirad tx staking unbond alice miravaloper1... 1000000umira --fees 5000umira",
);

const REDELEGATE_HELP = txHelp(
  "Move delegated coins from one validator to another at once, without unbonding",
  "mirad tx staking redelegate <from> <src-validator-addr> <dst-validator-addr> <amount> [flags]\n\nA redelegation can need about the default gas limit: --gas auto is safer.",
);

const CANCEL_UNBOND_HELP = txHelp(
  "Bond again (to the same validator) coins that are still unbonding; <creation-height> is the height of the\nunbonding entry, as 'mirad query staking unbonding-delegations' shows it",
  "mirad tx staking cancel-unbond <from> <validator-addr> <amount> <creation-height> [flags]",
);

const CREATE_VALIDATOR_HELP = txHelp(
  "Make a node a validator, operated by the key <from> (its miravaloper1... address) and self-bonding --amount",
  "mirad tx staking create-validator <from> --pubkey K --amount C --moniker M [flags]\n       e.g. mirad tx staking create-validator alice --pubkey ~/.mira/cometbft/config/priv_validator_key.json --amount 100000000umira --moniker my-node --fees 5000umira",
  `      --pubkey K                   the node's ed25519 consensus key: its base64, or its priv_validator_key.json (required)
      --amount COIN                the self-delegation, e.g. 100000000umira (required)
      --moniker NAME               the validator's name (required)
      --commission-rate R          commission on its delegators' rewards (default 0.10)
      --commission-max-rate R      the most it may ever charge (default 0.20)
      --commission-max-change-rate R
                                   the most the rate may change in a day (default 0.01)
      --min-self-delegation N      the validator is jailed if its self-delegation falls below N (default 1)
      --details TEXT               a description
      --website URL                a website
      --identity ID                a Keybase-style identity
      --security-contact EMAIL     whom to tell of security issues
`,
);

const EDIT_VALIDATOR_HELP = txHelp(
  "Change the description, commission rate or minimum self-delegation of the validator operated by <from>;\nwhat is not given stays as it is",
  "mirad tx staking edit-validator <from> [--moniker M] [--commission-rate R] [--min-self-delegation N] ... [flags]",
  `      --moniker NAME               a new name
      --details TEXT               a new description
      --website URL                a new website
      --identity ID                a new identity
      --security-contact EMAIL     a new security contact
      --commission-rate R          a new rate (at most once a day, by at most its max change rate)
      --min-self-delegation N      a higher minimum self-delegation (it can only rise)
`,
);

const DESCRIPTION_FLAGS = {
  details: { type: "string" },
  website: { type: "string" },
  identity: { type: "string" },
  "security-contact": { type: "string" },
} as const;

const CREATE_VALIDATOR_FLAGS = {
  ...TX_FLAGS,
  ...DESCRIPTION_FLAGS,
  pubkey: { type: "string" },
  amount: { type: "string" },
  moniker: { type: "string" },
  "commission-rate": { type: "string", default: "0.10" },
  "commission-max-rate": { type: "string", default: "0.20" },
  "commission-max-change-rate": { type: "string", default: "0.01" },
  "min-self-delegation": { type: "string", default: "1" },
} as const;

const EDIT_VALIDATOR_FLAGS = {
  ...TX_FLAGS,
  ...DESCRIPTION_FLAGS,
  moniker: { type: "string" },
  "commission-rate": { type: "string" },
  "min-self-delegation": { type: "string" },
} as const;

export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  delegate: delegateCommand,
  unbond: unbondCommand,
  redelegate: redelegateCommand,
  "cancel-unbond": cancelUnbondCommand,
  "create-validator": createValidatorCommand,
  "edit-validator": editValidatorCommand,
};

async function delegateCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx staking delegate";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(DELEGATE_HELP);
  const [from, validatorText, amountText] = positionalArguments(flags.positionals, ["from", "validator-addr", "amount"], command);
  const validator = validatorArg(validatorText, command);
  const amount = oneCoinArg(amountText, command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgDelegate",
        value: MsgDelegate.fromPartial({ delegatorAddress: key.address, validatorAddress: validator, amount: toCoin(amount) }),
      },
    ],
    describe: (key) => `Delegate ${formatAmounts([amount])} from "${key.name}" (${key.address}) to ${validator}`,
  });
}

async function unbondCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx staking unbond";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(UNBOND_HELP);
  const [from, validatorText, amountText] = positionalArguments(flags.positionals, ["from", "validator-addr", "amount"], command);
  const validator = validatorArg(validatorText, command);
  const amount = oneCoinArg(amountText, command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgUndelegate",
        value: MsgUndelegate.fromPartial({ delegatorAddress: key.address, validatorAddress: validator, amount: toCoin(amount) }),
      },
    ],
    describe: (key) => `Unbond ${formatAmounts([amount])} delegated by "${key.name}" (${key.address}) to ${validator}`,
  });
}

async function redelegateCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx staking redelegate";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(REDELEGATE_HELP);
  const [from, srcText, dstText, amountText] = positionalArguments(flags.positionals, ["from", "src-validator-addr", "dst-validator-addr", "amount"], command);
  const src = validatorArg(srcText, command);
  const dst = validatorArg(dstText, command);
  if (src === dst) throw usageError("the source and destination validators are the same", command);
  const amount = oneCoinArg(amountText, command);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate",
        value: MsgBeginRedelegate.fromPartial({ delegatorAddress: key.address, validatorSrcAddress: src, validatorDstAddress: dst, amount: toCoin(amount) }),
      },
    ],
    describe: (key) => `Redelegate ${formatAmounts([amount])} of "${key.name}" (${key.address}) from ${src} to ${dst}`,
  });
}

async function cancelUnbondCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx staking cancel-unbond";
  const flags = parseFlags(args, TX_FLAGS, command);
  if (flags.values.help === true) return printHelp(CANCEL_UNBOND_HELP);
  const [from, validatorText, amountText, heightText] = positionalArguments(
    flags.positionals,
    ["from", "validator-addr", "amount", "creation-height"],
    command,
  );
  const validator = validatorArg(validatorText, command);
  const amount = oneCoinArg(amountText, command);
  if (!/^[1-9]\d{0,18}$/.test(heightText)) throw usageError(`creation-height must be a positive integer, got "${heightText}"`, command);
  const creationHeight = BigInt(heightText);
  return runTx(flags.values, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgCancelUnbondingDelegation",
        value: MsgCancelUnbondingDelegation.fromPartial({ delegatorAddress: key.address, validatorAddress: validator, amount: toCoin(amount), creationHeight }),
      },
    ],
    describe: (key) =>
      `Cancel the unbonding of ${formatAmounts([amount])} by "${key.name}" (${key.address}) from ${validator} (entry of height ${creationHeight})`,
  });
}

async function createValidatorCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx staking create-validator";
  const flags = parseFlags(args, CREATE_VALIDATOR_FLAGS, command);
  const v = flags.values;
  if (v.help === true) return printHelp(CREATE_VALIDATOR_HELP);
  const [from] = positionalArguments(flags.positionals, ["from"], command);
  if (v.pubkey === undefined) throw usageError("missing --pubkey: the node's consensus key (base64, or its priv_validator_key.json)", command);
  if (v.amount === undefined) throw usageError("missing --amount: the self-delegation, e.g. 100000000umira", command);
  if (v.moniker === undefined || v.moniker.trim() === "") throw usageError("missing --moniker: the validator's name", command);
  const consensusKey = consensusKeyArg(v.pubkey, "--pubkey", command);
  const amount = oneCoinArg(v.amount, command);
  const commission = {
    rate: decArg(v["commission-rate"], "commission-rate", command),
    maxRate: decArg(v["commission-max-rate"], "commission-max-rate", command),
    maxChangeRate: decArg(v["commission-max-change-rate"], "commission-max-change-rate", command),
  };
  const minSelfDelegation = positiveIntegerArg(v["min-self-delegation"], "min-self-delegation", command);
  const description = {
    moniker: v.moniker,
    details: v.details ?? "",
    website: v.website ?? "",
    identity: v.identity ?? "",
    securityContact: v["security-contact"] ?? "",
  };
  return runTx(v, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
        value: MsgCreateValidator.fromPartial({
          description,
          commission,
          minSelfDelegation,
          delegatorAddress: "",
          validatorAddress: valoperOf(key.address),
          pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Ed25519PubKey.encode({ key: consensusKey }).finish() },
          value: toCoin(amount),
        }),
      },
    ],
    describe: (key) =>
      `Create validator "${description.moniker}" (${valoperOf(key.address)}) with consensus key ${Buffer.from(consensusKey).toString("base64")}, ` +
      `self-bonding ${formatAmounts([amount])} from "${key.name}" (${key.address}); commission ${decText(commission.rate)} ` +
      `(max ${decText(commission.maxRate)}, max change ${decText(commission.maxChangeRate)} a day), min self-delegation ${minSelfDelegation}`,
  });
}

async function editValidatorCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx staking edit-validator";
  const flags = parseFlags(args, EDIT_VALIDATOR_FLAGS, command);
  const v = flags.values;
  if (v.help === true) return printHelp(EDIT_VALIDATOR_HELP);
  const [from] = positionalArguments(flags.positionals, ["from"], command);
  const fields = { moniker: v.moniker, details: v.details, website: v.website, identity: v.identity, securityContact: v["security-contact"] };
  const rate = v["commission-rate"] === undefined ? undefined : decArg(v["commission-rate"], "commission-rate", command);
  const min = v["min-self-delegation"] === undefined ? undefined : positiveIntegerArg(v["min-self-delegation"], "min-self-delegation", command);
  const changes = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name} "${value}"`);
  if (rate !== undefined) changes.push(`commission rate ${decText(rate)}`);
  if (min !== undefined) changes.push(`min self-delegation ${min}`);
  if (changes.length === 0)
    throw usageError(
      "nothing to change: give --moniker, --details, --website, --identity, --security-contact, --commission-rate or --min-self-delegation",
      command,
    );
  const keep = (value: string | undefined): string => value ?? DO_NOT_MODIFY;
  const description = {
    moniker: keep(fields.moniker),
    details: keep(fields.details),
    website: keep(fields.website),
    identity: keep(fields.identity),
    securityContact: keep(fields.securityContact),
  };
  return runTx(v, command, ctx, {
    from,
    messages: (key) => [
      {
        typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
        value: MsgEditValidator.fromPartial({
          description,
          validatorAddress: valoperOf(key.address),
          commissionRate: rate ?? "",
          minSelfDelegation: min ?? "",
        }),
      },
    ],
    describe: (key) => `Edit validator ${valoperOf(key.address)} (key "${key.name}"): ${changes.join(", ")}`,
  });
}

function positiveIntegerArg(text: string, flag: string, command: string): string {
  if (!/^[1-9]\d*$/.test(text)) throw usageError(`--${flag} must be a positive integer, got "${text}"`, command);
  return text;
}
