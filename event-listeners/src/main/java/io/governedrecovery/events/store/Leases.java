package io.governedrecovery.events.store;

import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * The lease rows of {@code GOVERNED_RECOVERY_LEASE}, each update in its own short transaction.
 */
public final class Leases implements LeaseStore {

    private final KeycloakSessionFactory sessions;

    public Leases(KeycloakSessionFactory sessions) {
        this.sessions = sessions;
    }

    @Override
    public State read(String name) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            LeaseEntity l = Outbox.em(s).find(LeaseEntity.class, name);
            return l == null ? null : new State(l.getOwner(), l.getEpoch(), l.getHeartbeat());
        });
    }

    @Override
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

    @Override
    public long take(String name, String owner, long epoch, long heartbeat) {
        int updated = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryLeaseTake").setParameter("owner", owner).setParameter("name", name)
                .setParameter("epoch", epoch).setParameter("heartbeat", heartbeat).executeUpdate());
        return updated == 1 ? epoch + 1 : -1;
    }

    @Override
    public boolean renew(String name, String owner, long epoch) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryLeaseRenew").setParameter("name", name).setParameter("epoch", epoch)
                .setParameter("owner", owner).executeUpdate()) == 1;
    }

    @Override
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
