// The path every mirad tx command takes: the common tx flags, the keyring key, sign through CosmJS,
// broadcast, wait for the block, print the result. The tx commands (tx.ts, tx-<module>.ts) import it.
import { toHex } from "@cosmjs/encoding";
import { EncodeObject, Registry } from "@cosmjs/proto-signing";
import { BroadcastTxError, defaultRegistryTypes, SigningStargateClient, StdFee } from "@cosmjs/stargate";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { MsgCancelProposal } from "cosmjs-types/cosmos/gov/v1/tx";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { miraTypes } from "../../modules/sessions/client";
import { Amount, GasPrice, parseCoinsText, parseGasPrice, requiredFee, toCoin } from "../core/coins";
import { KeyInfo, Keyring } from "../keyring/keyring";
import { readInputLine } from "../keyring/prompt";
import { BECH32_PREFIX, parseAddress } from "../core/address";
import { connectNode, NODE_FLAGS, NODE_HELP, nodeUrl, openCliKeyring, ParsedFlags } from "./flags";
import type { CliContext } from "./command";
import { OutputFormat, parseOutputFormat, printJson, printNotice, printRecords, usageError } from "./output";

/** As simd's default --gas. */
const DEFAULT_GAS_LIMIT = 200_000;
const DEFAULT_GAS_ADJUSTMENT = "1.4";
const INCLUSION_TIMEOUT_MS = 30_000;
const INCLUSION_POLL_MS = 500;

/** The flags of every tx command; a command with more spreads these into its own. */
export const TX_FLAGS = {
  ...NODE_FLAGS,
  fees: { type: "string" },
  "gas-prices": { type: "string" },
  gas: { type: "string" },
  "gas-adjustment": { type: "string", default: DEFAULT_GAS_ADJUSTMENT },
  memo: { type: "string", default: "" },
  "chain-id": { type: "string" },
  home: { type: "string" },
  "keyring-backend": { type: "string", default: "file" },
  yes: { type: "boolean", short: "y" },
} as const;

export const TX_FLAGS_HELP = `      --fees COINS                 fee to pay, e.g. 5000umira
      --gas-prices PRICE           or: price per unit of gas, e.g. 0.025umira (fee = gas limit × price, rounded up)
      --gas auto|N                 gas limit: N, or "auto" to simulate the tx first (default ${DEFAULT_GAS_LIMIT})
      --gas-adjustment X           with --gas auto, the simulated gas times X (default ${DEFAULT_GAS_ADJUSTMENT})
      --memo TEXT                  the tx's memo
      --chain-id ID                refuse to sign unless the node is on this chain (default: the node's chain)
      --home DIR                   home of the keyring (default $MIRA_HOME, else ~/.mira)
      --keyring-backend file|test  keyring backend (default file; its password is $MIRA_KEYRING_PASSWORD, else stdin)
  -y, --yes                        broadcast without asking (required when stdin is not a terminal)
${NODE_HELP}`;

/** A tx command's help: what it does, its usage, its own flags (with a trailing newline), then the common ones. */
export function txHelp(what: string, usage: string, ownFlags = ""): string {
  return `${what}: signs with the key <from> (its name or address), broadcasts, and waits (up to ${INCLUSION_TIMEOUT_MS / 1000} s)
until a block includes the tx. Exits 1 if the node refuses the tx or the tx fails in its block.

Usage: ${usage}

One of --fees and --gas-prices is required: the chain charges a minimum gas price.

${ownFlags}${TX_FLAGS_HELP}`;
}

/** The chain's fee rule is gas-limit × price, so the fee is either fixed or follows the gas limit. */
type FeeSpec = { fees: Amount[] } | { gasPrice: GasPrice };

/** What every tx command takes besides its own arguments. */
interface TxOptions {
  fee: FeeSpec;
  /** "auto": simulate, then × gasAdjustment. */
  gas: number | "auto";
  gasAdjustment: number;
  memo: string;
  chainId?: string;
  node: string;
  yes: boolean;
  output: OutputFormat;
}

/** What the chain recorded for the tx, in the Cosmos SDK's TxResponse JSON names. */
interface TxResult {
  txhash: string;
  height: string;
  code: number;
  codespace: string;
  raw_log: string;
  gas_wanted: string;
  gas_used: string;
}

export type SigningKey = Pick<KeyInfo, "name" | "address">;

/** The flag values runTx reads; a command's own flags may come with them. */
export type TxFlagValues = ParsedFlags<typeof TX_FLAGS>["values"];

