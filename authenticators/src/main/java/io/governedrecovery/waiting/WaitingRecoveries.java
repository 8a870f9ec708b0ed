package io.governedrecovery.waiting;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

import jakarta.persistence.EntityManager;

/**
 * Waiting-period recoveries in Keycloak's database, so every node sees one state; every change is a compare and set
 * (a wait ends once, its halfway notices go out once).
 */
public final class WaitingRecoveries {

    /** Ended waits are kept this long for the console's history (the event export keeps them for good). */
    static final long KEEP_ENDED_MILLIS = 30L * 24 * 60 * 60 * 1000;

    private final KeycloakSession session;

    public WaitingRecoveries(KeycloakSession session) {
        this.session = session;
    }

    public WaitingRecovery start(String realmId, String userId, String binding, String method, long now, long endsAt,
                                 String requesterIp) {
        String ip = requesterIp == null ? null : requesterIp.length() > 64 ? requesterIp.substring(0, 64) : requesterIp;
        WaitingEntity entity = new WaitingEntity(UUID.randomUUID().toString(), realmId, userId, binding, method, now,
                endsAt, ip);
        em().persist(entity);
        em().flush();
        em().detach(entity);
        return entity.toRecovery();
    }

    /** The account's current wait, if it has one. */
    public Optional<WaitingRecovery> of(String realmId, String userId) {
        return em().createNamedQuery("governedRecoveryWaitingOf", WaitingEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).setMaxResults(1)
                .getResultStream().map(this::detached).findFirst();
    }

    /** The realm's wait {@code id}, in whatever state. */
    public Optional<WaitingRecovery> byId(String realmId, String id) {
        return em().createNamedQuery("governedRecoveryWaitingById", WaitingEntity.class).setParameter("id", id)
                .setParameter("realmId", realmId).getResultStream().map(this::detached).findFirst();
    }

    /** The account's latest wait that ended for one of {@code reasons} since {@code since}, if any. */
    public Optional<WaitingRecovery> endedSince(String realmId, String userId, long since,
                                                java.util.Collection<String> reasons) {
        return em().createNamedQuery("governedRecoveryWaitingEndedSince", WaitingEntity.class)
                .setParameter("realmId", realmId).setParameter("userId", userId).setParameter("since", since)
                .setParameter("reasons", reasons).setMaxResults(1).getResultStream().map(this::detached).findFirst();
    }

    /** Ends every wait of the account under way that started at or before {@code before}; how many ended. */
    public int endAll(String realmId, String userId, String reason, long now, long before) {
        return em().createNamedQuery("governedRecoveryWaitingEndAll").setParameter("realmId", realmId)
                .setParameter("userId", userId).setParameter("reason", reason).setParameter("now", now)
                .setParameter("before", before).executeUpdate();
    }

    /** Ends a wait; false when it had ended already (by whatever came first). */
    public boolean end(String id, WaitingRecovery.Status status, String reason, long now) {
        return em().createNamedQuery("governedRecoveryWaitingEnd").setParameter("status", status.name())
                .setParameter("now", now).setParameter("reason", reason).setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** Marks the halfway notices sent; false when another node sent them or the wait ended meanwhile. */
    public boolean halfwaySent(String id, long now) {
        return em().createNamedQuery("governedRecoveryWaitingHalfway").setParameter("now", now)
                .setParameter("id", id).executeUpdate() == 1;
    }

    /** Waits whose halfway notices are due, oldest first. */
    public List<WaitingRecovery> halfwayDue(long now, int max) {
        return em().createNamedQuery("governedRecoveryWaitingDue", WaitingEntity.class).setParameter("now", now)
                .setMaxResults(max).getResultStream().map(this::detached).toList();
    }

    /** The realm's current waits, oldest first (the console's list). */
    public List<WaitingRecovery> waiting(String realmId, int max) {
        return em().createNamedQuery("governedRecoveryWaitingInRealm", WaitingEntity.class)
                .setParameter("realmId", realmId).setMaxResults(max).getResultStream()
                .map(this::detached).toList();
    }

    /** Every wait under way, in every realm, oldest first (the background task's risk check). */
    public List<WaitingRecovery> waitingEverywhere(int max) {
        return em().createNamedQuery("governedRecoveryWaitingEverywhere", WaitingEntity.class).setMaxResults(max)
                .getResultStream().map(this::detached).toList();
    }

    /** Removes waits that ended more than {@value #KEEP_ENDED_MILLIS} ms ago. */
    public static void deleteOld(KeycloakSession session, long now) {
        session.getProvider(JpaConnectionProvider.class).getEntityManager()
                .createNamedQuery("governedRecoveryWaitingDeleteOld").setParameter("before", now - KEEP_ENDED_MILLIS)
                .executeUpdate();
    }

    /**
     * Every wait read is detached at once: the changes are bulk updates (compare and set), which a managed copy would
     * not see, so a later read in the same request would return the stale copy.
     */
    private WaitingRecovery detached(WaitingEntity entity) {
        em().detach(entity);
        return entity.toRecovery();
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
