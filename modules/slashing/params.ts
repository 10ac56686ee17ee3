import { Params } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { decBytes, ONE_DEC } from "../../app/core/dec";
import { chainError, SdkCode } from "../../app/core/errors";
import { durationMs } from "../../app/core/time";

/** Slashing params with the decimals as LegacyDec atomics. */
export interface SlashingParams {
  signedBlocksWindow: bigint;
  minSignedPerWindow: bigint;
  downtimeJailDurationMs: bigint;
  slashFractionDoubleSign: bigint;
  slashFractionDowntime: bigint;
}

/** The SDK's defaults. */
export const DEFAULT_SLASHING_PARAMS: SlashingParams = {
  signedBlocksWindow: 100n,
  minSignedPerWindow: ONE_DEC / 2n,
  downtimeJailDurationMs: 600_000n,
  slashFractionDoubleSign: ONE_DEC / 20n,
  slashFractionDowntime: ONE_DEC / 100n,
};

/** The params in their stored (SDK protobuf) form. */
export function toProtoParams(p: SlashingParams): Params {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decBytes(p.minSignedPerWindow),
    downtimeJailDuration: { seconds: p.downtimeJailDurationMs / 1000n, nanos: Number(p.downtimeJailDurationMs % 1000n) * 1_000_000 },
    slashFractionDoubleSign: decBytes(p.slashFractionDoubleSign),
    slashFractionDowntime: decBytes(p.slashFractionDowntime),
  };
}

function bad(why: string): never {
  throw chainError(SdkCode.InvalidRequest, `slashing params: ${why}`);
}

/** A LegacyDec in a protobuf bytes field (the ASCII of its atomics), refusing anything else. */
function decField(bytes: Uint8Array, name: string): bigint {
  const text = Buffer.from(bytes).toString("latin1");
  if (text === "") return 0n;
  if (!/^-?[0-9]{1,80}$/.test(text)) bad(`${name} is not a decimal in its protobuf form (the integer of its 10^-18 units)`);
  return BigInt(text);
}

/** The params from their stored (SDK protobuf) form; throws InvalidRequest on a malformed decimal or duration. */
export function fromProtoParams(p: Params): SlashingParams {
  const d = p.downtimeJailDuration;
  if (d.seconds < 0n || d.nanos < 0 || d.nanos > 999_999_999) bad("downtime_jail_duration is not a valid duration");
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decField(p.minSignedPerWindow, "min_signed_per_window"),
    downtimeJailDurationMs: durationMs(d),
    slashFractionDoubleSign: decField(p.slashFractionDoubleSign, "slash_fraction_double_sign"),
    slashFractionDowntime: decField(p.slashFractionDowntime, "slash_fraction_downtime"),
  };
}

/**
 * The one check of slashing params, for genesis and MsgUpdateParams alike (the SDK's rules): a
 * positive signing window and jail duration, and every fraction in [0, 1]. Throws InvalidRequest
 * naming the field.
 */
export function validateSlashingParams(p: SlashingParams): void {
  if (p.signedBlocksWindow <= 0n || p.signedBlocksWindow > 10n ** 9n) bad(`signed_blocks_window must be in [1, 10^9], got ${p.signedBlocksWindow}`);
  if (p.downtimeJailDurationMs <= 0n) bad("downtime_jail_duration must be positive");
  const fractions: [bigint, string][] = [
    [p.minSignedPerWindow, "min_signed_per_window"],
    [p.slashFractionDoubleSign, "slash_fraction_double_sign"],
    [p.slashFractionDowntime, "slash_fraction_downtime"],
  ];
  for (const [v, name] of fractions) if (v < 0n || v > ONE_DEC) bad(`${name} must be in [0, 1]`);
}
