/** Every event the sessions module emits, with its attribute keys, in emission order of attributes. */

/** session_created {granter, grantee, allowed_msgs, spend_limit, expiration, fee_grant}. */
export const EVENT_SESSION_CREATED = "session_created";
/** session_revoked {granter, grantee}: ended by its granter. */
export const EVENT_SESSION_REVOKED = "session_revoked";
/** session_expired {granter, grantee}: deleted at the end of the block that reached its expiration. */
export const EVENT_SESSION_EXPIRED = "session_expired";
/** session_used_up {granter, grantee}: its last use was spent. */
export const EVENT_SESSION_USED_UP = "session_used_up";
/** session_exec {granter, grantee, msgs, spent}: a MsgExecSession ran. */
export const EVENT_SESSION_EXEC = "session_exec";

export const ATTR_GRANTER = "granter";
export const ATTR_GRANTEE = "grantee";
export const ATTR_ALLOWED_MSGS = "allowed_msgs";
export const ATTR_SPEND_LIMIT = "spend_limit";
export const ATTR_EXPIRATION = "expiration";
export const ATTR_FEE_GRANT = "fee_grant";
export const ATTR_MSGS = "msgs";
export const ATTR_SPENT = "spent";
