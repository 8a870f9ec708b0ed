package io.governedrecovery.core.risk;

/** What happened, as far as anomaly scoring is concerned. */
public enum SignalKind {
    /** Someone named an account on the reset page. */
    RESET_STARTED,
    /** A recovery method was tried and failed (wrong code, paused method). */
    RESET_FAILED,
    /** A password was reset. */
    RESET_COMPLETED,
    /** A code was sent by email or SMS. */
    CODE_SENT,
    /** A recovery method or recovery address was added, changed or removed. */
    METHOD_CHANGED,
    /** A sign-in failed. */
    LOGIN_FAILED,
    /** A sign-in succeeded. */
    LOGIN,
    /** The account's owner reported a change announced to them as not theirs ("This was not me"). */
    OWNER_REPORT,
    /** A waiting-period recovery started. */
    WAITING_STARTED,
    /** A finding was judged a false positive: its rule no longer adds to its subject's risk. */
    FALSE_POSITIVE
}
