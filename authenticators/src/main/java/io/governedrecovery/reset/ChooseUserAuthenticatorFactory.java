package io.governedrecovery.reset;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

import io.governedrecovery.flow.StepFactory;

/** "Governed Recovery: choose user": the first step of the governed reset flow. */
public final class ChooseUserAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = "governed-recovery-choose-user";

    public ChooseUserAuthenticatorFactory() {
        super(PROVIDER_ID, "Governed Recovery: choose user",
                "Asks which account to recover on the 'Forgot your password?' page. Known, unknown and disabled names "
                    + "get the same page, the same event path and the same work.");
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return ChooseUserAuthenticator.SINGLETON;
    }
}
