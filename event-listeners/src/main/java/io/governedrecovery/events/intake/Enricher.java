package io.governedrecovery.events.intake;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.governedrecovery.core.event.EventDetails;
import io.governedrecovery.reset.ResetConsequences;
import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.privileged.BreakGlassRecords;
import io.governedrecovery.privileged.Tiers;

/**
 * Adds what the scorer needs and Keycloak's event lacks, off the request thread: the user's department (a user
 * attribute, or the name of the user's group under a configured parent group) on reset events, the account's username
 * on its events that lack it, the account's tier
 * on sign-ins and reset events, and on a break-glass sign-in whether it falls in a recorded test's window. Successful sign-ins of standard accounts are dropped here: the pipeline keeps the sign-ins of privileged
 * and break-glass accounts, and every failed one; a realm that announces sign-ins from new networks keeps them all. Lookups are cached.
 */
public final class Enricher {

    private static final Logger LOG = Logger.getLogger(Enricher.class);
    private static final long QUIET_NANOS = 15 * 60 * 1_000_000_000L;

    /** The directory lookups enrichment needs (a seam for tests; the server's reads Keycloak's user storage). */
    interface Directory {
        String tier(KeycloakSession session, RecoveryEvent e);

        Optional<String> department(KeycloakSession session, RecoveryEvent e);

        boolean inTestWindow(KeycloakSession session, RecoveryEvent e);

        /** The account's username, or empty when it is not known. */
        default String username(KeycloakSession session, RecoveryEvent e) {
            return "";
        }

        /**
         * Whether the realm keeps its standard accounts' sign-ins: it announces sign-ins from new networks, or offers
         * waiting periods (which a sign-in ends).
         */
        default boolean keepsSignIns(KeycloakSession session, String realmId) {
            return false;
        }
    }

    /** An event as it is written: enriched, or as it came with {@code gr_enrichment=failed} when a lookup failed. */
    public record Enriched(RecoveryEvent event, boolean failed) {
    }

