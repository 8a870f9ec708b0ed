package io.governedrecovery.events.sink;

import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.runtime.PipelineHooks;
import io.governedrecovery.events.runtime.PipelineMetrics;
import io.governedrecovery.events.store.DeliveryStore;
import io.governedrecovery.events.store.LeaseStore;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Delivers one sink's pending records, at least once and in sequence order, on the node that holds the sink's lease.
 * Each round reads the oldest pending rows (no clock, no watermark: a record committed late is simply pending later),
 * sends a batch capped by count and bytes, and deletes the rows only after the receiver accepted them, in a transaction
 * that checks the lease epoch. A receiver that is away, or that refuses everything (a wrong secret or address), is
 * retried with back-off while the node runs (the latter with an alarm); a batch it refuses for what it holds is halved
 * until the refused record is alone, which is then parked after {@code dead-letter-after} refusals (kept and alarmed)
 * so that everything else is delivered. A transactional sink's failure for want of the database or a directory is
 * retried the same way and never counted against a record.
 */
public final class SinkRunner {

    private static final Logger LOG = Logger.getLogger(SinkRunner.class);
    private static final int MAX_BATCHES_PER_ROUND = 20;
    /** Bytes counted per record on top of its own for the sink's framing (commas, octet counts, RELP headers). */
    static final int FRAMING_BYTES = 32;

    private final EventSink sink;
    private final DeliveryStore outbox;
    private final PipelineMetrics metrics;
    private final SinkLease lease;
    private final int batchSize;
    private final int maxBytes;
    private final int parkAfter;
    private final long retryMaxMillis;
    private final PipelineHooks hooks;
    private final RecordCodec codec;
    private int narrowTo;
    private long failures;
    private long retryAt = System.nanoTime();
    private boolean warned;
    private boolean receiverAlarm;

    public SinkRunner(EventSink sink, DeliveryStore outbox, LeaseStore leases, PipelineMetrics metrics, String node,
                      long leaseMillis, int batchSize, int maxBytes, int parkAfter, long retryMaxMillis,
                      PipelineHooks hooks, RecordCodec codec) {
        this.sink = sink;
        this.outbox = outbox;
        this.metrics = metrics;
        this.lease = new SinkLease(sink.name(), node, leases, leaseMillis);
        this.batchSize = batchSize;
        this.maxBytes = maxBytes;
        this.parkAfter = parkAfter;
        this.retryMaxMillis = retryMaxMillis;
        this.hooks = hooks;
        this.codec = codec;
        this.narrowTo = batchSize;
    }

    public String name() {
        return sink.name();
    }

    public EventSink sink() {
        return sink;
    }

    /** 1 when this node holds the sink's lease now (a gauge). */
    public int leaseHeld() {
        return lease.held() ? 1 : 0;
    }

    /** Moves the lease's heartbeat; called every third of a lease period, also while a delivery runs. */
    public void renewLease() {
        lease.renew();
    }

    /** One round: up to a few batches while the lease is held. True when a full batch went out and more may wait. */
    public synchronized boolean round() {
        if (System.nanoTime() - retryAt < 0) {
            return false;
        }
        try {
            if (!lease.acquire()) {
                return false;
            }
            for (int i = 0; i < MAX_BATCHES_PER_ROUND; i++) {
                if (!lease.held() || !deliverOneBatch()) {
                    return false;
                }
            }
            return true;
        } catch (DeliveryException e) {
            failed(e);
            return false;
        } catch (RuntimeException e) {
            failed(DeliveryException.unavailable("the outbox could not be read or updated: " + e, e));
            return false;
        }
    }

