package io.governedrecovery.core.policy;

/** The kinds of channel a recovery method proves control of. */
public enum ChannelKind {
    /** An email address. */
    MAILBOX,
    /** A phone number: SMS and voice to one number are one channel. */
    PHONE,
    /** A TOTP authenticator app (all of a user's OTP credentials count as one channel). */
    AUTHENTICATOR_APP,
    /** A security key or passkey (all of a user's WebAuthn credentials count as one channel). */
    SECURITY_KEY,
    /** Printed or saved recovery codes. */
    PRINTED_CODES,
    /** A temporary access pass issued by the helpdesk. */
    HELPDESK_PASS
}
