package io.governedrecovery.core.risk;

import java.util.List;

/**
 * The current risk of an account and a source address, from recent findings.
 *
 * @param level   what the recovery flow should do
 * @param score   highest active finding score (0 when none)
 * @param reasons the rules behind it
 */
public record Risk(Level level, int score, List<String> reasons) {

    public enum Level {
        /** No recent finding: the configured policy applies. */
        NORMAL,
        /** Ask for one more strong method. */
        ELEVATED,
        /** Refuse self-service: the helpdesk path. */
        HIGH
    }

    public static final Risk NONE = new Risk(Level.NORMAL, 0, List.of());

    public Risk {
        reasons = List.copyOf(reasons);
    }
}
