package io.governedrecovery.privileged;

import java.util.List;

import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

import io.governedrecovery.flow.StepFactory;

/** "Condition - privileged account": lets a flow branch on whether the user is privileged. */
public final class PrivilegedAccountConditionFactory extends StepFactory implements ConditionalAuthenticatorFactory {

    public static final String PROVIDER_ID = "governed-recovery-privileged";

    // Only Required: switched off, privileged accounts would meet the standard step, which refuses them.
    private static final Requirement[] REQUIREMENT_CHOICES = {Requirement.REQUIRED};

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
                        + "every realm-management role that can manage users (and so issue temporary access passes), "
                        + "the realm, clients, authorization, events or identity providers, impersonation, and "
                        + "realm-admin, count. Members of the approval step's approvers group are always privileged.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .defaultValue(String.join("##", PrivilegedAccountConfig.DEFAULT_CLIENT_ROLES))
                .add()
            .property()
                .name(PrivilegedAccountConfig.GROUPS)
                .label("Privileged groups")
                .helpText("Group paths (for example /admins) whose members, including members of their subgroups, "
                        + "are privileged. Add the groups of people who run recovery (the helpdesk, when fine-grained "
                        + "admin permissions rather than roles let it issue passes).")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .add()
            .property()
                .name(PrivilegedAccountConfig.ATTRIBUTE)
                .label("Privileged user attribute")
                .helpText("A user attribute that marks privileged accounts, written name=value (for example "
                        + "tier=privileged), or just name to match any non-empty value.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .add()
            .property()
                .name(TierDefinition.BREAK_GLASS_GROUPS)
                .label("Break-glass groups")
                .helpText("Group paths (for example /break-glass) whose members are break-glass accounts: never reset "
                        + "by self-service (the reset pages treat them as unknown), every sign-in is a critical event "
                        + "and a notice to the admins, and a sign-in outside a recorded test requires a new password.")
                .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .add()
            .property()
                .name(TierDefinition.BREAK_GLASS_ATTRIBUTE)
                .label("Break-glass user attribute")
                .helpText("A user attribute that marks break-glass accounts, written name=value or just name. "
                        + "Default: governed-recovery.break-glass=true.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(TierDefinition.DEFAULT_BREAK_GLASS_ATTRIBUTE)
                .add()
            .property()
                .name(TierDefinition.NOTIFY_GROUP)
                .label("Admins to notify")
                .helpText("Group path (for example /security-admins) whose members get an email when a privileged "
                        + "account's password is reset, and when a break-glass account signs in or someone tries to "
                        + "reset one. Needs the event listener governed-recovery-events in the realm.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .add()
            .property()
                .name(TierDefinition.TEST_DAYS)
                .label("Break-glass test interval (days)")
                .helpText("A break-glass account whose last recorded test is older than this is flagged overdue in "
                        + "the status endpoint. 1 to 3650.")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(TierDefinition.DEFAULT_TEST_DAYS)
                .add()
            .property()
                .name(TierDefinition.TEST_WINDOW)
                .label("Break-glass test window (minutes)")
                .helpText("After an admin records a test, sign-ins of that account within this many minutes count as "
                        + "the test, not as a real use (no forced password change). 5 to 1440.")
                .type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(TierDefinition.DEFAULT_TEST_WINDOW)
                .add()
            .build();

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
