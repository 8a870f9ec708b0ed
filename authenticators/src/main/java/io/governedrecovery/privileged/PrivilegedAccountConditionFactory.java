package io.governedrecovery.privileged;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** "Condition - privileged account": lets a flow branch on whether the user is privileged. */
public final class PrivilegedAccountConditionFactory implements ConditionalAuthenticatorFactory {

    public static final String PROVIDER_ID = "governed-recovery-condition-privileged";

    private static final Requirement[] REQUIREMENT_CHOICES = {Requirement.REQUIRED, Requirement.DISABLED};

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
                .name(PrivilegedAccountConfig.REALM_ROLES)
                .label("Privileged realm roles")
                .helpText("Realm roles that make an account privileged. A role counts when the user holds it directly, "
                        + "through a composite role or through a group.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .add()
            .property()
                .name(PrivilegedAccountConfig.CLIENT_ROLES)
                .label("Privileged client roles")
                .helpText("Client roles that make an account privileged, written client-id.role-name. Left empty, "
                        + "every realm-management role that can manage users, the realm, clients or authorization, "
                        + "and realm-admin, count.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .defaultValue(String.join("##", PrivilegedAccountConfig.DEFAULT_CLIENT_ROLES))
                .add()
            .property()
                .name(PrivilegedAccountConfig.GROUPS)
                .label("Privileged groups")
                .helpText("Group paths (for example /admins) whose members, including members of their subgroups, "
                        + "are privileged.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .add()
            .property()
                .name(PrivilegedAccountConfig.ATTRIBUTE)
                .label("Privileged user attribute")
                .helpText("A user attribute that marks privileged accounts, written name=value (for example "
                        + "tier=privileged), or just name to match any non-empty value.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .add()
            .build();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Condition - privileged account (Governed Recovery)";
    }

    @Override
    public String getHelpText() {
        return "True when the user is a privileged account: holds one of the configured roles (directly, through a "
                + "composite role or a group), is in one of the configured groups, or carries the configured attribute.";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return REQUIREMENT_CHOICES.clone();
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public ConditionalAuthenticator getSingleton() {
        return PrivilegedAccountCondition.SINGLETON;
    }

    @Override
    public void init(Config.Scope config) {
        // No server-wide settings.
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Nothing to wire.
    }

    @Override
    public void close() {
        // Holds nothing.
    }
}
