package io.governedrecovery.method;

/** What a method concluded from one submission. */
public enum Verification {
    /** Proven. */
    VERIFIED,
    /** Wrong code, wrong key, unknown user or no registration: all look the same. */
    WRONG,
    /** The code was right or wrong, but too old: a new one is needed. */
    EXPIRED,
    /** The code took too many wrong tries: a new one is needed. */
    EXHAUSTED,
    /** The submission was malformed (missing fields, a browser error): nothing was checked. */
    INCOMPLETE
}
