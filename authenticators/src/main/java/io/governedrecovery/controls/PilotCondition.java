package io.governedrecovery.controls;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;
import org.keycloak.sessions.AuthenticationSessionModel;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.flow.Condition;
import io.governedrecovery.flow.PilotFallback;
import io.governedrecovery.privileged.Tiers;
import io.governedrecovery.settings.Setting;

/**
 * "Condition - outside the recovery pilot": true when the realm runs a pilot (pilot groups are set) and this reset is
 * not part of it, so the subflow it guards (the realm's fallback, for example Keycloak's email link) serves it.
 * Privileged and break-glass accounts are never outside: they always get the governed branch. A name that matches no
 * account is outside, like most accounts during a pilot, so the fallback's pages answer for it. Widening the pilot is
 * a change of the groups, not a redeploy; an empty list means everyone is in, and so does a list naming a group that
 * does not exist (fail closed: a typo never sends everyone to the weaker fallback).
 */
public final class PilotCondition implements Condition {

    public static final String PILOT_GROUPS = "pilot-groups";
    static final Setting GROUPS = Setting.texts(PILOT_GROUPS, "Pilot groups", "Group paths (for example /pilot) whose "
            + "members, and their subgroups' members, get the governed reset. Empty: everyone gets it and the fallback "
            + "is never used. A path that names no group (a typo, a renamed group) also sends everyone to the governed "
            + "reset.");
    private static final Logger LOG = Logger.getLogger(PilotCondition.class);
    private static final Pattern LIST = Pattern.compile("##|,");

    static final PilotCondition SINGLETON = new PilotCondition();

    private PilotCondition() {
    }

    @Override
    public boolean matchCondition(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        PilotFallback.clear(authSession);
        List<String> pilot = groups(context);
        if (pilot.isEmpty()) {
            return false;
        }
        UserModel user = context.getUser();
        boolean outside;
        if (broken(context.getSession(), context.getRealm(), pilot)) {
            outside = false; // fail closed: a pilot naming a missing group governs everyone, unknown names included
        } else if (user == null) {
            outside = true;
        } else if (!EventDetails.TIER_STANDARD.equals(Tiers.of(context.getSession(), context.getRealm(), user))) {
            outside = false;
        } else {
            outside = pilot.stream().noneMatch(path -> member(context.getSession(), context.getRealm(), user, path));
        }
        if (outside) {
            PilotFallback.mark(authSession, user);
        }
        return outside;
    }

    /** Whether this flow's reset of {@code user} was sent to the fallback by the pilot condition. */
    public static boolean isFallback(AuthenticationSessionModel authSession, UserModel user) {
        return PilotFallback.isFallback(authSession, user);
    }

    private static List<String> groups(AuthenticationFlowContext context) {
        var config = context.getAuthenticatorConfig();
        String raw = config == null || config.getConfig() == null ? null : GROUPS.text(config.getConfig());
        if (raw == null) {
            return List.of();
        }
        return Arrays.stream(LIST.split(raw)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether the pilot names a group that does not exist (a typo, a renamed group): then nobody is outside it. */
    private static boolean broken(KeycloakSession session, RealmModel realm, List<String> pilot) {
        for (String path : pilot) {
            if (KeycloakModelUtils.findGroupByPath(session, realm, path) == null) {
                LOG.warnf("Governed Recovery pilot in realm '%s' names the group '%s', which does not exist: every "
                        + "account gets the governed reset until the pilot groups are fixed", realm.getName(), path);
                return true;
            }
        }
        return false;
    }

    private static boolean member(KeycloakSession session, RealmModel realm, UserModel user, String path) {
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
        return group != null && RoleUtils.isMember(user.getGroupsStream(), group);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }
}
