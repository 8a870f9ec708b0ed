package io.governedrecovery.reset;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * "Governed Recovery: new password (ends sessions, notifies)": the last step of the governed reset flow, in place of
 * Keycloak's "Reset Password". It sets the new password and, in the same transaction, ends the user's other sessions,
 * notifies every channel and records the finish, so no later page can be abandoned to skip them.
 */
public final class NewPasswordAuthenticatorFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "governed-recovery-new-password";
    public static final String DISPLAY = "Governed Recovery: new password (ends sessions, notifies)";

    private static final Requirement[] REQUIREMENTS = {Requirement.REQUIRED};

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return DISPLAY;
    }

    @Override
    public String getHelpText() {
        return "Last step of the governed reset flow, instead of Keycloak's 'Reset Password': asks for the new "
                + "password only once the recovery policy (and, for administrators, the approval) was met, and with "
                + "it ends the user's other sessions, notifies every channel and records the reset.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return REQUIREMENTS.clone();
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return NewPasswordAuthenticator.SINGLETON;
    }

    @Override
    public void init(Config.Scope config) {
        // No settings: the reset step's settings (offline sessions, helpdesk) apply.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Nothing to wire.
    }

    @Override
    public void close() {
        // Nothing held.
    }
}
