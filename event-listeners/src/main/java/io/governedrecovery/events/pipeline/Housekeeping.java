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
import io.governedrecovery.events.store.Baselines;
import io.governedrecovery.events.store.NoticeLedger;
import io.governedrecovery.events.store.Outbox;

/**
 * A node's periodic chores: refreshes every sink's backlog gauges from the database (pending and parked records, age
 * of the oldest pending one) and raises an alarm when a backlog ages; and once an hour by the pipeline clock applies
 * retention, which removes only records that every sink has delivered. A sink that is down keeps its whole backlog,
 * however long: an alarm says so, nothing is deleted.
 */
final class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);
    private static final long BACKLOG_EVERY_NANOS = 5_000_000_000L;
    private static final long RETENTION_EVERY_MILLIS = 3_600_000L;
    private static final int DELETE_CHUNK = 1000;
    private static final int DELETE_CHUNKS_PER_PASS = 100;

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
                retention(now);
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

    private void retention(long now) {
        Outbox.Retention done = outbox.deleteDelivered(now - retention.toMillis(), DELETE_CHUNK,
                DELETE_CHUNKS_PER_PASS);
        if (done.removed() > 0 || done.kept() > 0) {
            LOG.infof("Governed Recovery retention: removed %d records older than %d days; %d older records are "
                    + "kept until every sink delivered them", done.removed(), retention.toDays(), done.kept());
        }
        baselines.deleteBefore(AnomalyScorer.hourOf(now) - 24 * 9);
        KeycloakModelUtils.runJobInTransaction(sessions,
                s -> NoticeLedger.forgetBefore(s, now - Duration.ofDays(1).toMillis()));
    }
}
