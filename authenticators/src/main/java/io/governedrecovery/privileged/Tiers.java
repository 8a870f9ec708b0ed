package io.governedrecovery.privileged;

import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;

import io.governedrecovery.core.event.EventDetails;

/**
 * An account's recovery tier: break-glass (never self-service), privileged (the stricter branch) or standard, under
 * the realm's {@link TierDefinition}. Used wherever the tier must be known: the reset steps, the event pipeline, the
 * admin endpoints. A broken definition fails closed: everyone counts as privileged.
 */
public final class Tiers {

    private static final Logger LOG = Logger.getLogger(Tiers.class);

    /** User attribute that marks a break-glass account ("true") unless the realm names another. */
    public static final String BREAK_GLASS_ATTRIBUTE = "governed-recovery.break-glass";

    private Tiers() {
    }

    public static String of(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return EventDetails.TIER_STANDARD;
        }
        TierDefinition definition;
        try {
            definition = TierDefinition.forRealm(realm);
        } catch (IllegalArgumentException broken) {
            LOG.errorf("Privileged-account condition in realm '%s' is misconfigured, treating accounts as privileged: %s",
                    realm.getName(), broken.getMessage());
            return EventDetails.TIER_PRIVILEGED;
        }
        return of(session, realm, user, definition);
    }

    public static String of(KeycloakSession session, RealmModel realm, UserModel user, TierDefinition definition) {
        if (user == null) {
            return EventDetails.TIER_STANDARD;
        }
        if (isBreakGlass(session, realm, user, definition)) {
            return EventDetails.TIER_BREAK_GLASS;
        }
        return PrivilegedAccountMatcher.isPrivileged(session, realm, user, definition.privileged())
                || approver(session, realm, user, definition)
                ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD;
    }

    /**
     * Whether {@code user} may approve privileged resets: approvers decide who regains an administrator's account,
     * so they recover under the privileged policy themselves, whatever the condition's settings say.
     */
    private static boolean approver(KeycloakSession session, RealmModel realm, UserModel user,
                                    TierDefinition definition) {
        if (definition.approversGroup().isEmpty()) {
            return false;
        }
        GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, definition.approversGroup().get());
        return group != null && RoleUtils.isMember(user.getGroupsStream(), group);
    }

    public static boolean isBreakGlass(KeycloakSession session, RealmModel realm, UserModel user,
                                       TierDefinition definition) {
        if (definition.breakGlassAttribute().matches(
                user.getAttributeStream(definition.breakGlassAttribute().name()).toList())) {
            return true;
        }
        for (String path : definition.breakGlassGroups()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group != null && RoleUtils.isMember(user.getGroupsStream(), group)) {
                return true;
            }
        }
        return false;
    }
}
