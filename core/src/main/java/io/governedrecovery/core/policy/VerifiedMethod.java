package io.governedrecovery.core.policy;

import java.util.Objects;

/** A method the user proved in this recovery attempt. */
public record VerifiedMethod(String methodId, Strength strength, Channel channel) {

    public VerifiedMethod {
        Objects.requireNonNull(methodId, "methodId");
        Objects.requireNonNull(strength, "strength");
        Objects.requireNonNull(channel, "channel");
    }

    public static VerifiedMethod of(RegisteredMethod registered) {
        return new VerifiedMethod(registered.methodId(), registered.strength(), registered.channel());
    }
}
