/** Every event bank emits, with its attribute keys (the Cosmos SDK's x/bank strings), in emission order of attributes. */

/** coin_spent {spender, amount}: coins left an account. */
export const EVENT_COIN_SPENT = "coin_spent";
/** coin_received {receiver, amount}: coins reached an account. */
export const EVENT_COIN_RECEIVED = "coin_received";
/** transfer {recipient, sender, amount}: a send between two accounts. */
export const EVENT_TRANSFER = "transfer";
/** burn {burner, amount}: coins destroyed, the supply shrinks by as much. */
export const EVENT_BURN = "burn";

export const ATTR_SPENDER = "spender";
export const ATTR_RECEIVER = "receiver";
export const ATTR_RECIPIENT = "recipient";
export const ATTR_SENDER = "sender";
export const ATTR_BURNER = "burner";
export const ATTR_AMOUNT = "amount";
