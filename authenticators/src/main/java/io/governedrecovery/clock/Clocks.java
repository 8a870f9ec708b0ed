package io.governedrecovery.clock;

import java.time.Instant;

import org.keycloak.common.util.Time;

/**
 * The one clock of the pack: Keycloak's {@link Time}, so code lifetimes, cooldowns, approvals, passes and counter
 * windows all follow the server's clock, and a test can move that clock (Keycloak's time offset) instead of waiting.
 */
public final class Clocks {

    private Clocks() {
    }

    /** Now, on Keycloak's clock. */
    public static Instant now() {
        return Instant.ofEpochMilli(Time.currentTimeMillis());
    }

    /** Now in epoch milliseconds, on Keycloak's clock. */
    public static long millis() {
        return Time.currentTimeMillis();
    }
}
