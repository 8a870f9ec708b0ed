package io.governedrecovery.reset;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** "Governed Recovery: choose user": the first step of the governed reset flow. */
public final class ChooseUserAuthenticatorFactory implements AuthenticatorFactory {

    public static final String PROVIDER_ID = "governed-recovery-choose-user";

    private static final Requirement[] REQUIREMENTS = {Requirement.REQUIRED};

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Governed Recovery: choose user";
    }

    @Override
    public String getHelpText() {
        return "Asks which account to recover on the 'Forgot your password?' page. Known, unknown and disabled names "
                + "get the same page, the same event path and the same work.";
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
        return ChooseUserAuthenticator.SINGLETON;
    }

    @Override
    public void init(Config.Scope config) {
        // No settings.
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
