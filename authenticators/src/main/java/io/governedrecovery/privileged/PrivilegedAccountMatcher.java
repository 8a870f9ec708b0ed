package io.governedrecovery.privileged;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RoleUtils;

import io.governedrecovery.compat.KeycloakApi;

/**
 * Decides whether a user is privileged under a {@link PrivilegedAccountConfig}.
 *
 * <p>Roles count however they reach the user: directly, through a composite role or through a group (Keycloak's
 * {@link UserModel#hasRole} resolves both). Group membership counts for the group and all of its subgroups.
 */
public final class PrivilegedAccountMatcher {

    private static final Logger LOG = Logger.getLogger(PrivilegedAccountMatcher.class);

    private PrivilegedAccountMatcher() {
    }

    public static boolean isPrivileged(KeycloakSession session, RealmModel realm, UserModel user,
                                       PrivilegedAccountConfig config) {
        if (user == null) {
            return false;
        }
        return Resolved.of(session, realm, config).matches(user);
    }

    /**
     * A config's roles and groups looked up in the realm once (missing ones logged and left out), for checking one
     * account or, by {@link Tiers.Decider}, many.
     */
    public record Resolved(List<RoleModel> roles, List<GroupModel> groups,
                           Optional<PrivilegedAccountConfig.AttributeMatch> attribute) {

        public static Resolved of(KeycloakSession session, RealmModel realm, PrivilegedAccountConfig config) {
            List<RoleModel> roles = new ArrayList<>();
            for (String name : config.realmRoles()) {
                RoleModel role = realm.getRole(name);
                if (role == null) {
                    LOG.warnf("Privileged-account condition names realm role '%s', which realm '%s' does not have",
                            name, realm.getName());
                } else {
                    roles.add(role);
                }
            }
            for (String name : config.clientRoles()) {
                RoleModel role = KeycloakApi.roleFromString(realm, name);
                if (role != null) {
                    roles.add(role);
                }
            }
            List<GroupModel> groups = new ArrayList<>();
            for (String path : config.groups()) {
                GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
                if (group == null) {
                    LOG.warnf("Privileged-account condition names group '%s', which realm '%s' does not have",
                            path, realm.getName());
                } else {
                    groups.add(group);
                }
            }
            return new Resolved(List.copyOf(roles), List.copyOf(groups), config.attribute());
        }

        /** Whether {@code user} holds one of the roles (however it reaches them), is in a group, or has the attribute. */
        public boolean matches(UserModel user) {
            for (RoleModel role : roles) {
                if (user.hasRole(role)) {
                    return true;
                }
            }
            for (GroupModel group : groups) {
                if (RoleUtils.isMember(user.getGroupsStream(), group)) {
                    return true;
                }
            }
            return attribute.isPresent()
                    && attribute.get().matches(user.getAttributeStream(attribute.get().name()).toList());
        }
    }
}
