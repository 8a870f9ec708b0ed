package io.governedrecovery.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderFactory;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.policy.PolicyEvaluator;
import io.governedrecovery.core.policy.RecoveryPolicy;
import io.governedrecovery.core.policy.RegisteredMethod;
import io.governedrecovery.method.RecoveryMethod;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.reset.GovernedResetAuthenticatorFactory;
import io.governedrecovery.reset.ResetSettings;

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
        Comparator<ProviderFactory<?>> byOrder = Comparator.comparingInt(f -> -f.order());
        this.installed = session.getKeycloakSessionFactory().getProviderFactoriesStream(RecoveryMethod.class)
                .<ProviderFactory<?>>map(f -> f).sorted(byOrder.thenComparing(ProviderFactory::getId))
                .map(ProviderFactory::getId).toList();
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
        boolean meets = PolicyEvaluator.evaluate(policy, registered, List.of(), Instant.now()).reachable();
        return new Standing(tier, true, meets, registered.stream().map(RegisteredMethod::methodId).toList(),
                policy.minChannels(), policy.minStrong());
    }

    private Optional<ResetSettings> settings(ResetSettings.Branch branch) {
        var flow = realm.getResetCredentialsFlow();
        if (flow == null) {
            return Optional.empty();
        }
        return find(flow.getId(), branch, 0);
    }

    private Optional<ResetSettings> find(String flowId, ResetSettings.Branch branch, int depth) {
        if (depth > 10) {
            return Optional.empty();
        }
        for (AuthenticationExecutionModel e : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            if (e.isDisabled()) {
                continue;
            }
            if (e.isAuthenticatorFlow()) {
                Optional<ResetSettings> inner = find(e.getFlowId(), branch, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            } else if (GovernedResetAuthenticatorFactory.PROVIDER_ID.equals(e.getAuthenticator())) {
                var model = e.getAuthenticatorConfig() == null ? null
                        : realm.getAuthenticatorConfigById(e.getAuthenticatorConfig());
                Map<String, String> config = model == null || model.getConfig() == null ? Map.of() : model.getConfig();
                try {
                    ResetSettings s = ResetSettings.from(config, installed);
                    if (s.branch() == branch) {
                        return Optional.of(s);
                    }
                } catch (IllegalArgumentException bad) {
                    // a broken step is reported by the step itself
                }
            }
        }
        return Optional.empty();
    }
}