/** One tx: who signs it, and, once the key is known, its messages and the line that describes it before the confirmation. */
export interface TxPlan {
  /** A key's name, or the address of one of the keyring's keys. */
  from: string;
  /** May throw a usage error, e.g. when the key may not sign these messages. */
  messages(key: SigningKey): EncodeObject[];
  describe(key: SigningKey): string;
  /** Who pays the fee instead of the signer (AuthInfo.fee.granter), e.g. a session's granter; the chain decides whether it may. */
  feeGranter?: string;
}

/** CosmJS's registry lacks MsgUnjail, gov's MsgCancelProposal and the chain's own messages; the rest of the SDK messages the chain accepts are in it. */
export const REGISTRY = new Registry([
  ...defaultRegistryTypes,
  ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail],
  ["/cosmos.gov.v1.MsgCancelProposal", MsgCancelProposal],
  ...miraTypes,
]);

/**
 * The path of every tx command, once its own arguments are checked: the common flags, the key,
 * --yes, then sign, broadcast, wait for the block and print the result; resolves to the exit code.
 */
export async function runTx(values: TxFlagValues, command: string, ctx: CliContext, plan: TxPlan): Promise<number> {
  const options = parseTxOptions(values, command);
  const keyring = openCliKeyring(values.home, values["keyring-backend"], ctx);
  const key = await signingKeyOf(keyring, plan.from);
  const messages = plan.messages(key);
  if (!options.yes && !process.stdin.isTTY) throw usageError("refusing to broadcast without --yes: stdin is not a terminal", command);
  const signer = await keyring.signer(key.name);
  const cometClient = await connectNode(options.node);
  try {
    const client = SigningStargateClient.createWithSigner(cometClient, signer, { registry: REGISTRY });
    const result = await signAndBroadcast(client, cometClient, options, key, messages, plan.describe(key), plan.feeGranter);
    return printTxResult(result, options.output);
  } finally {
    cometClient.disconnect();
  }
}

/** Every common flag checked before the keyring or the node is touched. */
function parseTxOptions(values: TxFlagValues, command: string): TxOptions {
  return {
    fee: feeSpecOf(values.fees, values["gas-prices"], command),
    gas: gasOf(values.gas, command),
    gasAdjustment: gasAdjustmentOf(values["gas-adjustment"], command),
    memo: values.memo,
    chainId: values["chain-id"],
    node: nodeUrl(values.node),
    yes: values.yes === true,
    output: parseOutputFormat(values.output),
  };
}

function feeSpecOf(fees: string | undefined, gasPrices: string | undefined, command: string): FeeSpec {
  if (fees !== undefined && gasPrices !== undefined) throw usageError("give --fees or --gas-prices, not both", command);
  if (fees !== undefined) return { fees: parseCoinsText(fees) };
  if (gasPrices !== undefined) return { gasPrice: parseGasPrice(gasPrices) };
  throw usageError("no fee: give --fees (e.g. 5000umira) or --gas-prices (e.g. 0.025umira)", command);
}

function gasOf(text: string | undefined, command: string): number | "auto" {
  if (text === undefined) return DEFAULT_GAS_LIMIT;
  if (text === "auto") return "auto";
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text))) throw usageError(`--gas must be "auto" or a positive integer, got "${text}"`, command);
  return Number(text);
}

function gasAdjustmentOf(text: string, command: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0) throw usageError(`--gas-adjustment must be a positive number, got "${text}"`, command);
  return value;
}

/** The key that signs: `from` is its name, or the address of one of the keyring's keys. */
async function signingKeyOf(keyring: Keyring, from: string): Promise<SigningKey> {
  if (!from.startsWith(BECH32_PREFIX + "1")) return keyring.show(from);
  parseAddress(from);
  const key = (await keyring.list()).find((k) => k.address === from);
  if (key === undefined) throw new Error(`no key in the keyring has address ${from}; 'mirad keys list' shows them`);
  return key;
}

async function signAndBroadcast(
  client: SigningStargateClient,
  cometClient: CometClient,
  options: TxOptions,
  key: SigningKey,
  messages: EncodeObject[],
  description: string,
  feeGranter: string | undefined,
): Promise<TxResult> {
  const chainId = await chainIdFor(client, options.chainId);
  const account = await client.getAccount(key.address);
  if (account === null) throw new Error(`account ${key.address} (key "${key.name}") does not exist on chain: it must receive funds before it can send`);
  const gasLimit = await gasLimitFor(client, key.address, messages, options);
  const fee = feeFor(options.fee, gasLimit, feeGranter);
  if (!options.yes) await confirm(description, options, fee);
  const signerData = { accountNumber: account.accountNumber, sequence: account.sequence, chainId };
  const txRaw = await client.sign(key.address, messages, fee, options.memo, signerData);
  const hash = await broadcast(client, TxRaw.encode(txRaw).finish());
  return waitForInclusion(cometClient, hash);
}

