// `mirad query distribution ...`: rewards, commission, community-pool, params. Amounts are decimals
// (DecCoins): rewards accrue in fractions of a umira, and a withdrawal pays their whole part.
import { setupDistributionExtension } from "@cosmjs/stargate";
import { parseAddress } from "../core/address";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { parseOutputFormat, printJson, printLine, printRecords, usageError } from "./output";
import { nullWhenNotFound, QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler, withQueryClient } from "./query-client";
import { decCoinsJson, decCoinsText, decText, validatorArg } from "./staking-args";

const REWARDS_HELP = `The pending rewards of <delegator>: for each of its delegations and in total, or for the one to <validator-addr>.
They are decimals; a withdrawal ('mirad tx distribution withdraw-rewards') pays their whole part.

Usage: mirad query distribution rewards <delegator-addr> [<validator-addr>] [flags]

${QUERY_FLAGS_HELP}`;

const COMMISSION_HELP = `The commission a validator has earned and not yet withdrawn.

Usage: mirad query distribution commission <validator-addr> [flags]

${QUERY_FLAGS_HELP}`;

const COMMUNITY_POOL_HELP = `The coins in the community pool (the community tax on rewards, and what was given to it).

Usage: mirad query distribution community-pool [flags]

${QUERY_FLAGS_HELP}`;

const PARAMS_HELP = `The distribution module's parameters: the community tax, and whether delegators may set a withdraw address.

Usage: mirad query distribution params [flags]

${QUERY_FLAGS_HELP}`;

export const COMMANDS: Readonly<Record<string, QueryHandler>> = {
  rewards: rewardsCommand,
  commission: commissionCommand,
  "community-pool": communityPoolCommand,
  params: paramsCommand,
};

async function rewardsCommand(args: string[]): Promise<number> {
  const command = "query distribution rewards";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(REWARDS_HELP);
  if (flags.positionals.length === 0) throw usageError("missing delegator-addr", command);
  const [delegator, validator] =
    flags.positionals.length === 1 ? [flags.positionals[0]!, undefined] : positionalArguments(flags.positionals, ["delegator-addr", "validator-addr"], command);
  parseAddress(delegator);
  if (validator !== undefined) validatorArg(validator, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  if (validator !== undefined) {
    const found = await withQueryClient(flags.values.node, height, (client) =>
      setupDistributionExtension(client).distribution.delegationRewards(delegator, validator).catch(nullWhenNotFound),
    );
    if (found === null) throw new Error(`no delegation from ${delegator} to ${validator} found, so no rewards`);
    if (output === "json") printJson({ rewards: decCoinsJson(found.rewards) });
    else printRecords([{ validator_address: validator, reward: decCoinsText(found.rewards) }]);
    return 0;
  }
  const total = await withQueryClient(flags.values.node, height, (client) => setupDistributionExtension(client).distribution.delegationTotalRewards(delegator));
  if (output === "json") {
    printJson({
      rewards: total.rewards.map((r) => ({ validator_address: r.validatorAddress, reward: decCoinsJson(r.reward) })),
      total: decCoinsJson(total.total),
    });
  } else if (total.rewards.length === 0) {
    printLine(`No delegations for ${delegator}, so no rewards.`);
  } else {
    printRecords([
      ...total.rewards.map((r) => ({ validator_address: r.validatorAddress, reward: decCoinsText(r.reward) })),
      { total: decCoinsText(total.total) },
    ]);
  }
  return 0;
}

async function commissionCommand(args: string[]): Promise<number> {
  const command = "query distribution commission";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(COMMISSION_HELP);
  const [validator] = positionalArguments(flags.positionals, ["validator-addr"], command);
  validatorArg(validator, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const found = await withQueryClient(flags.values.node, height, (client) =>
    setupDistributionExtension(client).distribution.validatorCommission(validator).catch(nullWhenNotFound),
  );
  if (found === null) throw new Error(`validator ${validator} not found; 'mirad query staking validators' lists them`);
  const commission = found.commission?.commission ?? [];
  if (output === "json") printJson({ commission: { commission: decCoinsJson(commission) } });
  else printRecords([{ validator_address: validator, commission: decCoinsText(commission) }]);
  return 0;
}

async function communityPoolCommand(args: string[]): Promise<number> {
  const command = "query distribution community-pool";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(COMMUNITY_POOL_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const { pool } = await withQueryClient(flags.values.node, height, (client) => setupDistributionExtension(client).distribution.communityPool());
  if (output === "json") printJson({ pool: decCoinsJson(pool) });
  else printRecords([{ pool: decCoinsText(pool) }]);
  return 0;
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query distribution params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const { params } = await withQueryClient(flags.values.node, height, (client) => setupDistributionExtension(client).distribution.params());
  const fields = {
    community_tax: decText(params.communityTax),
    base_proposer_reward: decText(params.baseProposerReward),
    bonus_proposer_reward: decText(params.bonusProposerReward),
    withdraw_addr_enabled: params.withdrawAddrEnabled,
  };
  if (output === "json") printJson({ params: fields });
  else printRecords([{ ...fields, withdraw_addr_enabled: String(fields.withdraw_addr_enabled) }]);
  return 0;
}
