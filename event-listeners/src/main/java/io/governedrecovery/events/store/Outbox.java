package io.governedrecovery.events.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.events.runtime.PipelineClock;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * The shared outbox in Keycloak's database: records (events and findings, numbered by the database) and, per sink, the
 * records it has not delivered yet. Every call without a session runs in its own short transaction on the caller's
 * background thread; none runs on a request thread.
 */
public final class Outbox implements DeliveryStore {

    private static final int IN_CHUNK = 500;

    private final KeycloakSessionFactory sessions;
    private final PipelineClock clock;

    public Outbox(KeycloakSessionFactory sessions, PipelineClock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public KeycloakSessionFactory sessions() {
        return sessions;
    }

    // --- writing ------------------------------------------------------------------------------------------------------

    /**
     * Writes, in the session's transaction, the records whose id is not stored yet, each with a pending delivery for
     * every sink {@code sinksFor} names. Returns how many records were new. A record another writer stores at the same
     * moment fails the transaction (unique id): the caller retries it, and the retry finds the record stored.
     */
    public int append(KeycloakSession session, List<OutboxRecord> records,
                      Function<OutboxRecord, Collection<String>> sinksFor) {
        if (records.isEmpty()) {
            return 0;
        }
        EntityManager em = em(session);
        Map<String, OutboxRecord> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.putIfAbsent(r.id(), r));
        Set<String> existing = new HashSet<>();
        for (List<String> ids : chunks(new ArrayList<>(byId.keySet()))) {
            existing.addAll(em.createNamedQuery("governedRecoveryRecordIds", String.class).setParameter("ids", ids)
                    .getResultList());
        }
        long now = clock.millis();
        int added = 0;
        for (OutboxRecord record : byId.values()) {
            if (existing.contains(record.id())) {
                continue;
            }
            RecordEntity entity = new RecordEntity(record, now);
            em.persist(entity); // the database assigns SEQ now (identity column)
            for (String sink : sinksFor.apply(record)) {
                em.persist(new DeliveryEntity(sink, entity.getSeq(), now));
            }
            added++;
        }
        em.flush();
        return added;
    }

    /**
     * {@link #append(KeycloakSession, List, Function)} in its own transaction. A conflict with a concurrent writer of
     * the same id is settled by one retry, and if the ids conflict again, record by record (a record that conflicts
     * then is stored already); any other failure is thrown to the caller, which retries with back-off: nothing is
     * swallowed.
     */
    public int append(List<OutboxRecord> records, Function<OutboxRecord, Collection<String>> sinksFor) {
        return appendSettlingConflicts(records, batch -> KeycloakModelUtils.runJobInTransactionWithResult(sessions,
                s -> append(s, batch, sinksFor)));
    }

    /**
     * How {@link #append(List, Function)} settles conflicts, given {@code inTransaction}: a transaction that stores the
     * records of a batch not stored yet and returns how many, or fails as a whole.
     */
    static int appendSettlingConflicts(List<OutboxRecord> records,
                                       ToIntFunction<List<OutboxRecord>> inTransaction) {
        if (records.isEmpty()) {
            return 0;
        }
        try {
            return inTransaction.applyAsInt(records);
        } catch (RuntimeException first) {
            // Most often another node stored one of these ids (a finding both nodes raised) a moment ago.
            try {
                return inTransaction.applyAsInt(records);
            } catch (RuntimeException second) {
                if (!duplicate(second)) {
                    second.addSuppressed(first);
                    throw second;
                }
                // Another writer keeps storing these ids as we go (the intake and a reconciler on a busy cluster):
                // record by record, a conflict means that record is stored already.
                int added = 0;
                for (OutboxRecord record : records) {
                    try {
                        added += inTransaction.applyAsInt(List.of(record));
                    } catch (RuntimeException conflict) {
                        if (!duplicate(conflict)) {
                            throw conflict;
                        }
                    }
                }
                return added;
            }
        }
    }

