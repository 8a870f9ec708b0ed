package io.governedrecovery.events.intake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.runtime.PipelineHooks;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Takes committed events off the request thread: {@link #offer} only puts them in a bounded queue (a full queue
 * counts a drop and never blocks). The worker drains it in batches, enriches them and writes them, with a pending
 * delivery per sink, to the outbox in one transaction. A batch that cannot be written stays in hand and is retried with
 * back-off for as long as the database is away: every failure is counted, the first is logged with its cause, and the
 * recovery is logged too. A batch that keeps failing while other writes succeed is split, so that one event the
 * database refuses (an unwritable value) cannot hold up the rest; such a lone event is given up only after ten tries
 * over at least ten minutes with other writes succeeding meanwhile: counted, with an error naming it and the cause.
 * Enrichment runs in a transaction of its own and never costs an event (see {@link Enricher}). What a crash loses from memory here is recovered
 * from Keycloak's own event store by the {@link Reconciler}.
 */
public final class Intake {

    private static final Logger LOG = Logger.getLogger(Intake.class);
    private static final long IDLE_MILLIS = 50;
    private static final int SPLIT_AFTER = 3;
    private static final int GIVE_UP_AFTER = 10;
    /** A lone event is given up only after it failed this long (other writes succeeding), not after a few seconds. */
    static final long GIVE_UP_MIN_NANOS = 10 * 60 * 1_000_000_000L;

    /** Writes a batch of events to the outbox (a seam for tests; the server's enriches and appends). */
    @FunctionalInterface
    interface Writer {
        void write(List<RecoveryEvent> events);
    }

    private final BlockingQueue<RecoveryEvent> queue;
    private final int batchSize;
    private final KeycloakSessionFactory sessions;
    private final Outbox outbox;
    private final RecordCodec codec;
    private final Enricher enricher;
    private final PipelineMetrics metrics;
    private final PipelineHooks hooks;
    private final Function<OutboxRecord, Collection<String>> sinksFor;
    private final Deque<Batch> inHand = new ArrayDeque<>();
    private final Writer writer;
    private final java.util.function.LongSupplier nanos;
    private long backoff;
    private long retryAt;
    private long failures;
    private long lastSuccess;
    private long givenUp;
    private volatile boolean running = true;

    /** Events drained but not written yet, with their failures. */
    private static final class Batch {
        final List<RecoveryEvent> events;
        int failures;
        long firstFailure;

        Batch(List<RecoveryEvent> events) {
            this.events = events;
        }
    }

    public Intake(int capacity, int batchSize, KeycloakSessionFactory sessions, Outbox outbox, RecordCodec codec,
                  Enricher enricher, PipelineMetrics metrics, PipelineHooks hooks,
                  Function<OutboxRecord, Collection<String>> sinksFor) {
        this(capacity, batchSize, sessions, outbox, codec, enricher, metrics, hooks, sinksFor,
                null, System::nanoTime);
    }

