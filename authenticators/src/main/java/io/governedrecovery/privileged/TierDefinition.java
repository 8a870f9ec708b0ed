package io.governedrecovery.privileged;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.RealmModel;

import io.governedrecovery.flow.ResetFlow;

/**
 * A realm's account tiers: what makes an account privileged (the condition's settings) and what makes it a
 * break-glass account, who is told when such accounts are used or reset, and how often break-glass accounts must be
 * tested. Read from the "privileged account" condition of the realm's reset-credentials flow, so the flow, the event
 * pipeline and the admin endpoints all use the one definition the admin edits in the console.
 */
public record TierDefinition(PrivilegedAccountConfig privileged, List<String> breakGlassGroups,
                             PrivilegedAccountConfig.AttributeMatch breakGlassAttribute, Optional<String> notifyGroup,
                             int breakGlassTestDays, int breakGlassTestWindowMinutes, Optional<String> approversGroup) {

    /** The approval step and its approvers-group setting (read here, so the tiers need not know the approval code). */
    static final String APPROVAL_STEP = "governed-recovery-approval";
    static final String APPROVERS_GROUP = "approvers-group";

    public static final String BREAK_GLASS_GROUPS = "break-glass-groups";
    public static final String BREAK_GLASS_ATTRIBUTE = "break-glass-attribute";
    public static final String NOTIFY_GROUP = "notify-group";
    public static final String TEST_DAYS = "break-glass-test-days";
    public static final String TEST_WINDOW = "break-glass-test-window-minutes";

    public static final String DEFAULT_BREAK_GLASS_ATTRIBUTE = Tiers.BREAK_GLASS_ATTRIBUTE + "=true";
    public static final int DEFAULT_TEST_DAYS = 90;
    public static final int DEFAULT_TEST_WINDOW = 60;

    private static final Pattern MULTIVALUED = Pattern.compile("##");

    public static final TierDefinition DEFAULTS = new TierDefinition(PrivilegedAccountConfig.DEFAULTS, List.of(),
            PrivilegedAccountConfig.AttributeMatch.parse(DEFAULT_BREAK_GLASS_ATTRIBUTE).orElseThrow(),
            Optional.empty(), DEFAULT_TEST_DAYS, DEFAULT_TEST_WINDOW, Optional.empty());

    public TierDefinition {
        breakGlassGroups = List.copyOf(breakGlassGroups);
    }

    /**
     * The definition of a condition's config. A broken value throws {@link IllegalArgumentException} naming the
     * setting; callers fail closed.
     */
    public static TierDefinition from(AuthenticatorConfigModel model) {
        if (model == null || model.getConfig() == null) {
            return DEFAULTS;
        }
        Map<String, String> c = model.getConfig();
        String attribute = c.get(BREAK_GLASS_ATTRIBUTE);
        return new TierDefinition(PrivilegedAccountConfig.from(model),
                c.get(BREAK_GLASS_GROUPS) == null ? List.of()
                        : Arrays.stream(MULTIVALUED.split(c.get(BREAK_GLASS_GROUPS))).map(String::trim)
                                .filter(s -> !s.isEmpty()).toList(),
                PrivilegedAccountConfig.AttributeMatch.parse(
                        attribute == null || attribute.isBlank() ? DEFAULT_BREAK_GLASS_ATTRIBUTE : attribute)
                        .orElseThrow(),
                Optional.ofNullable(c.get(NOTIFY_GROUP)).map(String::trim).filter(s -> !s.isEmpty()),
                PrivilegedSettings.TEST_DAYS.number(c), PrivilegedSettings.TEST_WINDOW.number(c), Optional.empty());
    }

    /**
     * The definition in force in a realm: the first "privileged account" condition of its reset-credentials flow,
     * else the defaults (Keycloak's admin roles are privileged; the attribute governed-recovery.break-glass=true marks
     * break-glass accounts).
     */
    public static TierDefinition forRealm(RealmModel realm) {
        return conditionConfig(realm).map(TierDefinition::from).orElse(DEFAULTS).withApproversOf(realm);
    }

    /** This definition with the approvers group of the realm's approval step, whose members are privileged too. */
    public TierDefinition withApproversOf(RealmModel realm) {
        Optional<String> approvers = ResetFlow.config(realm, APPROVAL_STEP)
                .map(c -> c.get(APPROVERS_GROUP)).map(String::trim).filter(g -> !g.isEmpty());
        return new TierDefinition(privileged, breakGlassGroups, breakGlassAttribute, notifyGroup, breakGlassTestDays,
                breakGlassTestWindowMinutes, approvers);
    }

    /** The config of the first privileged-account condition in the realm's reset-credentials flow, if any. */
    public static Optional<AuthenticatorConfigModel> conditionConfig(RealmModel realm) {
        return ResetFlow.configModel(realm, PrivilegedAccountConditionFactory.PROVIDER_ID);
    }

    /** Whether the realm's reset-credentials flow has a privileged-account condition at all. */
    public static boolean hasPrivilegedBranch(RealmModel realm) {
        return ResetFlow.has(realm, PrivilegedAccountConditionFactory.PROVIDER_ID);
    }
}
