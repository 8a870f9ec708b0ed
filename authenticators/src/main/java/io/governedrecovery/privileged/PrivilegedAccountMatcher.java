package io.governedrecovery.privileged;

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
        for (String name : config.realmRoles()) {
            RoleModel role = realm.getRole(name);
            if (role == null) {
                LOG.warnf("Privileged-account condition names realm role '%s', which realm '%s' does not have",
                        name, realm.getName());
            } else if (user.hasRole(role)) {
                return true;
            }
        }
        for (String name : config.clientRoles()) {
            RoleModel role = KeycloakApi.roleFromString(realm, name);
            if (role != null && user.hasRole(role)) {
                return true;
            }
        }
        for (String path : config.groups()) {
            GroupModel group = KeycloakModelUtils.findGroupByPath(session, realm, path);
            if (group == null) {
                LOG.warnf("Privileged-account condition names group '%s', which realm '%s' does not have",
                        path, realm.getName());
            } else if (RoleUtils.isMember(user.getGroupsStream(), group)) {
                return true;
            }
        }
        Optional<PrivilegedAccountConfig.AttributeMatch> attribute = config.attribute();
        return attribute.isPresent()
                && attribute.get().matches(user.getAttributeStream(attribute.get().name()).toList());
    }
}
