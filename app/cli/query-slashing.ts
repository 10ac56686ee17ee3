// `mirad query slashing ...`: signing-info (a validator's liveness record) and params.
import { fromBech32 } from "@cosmjs/encoding";
import { setupSlashingExtension } from "@cosmjs/stargate";
import { parseAddress } from "../core/address";
import { integerFlag, parseFlags, positionalArguments, printHelp } from "./flags";
import { parseOutputFormat, printJson, printRecords, usageError } from "./output";
import { nullWhenNotFound, QUERY_FLAGS, QUERY_FLAGS_HELP, QueryHandler, withQueryClient } from "./query-client";
import { VALCONS_PREFIX } from "../core/address";
import { consensusKeyArg, decText, durationText, timestampText, valconsOf } from "./staking-args";

const SIGNING_INFO_HELP = `A validator's liveness record: since which height it is tracked, blocks missed in the current window,
until when it is jailed, and whether it is tombstoned (jailed for ever after a double sign).

Usage: mirad query slashing signing-info <valcons-address | consensus-pubkey> [flags]

The validator is its consensus address (miravalcons1..., 'mirad query staking validator' shows it), or its
ed25519 consensus key: base64, or a priv_validator_key.json.

${QUERY_FLAGS_HELP}`;

const PARAMS_HELP = `The slashing module's parameters: the liveness window, the share of it a validator must sign, the downtime jail,
and the fractions of stake slashed for downtime and for a double sign.

Usage: mirad query slashing params [flags]

${QUERY_FLAGS_HELP}`;

export const COMMANDS: Readonly<Record<string, QueryHandler>> = {
  "signing-info": signingInfoCommand,
  params: paramsCommand,
};

async function signingInfoCommand(args: string[]): Promise<number> {
  const command = "query slashing signing-info";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(SIGNING_INFO_HELP);
  const [validator] = positionalArguments(flags.positionals, ["valcons-address | consensus-pubkey"], command);
  const consAddress = consensusAddressArg(validator, command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const found = await withQueryClient(flags.values.node, height, (client) =>
    setupSlashingExtension(client).slashing.signingInfo(consAddress).catch(nullWhenNotFound),
  );
  if (found === null) throw new Error(`no signing info for ${consAddress}: no validator has had that consensus key in the set`);
  const info = found.valSigningInfo;
  const fields = {
    address: info.address,
    start_height: info.startHeight.toString(),
    index_offset: info.indexOffset.toString(),
    jailed_until: timestampText(info.jailedUntil),
    tombstoned: info.tombstoned,
    missed_blocks_counter: info.missedBlocksCounter.toString(),
  };
  if (output === "json") printJson({ val_signing_info: fields });
  else printRecords([{ ...fields, tombstoned: String(fields.tombstoned) }]);
  return 0;
}

/** A consensus address as given, or the one of a consensus key; another bech32 address (an operator's) gets a hint. */
function consensusAddressArg(value: string, command: string): string {
  if (value.startsWith(VALCONS_PREFIX + "1")) {
    parseAddress(value, VALCONS_PREFIX);
    return value;
  }
  if (isBech32(value)) {
    throw usageError(
      `"${value}" is not a consensus address (${VALCONS_PREFIX}1...) or key; 'mirad query staking validator <validator-addr>' shows a validator's`,
      command,
    );
  }
  return valconsOf(consensusKeyArg(value, "consensus pubkey", command));
}

/** A key's base64 (44 characters, with "=") is never valid bech32. */
function isBech32(value: string): boolean {
  try {
    fromBech32(value, 90);
    return true;
  } catch {
    return false;
  }
}

async function paramsCommand(args: string[]): Promise<number> {
  const command = "query slashing params";
  const flags = parseFlags(args, QUERY_FLAGS, command);
  if (flags.values.help === true) return printHelp(PARAMS_HELP);
  positionalArguments(flags.positionals, [], command);
  const output = parseOutputFormat(flags.values.output);
  const height = integerFlag(flags.values.height, "height", command);
  const { params } = await withQueryClient(flags.values.node, height, (client) => setupSlashingExtension(client).slashing.params());
  // Its decimals are bytes: the ASCII of the LegacyDec's integer form.
  const fields = {
    signed_blocks_window: params.signedBlocksWindow.toString(),
    min_signed_per_window: decText(params.minSignedPerWindow),
    downtime_jail_duration: durationText(params.downtimeJailDuration),
    slash_fraction_double_sign: decText(params.slashFractionDoubleSign),
    slash_fraction_downtime: decText(params.slashFractionDowntime),
  };
  if (output === "json") printJson({ params: fields });
  else printRecords([fields]);
  return 0;
}
