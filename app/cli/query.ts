// `mirad query`: the chain's state through a node's ABCI queries, as `simd query`: bank and auth here;
// staking, slashing and distribution in query-<module>.ts, which use withQueryClient.
import { Account, accountFromAny, setupAuthExtension, setupBankExtension } from "@cosmjs/stargate";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { validDenom } from "../core/coins";
import { parseAddress } from "../core/address";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { nullWhenNotFound, QUERY_FLAGS, QUERY_FLAGS_HELP, type QueryHandler, withQueryClient } from "./query-client";
import { isHelpFlag, OutputFormat, parseOutputFormat, printJson, printLine, printRecords, usageError } from "./output";

const QUERY_HELP = `Query the chain's state through a node.

Usage: mirad query <module> <command> [flags]

Commands:
  bank balances <address>                         An account's balances (all denoms, or one with --denom)
  auth account <address>                          An account's number, sequence and public key
  staking validators [--status S]                 All validators, or those bonded, unbonding or unbonded
  staking validator <validator-addr>              One validator
  staking delegation <delegator> <validator-addr> A delegation: its shares and what they are worth
  staking delegations <delegator>                 All delegations of an account
  staking unbonding-delegations <delegator>       An account's coins that are unbonding, and when they come back
  staking pool                                    The bonded and not bonded tokens
  staking params                                  The staking module's parameters
  slashing signing-info <valcons | consensus-pubkey>
                                                  A validator's liveness record: missed blocks, jail, tombstone
  slashing params                                 The slashing module's parameters
  distribution rewards <delegator> [<validator-addr>]
                                                  A delegator's pending rewards, per validator and in total
  distribution commission <validator-addr>        A validator's commission, not yet withdrawn
  distribution community-pool                     The community pool's coins
  distribution params                             The distribution module's parameters
  gov proposal <proposal-id>                      One proposal: messages, status, deposits, times, tally or failure
  gov proposals [--status S]                      Every proposal, or those of one status (voting_period, passed, ...)
  gov vote <proposal-id> <voter>                  How an account voted on a proposal
  gov votes <proposal-id>                         Every vote on a proposal
  gov tally <proposal-id>                         A proposal's tally: live while voting, final once decided
  gov params                                      gov's parameters and the gov module account
  claims content <content-id>                     A submitted content: submitter, hash, claim ids, fee, settled count
  claims claim <claim-id>                         One claim: text, assigned verifiers, votes, status, verdict
  claims certificate <content-id> [--prove]       A content's certificate, with --prove its store proof
  claims claims-by-submitter <address>            The contents an account submitted
  claims pending [--validator V]                  Claims waiting for verdicts
  claims verifier-stats <validator-addr>          A validator's verification record
  claims verdicts <validator-addr>                A validator's most recent recorded verdicts
  claims params                                   The claims module's parameters
  sessions session <granter> <session-key>        One session: scope, spend limit and spent, expiration, uses, fee grant
  sessions by-granter <granter>                   The live sessions a granter created
  sessions by-grantee <session-key>               The live sessions a session key holds
  sessions params                                 The sessions module's parameters
  ibc client-state|client-status|consensus-state <client-id>
                                                  A light client of another chain, its status, a consensus state
  ibc client-states | connections | channels      Every client, connection or channel end
  ibc connection <connection-id>                  A connection end
  ibc channel <port-id> <channel-id>              A channel end
  ibc packet-commitments <port-id> <channel-id>   Packets sent and not yet acknowledged or timed out
  ibc-transfer denom-trace <hash> | denom-traces  Where a voucher (ibc/...) comes from
  ibc-transfer escrow-address <channel-id>        The account holding a channel's escrowed coins
  ibc-transfer escrow <denom>                     How much of a denom is escrowed

Validators are miravaloper1... addresses. Run 'mirad query <module> <command> --help' for a command's flags.

${QUERY_FLAGS_HELP}`;

const BALANCES_HELP = `An account's balances: every denom it holds, or one with --denom (then "0" when it holds none).

Usage: mirad query bank balances <address> [--denom D] [flags]

      --denom D                    only this denom
${QUERY_FLAGS_HELP}`;

const ACCOUNT_HELP = `An account's type, number, sequence (its count of signed txs) and public key (set by its first tx).

Usage: mirad query auth account <address> [flags]

${QUERY_FLAGS_HELP}`;

