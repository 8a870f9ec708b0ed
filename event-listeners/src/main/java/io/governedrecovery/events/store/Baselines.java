package io.governedrecovery.events.store;

import java.util.List;
import java.util.Map;

import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import jakarta.persistence.EntityManager;

/** Hourly reset counts per department (see {@link BaselineEntity}), shared by every node. */
public final class Baselines {

    /** One department's resets in one hour (hour = epoch millis / 3,600,000). */
    public record Hour(long department, long hour, int resets) {
    }

    private final KeycloakSessionFactory sessions;

    public Baselines(KeycloakSessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Stores counts, keeping for each department and hour the larger of the stored and the given count. */
    public void raise(Map<List<Long>, Integer> counts) {
        if (counts.isEmpty()) {
            return;
        }
        KeycloakModelUtils.runJobInTransaction(sessions, s -> {
            EntityManager em = Outbox.em(s);
            counts.forEach((key, resets) -> {
                long department = key.get(0);
                long hour = key.get(1);
                BaselineEntity row = em.find(BaselineEntity.class, new BaselineEntity.Key(department, hour));
                if (row == null) {
                    em.persist(new BaselineEntity(department, hour, resets));
                } else {
                    em.createNamedQuery("governedRecoveryBaselineRaise").setParameter("resets", resets)
                            .setParameter("department", department).setParameter("hour", hour).executeUpdate();
                }
            });
        });
    }

    /** Counts of hours {@code from} (inclusive) to {@code to} (exclusive), by department, oldest hour first. */
    public List<Hour> between(long from, long to) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryBaselineSince", BaselineEntity.class).setParameter("from", from)
                .setParameter("to", to).getResultList().stream()
                .map(b -> new Hour(b.getDepartment(), b.getHour(), b.getResets())).toList());
    }

    public int deleteBefore(long hour) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> Outbox.em(s)
                .createNamedQuery("governedRecoveryBaselineDeleteOlder").setParameter("before", hour).executeUpdate());
    }
}
