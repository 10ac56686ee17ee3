/** Every event the gov module emits, with its attribute keys, as the Cosmos SDK v0.50 x/gov writes them. */

/** submit_proposal {proposal_id, proposal_messages}; a second one {voting_period_start} when the initial deposit opens the vote. */
export const EVENT_SUBMIT_PROPOSAL = "submit_proposal";
/** proposal_deposit {amount, proposal_id, depositor}; a second one {voting_period_start} when the deposit opens the vote. */
export const EVENT_PROPOSAL_DEPOSIT = "proposal_deposit";
/** proposal_vote {option, proposal_id, voter}. */
export const EVENT_PROPOSAL_VOTE = "proposal_vote";
/** active_proposal {proposal_id, proposal_result, proposal_log}: a voting period ended. */
export const EVENT_ACTIVE_PROPOSAL = "active_proposal";
/** inactive_proposal {proposal_id, proposal_result}: a deposit period ended without enough deposit. */
export const EVENT_INACTIVE_PROPOSAL = "inactive_proposal";
/** cancel_proposal {sender, proposal_id}. */
export const EVENT_CANCEL_PROPOSAL = "cancel_proposal";

export const ATTR_PROPOSAL_ID = "proposal_id";
export const ATTR_PROPOSAL_MESSAGES = "proposal_messages";
export const ATTR_VOTING_PERIOD_START = "voting_period_start";
export const ATTR_AMOUNT = "amount";
export const ATTR_DEPOSITOR = "depositor";
export const ATTR_OPTION = "option";
export const ATTR_VOTER = "voter";
export const ATTR_PROPOSAL_RESULT = "proposal_result";
export const ATTR_PROPOSAL_LOG = "proposal_log";
export const ATTR_SENDER = "sender";

export const RESULT_PASSED = "proposal_passed";
export const RESULT_REJECTED = "proposal_rejected";
export const RESULT_FAILED = "proposal_failed";
export const RESULT_DROPPED = "proposal_dropped";
export const RESULT_EXPEDITED_REJECTED = "expedited_proposal_rejected";

/** The module attribute of gov's `message` events (the SDK's AttributeValueCategory). */
export const MODULE_CATEGORY = "governance";
