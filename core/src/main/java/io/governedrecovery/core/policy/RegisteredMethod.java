package io.governedrecovery.core.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A recovery method a user has registered: which method, how strong, on which channel, and when it was added or last
 * changed (the cooldown runs from then).
 */
public record RegisteredMethod(String methodId, Strength strength, Channel channel, Instant changedAt) {

    public RegisteredMethod {
        Objects.requireNonNull(methodId, "methodId");
        Objects.requireNonNull(strength, "strength");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
