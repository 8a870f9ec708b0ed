package io.governedrecovery.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import jakarta.persistence.EntityManager;

import io.governedrecovery.clock.Clocks;

/**
 * Cluster-wide counters over a sliding window, kept in Keycloak's database. A count is the current fixed window plus
 * the previous one weighted by how much of it still overlaps the sliding window, so a burst across a window boundary
 * is not forgiven.
 *
 * <p>Increments run in their own short transaction, so a counter never rolls back with (or breaks) the request that
 * counted. The subject key (a user id, an IP address) is only stored hashed.
 */
public final class Counters {

    private static final Logger LOG = Logger.getLogger(Counters.class);

    private final KeycloakSessionFactory sessionFactory;

    public Counters(KeycloakSession session) {
        this.sessionFactory = session.getKeycloakSessionFactory();
    }

    /** Counts one more hit and returns the sliding count including it. */
    public double increment(String realmId, String scope, String subject, Duration window, Instant now) {
        long size = window.toMillis();
        long start = now.toEpochMilli() / size * size;
        String id = id(realmId, scope, subject, start);
        for (int attempt = 1; ; attempt++) {
            try {
                KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> {
                    EntityManager em = em(s);
                    int updated = em.createNamedQuery("governedRecoveryCounterIncrement").setParameter("id", id)
                            .executeUpdate();
                    if (updated == 0) {
                        em.persist(new RecoveryCounterEntity(id, realmId, scope, start, 1, start + 2 * size));
                    }
                });
                break;
            } catch (RuntimeException raceOrOutage) {
                // Two nodes may insert the same window at once; the loser retries and updates.
                if (attempt >= 3) {
                    LOG.warnf("Governed Recovery counter %s could not be counted: %s", scope, raceOrOutage.toString());
                    break;
                }
            }
        }
        return count(realmId, scope, subject, window, now);
    }

    /**
     * Takes back one hit counted by {@link #increment} at {@code countedAt} (a reserved try that succeeded), in the
     * window it was counted in; never below zero.
     */
    public void decrement(String realmId, String scope, String subject, Duration window, Instant countedAt) {
        long size = window.toMillis();
        long start = countedAt.toEpochMilli() / size * size;
        String id = id(realmId, scope, subject, start);
        try {
            KeycloakModelUtils.runJobInTransaction(sessionFactory, s -> em(s)
                    .createNamedQuery("governedRecoveryCounterDecrement").setParameter("id", id).executeUpdate());
        } catch (RuntimeException outage) {
            LOG.warnf("Governed Recovery counter %s could not be decremented: %s", scope, outage.toString());
        }
    }

    /** The sliding count at {@code now}, without counting. */
    public double count(String realmId, String scope, String subject, Duration window, Instant now) {
        long size = window.toMillis();
        long start = now.toEpochMilli() / size * size;
        String current = id(realmId, scope, subject, start);
        String previous = id(realmId, scope, subject, start - size);
        double overlap = 1.0 - (double) (now.toEpochMilli() - start) / size;
        return KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory, s -> {
            EntityManager em = em(s);
            RecoveryCounterEntity cur = em.find(RecoveryCounterEntity.class, current);
            RecoveryCounterEntity prev = em.find(RecoveryCounterEntity.class, previous);
            return (cur == null ? 0 : cur.getHits()) + (prev == null ? 0 : prev.getHits() * overlap);
        });
    }

    public static void deleteExpired(KeycloakSession session) {
        int removed = em(session).createNamedQuery("governedRecoveryCounterDeleteExpired")
                .setParameter("now", Clocks.millis()).executeUpdate();
        LOG.debugf("Governed Recovery removed %d expired counter windows", removed);
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    static String id(String realmId, String scope, String subject, long windowStart) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((realmId + '\u0000' + scope + '\u0000' + subject + '\u0000' + windowStart)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
