package io.governedrecovery.core.policy;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides, from what a user has registered and what the user has proven so far, whether a recovery policy is met and
 * whether it still can be. Pure: no I/O, no clock of its own.
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    /** Registered methods that count now: outside the cooldown, and strong unless the policy lets weak ones count. */
    public static List<RegisteredMethod> eligible(RecoveryPolicy policy, Collection<RegisteredMethod> registered,
                                                  Instant now) {
        return registered.stream()
                .filter(m -> policy.weakMethodsCount() || m.strength() == Strength.STRONG)
                .filter(m -> !inCooldown(policy, m, now))
                .toList();
    }

    public static boolean inCooldown(RecoveryPolicy policy, RegisteredMethod method, Instant now) {
        return method.changedAt().plus(policy.cooldown()).isAfter(now);
    }

    public static Progress evaluate(RecoveryPolicy policy, Collection<RegisteredMethod> registered,
                                    Collection<VerifiedMethod> verified, Instant now) {
        List<RegisteredMethod> eligible = eligible(policy, registered, now);
        Set<Channel> eligibleChannels = new HashSet<>();
        Set<Channel> eligibleStrong = new HashSet<>();
        for (RegisteredMethod m : eligible) {
            eligibleChannels.add(m.channel());
            if (m.strength() == Strength.STRONG) {
                eligibleStrong.add(m.channel());
            }
        }
        Set<Channel> provenChannels = new HashSet<>();
        Set<Channel> provenStrong = new HashSet<>();
        for (VerifiedMethod v : verified) {
            // Only a proof of a method that counts now counts: a channel in cooldown proves nothing.
            boolean counts = eligible.stream().anyMatch(m -> m.methodId().equals(v.methodId())
                    && m.channel().equals(v.channel()));
            if (counts) {
                provenChannels.add(v.channel());
                if (v.strength() == Strength.STRONG) {
                    provenStrong.add(v.channel());
                }
            }
        }
        boolean satisfied = provenChannels.size() >= policy.minChannels() && provenStrong.size() >= policy.minStrong();
        boolean reachable = eligibleChannels.size() >= policy.minChannels() && eligibleStrong.size() >= policy.minStrong();
        return new Progress(satisfied, reachable || satisfied, provenChannels.size(), provenStrong.size(),
                Math.max(0, policy.minChannels() - provenChannels.size()),
                Math.max(0, policy.minStrong() - provenStrong.size()));
    }

    /**
     * Where a recovery stands.
     *
     * @param satisfied       the policy is met: the password may be reset
     * @param reachable       the user's eligible methods can still meet it
     * @param channelsProven  distinct channels proven so far
     * @param strongProven    distinct channels proven by a strong method
     * @param channelsMissing channels still to prove
     * @param strongMissing   strong channels still to prove
     */
    public record Progress(boolean satisfied, boolean reachable, int channelsProven, int strongProven,
                           int channelsMissing, int strongMissing) {
    }
}
