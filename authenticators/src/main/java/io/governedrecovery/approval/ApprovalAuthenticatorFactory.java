package io.governedrecovery.approval;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.governedrecovery.flow.StepFactory;

/**
 * "Governed Recovery: second-person approval". Put it in the privileged branch of the reset-credentials flow, after
 * the reset step with branch 'privileged'.
 */
public final class ApprovalAuthenticatorFactory extends StepFactory {

    public static final String PROVIDER_ID = "governed-recovery-approval";

    // Only Required: a privileged reset never completes without the approval, so it cannot be switched off.

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property().name(ApprovalSettings.APPROVERS_GROUP).label("Approvers group")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Group path (for example /recovery-approvers). Its enabled members with an email address, "
                        + "subgroups included, get the approval link; the requester never approves their own reset. "
                        + "Without any such member privileged resets are refused.").add()
            .property().name(ApprovalSettings.LIFETIME_MINUTES).label("Approval wait (minutes)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(ApprovalSettings.DEFAULT_MINUTES)
                .helpText("How long a request waits for a decision; after it the reset ends. 5 to 1440. Keep it within "
                        + "the realm's login timeout (Realm settings, Sessions).").add()
            .build();

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
