package io.governedrecovery.events.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.core.risk.AnomalyScorer;
import io.governedrecovery.events.runtime.PipelineClock;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.store.Baselines;
import io.governedrecovery.events.store.NoticeLedger;
import io.governedrecovery.events.store.Outbox;

/**
 * A node's periodic chores: refreshes every sink's backlog gauges from the database (pending and parked records, age
 * of the oldest pending one) and raises an alarm when a backlog ages, or when records wait for a sink this node's
 * configuration does not have; and once an hour by the pipeline clock applies retention, which removes records whose
 * event is older than {@code retention-days} and that every sink has delivered, chunk after chunk until none is left
 * or its time budget is spent (then again within seconds). A sink that is down keeps its whole backlog, however long:
 * an alarm says so, nothing is deleted.
 */
final class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final long BACKLOG_EVERY_NANOS = 5_000_000_000L;
    private static final long RETENTION_EVERY_MILLIS = 3_600_000L;
    /** A retention pass that found more to delete runs again this soon (not in an hour). */
    private static final long RETENTION_AGAIN_MILLIS = 10_000L;
    static final int DELETE_CHUNK = 1000;
    /** How long one retention pass deletes before it yields (housekeeping's other chores wait meanwhile). */
    static final long RETENTION_BUDGET_NANOS = 20_000_000_000L;

    /** Deletes one chunk of expired, delivered records; returns how many (a seam for tests). */
    @FunctionalInterface
    interface ChunkDeleter {
        int delete(int chunk);
    }

    /** What a retention pass did. */
    record Pass(long removed, boolean done) {
    }

    private final KeycloakSessionFactory sessions;
    private final Outbox outbox;
    private final Baselines baselines;
    private final PipelineMetrics metrics;
    private final PipelineClock clock;
    private final Collection<String> sinks;
    private final Duration retention;
    private final Duration alarmAfter;
    private final Set<String> alarmed = new HashSet<>();
    private long backlogCheckedAt = System.nanoTime() - BACKLOG_EVERY_NANOS;
    private long nextRetentionAt;
    private boolean failing;

    Housekeeping(KeycloakSessionFactory sessions, Outbox outbox, Baselines baselines, PipelineMetrics metrics,
                 PipelineClock clock, Collection<String> sinks, Duration retention, Duration alarmAfter) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.baselines = baselines;
        this.metrics = metrics;
        this.clock = clock;
        this.sinks = sinks;
        this.retention = retention;
        this.alarmAfter = alarmAfter;
        this.nextRetentionAt = clock.millis() + 60_000;
    }

    /** One round; true never (nothing waits for more right away). */
    synchronized boolean round() {
        try {
            long nanos = System.nanoTime();
            if (nanos - backlogCheckedAt >= BACKLOG_EVERY_NANOS) {
                backlogCheckedAt = nanos;
                backlog();
            }
            long now = clock.millis();
            if (now >= nextRetentionAt) {
                nextRetentionAt = now + RETENTION_EVERY_MILLIS;
                if (!retention(now)) {
                    nextRetentionAt = now + RETENTION_AGAIN_MILLIS; // more to delete: carry on soon
                }
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("Governed Recovery housekeeping could not reach the outbox (trying again): %s", e.toString());
                failing = true;
            }
        }
        return false;
    }

    private void backlog() {
        Map<String, Outbox.Backlog> bySink = outbox.backlog();
        long now = clock.millis();
        for (Outbox.Backlog b : orphaned(bySink, sinks)) {
            metrics.orphaned(b.sink(), b.pending() + b.parked());
            if (alarmed.add(b.sink() + "/orphaned")) {
                LOG.warnf("Governed Recovery holds %d pending and %d parked records for sink '%s', which this node's "
                        + "configuration does not have: they are kept. Configure the sink again on every node to "
                        + "deliver them, or drop them: DELETE FROM GOVERNED_RECOVERY_DELIVERY WHERE SINK_NAME = '%s'",
                        b.pending(), b.parked(), b.sink(), b.sink());
            }
        }
        for (String known : new java.util.ArrayList<>(alarmed)) {
            if (known.endsWith("/orphaned")) {
                String sink = known.substring(0, known.length() - "/orphaned".length());
                if (!bySink.containsKey(sink)) {
                    alarmed.remove(known);
                    metrics.orphaned(sink, 0);
                }
            }
        }
        for (String sink : sinks) {
            Outbox.Backlog b = bySink.getOrDefault(sink, new Outbox.Backlog(sink, 0, 0, 0));
            metrics.backlog(sink, b.pending(), b.parked(), b.oldestPendingAt());
            boolean aged = b.pending() > 0 && now - b.oldestPendingAt() > alarmAfter.toMillis();
            if (aged && alarmed.add(sink)) {
                LOG.warnf("Governed Recovery sink '%s' has undelivered records older than %d minutes: %d pending, the "
                        + "oldest written %s. They are kept until the sink delivers them; check the receiver.", sink,
                        alarmAfter.toMinutes(), b.pending(), Instant.ofEpochMilli(b.oldestPendingAt()));
            } else if (!aged && alarmed.remove(sink)) {
                LOG.infof("Governed Recovery sink '%s' has caught up with its backlog", sink);
            }
            if (b.parked() > 0 && alarmed.add(sink + "/parked")) {
                LOG.errorf("Governed Recovery sink '%s' holds %d parked records it refused too often (see the log "
                        + "lines about them); they are kept in GOVERNED_RECOVERY_DELIVERY", sink, b.parked());
            } else if (b.parked() == 0) {
                alarmed.remove(sink + "/parked");
            }
        }
    }

    /** Backlogs of sinks the configuration does not have (removed from it, or configured on another node only). */
    static java.util.List<Outbox.Backlog> orphaned(Map<String, Outbox.Backlog> bySink, Collection<String> sinks) {
        return bySink.values().stream().filter(b -> !sinks.contains(b.sink()) && b.pending() + b.parked() > 0)
                .toList();
    }

    /** One retention pass; true when nothing expired is left to delete. */
    private boolean retention(long now) {
        long before = now - retention.toMillis();
        Pass pass = deleteInChunks(chunk -> outbox.deleteDeliveredChunk(before, chunk), DELETE_CHUNK,
                System::nanoTime, RETENTION_BUDGET_NANOS);
        long kept = outbox.expiredKept(before);
        if (pass.removed() > 0 || kept > 0) {
            LOG.infof("Governed Recovery retention: removed %d records whose event is older than %d days%s; %d older "
                    + "records are kept until every sink delivered them", pass.removed(), retention.toDays(),
                    pass.done() ? "" : " (more to remove: the next pass follows in seconds)", kept);
        }
        if (pass.done()) {
            baselines.deleteBefore(AnomalyScorer.hourOf(now) - 24 * 9);
            KeycloakModelUtils.runJobInTransaction(sessions,
                    s -> NoticeLedger.forgetBefore(s, now - Duration.ofDays(1).toMillis()));
        }
        return pass.done();
    }

    /**
     * Deletes chunk after chunk, each in its own short transaction, until a chunk comes back short (nothing left) or
     * the time budget is spent (measured on the monotonic clock).
     */
    static Pass deleteInChunks(ChunkDeleter deleter, int chunk, java.util.function.LongSupplier nanos,
                               long budgetNanos) {
        long start = nanos.getAsLong();
        long removed = 0;
        while (true) {
            int deleted = deleter.delete(chunk);
            removed += deleted;
            if (deleted < chunk) {
                return new Pass(removed, true);
            }
            if (nanos.getAsLong() - start >= budgetNanos) {
                return new Pass(removed, false);
            }
        }
    }
}
