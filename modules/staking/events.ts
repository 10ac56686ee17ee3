/** Every event the staking module emits: types and attribute keys, as the Cosmos SDK's x/staking names them. */

export const EVENT_CREATE_VALIDATOR = "create_validator";
export const EVENT_EDIT_VALIDATOR = "edit_validator";
export const EVENT_REMOVE_VALIDATOR = "remove_validator";
export const EVENT_DELEGATE = "delegate";
export const EVENT_UNBOND = "unbond";
export const EVENT_CANCEL_UNBONDING_DELEGATION = "cancel_unbonding_delegation";
export const EVENT_REDELEGATE = "redelegate";
export const EVENT_COMPLETE_UNBONDING = "complete_unbonding";
export const EVENT_COMPLETE_REDELEGATION = "complete_redelegation";

export const ATTR_VALIDATOR = "validator";
export const ATTR_DELEGATOR = "delegator";
export const ATTR_AMOUNT = "amount";
export const ATTR_NEW_SHARES = "new_shares";
export const ATTR_COMMISSION_RATE = "commission_rate";
export const ATTR_MIN_SELF_DELEGATION = "min_self_delegation";
export const ATTR_COMPLETION_TIME = "completion_time";
export const ATTR_CREATION_HEIGHT = "creation_height";
export const ATTR_SOURCE_VALIDATOR = "source_validator";
export const ATTR_DESTINATION_VALIDATOR = "destination_validator";
