package io.governedrecovery.flow;

import java.util.Map;
import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

/**
 * Reads a realm's reset-credentials flow: which enabled steps it has, at any depth, and their settings. Every part of
 * the pack that depends on how the admin wired the flow (the steps themselves, the tiers, the contact change, the
 * policy summary) asks here.
 */
public final class ResetFlow {

    private static final int MAX_DEPTH = 10;

    private ResetFlow() {
    }

    /** Whether the realm's reset-credentials flow has an enabled execution of {@code providerId}, at any depth. */
    public static boolean has(RealmModel realm, String providerId) {
        return execution(realm, providerId).isPresent();
    }

    /** The first enabled execution of {@code providerId} in the realm's reset-credentials flow, at any depth. */
    public static Optional<AuthenticationExecutionModel> execution(RealmModel realm, String providerId) {
        AuthenticationFlowModel flow = realm.getResetCredentialsFlow();
        return flow == null ? Optional.empty() : find(realm, flow.getId(), providerId, 0);
    }

    /** The config model of the first enabled execution of {@code providerId}, if it has one. */
    public static Optional<AuthenticatorConfigModel> configModel(RealmModel realm, String providerId) {
        return execution(realm, providerId).filter(e -> e.getAuthenticatorConfig() != null)
                .map(e -> realm.getAuthenticatorConfigById(e.getAuthenticatorConfig()));
    }

    /** The settings of the first enabled execution of {@code providerId}; empty settings when it has none. */
    public static Optional<Map<String, String>> config(RealmModel realm, String providerId) {
        return execution(realm, providerId).map(e -> {
            AuthenticatorConfigModel model = e.getAuthenticatorConfig() == null ? null
                    : realm.getAuthenticatorConfigById(e.getAuthenticatorConfig());
            return model == null || model.getConfig() == null ? Map.<String, String>of() : model.getConfig();
        });
    }

    /** Every execution of the realm's reset-credentials flow at any depth, disabled ones included, in flow order. */
    public static java.util.List<AuthenticationExecutionModel> all(RealmModel realm) {
        AuthenticationFlowModel flow = realm.getResetCredentialsFlow();
        java.util.List<AuthenticationExecutionModel> all = new java.util.ArrayList<>();
        if (flow != null) {
            collect(realm, flow.getId(), all, 0);
        }
        return all;
    }

    private static void collect(RealmModel realm, String flowId, java.util.List<AuthenticationExecutionModel> all,
                                int depth) {
        if (depth > MAX_DEPTH) {
            return;
        }
        for (AuthenticationExecutionModel e : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            all.add(e);
            if (e.isAuthenticatorFlow()) {
                collect(realm, e.getFlowId(), all, depth + 1);
            }
        }
    }

    private static Optional<AuthenticationExecutionModel> find(RealmModel realm, String flowId, String providerId,
                                                               int depth) {
        if (depth > MAX_DEPTH) {
            return Optional.empty();
        }
        for (AuthenticationExecutionModel e : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            if (e.isDisabled()) {
                continue;
            }
            if (providerId.equals(e.getAuthenticator())) {
                return Optional.of(e);
            }
            if (e.isAuthenticatorFlow()) {
                Optional<AuthenticationExecutionModel> inner = find(realm, e.getFlowId(), providerId, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }
}
