package io.governedrecovery.method;

import io.governedrecovery.core.policy.ChannelKind;
import io.governedrecovery.core.policy.Strength;

/**
 * A recovery method's fixed facts, given once: its id, its strength and the kind of channel it proves. A method
 * extends this and states only how it proves (registration, page, verification).
 */
public abstract class AbstractRecoveryMethod implements RecoveryMethod {

    private final String id;
    private final Strength strength;
    private final ChannelKind channelKind;

    protected AbstractRecoveryMethod(String id, Strength strength, ChannelKind channelKind) {
        this.id = id;
        this.strength = strength;
        this.channelKind = channelKind;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Strength strength() {
        return strength;
    }

    @Override
    public final ChannelKind channelKind() {
        return channelKind;
    }
}
