package io.governedrecovery.reset;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

import io.governedrecovery.flow.StepFactory;

/**
 * "Governed Recovery: new password (ends sessions, notifies)": the last step of the governed reset flow, in place of
 * Keycloak's "Reset Password". It sets the new password and, in the same transaction, ends the user's other sessions,
 * notifies every channel and records the finish, so no later page can be abandoned to skip them.
 */
public final class NewPasswordAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = "governed-recovery-new-password";
    public static final String DISPLAY = "Governed Recovery: new password (ends sessions, notifies)";

    public NewPasswordAuthenticatorFactory() {
        super(PROVIDER_ID, DISPLAY,
                "Last step of the governed reset flow, instead of Keycloak's 'Reset Password': asks for the new "
                    + "password only once the recovery policy (and, for administrators, the approval) was met, and with "
                    + "it ends the user's other sessions, notifies every channel and records the reset.");
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return NewPasswordAuthenticator.SINGLETON;
    }
}
