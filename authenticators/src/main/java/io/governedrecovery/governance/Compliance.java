package io.governedrecovery.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.policy.PolicyEvaluator;
import io.governedrecovery.core.policy.RecoveryPolicy;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.method.RecoveryMethods;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.reset.ResetSettings;
import io.governedrecovery.reset.ResetSteps;
import io.governedrecovery.clock.Clocks;

/**
 * Whether an account has registered enough recovery methods for the policy of its tier (the standard or the
 * privileged reset step of the realm's flow), counting methods still in their cooldown (they will count soon). Used by
 * the registration campaign and the compliance report. Break-glass accounts are out of scope: they never recover by
 * self-service.
 */
public final class Compliance {

    /** One account's standing. */
    /**
     * One account's standing.
     *
     * @param reason     why it misses its policy, in words (null when it meets it or is out of scope)
     * @param inCooldown registered methods still in their cooldown (they count for the standing, not yet for a reset)
     */
    public record Standing(String tier, boolean applicable, boolean meets, List<String> methods, int requiredMethods,
                           int requiredStrong, String reason, List<String> inCooldown) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final List<String> installed;
    private final Optional<ResetSettings> standard;
    private final Optional<ResetSettings> privileged;
    /** The realm's tiers, their groups and roles looked up once for all the accounts this instance decides. */
    private final Tiers.Decider tiers;

    public Compliance(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.installed = RecoveryMethods.installed(session.getKeycloakSessionFactory());
        this.standard = settings(ResetSettings.Branch.STANDARD);
        this.privileged = settings(ResetSettings.Branch.PRIVILEGED);
        this.tiers = new Tiers.Decider(session, realm);
    }

    public Standing of(UserModel user) {
        String tier = tiers.of(user);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return new Standing(tier, false, true, List.of(), 0, 0, null, List.of());
        }
        Optional<ResetSettings> settings = EventDetails.TIER_PRIVILEGED.equals(tier) ? privileged.or(() -> standard)
                : standard;
        if (settings.isEmpty()) {
            return new Standing(tier, false, true, List.of(), 0, 0, null, List.of());
        }
        ResetSettings s = settings.get();
        RecoveryPolicy policy = new RecoveryPolicy(s.policy().minChannels(), s.policy().minStrong(), Duration.ZERO,
                s.policy().weakMethodsCount());
        List<RegisteredMethod> registered = new ArrayList<>();
        for (String id : s.methods()) {
            if ("tap".equals(id)) {
                continue; // a pass from the helpdesk is a way out, not a registered method
            }
            RecoveryMethod method = session.getProvider(RecoveryMethod.class, id);
            if (method != null) {
                method.registration(realm, user, s.methodSettings()).ifPresent(registered::add);
            }
        }
        var now = Clocks.now();
        boolean meets = PolicyEvaluator.evaluate(policy, registered, List.of(), now).reachable();
        List<String> cooling = registered.stream().filter(m -> PolicyEvaluator.inCooldown(s.policy(), m, now))
                .map(RegisteredMethod::methodId).toList();
        return new Standing(tier, true, meets, registered.stream().map(RegisteredMethod::methodId).toList(),
                policy.minChannels(), policy.minStrong(), meets ? null : reason(policy, registered), cooling);
    }

    /**
     * One registered method of an account as the helpdesk sees it: when it was added or last changed, and from when it
     * counts in a reset (the end of its cooldown).
     */
    public record MethodStanding(String methodId, String strength, String channel, long changedAt, long countsFrom,
                                 boolean countsNow) {
    }

    /**
     * The recovery methods {@code user} has registered among those its tier's reset step offers (a helpdesk pass
     * excluded: it is listed with the passes), each with its cooldown; empty for break-glass accounts and for a
     * realm without the step.
     */
    public List<MethodStanding> methods(UserModel user) {
        Optional<ResetSettings> settings = settings(tiers.of(user));
        if (settings.isEmpty()) {
            return List.of();
        }
        ResetSettings s = settings.get();
        var now = Clocks.now();
        List<MethodStanding> methods = new ArrayList<>();
        for (String id : s.methods()) {
            RecoveryMethod method = "tap".equals(id) ? null : session.getProvider(RecoveryMethod.class, id);
            if (method != null) {
                method.registration(realm, user, s.methodSettings()).ifPresent(m -> methods.add(new MethodStanding(
                        m.methodId(), m.strength().name(), m.channel().kind().name(), m.changedAt().toEpochMilli(),
                        m.changedAt().plus(s.policy().cooldown()).toEpochMilli(),
                        !PolicyEvaluator.inCooldown(s.policy(), m, now))));
            }
        }
        return methods;
    }

    /**
     * The reset step settings that apply to an account of {@code tier}: the privileged branch's for privileged
     * accounts (the standard step's when the realm has no branch), none for break-glass accounts.
     */
    public Optional<ResetSettings> settings(String tier) {
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return Optional.empty();
        }
        return EventDetails.TIER_PRIVILEGED.equals(tier) ? privileged.or(() -> standard) : standard;
    }

    /** Why {@code registered} cannot meet {@code policy}: how many methods, and how many strong ones, are missing. */
    private static String reason(RecoveryPolicy policy, List<RegisteredMethod> registered) {
        long channels = registered.stream().filter(m -> policy.weakMethodsCount()
                || m.strength() == io.governedrecovery.core.policy.Strength.STRONG)
                .map(RegisteredMethod::channel).distinct().count();
        long strong = registered.stream().filter(m -> m.strength() == io.governedrecovery.core.policy.Strength.STRONG)
                .map(RegisteredMethod::channel).distinct().count();
        long missingStrong = Math.max(0, policy.minStrong() - strong);
        long missing = Math.max(missingStrong, policy.minChannels() - channels);
        List<String> parts = new ArrayList<>();
        if (missingStrong > 0) {
            parts.add(missingStrong + " more strong method" + (missingStrong == 1 ? "" : "s")
                    + " (authenticator app, passkey or security key, recovery codes)");
        }
        if (missing > missingStrong) {
            long other = missing - missingStrong;
            parts.add(other + " more method" + (other == 1 ? "" : "s") + " on another channel");
        }
        return "needs " + String.join(" and ", parts);
    }

    private Optional<ResetSettings> settings(ResetSettings.Branch branch) {
        try {
            return ResetSteps.config(realm, branch).map(config -> ResetSettings.from(config, installed));
        } catch (IllegalArgumentException bad) {
            return Optional.empty(); // a broken step is reported by the step itself
        }
    }
}
