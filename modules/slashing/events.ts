/** Every event the slashing module emits: types, attribute keys and fixed attribute values, as the Cosmos SDK's x/slashing names them. */

/** A validator missed signing a block. */
export const EVENT_LIVENESS = "liveness";
/** A validator was slashed (and jailed). */
export const EVENT_SLASH = "slash";

export const ATTR_ADDRESS = "address";
export const ATTR_MISSED_BLOCKS = "missed_blocks";
export const ATTR_HEIGHT = "height";
export const ATTR_POWER = "power";
export const ATTR_REASON = "reason";
export const ATTR_JAILED = "jailed";
export const ATTR_BURNED_COINS = "burned_coins";

/** The slash event's reason for downtime. */
export const REASON_MISSING_SIGNATURE = "missing_signature";
/** The slash event's reason for double-sign evidence. */
export const REASON_DOUBLE_SIGN = "double_sign";
