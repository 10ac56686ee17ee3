/** Every state key of the consensus module, in one place. */
export const STORE = "consensus";

const PARAMS = Buffer.of(0x01);

/** The consensus params (tendermint.types.ConsensusParams) CometBFT runs with after the last block. */
export const paramsKey = PARAMS;
