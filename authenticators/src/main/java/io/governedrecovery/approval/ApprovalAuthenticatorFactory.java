package io.governedrecovery.approval;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.flow.StepFactory;
import io.governedrecovery.settings.Setting;

/**
 * "Governed Recovery: second-person approval". Put it in the privileged branch of the reset-credentials flow, after
 * the reset step with branch 'privileged'.
 */
public final class ApprovalAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = "governed-recovery-approval";

    // Only Required: a privileged reset never completes without the approval, so it cannot be switched off.

    private static final List<ProviderConfigProperty> CONFIG = Setting.properties(ApprovalSettings.declared());

    public ApprovalAuthenticatorFactory() {
        super(PROVIDER_ID, "Governed Recovery: second-person approval",
                "Pauses a privileged account's reset until a member of the approvers group approves it, by a signed "
                    + "single-use link or the admin REST endpoint. Denial or timeout ends the reset.");
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public Authenticator create(KeycloakSession session) {
        return new ApprovalAuthenticator(session);
    }
}
