package io.governedrecovery.controls;

import java.util.List;

import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.flow.StepFactory;

/** Registers {@link PilotCondition}. */
public final class PilotConditionFactory extends StepFactory implements ConditionalAuthenticatorFactory {

    public static final String PROVIDER_ID = "governed-recovery-pilot";

    private static final Requirement[] REQUIREMENT_CHOICES = {Requirement.REQUIRED, Requirement.DISABLED};

    public PilotConditionFactory() {
        super(PROVIDER_ID, "Condition - outside the recovery pilot (Governed Recovery)",
                "True when pilot groups are set and this reset is not in the pilot: an account outside every pilot "
                    + "group, or a name that matches no account. Privileged and break-glass accounts are always in. Guard "
                    + "the realm's fallback reset (for example 'Send Reset Email') with it.", REQUIREMENT_CHOICES);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of(PilotCondition.GROUPS.property());
    }

    @Override
    public ConditionalAuthenticator getSingleton() {
        return PilotCondition.SINGLETON;
    }
}
