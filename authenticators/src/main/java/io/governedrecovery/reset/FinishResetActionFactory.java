package io.governedrecovery.reset;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * "Governed Recovery: finish reset". Enable it (Authentication, Required actions) and keep it after "Update Password";
 * the governed reset step refuses resets while it is disabled, so a reset never skips ending sessions and notices.
 */
public final class FinishResetActionFactory implements RequiredActionFactory {

    public static final String ID = "governed-recovery-finish-reset";

    private static final FinishResetAction SINGLETON = new FinishResetAction();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "Governed Recovery: finish reset (end sessions, notify)";
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return List.of();
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