    /** {@code all} in consecutive pieces of at most {@value #IN_CHUNK}: the size an {@code in} list is kept to. */
    static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return chunks;
    }

    /** Whether {@code failure} is a unique-key conflict (Keycloak reports it as a ModelDuplicateException). */
    static boolean duplicate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ModelDuplicateException) {
                return true;
            }
        }
        return false;
    }

    // --- reading for the scorer ---------------------------------------------------------------------------------------

    /** Up to {@code limit} records with a sequence number above {@code after}, in sequence order. */
    public List<OutboxRecord> after(long after, int limit) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryRecordsAfter", RecordEntity.class).setParameter("after", after)
                .setMaxResults(limit).getResultList().stream().map(RecordEntity::toRecord).toList());
    }

    /** The records stored now inside the given sequence ranges (each {@code {from, to}}, inclusive). */
    public List<OutboxRecord> inRanges(List<long[]> ranges) {
        if (ranges.isEmpty()) {
            return List.of();
        }
        StringBuilder jpql = new StringBuilder("select r from RecordEntity r where ");
        for (int i = 0; i < ranges.size(); i++) {
            jpql.append(i == 0 ? "" : " or ").append("(r.seq >= :from").append(i).append(" and r.seq <= :to")
                    .append(i).append(')');
        }
        jpql.append(" order by r.seq");
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            TypedQuery<RecordEntity> query = em(s).createQuery(jpql.toString(), RecordEntity.class);
            for (int i = 0; i < ranges.size(); i++) {
                query.setParameter("from" + i, ranges.get(i)[0]).setParameter("to" + i, ranges.get(i)[1]);
            }
            return query.getResultList().stream().map(RecordEntity::toRecord).toList();
        });
    }

    /** The highest sequence number stored, 0 when the outbox is empty. */
    public long maxSeq() {
        Long max = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryRecordsMaxSeq", Long.class).getSingleResult());
        return max == null ? 0 : max;
    }

    /** The lowest sequence number of a record whose event time is {@code eventTime} or later, or -1 when none. */
    public long firstSeqSince(long eventTime) {
        Long min = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryRecordsFirstSince", Long.class).setParameter("from", eventTime)
                .getSingleResult());
        return min == null ? -1 : min;
    }

    /**
     * Records up to {@code upTo} (after {@code after}) that long rule windows need when a node starts: method changes
     * since {@code methodFrom}, and the kinds in {@code historyKinds} (sign-ins, reset starts: the account's subnet
     * history) since {@code historyFrom}. In sequence order, at most {@code limit}.
     */
    public List<OutboxRecord> replay(long after, long upTo, String methodKind, long methodFrom,
                                     Collection<String> historyKinds, long historyFrom, int limit) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryRecordsReplay", RecordEntity.class)
                .setParameter("after", after).setParameter("upTo", upTo).setParameter("methodKind", methodKind)
                .setParameter("methodFrom", methodFrom).setParameter("historyKinds", historyKinds)
                .setParameter("historyFrom", historyFrom).setMaxResults(limit).getResultList().stream()
                .map(RecordEntity::toRecord).toList());
    }

    // --- deliveries ---------------------------------------------------------------------------------------------------

    /**
     * The oldest {@code limit} records {@code sink} has still to deliver (parked ones excluded), in sequence order: the
     * sink's pending rows by their primary key, then their records by theirs (two index lookups, whatever the
     * planner's statistics say about a join).
     */
    @Override
    public List<Pending> pending(String sink, int limit) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            List<DeliveryEntity> rows = em(s).createNamedQuery("governedRecoveryPending", DeliveryEntity.class)
                    .setParameter("sink", sink).setMaxResults(limit).getResultList();
            if (rows.isEmpty()) {
                return List.of();
            }
            Map<Long, OutboxRecord> records = new java.util.HashMap<>();
            em(s).createNamedQuery("governedRecoveryRecordsBySeq", RecordEntity.class)
                    .setParameter("seqs", rows.stream().map(DeliveryEntity::getRecordSeq).toList()).getResultList()
                    .forEach(r -> records.put(r.getSeq(), r.toRecord()));
            List<Pending> pending = new ArrayList<>(rows.size());
            for (DeliveryEntity d : rows) {
                OutboxRecord record = records.get(d.getRecordSeq());
                if (record != null) { // a pending row always has its record (retention keeps it)
                    pending.add(new Pending(record, d.getAttempts()));
                }
            }
            return pending;
        });
    }

    /**
     * Marks records delivered (their pending rows go), in the session's transaction, if {@code epoch} is still the
     * sink's lease epoch: a node whose lease was taken over cannot acknowledge. False when refused.
     */
    private boolean delivered(KeycloakSession session, String sink, long epoch, Collection<Long> seqs) {
        EntityManager em = em(session);
        if (!Leases.holds(em, sink, epoch)) {
            return false;
        }
        for (List<Long> chunk : chunks(new ArrayList<>(seqs))) {
            em.createNamedQuery("governedRecoveryDelivered").setParameter("sink", sink).setParameter("seqs", chunk)
                    .executeUpdate();
        }
        return true;
    }

    /** {@link #delivered(KeycloakSession, String, long, Collection)} in its own transaction. */
    @Override
    public boolean delivered(String sink, long epoch, Collection<Long> seqs) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> delivered(s, sink, epoch, seqs));
    }

    @Override
    public boolean deliveredWith(String sink, long epoch, Collection<Long> seqs, Consumer<KeycloakSession> work) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            if (!delivered(s, sink, epoch, seqs)) {
                return false;
            }
            work.accept(s);
            return true;
        });
    }

    /**
     * Counts a permanent refusal of one record by {@code sink} (a 4xx, an unreadable row); after {@code parkAfter}
     * of them the record is parked. Returns true when it was parked now; nothing changes without the lease.
     */
    @Override
    public boolean refused(String sink, long epoch, long seq, String error, int parkAfter) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            EntityManager em = em(s);
            if (!Leases.holds(em, sink, epoch)) {
                return false;
            }
            DeliveryEntity d = em.find(DeliveryEntity.class, new DeliveryEntity.Key(sink, seq));
            if (d == null || !DeliveryEntity.PENDING.equals(d.getState())) {
                return false;
            }
            d.refused(error, parkAfter);
            return DeliveryEntity.PARKED.equals(d.getState());
        });
    }

    /** Where one sink's deliveries stand. */
    public record Backlog(String sink, long pending, long parked, long oldestPendingAt) {
    }

    /** Pending and parked records per sink, and when the oldest pending one was written. */
    public Map<String, Backlog> backlog() {
        return backlogOf(KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryBacklog", Object[].class).getResultList()));
    }

    /** Folds the backlog query's rows (sink, state, count, oldest pending write time) into one entry per sink. */
    static Map<String, Backlog> backlogOf(List<Object[]> rows) {
        Map<String, Backlog> bySink = new LinkedHashMap<>();
        for (Object[] row : rows) {
            String sink = (String) row[0];
            String state = (String) row[1];
            long count = ((Number) row[2]).longValue();
            long oldest = row[3] == null ? 0 : ((Number) row[3]).longValue();
            Backlog b = bySink.getOrDefault(sink, new Backlog(sink, 0, 0, 0));
            bySink.put(sink, DeliveryEntity.PENDING.equals(state) ? new Backlog(sink, count, b.parked(), oldest)
                    : new Backlog(sink, b.pending(), b.parked() + count, b.oldestPendingAt()));
        }
        return bySink;
    }

    // --- retention ----------------------------------------------------------------------------------------------------

    /**
     * Removes up to {@code chunk} records whose event is older than {@code before} and that no sink has still to
     * deliver (pending or parked), in one transaction; returns how many.
     */
    public int deleteDeliveredChunk(long before, int chunk) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            List<Long> seqs = em(s).createNamedQuery("governedRecoveryRecordsExpired", Long.class)
                    .setParameter("before", before).setMaxResults(chunk).getResultList();
            return seqs.isEmpty() ? 0 : em(s).createNamedQuery("governedRecoveryRecordsDelete")
                    .setParameter("seqs", seqs).executeUpdate();
        });
    }

    /** Records whose event is older than {@code before} that are still stored (a sink has still to deliver them). */
    public long expiredKept(long before) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryRecordsExpiredKept", Long.class).setParameter("before", before)
                .getSingleResult());
    }

    // --- admin endpoint -----------------------------------------------------------------------------------------------

    /**
     * Per hour (epoch milliseconds of its start) of {@code [from, to)}: how many records of a realm are of each
     * signal kind in {@code kinds}, in that order, and how many are findings (the last count); hours without any are
     * left out. Reads the records' kind, signal kind and time only.
     */
    public java.util.SortedMap<Long, int[]> activity(String realmId, long from, long to, List<String> kinds) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            java.util.SortedMap<Long, int[]> hours = new java.util.TreeMap<>();
            em(s).createQuery("select r.kind, r.signalKind, r.eventTime from RecordEntity r where r.realmId = :realm "
                            + "and r.eventTime >= :from and r.eventTime < :to and (r.kind = :finding "
                            + "or r.signalKind in :kinds)", Object[].class)
                    .setParameter("realm", realmId).setParameter("from", from).setParameter("to", to)
                    .setParameter("finding", OutboxRecord.Kind.FINDING.name()).setParameter("kinds", kinds)
                    .getResultStream().forEach(row -> {
                        int column = OutboxRecord.Kind.FINDING.name().equals(row[0]) ? kinds.size()
                                : kinds.indexOf((String) row[1]);
                        if (column >= 0) {
                            long time = ((Number) row[2]).longValue();
                            hours.computeIfAbsent(time - Math.floorMod(time, 3_600_000L),
                                    h -> new int[kinds.size() + 1])[column]++;
                        }
                    });
            return hours;
        });
    }

    /** The stored record {@code id} of a realm, if any (its unique index finds it). */
    public java.util.Optional<OutboxRecord> find(String realmId, String id) {
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> em(s)
                .createNamedQuery("governedRecoveryRecordById", RecordEntity.class).setParameter("id", id)
                .setParameter("realm", realmId).getResultStream().findFirst().map(RecordEntity::toRecord));
    }

    /** Stored records of a realm for the admin endpoint, newest first. Null filters match everything. */
    public List<OutboxRecord> search(String realmId, OutboxRecord.Kind kind, String userId, String ip, String rule,
                                     long from, long to, int limit) {
        return search(realmId, kind, userId, ip, rule, null, from, to, limit);
    }

    /**
     * The same, of the event types {@code types} only (null: any type; the limit counts only records of those types,
     * so other events, however many, never push them out).
     */
    public List<OutboxRecord> search(String realmId, OutboxRecord.Kind kind, String userId, String ip, String rule,
                                     Collection<String> types, long from, long to, int limit) {
        if (types != null && types.isEmpty()) {
            return List.of();
        }
        StringBuilder jpql = new StringBuilder(
                "select r from RecordEntity r where r.realmId = :realm and r.eventTime >= :from and r.eventTime <= :to");
        if (kind != null) {
            jpql.append(" and r.kind = :kind");
        }
        if (userId != null) {
            jpql.append(" and r.userId = :user");
        }
        if (ip != null) {
            jpql.append(" and r.ip = :ip");
        }
        if (rule != null) {
            jpql.append(" and r.rule = :rule");
        }
        if (types != null) {
            jpql.append(" and r.type in :types");
        }
        jpql.append(" order by r.eventTime desc, r.seq desc");
        return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            TypedQuery<RecordEntity> query = em(s).createQuery(jpql.toString(), RecordEntity.class)
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
            if (types != null) {
                query.setParameter("types", List.copyOf(types));
            }
            return query.setMaxResults(limit).getResultList().stream().map(RecordEntity::toRecord).toList();
        });
    }
}
