package io.governedrecovery.privileged;

import java.util.List;

import io.governedrecovery.settings.Setting;

/**
 * The settings of the "privileged account" condition, each declared once: the console's fields and the parsers
 * ({@link PrivilegedAccountConfig}, {@link TierDefinition}) are built from them, and {@code SettingsDocumentedTest}
 * checks the README's table. The role and group lists keep an unset value (the default) apart from an emptied one
 * (none), so their parsers read them raw.
 */
public final class PrivilegedSettings {

    private PrivilegedSettings() {
    }

    public static final Setting REALM_ROLES = Setting.texts(PrivilegedAccountConfig.REALM_ROLES,
            "Privileged realm roles", "Realm roles that make an account privileged. A role counts when the user holds "
                    + "it directly, through a composite role or through a group.");
    public static final Setting CLIENT_ROLES = Setting.texts(PrivilegedAccountConfig.CLIENT_ROLES,
            "Privileged client roles", PrivilegedAccountConfig.DEFAULT_CLIENT_ROLES, "Client roles that make an "
                    + "account privileged, written client-id.role-name. Left empty, every realm-management role that "
                    + "can manage users (and so issue temporary access passes), the realm, clients, authorization, "
                    + "events or identity providers, impersonation, and realm-admin, count. Members of the approval "
                    + "step's approvers group are always privileged.");
    public static final Setting GROUPS = Setting.texts(PrivilegedAccountConfig.GROUPS, "Privileged groups",
            "Group paths (for example /admins) whose members, including members of their subgroups, are privileged. "
                    + "Add the groups of people who run recovery (the helpdesk, when fine-grained admin permissions "
                    + "rather than roles let it issue passes).");
    public static final Setting ATTRIBUTE = Setting.text(PrivilegedAccountConfig.ATTRIBUTE,
            "Privileged user attribute", null, "A user attribute that marks privileged accounts, written name=value "
                    + "(for example tier=privileged), or just name to match any non-empty value.");
    public static final Setting BREAK_GLASS_GROUPS = Setting.texts(TierDefinition.BREAK_GLASS_GROUPS,
            "Break-glass groups", "Group paths (for example /break-glass) whose members are break-glass accounts: "
                    + "never reset by self-service (the reset pages treat them as unknown), every sign-in is a "
                    + "critical event and a notice to the admins, and a sign-in outside a recorded test requires a new "
                    + "password.");
    public static final Setting BREAK_GLASS_ATTRIBUTE = Setting.text(TierDefinition.BREAK_GLASS_ATTRIBUTE,
            "Break-glass user attribute", TierDefinition.DEFAULT_BREAK_GLASS_ATTRIBUTE, "A user attribute that marks "
                    + "break-glass accounts, written name=value or just name. Default: "
                    + TierDefinition.DEFAULT_BREAK_GLASS_ATTRIBUTE + ".");
    public static final Setting NOTIFY_GROUP = Setting.text(TierDefinition.NOTIFY_GROUP, "Admins to notify", null,
            "Group path (for example /security-admins) whose members get an email when a privileged account's "
                    + "password is reset, and when a break-glass account signs in or someone tries to reset one. Needs "
                    + "the event listener governed-recovery-events in the realm.");
    public static final Setting TEST_DAYS = Setting.number(TierDefinition.TEST_DAYS,
            "Break-glass test interval (days)", TierDefinition.DEFAULT_TEST_DAYS, 1, 3650, "A break-glass account "
                    + "whose last recorded test is older than this is flagged overdue in the status endpoint.");
    public static final Setting TEST_WINDOW = Setting.number(TierDefinition.TEST_WINDOW,
            "Break-glass test window (minutes)", TierDefinition.DEFAULT_TEST_WINDOW, 5, 24 * 60, "After an admin "
                    + "records a test, sign-ins of that account within this many minutes count as the test, not as a "
                    + "real use (no forced password change).");

    /** In the console's order. */
    public static final List<Setting> DECLARED = List.of(REALM_ROLES, CLIENT_ROLES, GROUPS, ATTRIBUTE,
            BREAK_GLASS_GROUPS, BREAK_GLASS_ATTRIBUTE, NOTIFY_GROUP, TEST_DAYS, TEST_WINDOW);
}
