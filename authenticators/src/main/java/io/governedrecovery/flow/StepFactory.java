package io.governedrecovery.flow;

import java.util.List;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.spi.StatelessFactory;

/**
 * The factory of one of the pack's flow steps (an authenticator or a condition): it states its id, the name and help
 * the admin console shows, and the requirements it may be given (by default only REQUIRED); a step with settings
 * returns them from {@link #getConfigProperties()} and is then configurable. Server-wide options, wiring and resources
 * held are for the steps that have them to override.
 */
public abstract class StepFactory implements AuthenticatorFactory, StatelessFactory<Authenticator> {

    private final String id;
    private final String displayType;
    private final String helpText;
    private final Requirement[] requirements;

    protected StepFactory(String id, String displayType, String helpText) {
        this(id, displayType, helpText, Requirement.REQUIRED);
    }

    protected StepFactory(String id, String displayType, String helpText, Requirement... requirements) {
        this.id = id;
        this.displayType = displayType;
        this.helpText = helpText;
        this.requirements = requirements.clone();
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final String getDisplayType() {
        return displayType;
    }

    @Override
    public final String getHelpText() {
        return helpText;
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return !getConfigProperties().isEmpty();
    }

    @Override
    public final Requirement[] getRequirementChoices() {
        return requirements.clone();
    }

    @Override
    public final boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
