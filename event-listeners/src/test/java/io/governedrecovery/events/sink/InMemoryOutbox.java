package io.governedrecovery.events.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.keycloak.models.KeycloakSession;

import io.governedrecovery.events.store.DeliveryStore;
import io.governedrecovery.events.store.LeaseStore;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * The outbox's deliveries and leases of one sink in memory, with the same epoch checks as the database's: what a
 * {@link SinkRunner} reads, acknowledges, refuses and parks, for unit tests.
 */
final class InMemoryOutbox implements DeliveryStore, LeaseStore {

    /** A delivery row: pending or parked, with its refusals. */
    static final class Row {
        final OutboxRecord record;
        int attempts;
        boolean parked;
        String error;

        Row(OutboxRecord record) {
            this.record = record;
        }
    }

    final TreeMap<Long, Row> rows = new TreeMap<>();
    final List<Long> acknowledged = new ArrayList<>();
    private final Map<String, State> leases = new HashMap<>();
    private long nextSeq = 1;
    /** Set to make every call fail as a database that is away would. */
    volatile RuntimeException down;

    OutboxRecord add(String id) {
        long seq = nextSeq++;
        OutboxRecord record = new OutboxRecord(id, OutboxRecord.Kind.USER, "realm", "LOGIN_ERROR", seq, "u", "10.0.0.1",
                null, null, "{\"id\":\"" + id + "\"}", seq, seq);
        rows.put(seq, new Row(record));
        return record;
    }

    List<String> pendingIds() {
        return rows.values().stream().filter(r -> !r.parked).map(r -> r.record.id()).toList();
    }

    List<String> parkedIds() {
        return rows.values().stream().filter(r -> r.parked).map(r -> r.record.id()).toList();
    }

    /** Another node takes the lease over (as after a takeover). */
    synchronized void takenOverBy(String node) {
        String name = leases.keySet().iterator().next();
        State s = leases.get(name);
        leases.put(name, new State(node, s.epoch() + 1, s.heartbeat() + 1));
    }

    private void check() {
        if (down != null) {
            throw down;
        }
    }

    private boolean holds(String sink, long epoch) {
        State s = leases.get(sink);
        return s != null && s.owner() != null && s.epoch() == epoch;
    }

    @Override
    public synchronized List<Pending> pending(String sink, int limit) {
        check();
        return rows.values().stream().filter(r -> !r.parked).limit(limit)
                .map(r -> new Pending(r.record, r.attempts)).toList();
    }

    @Override
    public synchronized boolean delivered(String sink, long epoch, Collection<Long> seqs) {
        check();
        if (!holds(sink, epoch)) {
            return false;
        }
        seqs.forEach(rows::remove);
        acknowledged.addAll(seqs);
        return true;
    }

    @Override
    public synchronized boolean deliveredWith(String sink, long epoch, Collection<Long> seqs,
                                              Consumer<KeycloakSession> work) {
        check();
        if (!holds(sink, epoch)) {
            return false;
        }
        work.accept(null); // throws: nothing is acknowledged, as a rolled-back transaction
        seqs.forEach(rows::remove);
        acknowledged.addAll(seqs);
        return true;
    }

    @Override
    public synchronized boolean refused(String sink, long epoch, long seq, String error, int parkAfter) {
        check();
        Row row = rows.get(seq);
        if (!holds(sink, epoch) || row == null || row.parked) {
            return false;
        }
        row.attempts++;
        row.error = error;
        row.parked = row.attempts >= parkAfter;
        return row.parked;
    }

    @Override
    public synchronized State read(String name) {
        check();
        return leases.get(name);
    }

    @Override
    public synchronized boolean create(String name, String owner) {
        check();
        return leases.putIfAbsent(name, new State(owner, 1, 0)) == null;
    }

    @Override
    public synchronized long take(String name, String owner, long epoch, long heartbeat) {
        check();
        State s = leases.get(name);
        if (s == null || s.epoch() != epoch || s.heartbeat() != heartbeat) {
            return -1;
        }
        leases.put(name, new State(owner, epoch + 1, heartbeat + 1));
        return epoch + 1;
    }

    @Override
    public synchronized boolean renew(String name, String owner, long epoch) {
        check();
        State s = leases.get(name);
        if (s == null || !owner.equals(s.owner()) || s.epoch() != epoch) {
            return false;
        }
        leases.put(name, new State(owner, epoch, s.heartbeat() + 1));
        return true;
    }

    @Override
    public synchronized void release(String name, String owner, long epoch) {
        State s = leases.get(name);
        if (s != null && owner.equals(s.owner()) && s.epoch() == epoch) {
            leases.put(name, new State(null, epoch, s.heartbeat()));
        }
    }
}