/** The query commands of each module; staking, slashing and distribution load on use (they import this module). */
const MODULES: Readonly<Record<string, () => Readonly<Record<string, QueryHandler>>>> = {
  bank: () => ({ balances: balancesCommand }),
  auth: () => ({ account: accountCommand }),
  staking: () => (require("./query-staking") as typeof import("./query-staking")).COMMANDS,
  slashing: () => (require("./query-slashing") as typeof import("./query-slashing")).COMMANDS,
  distribution: () => (require("./query-distribution") as typeof import("./query-distribution")).COMMANDS,
  gov: () => (require("./query-gov") as typeof import("./query-gov")).COMMANDS,
  claims: () => (require("./query-claims") as typeof import("./query-claims")).COMMANDS,
  sessions: () => (require("./query-sessions") as typeof import("./query-sessions")).COMMANDS,
  ibc: () => (require("./query-ibc") as typeof import("./query-ibc")).IBC_COMMANDS,
  "ibc-transfer": () => (require("./query-ibc") as typeof import("./query-ibc")).TRANSFER_COMMANDS,
};

export async function run(args: string[]): Promise<number> {
  const [module, name, ...rest] = args;
  if (module === undefined || isHelpFlag(module)) return printHelp(QUERY_HELP);
  const load = Object.hasOwn(MODULES, module) ? MODULES[module] : undefined;
  if (load === undefined) throw usageError(`unknown query module "${module}"`, "query");
  if (name === undefined || isHelpFlag(name)) return printHelp(QUERY_HELP);
  const commands = load();
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (command === undefined) throw usageError(`unknown query command "${module} ${name}"`, "query");
  return command(rest);
}

async function balancesCommand(args: string[]): Promise<number> {
  const command = "query bank balances";
  const flags = parseFlags(args, { ...QUERY_FLAGS, denom: { type: "string" } }, command);
  if (flags.values.help === true) return printHelp(BALANCES_HELP);
  const [address] = positionalArguments(flags.positionals, ["address"], command);
  parseAddress(address);
  const denom = flags.values.denom;
  if (denom !== undefined && !validDenom(denom)) throw usageError(`invalid denom "${denom}"`, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const balances = await withQueryClient(flags.values.node, height, async (client) => {
    const bank = setupBankExtension(client).bank;
    return denom === undefined ? bank.allBalances(address) : [await bank.balance(address, denom)];
  });
  printBalances(address, balances, output);
  return 0;
}

async function accountCommand(args: string[]): Promise<number> {
  const command = "query auth account";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(ACCOUNT_HELP);
  const [address] = positionalArguments(flags.positionals, ["address"], command);
  parseAddress(address);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const any = await withQueryClient(flags.values.node, height, (client) => setupAuthExtension(client).auth.account(address).catch(nullWhenNotFound));
  if (any === null) throw accountNotFoundError(address);
  printAccount(any.typeUrl, accountFromAny(any), output);
  return 0;
}

function accountNotFoundError(address: string): Error {
  return new Error(`account ${address} not found: an address becomes an account when it first receives funds`);
}

function printBalances(address: string, balances: readonly Coin[], output: OutputFormat): void {
  const coins = balances.map((c) => ({ denom: c.denom, amount: c.amount }));
  if (output === "json") printJson({ balances: coins });
  else if (coins.length === 0) printLine(`No balances for ${address}.`);
  else printRecords(coins);
}

/** CosmJS gives the pubkey in its amino form; the SDK's JSON names its protobuf type. */
const PUBKEY_TYPE_URLS: Readonly<Record<string, string>> = {
  "tendermint/PubKeySecp256k1": "/cosmos.crypto.secp256k1.PubKey",
  "tendermint/PubKeyEd25519": "/cosmos.crypto.ed25519.PubKey",
};

function pubkeyJson(account: Account): { "@type": string; key: string } | null {
  const pubkey = account.pubkey;
  if (pubkey === null || typeof pubkey.value !== "string") return null;
  return { "@type": PUBKEY_TYPE_URLS[pubkey.type] ?? pubkey.type, key: pubkey.value };
}

function printAccount(typeUrl: string, account: Account, output: OutputFormat): void {
  const pubkey = pubkeyJson(account);
  const fields = { address: account.address, account_number: account.accountNumber.toString(), sequence: String(account.sequence) };
  if (output === "json") printJson({ account: { "@type": typeUrl, ...fields, pub_key: pubkey } });
  else printRecords([{ type: typeUrl, ...fields, pubkey: pubkey === null ? "none (set by the account's first tx)" : pubkey.key }]);
}
