package io.governedrecovery.events.export;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.governedrecovery.events.pipeline.PipelineMetrics;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.Outbox;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Delivers the outbox to one sink, at least once and in order. One node at a time holds the sink's lease; it reads
 * past the sink's durable watermark (minus an overlap for late commits), delivers a batch, and only then moves the
 * watermark. A failed batch is retried with exponential back-off up to a minute; nothing is skipped, so an outage
 * only delays delivery. After a restart or a lease change the overlap may be delivered twice: consumers de-duplicate
 * on the record id.
 */
public final class SinkRunner implements Runnable {

    private static final Logger LOG = Logger.getLogger(SinkRunner.class);
    private static final int MAX_BATCHES_PER_RUN = 20;

    private final EventSink sink;
    private final Outbox outbox;
    private final PipelineMetrics metrics;
    private final String node;
    private final long leaseMillis;
    private final long overlapMillis;
    private final int batchSize;
    private final Map<String, Long> delivered = new LinkedHashMap<>();
    private long failures;
    private long retryAt;
    private boolean warned;
    private final io.governedrecovery.events.pipeline.FaultInjection faults;
    private final RecordCodec codec;

    public SinkRunner(EventSink sink, Outbox outbox, PipelineMetrics metrics, String node, long leaseMillis,
                      long overlapMillis, int batchSize, io.governedrecovery.events.pipeline.FaultInjection faults,
                      RecordCodec codec) {
        this.faults = faults;
        this.codec = codec;
        this.sink = sink;
        this.outbox = outbox;
        this.metrics = metrics;
        this.node = node;
        this.leaseMillis = leaseMillis;
        this.overlapMillis = overlapMillis;
        this.batchSize = batchSize;
        metrics.sink(sink.name());
    }

    @Override
    public synchronized void run() {
        for (int round = 0; round < MAX_BATCHES_PER_RUN; round++) {
            if (!deliverOneBatch()) {
                return;
            }
        }
    }

    /** Delivers the next batch; true when a full batch went out and more may be waiting. */
    private boolean deliverOneBatch() {
        if (System.currentTimeMillis() < retryAt) {
            return false;
        }
        try {
            Optional<Long> watermark = outbox.lease(sink.name(), node, leaseMillis);
            if (watermark.isEmpty()) {
                delivered.clear(); // another node delivers now; our memory of what we sent is stale
                return false;
            }
            long from = Math.max(0, watermark.get() - overlapMillis);
            List<OutboxRecord> batch = outbox.unseen(from, delivered::containsKey, batchSize, batchSize * 5);
            metrics.rowsRead(sink.name(), outbox.lastRowsRead());
            if (batch.isEmpty()) {
                return false;
            }
            if (faults.wantsErrors()) {
                batch.stream().filter(r -> r.kind() != OutboxRecord.Kind.FINDING)
                        .forEach(r -> faults.maybeFail(sink.name(), codec.event(r)));
            }
            sink.deliver(batch);
            long newest = batch.stream().mapToLong(OutboxRecord::insertedAt).max().orElse(watermark.get());
            batch.forEach(r -> delivered.put(r.id(), r.insertedAt()));
            outbox.advance(sink.name(), node, newest);
            delivered.values().removeIf(at -> at < newest - overlapMillis);
            metrics.exported(sink.name(), batch.size(), newest);
            if (warned) {
                LOG.infof("Governed Recovery sink '%s' delivers again after %d failed attempts", sink.name(), failures);
            }
            failures = 0;
            warned = false;
            return batch.size() == batchSize;
        } catch (IOException | RuntimeException e) {
            failures++;
            metrics.exportFailed(sink.name());
            long backoff = Math.min(60_000, 500L << Math.min(failures, 7));
            retryAt = System.currentTimeMillis() + backoff;
            if (!warned) {
                LOG.warnf("Governed Recovery sink '%s' failed, retrying with back-off (nothing is skipped): %s",
                        sink.name(), e.toString());
                warned = true;
            }
            return false;
        }
    }

    public String name() {
        return sink.name();
    }

    public void close() {
        sink.close();
    }
}
