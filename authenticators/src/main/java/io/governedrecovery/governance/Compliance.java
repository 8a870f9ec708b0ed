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
    public record Standing(String tier, boolean applicable, boolean meets, List<String> methods, int requiredMethods,
                           int requiredStrong) {
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final List<String> installed;
    private final Optional<ResetSettings> standard;
    private final Optional<ResetSettings> privileged;

    public Compliance(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.installed = RecoveryMethods.installed(session.getKeycloakSessionFactory());
        this.standard = settings(ResetSettings.Branch.STANDARD);
        this.privileged = settings(ResetSettings.Branch.PRIVILEGED);
    }

    public Standing of(UserModel user) {
        String tier = Tiers.of(session, realm, user);
        if (EventDetails.TIER_BREAK_GLASS.equals(tier)) {
            return new Standing(tier, false, true, List.of(), 0, 0);
        }
        Optional<ResetSettings> settings = EventDetails.TIER_PRIVILEGED.equals(tier) ? privileged.or(() -> standard)
                : standard;
        if (settings.isEmpty()) {
            return new Standing(tier, false, true, List.of(), 0, 0);
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
        boolean meets = PolicyEvaluator.evaluate(policy, registered, List.of(), Clocks.now()).reachable();
        return new Standing(tier, true, meets, registered.stream().map(RegisteredMethod::methodId).toList(),
                policy.minChannels(), policy.minStrong());
    }

    private Optional<ResetSettings> settings(ResetSettings.Branch branch) {
        try {
            return ResetSteps.config(realm, branch).map(config -> ResetSettings.from(config, installed));
        } catch (IllegalArgumentException bad) {
            return Optional.empty(); // a broken step is reported by the step itself
        }
    }
}
