package io.governedrecovery.privileged;

import java.util.List;

import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.flow.StepFactory;
import io.governedrecovery.settings.Setting;

/** "Condition - privileged account": lets a flow branch on whether the user is privileged. */
public final class PrivilegedAccountConditionFactory extends StepFactory implements ConditionalAuthenticatorFactory {

    public static final String PROVIDER_ID = "governed-recovery-privileged";

    // Only Required: switched off, privileged accounts would meet the standard step, which refuses them.
    private static final Requirement[] REQUIREMENT_CHOICES = {Requirement.REQUIRED};

    private static final List<ProviderConfigProperty> CONFIG = Setting.properties(PrivilegedSettings.DECLARED);

    public PrivilegedAccountConditionFactory() {
        super(PROVIDER_ID, "Condition - privileged account (Governed Recovery)",
                "True when the user is a privileged account: holds one of the configured roles (directly, through a "
                    + "composite role or a group), is in one of the configured groups, or carries the configured attribute. "
                    + "In the reset-credentials flow its settings also define break-glass accounts and who is notified.", REQUIREMENT_CHOICES);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public ConditionalAuthenticator getSingleton() {
        return PrivilegedAccountCondition.SINGLETON;
    }
}