/** The node's chain id; --chain-id must agree with it, so that a tx is never signed for one network and sent to another. */
async function chainIdFor(client: SigningStargateClient, expected: string | undefined): Promise<string> {
  const chainId = await client.getChainId();
  if (expected !== undefined && expected !== chainId) throw new Error(`the node is on chain "${chainId}", not "${expected}" (--chain-id)`);
  return chainId;
}

async function gasLimitFor(client: SigningStargateClient, address: string, messages: EncodeObject[], options: TxOptions): Promise<number> {
  if (options.gas !== "auto") return options.gas;
  let simulated: number;
  try {
    simulated = await client.simulate(address, messages, options.memo);
  } catch (err) {
    throw new Error(`gas estimation failed: ${simulationFailure(err)}`, { cause: err });
  }
  return Math.ceil(simulated * options.gasAdjustment);
}

/** CosmJS says "Query failed with (5): log"; the log is what the user needs. */
function simulationFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const failed = /^Query failed with \((\d+)\): (.*)$/s.exec(message);
  return failed ? `${failed[2]} (code ${failed[1]})` : message;
}

function feeFor(spec: FeeSpec, gasLimit: number, granter: string | undefined): StdFee {
  const gas = String(gasLimit);
  const paidBy = granter === undefined ? {} : { granter };
  if ("fees" in spec) return { amount: spec.fees.map(toCoin), gas, ...paidBy };
  const { gasPrice } = spec;
  return { amount: [toCoin({ denom: gasPrice.denom, amount: requiredFee(gasPrice, BigInt(gasLimit)) })], gas, ...paidBy };
}

async function confirm(description: string, options: TxOptions, fee: StdFee): Promise<void> {
  const feeText = fee.amount.map((c) => `${c.amount}${c.denom}`).join(",") || "none";
  printNotice(description);
  printNotice(
    `fee ${feeText}${fee.granter === undefined ? "" : ` paid by ${fee.granter}`}, gas limit ${fee.gas}${options.memo ? `, memo "${options.memo}"` : ""}`,
  );
  const answer = await readInputLine("a confirmation", "Sign and broadcast? [y/N] ");
  if (!/^y(es)?$/i.test(answer.trim())) throw new Error("aborted: nothing was broadcast");
}

/** Broadcasts and returns the tx hash once CheckTx accepts it; a refusal is one line with the node's code and log. */
async function broadcast(client: SigningStargateClient, txBytes: Uint8Array): Promise<string> {
  try {
    return await client.broadcastTxSync(txBytes);
  } catch (err) {
    if (err instanceof BroadcastTxError) {
      throw new Error(`the node refused the tx: code ${err.code} (codespace ${err.codespace || "none"}): ${err.log ?? ""}`, { cause: err });
    }
    throw err;
  }
}

/** Polls the node's tx index until a block includes the tx, with one progress line on stderr. */
async function waitForInclusion(cometClient: CometClient, hash: string): Promise<TxResult> {
  printNotice(`tx ${hash} broadcast; waiting for a block to include it (up to ${INCLUSION_TIMEOUT_MS / 1000} s)...`);
  const deadline = Date.now() + INCLUSION_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const found = await cometClient.txSearch({ query: `tx.hash='${hash}'` });
    const tx = found.txs[0];
    if (tx !== undefined) {
      return {
        txhash: toHex(tx.hash).toUpperCase(),
        height: String(tx.height),
        code: tx.result.code,
        codespace: tx.result.codespace ?? "",
        raw_log: tx.result.log ?? "",
        gas_wanted: tx.result.gasWanted.toString(),
        gas_used: tx.result.gasUsed.toString(),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, INCLUSION_POLL_MS));
  }
  throw new Error(`tx ${hash} was accepted but no block included it within ${INCLUSION_TIMEOUT_MS / 1000} s; it may still be, later`);
}

/** The result on stdout either way; a tx that failed in its block also gets one error line and exit 1. */
function printTxResult(result: TxResult, output: OutputFormat): number {
  if (output === "json") printJson(result);
  else printRecords([textRecord(result)]);
  if (result.code === 0) return 0;
  printNotice(
    `Error: tx ${result.txhash} failed at height ${result.height} with code ${result.code} (codespace ${result.codespace || "none"}): ${result.raw_log}`,
  );
  return 1;
}

function textRecord(result: TxResult): Record<string, string> {
  const record: Record<string, string> = { txhash: result.txhash, height: result.height, code: String(result.code) };
  if (result.code !== 0) Object.assign(record, { codespace: result.codespace, raw_log: result.raw_log });
  return { ...record, gas_used: result.gas_used, gas_wanted: result.gas_wanted };
}
