package io.governedrecovery.privileged;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The members of a group and of its subgroups (five levels deep), each once, up to a limit: the approvers, the
 * administrators to notify, the break-glass accounts.
 */
public final class GroupMembers {

    private static final int MAX_DEPTH = 5;

    private GroupMembers() {
    }

    public static List<UserModel> of(KeycloakSession session, RealmModel realm, GroupModel group, int max,
                                     Predicate<UserModel> wanted) {
        Map<String, UserModel> found = new LinkedHashMap<>();
        collect(session, realm, group, max, wanted, found, 0);
        return List.copyOf(found.values());
    }

    private static void collect(KeycloakSession session, RealmModel realm, GroupModel group, int max,
                                Predicate<UserModel> wanted, Map<String, UserModel> found, int depth) {
        if (depth > MAX_DEPTH || found.size() >= max) {
            return;
        }
        session.users().getGroupMembersStream(realm, group, 0, max)
                .filter(wanted)
                .filter(u -> !found.containsKey(u.getId()))
                .limit(max - found.size())
                .forEach(u -> found.put(u.getId(), u));
        group.getSubGroupsStream().forEach(sub -> collect(session, realm, sub, max, wanted, found, depth + 1));
    }
}
