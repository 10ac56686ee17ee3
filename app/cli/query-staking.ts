// `mirad query staking ...`: validators, validator, delegation, delegations, unbonding-delegations, pool, params.
import { toBase64 } from "@cosmjs/encoding";
import { setupStakingExtension, StakingExtension } from "@cosmjs/stargate";
import type { PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { PubKey as Ed25519PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { bondStatusToJSON, DelegationResponse, Params, UnbondingDelegation, Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { parseAddress } from "../core/address";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { OutputFormat, parseOutputFormat, printJson, printLine, printRecords, usageError } from "./output";
import { nullWhenNotFound, QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler, withQueryClient } from "./query-client";
import { decText, durationText, timestampText, validatorArg, valconsOf } from "./staking-args";

const VALIDATORS_HELP = `All validators, or only those with --status; sorted as the chain stores them.

Usage: mirad query staking validators [--status bonded|unbonding|unbonded] [flags]

      --status S                   bonded (in the consensus set), unbonding or unbonded
${QUERY_FLAGS_HELP}`;

const VALIDATOR_HELP = `One validator: its status, tokens, shares, commission, description and consensus key.

Usage: mirad query staking validator <validator-addr> [flags]    e.g. mirad query staking validator miravaloper1...

${QUERY_FLAGS_HELP}`;

const DELEGATION_HELP = `The delegation of <delegator> to a validator: its shares and the tokens they are worth.

Usage: mirad query staking delegation <delegator-addr> <validator-addr> [flags]

${QUERY_FLAGS_HELP}`;

const DELEGATIONS_HELP = `Every delegation of <delegator>: to which validator, its shares and the tokens they are worth.

Usage: mirad query staking delegations <delegator-addr> [flags]

${QUERY_FLAGS_HELP}`;

const UNBONDING_HELP = `The coins <delegator> is unbonding: one entry per unbond, with its creation height and when it completes.

Usage: mirad query staking unbonding-delegations <delegator-addr> [flags]

${QUERY_FLAGS_HELP}`;

const POOL_HELP = `The tokens bonded to the validators in the set, and those not bonded (other validators, unbonding).

Usage: mirad query staking pool [flags]

${QUERY_FLAGS_HELP}`;

const PARAMS_HELP = `The staking module's parameters: unbonding time, max validators and entries, bond denom, min commission rate.

Usage: mirad query staking params [flags]

${QUERY_FLAGS_HELP}`;

/** The bond status names the staking extension takes (not exported by CosmJS). */
type BondStatusString = Parameters<StakingExtension["staking"]["validators"]>[0];

const STATUSES: Readonly<Record<string, BondStatusString>> = {
  bonded: "BOND_STATUS_BONDED",
  unbonding: "BOND_STATUS_UNBONDING",
  unbonded: "BOND_STATUS_UNBONDED",
};

export const COMMANDS: Readonly<Record<string, QueryHandler>> = {
  validators: validatorsCommand,
  validator: validatorCommand,
  delegation: delegationCommand,
  delegations: delegationsCommand,
  "unbonding-delegations": unbondingDelegationsCommand,
  pool: poolCommand,
  params: paramsCommand,
};

async function validatorsCommand(args: string[]): Promise<number> {
  const command = "query staking validators";
  const flags = parseFlags(args, { ...QUERY_FLAGS, status: { type: "string" } }, command);
  if (flags.values.help === true) return printHelp(VALIDATORS_HELP);
  positionalArguments(flags.positionals, [], command);
  const statusText = flags.values.status;
  const status = statusText === undefined ? "" : Object.hasOwn(STATUSES, statusText) ? STATUSES[statusText]! : undefined;
  if (status === undefined) throw usageError(`--status must be bonded, unbonding or unbonded, got "${statusText}"`, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const validators = await withQueryClient(flags.values.node, height, (client) =>
    allPages(async (key) => {
      const page = await setupStakingExtension(client).staking.validators(status, key);
      return { items: page.validators, pagination: page.pagination };
    }),
  );
  if (output === "json") printJson({ validators: validators.map(validatorJson) });
  else if (validators.length === 0) printLine(statusText === undefined ? "No validators." : `No ${statusText} validators.`);
  else printRecords(validators.map(validatorRecord));
  return 0;
}

async function validatorCommand(args: string[]): Promise<number> {
  const command = "query staking validator";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(VALIDATOR_HELP);
  const [validator] = positionalArguments(flags.positionals, ["validator-addr"], command);
  validatorArg(validator, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const found = await withQueryClient(flags.values.node, height, (client) =>
    setupStakingExtension(client).staking.validator(validator).catch(nullWhenNotFound),
  );
  if (found === null) throw new Error(`validator ${validator} not found; 'mirad query staking validators' lists them`);
  if (output === "json") printJson({ validator: validatorJson(found.validator) });
  else printRecords([validatorRecord(found.validator)]);
  return 0;
}

async function delegationCommand(args: string[]): Promise<number> {
  const command = "query staking delegation";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(DELEGATION_HELP);
  const [delegator, validator] = positionalArguments(flags.positionals, ["delegator-addr", "validator-addr"], command);
  parseAddress(delegator);
  validatorArg(validator, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const found = await withQueryClient(flags.values.node, height, (client) =>
    setupStakingExtension(client).staking.delegation(delegator, validator).catch(nullWhenNotFound),
  );
  const response = found?.delegationResponse;
  if (response === undefined) throw new Error(`no delegation from ${delegator} to ${validator} found`);
  if (output === "json") printJson({ delegation_response: delegationJson(response) });
  else printRecords([delegationRecord(response)]);
  return 0;
}

async function delegationsCommand(args: string[]): Promise<number> {
  const command = "query staking delegations";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(DELEGATIONS_HELP);
  const [delegator] = positionalArguments(flags.positionals, ["delegator-addr"], command);
  parseAddress(delegator);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const delegations = await withQueryClient(flags.values.node, height, (client) =>
    allPages(async (key) => {
      const page = await setupStakingExtension(client).staking.delegatorDelegations(delegator, key);
      return { items: page.delegationResponses, pagination: page.pagination };
    }),
  );
  if (output === "json") printJson({ delegation_responses: delegations.map(delegationJson) });
  else if (delegations.length === 0) printLine(`No delegations for ${delegator}.`);
  else printRecords(delegations.map(delegationRecord));
  return 0;
}

async function unbondingDelegationsCommand(args: string[]): Promise<number> {
  const command = "query staking unbonding-delegations";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(UNBONDING_HELP);
  const [delegator] = positionalArguments(flags.positionals, ["delegator-addr"], command);
  parseAddress(delegator);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const unbondings = await withQueryClient(flags.values.node, height, (client) =>
    allPages(async (key) => {
      const page = await setupStakingExtension(client).staking.delegatorUnbondingDelegations(delegator, key);
      return { items: page.unbondingResponses, pagination: page.pagination };
    }),
  );
  if (output === "json") printJson({ unbonding_responses: unbondings.map(unbondingJson) });
  else if (unbondings.length === 0) printLine(`No unbonding delegations for ${delegator}.`);
  else printRecords(unbondings.flatMap(unbondingRecords));
  return 0;
}

async function poolCommand(args: string[]): Promise<number> {
  const command = "query staking pool";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(POOL_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const { pool } = await withQueryClient(flags.values.node, height, (client) => setupStakingExtension(client).staking.pool());
  const fields = { bonded_tokens: pool.bondedTokens, not_bonded_tokens: pool.notBondedTokens };
  if (output === "json") printJson({ pool: fields });
  else printRecords([fields]);
  return 0;
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query staking params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const { params } = await withQueryClient(flags.values.node, height, (client) => setupStakingExtension(client).staking.params());
  printParams(params, output);
  return 0;
}

/** Every page of a paginated query, following next_key. */
async function allPages<T>(page: (key: Uint8Array | undefined) => Promise<{ items: T[]; pagination?: PageResponse }>): Promise<T[]> {
  const all: T[] = [];
  let key: Uint8Array | undefined;
  do {
    const { items, pagination } = await page(key);
    all.push(...items);
    key = pagination?.nextKey;
  } while (key !== undefined && key.length > 0);
  return all;
}

/** The consensus key as the SDK's JSON writes it, with the base64 of the ed25519 key when it is one. */
function consensusKeyOf(v: Validator): { "@type": string; key: string } | null {
  const any = v.consensusPubkey;
  if (any === undefined) return null;
  if (any.typeUrl !== "/cosmos.crypto.ed25519.PubKey") return { "@type": any.typeUrl, key: toBase64(any.value) };
  return { "@type": any.typeUrl, key: toBase64(Ed25519PubKey.decode(any.value).key) };
}

function consensusAddressOf(v: Validator): string {
  const any = v.consensusPubkey;
  if (any === undefined || any.typeUrl !== "/cosmos.crypto.ed25519.PubKey") return "";
  return valconsOf(Ed25519PubKey.decode(any.value).key);
}

/** A validator in the SDK's JSON names, decimals as the SDK prints them. */
function validatorJson(v: Validator) {
  const rates = v.commission.commissionRates;
  return {
    operator_address: v.operatorAddress,
    consensus_pubkey: consensusKeyOf(v),
    consensus_address: consensusAddressOf(v),
    jailed: v.jailed,
    status: bondStatusToJSON(v.status),
    tokens: v.tokens,
    delegator_shares: decText(v.delegatorShares),
    description: {
      moniker: v.description.moniker,
      identity: v.description.identity,
      website: v.description.website,
      security_contact: v.description.securityContact,
      details: v.description.details,
    },
    unbonding_height: v.unbondingHeight.toString(),
    unbonding_time: timestampText(v.unbondingTime),
    commission: {
      commission_rates: { rate: decText(rates.rate), max_rate: decText(rates.maxRate), max_change_rate: decText(rates.maxChangeRate) },
      update_time: timestampText(v.commission.updateTime),
    },
    min_self_delegation: v.minSelfDelegation,
  };
}

function validatorRecord(v: Validator): Record<string, string> {
  const j = validatorJson(v);
  const record: Record<string, string> = {
    operator_address: j.operator_address,
    moniker: j.description.moniker,
    status: j.status,
    jailed: String(j.jailed),
    tokens: j.tokens,
    delegator_shares: j.delegator_shares,
    commission_rate: j.commission.commission_rates.rate,
    commission_max_rate: j.commission.commission_rates.max_rate,
    commission_max_change_rate: j.commission.commission_rates.max_change_rate,
    min_self_delegation: j.min_self_delegation,
    consensus_pubkey: j.consensus_pubkey?.key ?? "none",
    consensus_address: j.consensus_address,
  };
  if (v.unbondingHeight > 0n) Object.assign(record, { unbonding_height: j.unbonding_height, unbonding_time: j.unbonding_time });
  for (const [name, value] of Object.entries(j.description)) if (name !== "moniker" && value !== "") record[name] = value;
  return record;
}

function delegationJson(d: DelegationResponse) {
  return {
    delegation: { delegator_address: d.delegation.delegatorAddress, validator_address: d.delegation.validatorAddress, shares: decText(d.delegation.shares) },
    balance: { denom: d.balance.denom, amount: d.balance.amount },
  };
}

function delegationRecord(d: DelegationResponse): Record<string, string> {
  return {
    delegator_address: d.delegation.delegatorAddress,
    validator_address: d.delegation.validatorAddress,
    shares: decText(d.delegation.shares),
    balance: `${d.balance.amount}${d.balance.denom}`,
  };
}

function unbondingJson(u: UnbondingDelegation) {
  return {
    delegator_address: u.delegatorAddress,
    validator_address: u.validatorAddress,
    entries: u.entries.map((e) => ({
      creation_height: e.creationHeight.toString(),
      completion_time: timestampText(e.completionTime),
      initial_balance: e.initialBalance,
      balance: e.balance,
    })),
  };
}

/** One record per entry: each unbond completes on its own. */
function unbondingRecords(u: UnbondingDelegation): Record<string, string>[] {
  return unbondingJson(u).entries.map((e) => ({ validator_address: u.validatorAddress, ...e }));
}

function printParams(p: Params, output: OutputFormat): void {
  const fields = {
    unbonding_time: durationText(p.unbondingTime),
    max_validators: p.maxValidators,
    max_entries: p.maxEntries,
    historical_entries: p.historicalEntries,
    bond_denom: p.bondDenom,
    min_commission_rate: decText(p.minCommissionRate),
  };
  if (output === "json") printJson({ params: fields });
  else printRecords([Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)]))]);
}
