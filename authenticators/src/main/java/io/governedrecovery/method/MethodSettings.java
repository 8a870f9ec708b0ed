package io.governedrecovery.method;

import java.time.Duration;

/**
 * The settings methods read, taken from the recovery policy's authenticator config.
 *
 * @param codeLength             digits of sent codes
 * @param codeLifetime           how long a sent code stays valid
 * @param codeAttempts           wrong tries a sent code survives
 * @param phoneAttribute         user attribute holding the recovery phone number (E.164)
 * @param phoneVerifiedAttribute user attribute that is "true" once that number was confirmed
 * @param showMaskedDestinations whether code pages show where the code went (masked); off by default because it
 *                               tells an account's methods apart
 */
public record MethodSettings(int codeLength, Duration codeLifetime, int codeAttempts, String phoneAttribute,
                             String phoneVerifiedAttribute, boolean showMaskedDestinations) {
}
