package io.governedrecovery.events.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

/**
 * The shared outbox and sink state in Keycloak's database. Every call runs in its own short transaction on the
 * caller's (background) thread; none runs on a request thread.
 */
public final class Outbox {

    private final KeycloakSessionFactory sessions;
    private final io.governedrecovery.events.pipeline.PipelineClock clock;

    public Outbox(KeycloakSessionFactory sessions, io.governedrecovery.events.pipeline.PipelineClock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    /** Writes the records whose id is not stored yet; returns how many were new. Safe against concurrent writers. */
    public int insertAbsent(List<OutboxRecord> records) {
        return insertAbsent(records, 0);
    }

    /** The same, keeping the transaction open {@code holdMillis} before it commits (fault injection, tests only). */
    public int insertAbsent(List<OutboxRecord> records, long holdMillis) {
        if (records.isEmpty()) {
            return 0;
        }
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
                int added = insertAbsent(em(s), records);
                em(s).flush();
                io.governedrecovery.events.pipeline.FaultInjection.hold(holdMillis);
                return added;
            });
        } catch (RuntimeException race) {
            // Another node wrote one of these ids at the same moment: settle them one by one.
            int added = 0;
            for (OutboxRecord record : records) {
                try {
                    added += KeycloakModelUtils.runJobInTransactionWithResult(sessions,
                            s -> insertAbsent(em(s), List.of(record)));
                } catch (RuntimeException duplicate) {
                    // stored by the other node: nothing lost
                }
            }
            return added;
        }
    }

    private int insertAbsent(EntityManager em, List<OutboxRecord> records) {
        Map<String, OutboxRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(r.id(), r));
        Set<String> existing = new HashSet<>();
        List<String> ids = new ArrayList<>(byId.keySet());
        for (int i = 0; i < ids.size(); i += 500) {
            existing.addAll(em.createNamedQuery("governedRecoveryOutboxIds", String.class)
                    .setParameter("ids", ids.subList(i, Math.min(ids.size(), i + 500))).getResultList());
        }
        // Rows of one batch get distinct times, so readers can page by time without a page of equal times.
        long now = clock.millis();
        int added = 0;
        for (OutboxRecord record : byId.values()) {
            if (!existing.contains(record.id())) {
                em.persist(new OutboxEntity(record, now + added));
                added++;
            }
        }
        return added;
    }

    /**
     * Up to {@code max} rows written at or after {@code from} that {@code known} does not hold yet, oldest first. Pages
     * through rows already known (the overlap behind a watermark) instead of stopping at them.
     */
    public List<OutboxRecord> unseen(long from, java.util.function.Predicate<String> known, int max, int page) {
        ROWS_READ.get()[0] = 0;
        List<OutboxRecord> fresh = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        long cursor = from;
        while (fresh.size() < max) {
            List<OutboxRecord> rows = since(cursor, page);
            ROWS_READ.get()[0] += rows.size();
            for (OutboxRecord row : rows) {
                if (!known.test(row.id()) && taken.add(row.id())) {
                    fresh.add(row);
                    if (fresh.size() == max) {
                        break;
                    }
                }
            }
            if (rows.size() < page) {
                break;
            }
            long last = rows.get(rows.size() - 1).insertedAt();
            cursor = last > cursor ? last : cursor + 1;
        }
        return fresh;
    }

    private static final ThreadLocal<int[]> ROWS_READ = ThreadLocal.withInitial(() -> new int[1]);

    /** Rows the calling thread's last {@link #unseen} read from the database. */
    public int lastRowsRead() {
        return ROWS_READ.get()[0];
    }

    /** Rows written at or after {@code fromInsertedAt}, oldest first, at most {@code limit}. */
    public List<OutboxRecord> since(long fromInsertedAt, int limit) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryOutboxSince", OutboxEntity.class)
                .setParameter("from", fromInsertedAt).setMaxResults(limit).getResultList().stream()
                .map(OutboxEntity::toRecord).toList());
    }

    public int deleteOlderThan(long before) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryOutboxDeleteOlder").setParameter("before", before).executeUpdate());
    }

    /**
     * Takes or renews the lease of a sink for {@code owner}; returns the sink's watermark when this node may deliver
     * for it now, empty when another node holds the lease.
     */
    public Optional<Long> lease(String sink, String owner, long leaseMillis) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
                EntityManager em = em(s);
                long now = clock.millis();
                SinkStateEntity state = em.find(SinkStateEntity.class, sink, LockModeType.PESSIMISTIC_WRITE);
                if (state == null) {
                    em.persist(new SinkStateEntity(sink, 0, owner, now + leaseMillis));
                    return Optional.of(0L);
                }
                if (owner.equals(state.getOwner()) || state.getLeaseUntil() < now) {
                    state.setOwner(owner);
                    state.setLeaseUntil(now + leaseMillis);
                    return Optional.of(state.getWatermark());
                }
                return Optional.<Long>empty();
            });
        } catch (RuntimeException contended) {
            return Optional.empty(); // two nodes created the row at once: try again on the next round
        }
    }

    /** Moves a sink's watermark forward, if {@code owner} still holds its lease. */
    public void advance(String sink, String owner, long watermark) {
        KeycloakModelUtils.runJobInTransaction(sessions, s -> {
            SinkStateEntity state = em(s).find(SinkStateEntity.class, sink, LockModeType.PESSIMISTIC_WRITE);
            if (state != null && owner.equals(state.getOwner()) && watermark > state.getWatermark()) {
                state.setWatermark(watermark);
            }
        });
    }

    /** Stored records of a realm for the admin endpoint, newest first. Null filters match everything. */
    public List<OutboxRecord> search(String realmId, OutboxRecord.Kind kind, String userId, String ip, String rule,
                                     long from, long to, int limit) {
        StringBuilder jpql = new StringBuilder(
                "select o from OutboxEntity o where o.realmId = :realm and o.eventTime >= :from and o.eventTime <= :to");
        if (kind != null) {
            jpql.append(" and o.kind = :kind");
        }
        if (userId != null) {
            jpql.append(" and o.userId = :user");
        }
        if (ip != null) {
            jpql.append(" and o.ip = :ip");
        }
        if (rule != null) {
            jpql.append(" and o.rule = :rule");
        }
        jpql.append(" order by o.eventTime desc, o.id");
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            TypedQuery<OutboxEntity> query = em(s).createQuery(jpql.toString(), OutboxEntity.class)
                    .setParameter("realm", realmId).setParameter("from", from).setParameter("to", to);
            if (kind != null) {
                query.setParameter("kind", kind.name());
            }
            if (userId != null) {
                query.setParameter("user", userId);
            }
            if (ip != null) {
                query.setParameter("ip", ip);
            }
            if (rule != null) {
                query.setParameter("rule", rule);
            }
            return query.setMaxResults(limit).getResultList().stream().map(OutboxEntity::toRecord).toList();
        });
    }
}