    Intake(int capacity, int batchSize, KeycloakSessionFactory sessions, Outbox outbox, RecordCodec codec,
           Enricher enricher, PipelineMetrics metrics, PipelineHooks hooks,
           Function<OutboxRecord, Collection<String>> sinksFor, Writer writer, java.util.function.LongSupplier nanos) {
        this.writer = writer != null ? writer : this::write;
        this.nanos = nanos;
        this.retryAt = nanos.getAsLong();
        this.lastSuccess = nanos.getAsLong();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.sessions = sessions;
        this.outbox = outbox;
        this.codec = codec;
        this.enricher = enricher;
        this.metrics = metrics;
        this.hooks = hooks;
        this.sinksFor = sinksFor;
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
        int held = 0;
        synchronized (this) {
            for (Batch b : inHand) {
                held += b.events.size();
            }
        }
        return queue.size() + held;
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

    /** The worker thread's loop: rounds until stopped and drained, pausing while idle or backing off. */
    public void loop(java.util.function.BooleanSupplier supervisedRound) {
        while (running || !queue.isEmpty() || !inHandEmpty()) {
            if (!supervisedRound.getAsBoolean()) {
                if (!running && nanos.getAsLong() - retryAt < 0) {
                    return; // stopping while the database is away: Keycloak's event store keeps the events
                }
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private synchronized boolean inHandEmpty() {
        return inHand.isEmpty();
    }

    /** One round: write the next batch in hand (or drained now). True when it wrote one and more may wait. */
    public synchronized boolean round() {
        if (nanos.getAsLong() - retryAt < 0) {
            return false;
        }
        // A batch that keeps failing lets newer events be tried too (a few batches at most): if they are written, the
        // database is up and the failing batch holds the problem.
        if (inHand.isEmpty() || inHand.peekFirst().failures >= SPLIT_AFTER && inHand.size() < 4) {
            // Poll rather than wait on the queue: a waiting consumer would make every offer wake it, a system call
            // on the request thread.
            List<RecoveryEvent> drained = new ArrayList<>(batchSize);
            if (queue.drainTo(drained, batchSize) > 0) {
                hooks.batchTaken();
                inHand.addLast(new Batch(drained));
                if (inHand.size() > 1) {
                    inHand.addFirst(inHand.pollLast());
                }
            }
        }
        if (inHand.isEmpty()) {
            return false;
        }
        Batch batch = inHand.peekFirst();
        try {
            writer.write(batch.events);
        } catch (RuntimeException e) {
            failed(batch, e);
            return false;
        }
        inHand.pollFirst();
        succeeded();
        return true;
    }

    private void write(List<RecoveryEvent> events) {
        events.forEach(e -> hooks.handling("intake", e));
        List<RecoveryEvent> kept = events.stream().filter(e -> !enricher.knownDrop(e)).toList();
        if (kept.isEmpty()) {
            return; // nothing left to write: no database round trip at all
        }
        List<RecoveryEvent> enriched = enrich(kept);
        if (enriched.isEmpty()) {
            return;
        }
        int added = KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> {
            List<OutboxRecord> records = enriched.stream().map(codec::record).toList();
            int written = outbox.append(s, records, sinksFor);
            hooks.beforeCommit(kept);
            return written;
        });
        metrics.written(added);
    }

    /**
     * Enriches the events in a transaction of its own, so that a lookup that fails (a user-storage directory away)
     * cannot fail or poison the write: such events are written as they came, marked (see {@link Enricher}).
     */
    private List<RecoveryEvent> enrich(List<RecoveryEvent> events) {
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(sessions, s -> events.stream()
                    .map(e -> enricher.keepAndEnrich(s, e)).filter(java.util.Objects::nonNull)
                    .map(Enricher.Enriched::event).toList());
        } catch (RuntimeException lookups) {
            return events.stream().map(e -> enricher.unenriched(e, lookups)).toList();
        }
    }

    private void succeeded() {
        lastSuccess = nanos.getAsLong();
        if (failures > 0) {
            LOG.infof("Governed Recovery writes to the outbox again after %d failed attempts; nothing was dropped",
                    failures);
        }
        failures = 0;
        backoff = 0;
    }

    private void failed(Batch batch, RuntimeException e) {
        metrics.writeFailed();
        failures++;
        long now = nanos.getAsLong();
        if (batch.failures++ == 0) {
            batch.firstFailure = now;
        }
        backoff = Math.min(30_000, backoff == 0 ? 500 : backoff * 2);
        retryAt = now + backoff * 1_000_000L;
        if (failures == 1) {
            LOG.warnf("Governed Recovery could not write %d events to the outbox, retrying with back-off (nothing is "
                    + "dropped): %s", batch.events.size(), causes(e));
        } else {
            LOG.debugf("Governed Recovery could not write %d events to the outbox (attempt %d): %s",
                    batch.events.size(), failures, causes(e));
        }
        boolean othersWrote = lastSuccess - batch.firstFailure > 0;
        if (batch.events.size() > 1 && batch.failures >= SPLIT_AFTER && othersWrote) {
            // Other writes succeed, this one does not: halve it, so the events that are not the problem get written.
            inHand.pollFirst();
            int half = batch.events.size() / 2;
            Batch first = new Batch(new ArrayList<>(batch.events.subList(0, half)));
            Batch second = new Batch(new ArrayList<>(batch.events.subList(half, batch.events.size())));
            first.firstFailure = second.firstFailure = batch.firstFailure;
            inHand.addLast(first);
            inHand.addLast(second);
        } else if (batch.events.size() == 1 && batch.failures >= GIVE_UP_AFTER && othersWrote
                && now - batch.firstFailure >= GIVE_UP_MIN_NANOS) {
            inHand.pollFirst();
            RecoveryEvent lost = batch.events.get(0);
            metrics.unwritable(1);
            givenUp++;
            LOG.errorf("Governed Recovery gives up writing event %s (%s of realm %s) to the outbox after %d attempts "
                    + "over %d minutes while other events were written: the database refuses this one (%s). It is "
                    + "counted in governed_recovery_events_unwritable_total; the reconciler writes it later from "
                    + "Keycloak's event store if the realm saves events and the database accepts it then.", lost.id(),
                    lost.type(), lost.realmId(), batch.failures, (now - batch.firstFailure) / 60_000_000_000L,
                    causes(e));
        } else if (inHand.size() > 1) {
            inHand.addLast(inHand.pollFirst()); // let the others go first
        }
    }

    static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && cause != cause.getCause() && depth < 5; depth++) {
            text.append(" / caused by ").append(cause);
            cause = cause.getCause();
        }
        return text.toString();
    }

    /** Lone events given up so far (also counted in {@code governed_recovery_events_unwritable_total}). */
    synchronized long givenUp() {
        return givenUp;
    }

    public void stop() {
        running = false;
    }
}