    private final Directory directory;
    private final java.util.function.LongSupplier nanos;
    private final Runnable failureCounter;
    private long lastFailureAt;
    private boolean anyFailure;
    private final String attribute;
    private final String groupParent;
    private final Cache<String, Optional<String>> departments = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    private final Cache<String, String> tiers = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final Cache<String, String> usernames = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10)).build();
    /** Per realm: whether it keeps standard sign-ins (read again after 10 s, so a changed setting soon applies). */
    private final Cache<String, Boolean> signInRealms = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(10)).build();

    public Enricher(String attribute, String groupParent, Runnable failureCounter) {
        this(attribute, groupParent, failureCounter, null, System::nanoTime);
    }

    Enricher(String attribute, String groupParent, Runnable failureCounter, Directory directory,
             java.util.function.LongSupplier nanos) {
        this.attribute = attribute;
        this.groupParent = groupParent == null ? null : groupParent.endsWith("/") ? groupParent : groupParent + "/";
        this.failureCounter = failureCounter;
        this.nanos = nanos;
        this.directory = directory != null ? directory : new Directory() {
            @Override
            public String tier(KeycloakSession session, RecoveryEvent e) {
                return lookupTier(session, e);
            }

            @Override
            public Optional<String> department(KeycloakSession session, RecoveryEvent e) {
                return lookup(session, e.realmId(), e.userId());
            }

            @Override
            public boolean inTestWindow(KeycloakSession session, RecoveryEvent e) {
                return Enricher.inTestWindow(session, e);
            }

            @Override
            public String username(KeycloakSession session, RecoveryEvent e) {
                return Enricher.username(session, e);
            }

            @Override
            public boolean keepsSignIns(KeycloakSession session, String realmId) {
                RealmModel realm = session.realms().getRealm(realmId);
                if (realm == null) {
                    return false;
                }
                var owner = ResetConsequences.ownerDefence(session, realm);
                return owner.newNetworkNotice() || owner.waitingPeriod();
            }
        };
    }

    /**
     * Whether the event is kept, and the event as it is written: never throws for a lookup that fails (a user-storage
     * directory away, a timeout): such an event is kept and written as it came, marked {@code gr_enrichment=failed},
     * counted ({@code governed_recovery_events_unenriched_total}) and logged (once, then quietly while failures
     * continue). Null when the event is dropped (a successful sign-in of a standard account).
     */
    public Enriched keepAndEnrich(KeycloakSession session, RecoveryEvent e) {
        try {
            return keep(session, e) ? new Enriched(enrich(session, e), false) : null;
        } catch (RuntimeException failure) {
            failed(e, failure);
            return new Enriched(with(e, EventDetails.ENRICHMENT, "failed"), true);
        }
    }

    /** The event as it came, marked {@code gr_enrichment=failed}: its lookups could not run at all. */
    public RecoveryEvent unenriched(RecoveryEvent e, RuntimeException failure) {
        failed(e, failure);
        return with(e, EventDetails.ENRICHMENT, "failed");
    }

    private synchronized void failed(RecoveryEvent e, RuntimeException failure) {
        failureCounter.run();
        long now = nanos.getAsLong();
        if (!anyFailure || now - lastFailureAt > QUIET_NANOS) {
            LOG.warnf("Governed Recovery could not look up the tier or department for event %s (%s of realm %s); it is "
                    + "written without them, marked gr_enrichment=failed (further failures are counted in "
                    + "governed_recovery_events_unenriched_total, logged at debug): %s", e.id(), e.type(),
                    e.realmId(), Intake.causes(failure));
        } else {
            LOG.debugf("Governed Recovery writes event %s without enrichment: %s", e.id(), failure);
        }
        anyFailure = true;
        lastFailureAt = now;
    }

    /**
     * Whether the event is certainly dropped, judged from the cache alone (no session needed): a successful sign-in of
     * an account already known to be standard.
     */
    public boolean knownDrop(RecoveryEvent e) {
        return "LOGIN".equals(e.type()) && e.userId() != null
                && Boolean.FALSE.equals(signInRealms.getIfPresent(e.realmId()))
                && EventDetails.TIER_STANDARD.equals(tiers.getIfPresent(e.realmId() + "/" + e.userId()));
    }

    /**
     * Whether the event is kept at all (see the class comment). A realm that announces sign-ins from new networks keeps
     * every sign-in: the scorer must see them.
     */
    public boolean keep(KeycloakSession session, RecoveryEvent e) {
        if (!"LOGIN".equals(e.type()) || e.userId() == null) {
            return true;
        }
        if (signInRealms.get(e.realmId(), realmId -> directory.keepsSignIns(session, realmId))) {
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
            String name = usernames.get(event.realmId() + "/" + event.userId(),
                    k -> directory.username(session, event));
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
                return with(e, EventDetails.BREAK_GLASS_TEST, Boolean.toString(directory.inTestWindow(session, e)));
            }
            if ("LOGIN".equals(e.type())) {
                return e;
            }
        }
        if (e.userId() == null || e.details().containsKey(EventDetails.DEPARTMENT) || !wantsDepartment(e)) {
            return e;
        }
        RecoveryEvent subject = e;
        Optional<String> department = departments.get(e.realmId() + "/" + e.userId(),
                k -> directory.department(session, subject));
        return department.isEmpty() ? e : with(e, EventDetails.DEPARTMENT, department.get());
    }

    private static RecoveryEvent with(RecoveryEvent e, String key, String value) {
        Map<String, String> details = new HashMap<>(e.details());
        details.put(key, value);
        return new RecoveryEvent(e.id(), e.time(), e.kind(), e.type(), e.realmId(), e.realmName(), e.clientId(),
                e.userId(), e.ipAddress(), e.error(), details);
    }

    private String tier(KeycloakSession session, RecoveryEvent e) {
        return tiers.get(e.realmId() + "/" + e.userId(), k -> directory.tier(session, e));
    }

    private static String lookupTier(KeycloakSession session, RecoveryEvent e) {
        {
            RealmModel realm = session.realms().getRealm(e.realmId());
            if (realm == null) {
                return EventDetails.TIER_STANDARD;
            }
            session.getContext().setRealm(realm);
            return Tiers.of(session, realm, session.users().getUserById(realm, e.userId()));
        }
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
