package io.governedrecovery.reset;

import java.util.Map;
import java.util.Optional;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import io.governedrecovery.flow.ResetFlow;

/** Finds the governed reset steps of a realm's reset-credentials flow, at any depth. */
public final class ResetSteps {

    private ResetSteps() {
    }

    /** The settings (raw config) of the first enabled governed reset step of {@code branch}, if there is one. */
    public static Optional<Map<String, String>> config(RealmModel realm, ResetSettings.Branch branch) {
        var flow = realm.getResetCredentialsFlow();
        return flow == null ? Optional.empty() : find(realm, flow.getId(), branch, 0);
    }

    private static Optional<Map<String, String>> find(RealmModel realm, String flowId, ResetSettings.Branch branch,
                                                      int depth) {
        if (depth > 10) {
            return Optional.empty();
        }
        for (AuthenticationExecutionModel e : realm.getAuthenticationExecutionsStream(flowId).toList()) {
            if (e.isDisabled()) {
                continue;
            }
            if (e.isAuthenticatorFlow()) {
                Optional<Map<String, String>> inner = find(realm, e.getFlowId(), branch, depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            } else if (GovernedResetAuthenticatorFactory.PROVIDER_ID.equals(e.getAuthenticator())) {
                AuthenticatorConfigModel model = e.getAuthenticatorConfig() == null ? null
                        : realm.getAuthenticatorConfigById(e.getAuthenticatorConfig());
                Map<String, String> config = model == null || model.getConfig() == null ? Map.of() : model.getConfig();
                boolean privileged = "privileged".equalsIgnoreCase(config.get(ResetSettings.BRANCH));
                if (privileged == (branch == ResetSettings.Branch.PRIVILEGED)) {
                    return Optional.of(config);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the realm's reset flow cannot finish a governed reset safely, or null: the new password must be set by our
     * own step (which ends sessions and notifies in the same transaction), never by Keycloak's "Reset Password" step,
     * whose required action a user could abandon half way.
     */
    public static String wiringProblem(RealmModel realm) {
        if (!ResetFlow.has(realm, NewPasswordAuthenticatorFactory.PROVIDER_ID)) {
            return "add the step '" + NewPasswordAuthenticatorFactory.DISPLAY + "' ("
                    + NewPasswordAuthenticatorFactory.PROVIDER_ID + ") as the last step of the reset flow.";
        }
        if (ResetFlow.has(realm, "reset-password")) {
            return "remove Keycloak's 'Reset Password' step from the reset flow; '"
                    + NewPasswordAuthenticatorFactory.DISPLAY + "' sets the new password.";
        }
        return null;
    }
}
