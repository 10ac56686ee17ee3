import { Params } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { decBytes, decFromBytes, ONE_DEC } from "../../app/core/dec";
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

/** The params from their stored (SDK protobuf) form. */
export function fromProtoParams(p: Params): SlashingParams {
  return {
    signedBlocksWindow: p.signedBlocksWindow,
    minSignedPerWindow: decFromBytes(p.minSignedPerWindow),
    downtimeJailDurationMs: durationMs(p.downtimeJailDuration),
    slashFractionDoubleSign: decFromBytes(p.slashFractionDoubleSign),
    slashFractionDowntime: decFromBytes(p.slashFractionDowntime),
  };
}
