package io.governedrecovery.events.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.pipeline.PipelineMetrics;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Takes committed events off the request thread: {@link #offer} only puts them in a bounded queue (a full queue
 * counts a drop and never blocks). One worker drains it in batches, enriches them and writes them to the outbox. If
 * the database is away, the batch is retried with back-off; what a crash loses here is recovered from Keycloak's own
 * event store by the {@link Reconciler}.
 */
public final class Intake implements Runnable {

    private static final Logger LOG = Logger.getLogger(Intake.class);
    private static final long IDLE_MILLIS = 50;

    private final BlockingQueue<RecoveryEvent> queue;
    private final int batchSize;
    private final KeycloakSessionFactory sessions;
    private final Outbox outbox;
    private final RecordCodec codec;
    private final Enricher enricher;
    private final PipelineMetrics metrics;
    private final long faultPauseMillis;
    private final io.governedrecovery.events.pipeline.FaultInjection faults;
    private volatile boolean running = true;

    public Intake(int capacity, int batchSize, KeycloakSessionFactory sessions, Outbox outbox, RecordCodec codec,
                  Enricher enricher, PipelineMetrics metrics, long faultPauseMillis,
                  io.governedrecovery.events.pipeline.FaultInjection faults) {
        this.faults = faults;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.sessions = sessions;
        this.outbox = outbox;
        this.codec = codec;
        this.enricher = enricher;
        this.metrics = metrics;
        this.faultPauseMillis = faultPauseMillis;
    }

    /** Hands a committed event to the worker; never blocks. */
    public void offer(RecoveryEvent event) {
        if (queue.offer(event)) {
            metrics.eventIn();
        } else {
            metrics.dropped();
        }
    }

    public int depth() {
        return queue.size();
    }

    /**
     * Takes a batch off the queue the way the worker does (wait for one, drain the rest) but does not write it: the
     * hand-off benchmark's stand-in for the worker.
     */
    public int drainForBenchmark() throws InterruptedException {
        List<RecoveryEvent> batch = new ArrayList<>(batchSize);
        int n = queue.drainTo(batch, batchSize);
        if (n == 0) {
            Thread.sleep(IDLE_MILLIS);
        }
        return n;
    }

    @Override
    public void run() {
        List<RecoveryEvent> batch = new ArrayList<>(batchSize);
        long backoff = 0;
        while (running || !queue.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    if (queue.drainTo(batch, batchSize) == 0) {
                        // Poll rather than wait on the queue: a waiting consumer would make every offer wake it,
                        // a system call on the request thread.
                        Thread.sleep(IDLE_MILLIS);
                        continue;
                    }
                    if (faultPauseMillis > 0) {
                        Thread.sleep(faultPauseMillis); // fault injection (tests only)
                    }
                }
                write(batch);
                batch.clear();
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                backoff = Math.min(30_000, backoff == 0 ? 500 : backoff * 2);
                LOG.warnf("Governed Recovery could not write %d events to the outbox (retrying in %d ms): %s",
                        batch.size(), backoff, e.toString());
                if (!running) {
                    break; // stopping: Keycloak's event store still has them for the reconciler
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    void write(List<RecoveryEvent> batch) {
        batch.removeIf(enricher::knownDrop);
        if (batch.isEmpty()) {
            return; // nothing left to write: no database round trip at all
        }
        batch.forEach(e -> faults.maybeFail("intake", e));
        List<OutboxRecord> records = KeycloakModelUtils.runJobInTransactionWithResult(sessions,
                s -> batch.stream().filter(e -> enricher.keep(s, e)).map(e -> codec.record(enricher.enrich(s, e)))
                        .toList());
        metrics.written(outbox.insertAbsent(records, faults.holdMillis(batch)));
    }

    public void stop() {
        running = false;
    }
}
