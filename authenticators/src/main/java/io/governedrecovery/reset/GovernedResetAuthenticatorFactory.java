package io.governedrecovery.reset;

import java.security.SecureRandom;
import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.flow.StepFactory;
import io.governedrecovery.method.RecoveryMethods;

/**
 * "Governed Recovery: verify with several methods". Put it after the choose-user step of a reset-credentials flow,
 * followed by Keycloak's "Reset Password"; it replaces "Send Reset Email" and must never be combined with "Reset OTP".
 */
public final class GovernedResetAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = "governed-recovery-reset";

    private final SecureRandom random = new SecureRandom();
    private final StepTiming timing = new StepTiming();
    private List<String> installed = List.of();
    private List<ProviderConfigProperty> config = List.of();

    public GovernedResetAuthenticatorFactory() {
        super(PROVIDER_ID, "Governed Recovery: verify with several methods",
                "Before a password reset, the user proves several independent recovery methods (by default two on "
                    + "different channels, one of them strong: authenticator app, security key or recovery code). "
                    + "Pages never reveal whether an account exists or which methods it has.");
    }

    @Override
    public boolean isConfigurable() {
        return true; // its fields are built in postInit, from the installed methods
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return config;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new GovernedResetAuthenticator(session, installed, random, timing);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        installed = RecoveryMethods.installed(factory);
        config = configProperties(installed);
        WaitingHalfway.schedule(factory);
    }

    static List<ProviderConfigProperty> configProperties(List<String> installed) {
        return ResetSettings.properties(installed);
    }
}
