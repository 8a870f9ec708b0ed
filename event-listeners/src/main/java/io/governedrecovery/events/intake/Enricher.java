package io.governedrecovery.events.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.privileged.BreakGlassRecords;
import io.governedrecovery.privileged.Tiers;

/**
 * Adds what the scorer needs and Keycloak's event lacks, off the request thread: the user's department (a user
 * attribute, or the name of the user's group under a configured parent group) on reset events, the account's username
 * on its events that lack it, the account's tier
 * on sign-ins and reset events, and on a break-glass sign-in whether it falls in a recorded test's window. Successful sign-ins of standard accounts are dropped here: the pipeline keeps the sign-ins of privileged
 * and break-glass accounts, and every failed one. Lookups are cached.
 */
public final class Enricher {

    private final String attribute;
    private final String groupParent;
    private final Cache<String, Optional<String>> departments = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Cache<String, String> tiers = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final Cache<String, String> usernames = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();

    public Enricher(String attribute, String groupParent) {
        this.attribute = attribute;
        this.groupParent = groupParent == null ? null : groupParent.endsWith("/") ? groupParent : groupParent + "/";
    }

    /**
     * Whether the event is certainly dropped, judged from the cache alone (no session needed): a successful sign-in of
     * an account already known to be standard.
     */
    public boolean knownDrop(RecoveryEvent e) {
        return "LOGIN".equals(e.type()) && e.userId() != null
                && EventDetails.TIER_STANDARD.equals(tiers.getIfPresent(e.realmId() + "/" + e.userId()));
    }

    /** Whether the event is kept at all (see the class comment). */
    public boolean keep(KeycloakSession session, RecoveryEvent e) {
        if (!"LOGIN".equals(e.type()) || e.userId() == null) {
            return true;
        }
        return !EventDetails.TIER_STANDARD.equals(tier(session, e));
    }

    /** The event with a department or tier detail where one applies. */
    public RecoveryEvent enrich(KeycloakSession session, RecoveryEvent event) {
        RecoveryEvent e = event;
        if (e.kind() == RecoveryEvent.Kind.USER && e.userId() != null
                && !e.details().containsKey(EventDetails.USERNAME)) {
            // Findings and the analyst's views name the account, not only its id.
            String name = usernames.get(event.realmId() + "/" + event.userId(), k -> username(session, event));
            if (!name.isEmpty()) {
                e = with(e, EventDetails.USERNAME, name);
            }
        }
        if (("LOGIN".equals(e.type()) || e.type().startsWith("RESET_PASSWORD")) && e.userId() != null
                && !e.details().containsKey(EventDetails.TIER)) {
            String tier = tier(session, e);
            e = with(e, EventDetails.TIER, tier);
            if ("LOGIN".equals(e.type()) && EventDetails.TIER_BREAK_GLASS.equals(tier)) {
                // Read fresh, not cached: a test recorded a minute ago must count.
                return with(e, EventDetails.BREAK_GLASS_TEST, Boolean.toString(inTestWindow(session, e)));
            }
            if ("LOGIN".equals(e.type())) {
                return e;
            }
        }
        if (e.userId() == null || e.details().containsKey(EventDetails.DEPARTMENT) || !wantsDepartment(e)) {
            return e;
        }
        String realmId = e.realmId();
        String userId = e.userId();
        Optional<String> department = departments.get(realmId + "/" + userId, k -> lookup(session, realmId, userId));
        return department.isEmpty() ? e : with(e, EventDetails.DEPARTMENT, department.get());
    }

    private static RecoveryEvent with(RecoveryEvent e, String key, String value) {
        Map<String, String> details = new HashMap<>(e.details());
        details.put(key, value);
        return new RecoveryEvent(e.id(), e.time(), e.kind(), e.type(), e.realmId(), e.realmName(), e.clientId(),
                e.userId(), e.ipAddress(), e.error(), details);
    }

    private String tier(KeycloakSession session, RecoveryEvent e) {
        return tiers.get(e.realmId() + "/" + e.userId(), k -> {
            RealmModel realm = session.realms().getRealm(e.realmId());
            if (realm == null) {
                return EventDetails.TIER_STANDARD;
            }
            session.getContext().setRealm(realm);
            return Tiers.of(session, realm, session.users().getUserById(realm, e.userId()));
        });
    }

    private static String username(KeycloakSession session, RecoveryEvent e) {
        RealmModel realm = session.realms().getRealm(e.realmId());
        if (realm == null) {
            return "";
        }
        session.getContext().setRealm(realm);
        UserModel user = session.users().getUserById(realm, e.userId());
        return user == null || user.getUsername() == null ? "" : user.getUsername();
    }

    private static boolean inTestWindow(KeycloakSession session, RecoveryEvent e) {
        RealmModel realm = session.realms().getRealm(e.realmId());
        UserModel user = realm == null ? null : session.users().getUserById(realm, e.userId());
        return user != null && BreakGlassRecords.inTestWindow(user, e.time());
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
            Optional<String> fromGroup = user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath)
                    .filter(p -> p.startsWith(groupParent))
                    .map(p -> p.substring(groupParent.length()).split("/")[0])
                    .findFirst();
            if (fromGroup.isPresent()) {
                return fromGroup;
            }
        }
        return Optional.ofNullable(user.getFirstAttribute(attribute)).filter(v -> !v.isBlank());
    }
}
