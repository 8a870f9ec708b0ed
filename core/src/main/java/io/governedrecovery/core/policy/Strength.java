package io.governedrecovery.core.policy;

/**
 * How much a verified method proves. Strong: bound to something the user holds that a mailbox or SIM takeover does
 * not give (authenticator app, security key or passkey, printed recovery codes, a helpdesk-issued pass).
 * Weak: a code sent to a mailbox or a phone number.
 */
public enum Strength {
    STRONG,
    WEAK
}
