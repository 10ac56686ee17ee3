/** Every event the claims module emits: types, attribute keys and fixed attribute values. */
import { UNRESOLVED } from "./tally";

/** MsgSubmitContent stored a content and its claims. */
export const EVENT_CONTENT_SUBMITTED = "content_submitted";
/** End of block: a claim went to its verifiers. */
export const EVENT_CLAIM_ASSIGNED = "claim_assigned";
/** A verdict from a vote extension was recorded (or judged, in a late-vote window). */
export const EVENT_CLAIM_VERIFIED = "claim_verified";
/** A claim was settled: certified, or unresolved at its deadline. */
export const EVENT_CLAIM_CERTIFIED = "claim_certified";
/** All of a content's claims are settled: its certificate is written. */
export const EVENT_CONTENT_CERTIFIED = "content_certified";
/** A validator over its fault budget was slashed and jailed. */
export const EVENT_VERIFIER_PUNISHED = "verifier_punished";
/** A validator over its fault budget could not be jailed in this block (the third-of-power cap). */
export const EVENT_VERIFIER_PUNISHMENT_DEFERRED = "verifier_punishment_deferred";

/** A proposer injected a validator's signed precommit as absent: its extension never reached the block. */
export const EVENT_VOTE_EXTENSION_PRUNED = "vote_extension_pruned";
/** A silent assignee's miss was excused: a proposer pruned its signed vote while the claim was open. */
export const EVENT_MISS_EXCUSED = "claim_miss_excused";

/** A validator's agreement or confidence averages left the band its history and the active set define (drift.ts). Never slashes. */
export const EVENT_VERIFIER_DRIFT = "verifier_drift";
/** A drifting validator is back within its band. */
export const EVENT_VERIFIER_DRIFT_CLEARED = "verifier_drift_cleared";

export const ATTR_CONTENT_ID = "content_id";
export const ATTR_CLAIM_ID = "claim_id";
export const ATTR_SUBMITTER = "submitter";
export const ATTR_CLAIMS = "claims";
export const ATTR_FEE = "fee";
export const ATTR_VALIDATORS = "validators";
export const ATTR_VALIDATOR = "validator";
export const ATTR_VERDICT = "verdict";
export const ATTR_CONFIDENCE_BP = "confidence_bp";
export const ATTR_LATE = "late";
export const ATTR_STATUS = "status";
export const ATTR_STAKE_FOR = "stake_for";
export const ATTR_STAKE_ASSIGNED = "stake_assigned";
export const ATTR_HEIGHT = "height";
export const ATTR_FAULTS = "faults";
export const ATTR_FAULT_WINDOW = "fault_window";
export const ATTR_MAX_FAULT_BP = "max_fault_bp";
export const ATTR_BURNED = "burned";
export const ATTR_REASON = "reason";
export const ATTR_VALUE_BP = "value_bp";
export const ATTR_BAND_LOW_BP = "band_low_bp";
export const ATTR_BAND_HIGH_BP = "band_high_bp";
export const ATTR_SAMPLES = "samples";

/** The verdict attribute of a claim settled without a certified verdict (tally's UNRESOLVED). */
export const VERDICT_UNRESOLVED = UNRESOLVED;
/** The reason in a verifier_punishment_deferred event. */
export const DEFERRED_REASON = "jailing it now would remove a third or more of the voting power in one block";
/** The reason in the slash event (emitted by slashing) of a validator punished for its verification faults. */
export const VERIFICATION_FAULTS_REASON = "verification_faults";
