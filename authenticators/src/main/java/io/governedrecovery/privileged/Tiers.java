package io.governedrecovery.privileged;

import java.util.ArrayList;
import java.util.List;

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
        TierDefinition definition = definition(realm);
        return definition == null ? EventDetails.TIER_PRIVILEGED : of(session, realm, user, definition);
    }

    /**
     * The realm's definition, or null when it is broken (logged): then every account counts as privileged. For
     * callers that decide many accounts' tiers at once ({@link #of(KeycloakSession, RealmModel, UserModel,
     * TierDefinition)} with it, or privileged for all when null).
     */
    public static TierDefinition definition(RealmModel realm) {
        try {
            return TierDefinition.forRealm(realm);
        } catch (IllegalArgumentException broken) {
            LOG.errorf("Privileged-account condition in realm '%s' is misconfigured, treating accounts as privileged: %s",
                    realm.getName(), broken.getMessage());
            return null;
        }
    }

    public static String of(KeycloakSession session, RealmModel realm, UserModel user, TierDefinition definition) {
        if (user == null) {
            return EventDetails.TIER_STANDARD;
        }
        return new Decider(session, realm, definition).of(user);
    }

    public static boolean isBreakGlass(KeycloakSession session, RealmModel realm, UserModel user,
                                       TierDefinition definition) {
        return breakGlass(user, definition, groups(session, realm, definition.breakGlassGroups()));
    }

    private static boolean breakGlass(UserModel user, TierDefinition definition, List<GroupModel> groups) {
        if (definition.breakGlassAttribute().matches(
                user.getAttributeStream(definition.breakGlassAttribute().name()).toList())) {
            return true;
        }
        for (GroupModel group : groups) {
            if (RoleUtils.isMember(user.getGroupsStream(), group)) {
                return true;
            }
        }
        return false;
    }

    private static List<GroupModel> groups(KeycloakSession session, RealmModel realm, List<String> paths) {
        List<GroupModel> groups = new ArrayList<>();
        for (String path : paths) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group != null) {
                groups.add(group);
            }
        }
        return groups;
    }

    /**
     * Decides accounts' tiers under one definition whose groups and roles are looked up once: for one account, or
     * for many (the compliance report decides a page of accounts with one). Approvers (members of the approval
     * step's approvers group) decide who regains an administrator's account, so they recover under the privileged
     * policy themselves, whatever the condition's settings say.
     */
    public static final class Decider {

        private final TierDefinition definition;
        private final List<GroupModel> breakGlassGroups;
        private final PrivilegedAccountMatcher.Resolved privileged;
        private final GroupModel approvers;

        /** Under {@code definition}; null (a broken one) makes every account privileged. */
        public Decider(KeycloakSession session, RealmModel realm, TierDefinition definition) {
            this.definition = definition;
            if (definition == null) {
                this.breakGlassGroups = List.of();
                this.privileged = null;
                this.approvers = null;
                return;
            }
            this.breakGlassGroups = groups(session, realm, definition.breakGlassGroups());
            this.privileged = PrivilegedAccountMatcher.Resolved.of(session, realm, definition.privileged());
            this.approvers = definition.approversGroup()
                    .map(path -> KeycloakModelUtils.findGroupByPath(session, realm, path)).orElse(null);
        }

        /** Under the realm's definition (a broken one is logged, and makes every account privileged). */
        public Decider(KeycloakSession session, RealmModel realm) {
            this(session, realm, definition(realm));
        }

        public String of(UserModel user) {
            if (user == null) {
                return EventDetails.TIER_STANDARD;
            }
            if (definition == null) {
                return EventDetails.TIER_PRIVILEGED;
            }
            if (breakGlass(user, definition, breakGlassGroups)) {
                return EventDetails.TIER_BREAK_GLASS;
            }
            return privileged.matches(user) || approvers != null && RoleUtils.isMember(user.getGroupsStream(), approvers)
                    ? EventDetails.TIER_PRIVILEGED : EventDetails.TIER_STANDARD;
        }
    }
}
