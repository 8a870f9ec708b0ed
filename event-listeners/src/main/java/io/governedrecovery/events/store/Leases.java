package io.governedrecovery.events.store;

import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * The lease rows of {@code GOVERNED_RECOVERY_LEASE}: compare-and-set updates on owner, epoch and heartbeat, each in
 * its own short transaction. The policy (when to take over, when to give up) lives in the sink side's lease.
 */
public final class Leases {

    /** What a lease row says now. */
    public record State(String owner, long epoch, long heartbeat) {
    }

    private final KeycloakSessionFactory sessions;

    public Leases(KeycloakSessionFactory sessions) {
        this.sessions = sessions;
    }

    /** The lease's row, or null when nobody ever held it. */
    public State read(String name) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            LeaseEntity l = Outbox.em(s).find(LeaseEntity.class, name);
            return l == null ? null : new State(l.getOwner(), l.getEpoch(), l.getHeartbeat());
        });
    }

    /** Creates the lease for {@code owner} (epoch 1); false when another node created it first. */
    public boolean create(String name, String owner) {
        try {
            KeycloakModelUtils.runJobInTransaction(sessions, s -> {
                Outbox.em(s).persist(new LeaseEntity(name, owner));
                Outbox.em(s).flush();
            });
            return true;
        } catch (RuntimeException taken) {
            return false;
        }
    }

    /**
     * Takes the lease for {@code owner} if it is still as observed ({@code epoch}, {@code heartbeat}); the epoch grows
     * by one. Returns the new epoch, or -1 when someone else moved first.
     */
    public long take(String name, String owner, long epoch, long heartbeat) {
        int updated = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryLeaseTake").setParameter("owner", owner).setParameter("name", name)
                .setParameter("epoch", epoch).setParameter("heartbeat", heartbeat).executeUpdate());
        return updated == 1 ? epoch + 1 : -1;
    }

    /** Moves the heartbeat of a lease {@code owner} holds at {@code epoch}; false when it is no longer held. */
    public boolean renew(String name, String owner, long epoch) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryLeaseRenew").setParameter("name", name).setParameter("epoch", epoch)
                .setParameter("owner", owner).executeUpdate()) == 1;
    }

    /** Gives the lease up (a clean shutdown), so another node takes it at once instead of after a lease period. */
    public void release(String name, String owner, long epoch) {
        KeycloakModelUtils.runJobInTransaction(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryLeaseRelease").setParameter("name", name)
                .setParameter("epoch", epoch).setParameter("owner", owner).executeUpdate());
    }

    /**
     * Whether {@code epoch} is the lease's current, held epoch, locking the lease row for the rest of the transaction
     * so no takeover can slip in before the caller's acknowledgement commits.
     */
    static boolean holds(EntityManager em, String name, long epoch) {
        LeaseEntity l = em.find(LeaseEntity.class, name, LockModeType.PESSIMISTIC_WRITE);
        return l != null && l.getEpoch() == epoch && l.getOwner() != null;
    }
}
