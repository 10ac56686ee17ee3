/** Every event the distribution module emits: types and attribute keys, as the Cosmos SDK's x/distribution names them. */

/** A validator's share of a block's fees and rewards (commission included). */
export const EVENT_REWARDS = "rewards";
/** The commission part of a validator's share. */
export const EVENT_COMMISSION = "commission";
export const EVENT_SET_WITHDRAW_ADDRESS = "set_withdraw_address";
export const EVENT_WITHDRAW_REWARDS = "withdraw_rewards";
export const EVENT_WITHDRAW_COMMISSION = "withdraw_commission";

export const ATTR_AMOUNT = "amount";
export const ATTR_VALIDATOR = "validator";
export const ATTR_DELEGATOR = "delegator";
export const ATTR_WITHDRAW_ADDRESS = "withdraw_address";
