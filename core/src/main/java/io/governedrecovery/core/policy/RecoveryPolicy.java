package io.governedrecovery.core.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * What a recovery must prove before a password can be reset.
 *
 * @param minChannels      verified methods needed, counted by distinct channel
 * @param minStrong        of those, how many channels must be proven by a strong method
 * @param cooldown         a method added or changed less than this long ago does not count
 * @param weakMethodsCount whether weak methods (email, SMS) count at all; false for privileged accounts
 */
public record RecoveryPolicy(int minChannels, int minStrong, Duration cooldown, boolean weakMethodsCount) {

    public static final int MAX_CHANNELS = 5;

    /** The standard-account default: two channels, at least one strong, 72 hours cooldown. */
    public static final RecoveryPolicy STANDARD = new RecoveryPolicy(2, 1, Duration.ofHours(72), true);

    public RecoveryPolicy {
        Objects.requireNonNull(cooldown, "cooldown");
        if (minChannels < 2 || minChannels > MAX_CHANNELS) {
            throw new IllegalArgumentException("minimum methods is " + minChannels + "; allowed is 2 to " + MAX_CHANNELS);
        }
        if (minStrong < 0 || minStrong > minChannels) {
            throw new IllegalArgumentException("minimum strong methods is " + minStrong + "; allowed is 0 to "
                    + minChannels + " (the minimum methods)");
        }
        if (!weakMethodsCount && minStrong != minChannels) {
            throw new IllegalArgumentException("when weak methods do not count, every counted method is strong: "
                    + "minimum strong methods must equal minimum methods (" + minChannels + ")");
        }
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("cooldown is " + cooldown + "; it cannot be negative");
        }
    }

    /** This policy asking for {@code extra} more strong methods (risk-adaptive step-up), capped at the maximum. */
    public RecoveryPolicy withExtraStrong(int extra) {
        int channels = Math.min(MAX_CHANNELS, minChannels + extra);
        int strong = Math.min(channels, minStrong + extra);
        return new RecoveryPolicy(channels, strong, cooldown, weakMethodsCount);
    }
}
