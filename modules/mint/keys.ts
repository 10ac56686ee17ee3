/** Every state key of the mint module, in one place. */
export const STORE = "mint";

const PARAMS = Buffer.of(0x01);
const LAST_BLOCK_TIME = Buffer.of(0x02);

/** The mint params (cosmos.mint.v1beta1.Params). */
export const paramsKey = PARAMS;
/** The last block's time (unix ms, decimal text): the next block mints for the time since. */
export const lastBlockTimeKey = LAST_BLOCK_TIME;
