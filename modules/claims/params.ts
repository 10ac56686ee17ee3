import type { Params } from "../../proto/gen/mira/claims/v1/claims";

/** The claims params before genesis overrides them (genesis.ts checks each override). */
export const DEFAULT_CLAIMS_PARAMS: Params = {
  maxClaims: 64,
  maxClaimBytes: 512,
  maxContentBytes: 16_384,
  defaultVerifiersPerClaim: 7,
  maxVerifiersPerClaim: 21,
  defaultThresholdBp: 6667,
  minThresholdBp: 5001,
  deadlineBlocks: 10n,
  feePerClaim: { denom: "umira", amount: "1000" },
  faultWindow: 100n,
  maxFaultBp: 3000,
  slashFractionVerification: "0.001",
  jailDuration: { seconds: 600n, nanos: 0 },
  allowedModelHashes: [],
  maxExtensionBytes: 65_536,
  lateVoteBlocks: 3n,
};
