package io.governedrecovery.core.event;

/**
 * Names of the event details Governed Recovery adds to Keycloak events. One name per concept: the authenticators
 * write them, the pipeline reads them, exporters and the admin endpoint show them.
 */
public final class EventDetails {

    public static final String STEP = "gr_step";
    public static final String METHOD = "gr_method";
    public static final String CHANNEL = "gr_channel";
    public static final String STRENGTH = "gr_strength";
    public static final String OUTCOME = "gr_outcome";
    public static final String DECISION = "gr_decision";
    public static final String TIER = "gr_tier";
    public static final String REASON = "gr_reason";
    /** The approval request of a privileged reset. */
    public static final String APPROVAL_ID = "gr_approval";
    /** The user id of who decided an approval. */
    public static final String APPROVER = "gr_approver";
    /** "true" on a break-glass sign-in inside a recorded test window. */
    public static final String BREAK_GLASS_TEST = "gr_break_glass_test";
    public static final String PURPOSE = "gr_purpose";
    public static final String PROVEN = "gr_proven";
    /** The length of a waiting-period recovery, in hours (its start event). */
    public static final String WAIT_HOURS = "gr_wait_hours";
    public static final String REQUIRED = "gr_required";
    public static final String SESSIONS_ENDED = "gr_sessions_ended";
    /** How a finished reset was proven: {@code governed} (the recovery policy) or {@code fallback} (a pilot's link). */
    public static final String PATH = "gr_path";
    /** Added by the pipeline when it knows the user's department (attribute or group). */
    public static final String DEPARTMENT = "gr_department";
    /**
     * Set to {@code failed} by the pipeline when it could not add the tier or department (a user-storage directory
     * away): the event is exported without them.
     */
    public static final String ENRICHMENT = "gr_enrichment";
    /** Set by the pipeline on admin events that changed a user's recovery data (email, phone). */
    public static final String METHOD_CHANGE = "gr_method_change";

    /** Keycloak's own detail holding the typed username. */
    /** "true" on the steps of a reset whose account's self-service recovery is frozen. */
    public static final String FROZEN = "gr_frozen";
    /** A triaged finding's id, rule and verdict ({@link #VERDICT_FALSE_POSITIVE} or {@link #VERDICT_CONFIRMED}). */
    public static final String FINDING = "gr_finding";
    public static final String RULE = "gr_rule";
    public static final String VERDICT = "gr_verdict";
    /** A triaged finding's subject as the scorer keys it: {@code user:<id>} or {@code name:<name>}, or its address. */
    public static final String SUBJECT_ACCOUNT = "gr_subject_account";
    public static final String SUBJECT_ADDRESS = "gr_subject_address";
    public static final String VERDICT_FALSE_POSITIVE = "false_positive";
    public static final String VERDICT_CONFIRMED = "confirmed";
    /** An owner's "This was not me" report: which notice they reported, and whether the account was disabled. */
    public static final String REPORTED = "gr_reported";
    public static final String DISABLED = "gr_disabled";
    /** The methods a completed waiting-period recovery removed (comma-separated method ids). */
    public static final String REMOVED = "gr_removed";
    /** The step of an owner's report ({@link #STEP}), on Keycloak's {@code EXECUTE_ACTION_TOKEN} event. */
    public static final String STEP_NOT_ME = "not_me";
    public static final String USERNAME = "username";
    /** Keycloak's own detail naming a credential type. */
    public static final String CREDENTIAL_TYPE = "credential_type";

    public static final String TIER_STANDARD = "standard";
    public static final String TIER_PRIVILEGED = "privileged";
    public static final String TIER_BREAK_GLASS = "break-glass";

    private EventDetails() {
    }
}
