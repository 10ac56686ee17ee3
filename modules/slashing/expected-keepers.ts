import type { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { Context } from "../../app/core/context";

/** The validator facts slashing reads. */
export interface SlashableValidator {
  operator: Buffer;
  consensusKey: Buffer;
  jailed: boolean;
  status: BondStatus;
  tokens: bigint;
  minSelfDelegation: bigint;
}

/** What slashing needs from staking: find validators, burn their stake, jail and unjail them. */
export interface StakingKeeper {
  getValidator(ctx: Context, operator: Uint8Array): SlashableValidator | undefined;
  validatorByConsensusAddress(ctx: Context, consAddress: Uint8Array): SlashableValidator | undefined;
  slash(ctx: Context, consAddress: Uint8Array, infractionHeight: bigint, power: bigint, fraction: bigint): bigint;
  jail(ctx: Context, operator: Uint8Array): void;
  unjail(ctx: Context, operator: Uint8Array): void;
  selfBondTokens(ctx: Context, operator: Uint8Array): bigint;
  bondDenom(ctx: Context): string;
}