    /** True when a batch went out and the next may follow at once. */
    private boolean deliverOneBatch() throws DeliveryException {
        List<DeliveryStore.Pending> pending = outbox.pending(sink.name(), batchSize);
        metrics.rowsRead(sink.name(), pending.size());
        if (pending.isEmpty()) {
            return false;
        }
        long epoch = lease.epoch();
        List<EventSink.Encoded> batch = new ArrayList<>();
        long bytes = 0;
        for (DeliveryStore.Pending p : pending) {
            if (batch.size() >= narrowTo) {
                break;
            }
            OutboxRecord record = p.record();
            if (hooks.watchesHandling() && record.kind() != OutboxRecord.Kind.FINDING) {
                hooks.handling(sink.name(), codec.event(record));
            }
            byte[] encoded;
            try {
                encoded = sink.encode(record);
            } catch (RuntimeException unreadable) {
                park(epoch, record, "unreadable record: " + unreadable, 1);
                continue;
            }
            if (!batch.isEmpty() && bytes + encoded.length + FRAMING_BYTES > maxBytes) {
                break;
            }
            batch.add(new EventSink.Encoded(record, encoded));
            bytes += encoded.length + FRAMING_BYTES;
        }
        if (batch.isEmpty()) {
            return true; // every record read was unreadable and is parked now
        }
        List<Long> seqs = batch.stream().map(e -> e.record().seq()).toList();
        boolean acknowledged;
        try {
            if (sink instanceof TransactionalSink transactional) {
                acknowledged = outbox.deliveredWith(sink.name(), epoch, seqs, s -> transactional.deliver(s, batch));
            } else {
                sink.deliver(batch);
                acknowledged = outbox.delivered(sink.name(), epoch, seqs);
            }
        } catch (DeliveryException e) {
            if (e.permanent()) {
                refused(epoch, batch, e);
                return false;
            }
            throw e;
        } catch (RuntimeException e) {
            if (sink instanceof TransactionalSink && !transientFailure(e)) {
                // The sink's own work failed inside the transaction, and not for want of the database or a
                // directory: the record, not the environment, is at fault.
                refused(epoch, batch, DeliveryException.refused(e.toString()));
                return false;
            }
            throw e; // retried with back-off, never counted against the records
        }
        if (!acknowledged) {
            LOG.infof("Governed Recovery sink '%s' lost its lease during a delivery; the new holder sends that batch "
                    + "again", sink.name());
            lease.lost();
            return false;
        }
        metrics.exported(sink.name(), batch.size());
        if (receiverAlarm) {
            receiverAlarm = false;
            metrics.receiverRefused(sink.name(), false);
        }
        if (warned) {
            LOG.infof("Governed Recovery sink '%s' delivers again after %d failed attempts", sink.name(), failures);
        }
        failures = 0;
        warned = false;
        narrowTo = Math.min(batchSize, narrowTo * 2);
        return batch.size() == pending.size() && pending.size() == batchSize;
    }

    /**
     * Whether a failure inside a transactional sink's work is the environment's (the database: a lock timeout, a
     * deadlock, a lost connection; a user-storage directory away; any I/O), retried with back-off and never counted
     * against a record, rather than the record's.
     */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof jakarta.persistence.PersistenceException
                    || t instanceof org.keycloak.models.ModelException || t instanceof javax.naming.NamingException
                    || t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.io.UncheckedIOException
                    || t.getClass().getName().startsWith("org.hibernate.")) {
                return true;
            }
        }
        return false;
    }

    /** The receiver refused the batch for good: narrow it down, or count the refusal against the lone record. */
    private void refused(long epoch, List<EventSink.Encoded> batch, DeliveryException e) {
        metrics.exportFailed(sink.name());
        if (!warned) {
            LOG.warnf("Governed Recovery sink '%s' refused records (%s): it gets smaller batches until the refused "
                    + "records are found and parked after %d refusals; everything else is delivered", sink.name(),
                    e.getMessage(), parkAfter);
            warned = true;
        }
        if (batch.size() > 1) {
            narrowTo = Math.max(1, batch.size() / 2);
            LOG.debugf("Governed Recovery sink '%s' refused a batch of %d (%s); trying %d at a time to find the "
                    + "refused records", sink.name(), batch.size(), e.getMessage(), narrowTo);
            return;
        }
        park(epoch, batch.get(0).record(), e.getMessage(), parkAfter);
        // The receiver answers, so it is up: try again soon (250 ms, doubling while refusals follow each other).
        failures++;
        retryAt = System.nanoTime() + Math.min(Math.min(30_000L, retryMaxMillis), 250L << Math.min(failures - 1, 7))
                * 1_000_000L;
    }

    private void park(long epoch, OutboxRecord record, String why, int after) {
        if (outbox.refused(sink.name(), epoch, record.seq(), why, after)) {
            LOG.errorf("Governed Recovery sink '%s' parked record %s (%s %s) after %d refusals: %s. It is kept; the "
                    + "records after it are delivered. Fix the cause, then set its DELIVERY_STATE back to PENDING in "
                    + "GOVERNED_RECOVERY_DELIVERY to send it again.", sink.name(), record.id(), record.kind(),
                    record.type(), after, why);
        } else {
            LOG.debugf("Governed Recovery sink '%s' could not deliver record %s: %s (it is tried again)", sink.name(),
                    record.id(), why);
        }
    }

    private void failed(DeliveryException e) {
        failures++;
        metrics.exportFailed(sink.name());
        long backoff = Math.min(retryMaxMillis, 500L << Math.min(failures, 7));
        retryAt = System.nanoTime() + backoff * 1_000_000L;
        if (e.receiverWide()) {
            metrics.receiverRefused(sink.name(), true);
            if (!receiverAlarm) {
                receiverAlarm = true;
                warned = true;
                LOG.errorf("Governed Recovery sink '%s' is refused by its receiver as a whole: %s. Nothing is parked "
                        + "or skipped: every record waits and is retried with back-off until the receiver accepts "
                        + "(governed_recovery_export_receiver_refusing is 1 meanwhile).", sink.name(), e.getMessage());
            }
            return;
        }
        if (!warned) {
            LOG.warnf("Governed Recovery sink '%s' failed, retrying with back-off (nothing is skipped): %s",
                    sink.name(), e.getMessage());
            warned = true;
        }
    }

    /** Releases the lease (a clean shutdown) and closes the sink. */
    public void close() {
        lease.release();
        sink.close();
    }
}
