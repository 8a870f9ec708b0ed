package io.governedrecovery.events.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;

/**
 * Adds what the scorer needs and Keycloak's event lacks, off the request thread: the user's department (a user
 * attribute, or the name of the user's group under a configured parent group). Looked-up departments are cached.
 */
public final class Enricher {

    private final String attribute;
    private final String groupParent;
    private final Cache<String, Optional<String>> departments = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    public Enricher(String attribute, String groupParent) {
        this.attribute = attribute;
        this.groupParent = groupParent == null ? null : groupParent.endsWith("/") ? groupParent : groupParent + "/";
    }

    /** The event with a department detail where one applies. */
    public RecoveryEvent enrich(KeycloakSession session, RecoveryEvent e) {
        if (e.userId() == null || e.details().containsKey(EventDetails.DEPARTMENT) || !wantsDepartment(e)) {
            return e;
        }
        Optional<String> department = departments.get(e.realmId() + "/" + e.userId(),
                k -> lookup(session, e.realmId(), e.userId()));
        if (department.isEmpty()) {
            return e;
        }
        Map<String, String> details = new HashMap<>(e.details());
        details.put(EventDetails.DEPARTMENT, department.get());
        return new RecoveryEvent(e.id(), e.time(), e.kind(), e.type(), e.realmId(), e.realmName(), e.clientId(),
                e.userId(), e.ipAddress(), e.error(), details);
    }

    private static boolean wantsDepartment(RecoveryEvent e) {
        return e.type().startsWith("RESET_PASSWORD");
    }

    private Optional<String> lookup(KeycloakSession session, String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return Optional.empty();
        }
        session.getContext().setRealm(realm);
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            return Optional.empty();
        }
        if (groupParent != null) {
            Optional<String> fromGroup = user.getGroupsStream().map(Enricher::path)
                    .filter(p -> p.startsWith(groupParent))
                    .map(p -> p.substring(groupParent.length()).split("/")[0])
                    .findFirst();
            if (fromGroup.isPresent()) {
                return fromGroup;
            }
        }
        return Optional.ofNullable(user.getFirstAttribute(attribute)).filter(v -> !v.isBlank());
    }

    private static String path(GroupModel group) {
        StringBuilder path = new StringBuilder();
        for (GroupModel g = group; g != null; g = g.getParent()) {
            path.insert(0, "/" + g.getName());
        }
        return path.toString();
    }
}
