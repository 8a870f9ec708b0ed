package io.governedrecovery.events.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/**
 * The pipeline's meters in Keycloak's Micrometer registry (on {@code /metrics} of the management port with
 * {@code --metrics-enabled=true}): names {@code governed_recovery_*}, tags only {@code rule} and {@code sink}, never
 * a user or an address.
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final Counter eventsIn;
    private final Counter dropped;
    private final Counter outboxWritten;
    private final Map<String, Counter> rowsRead = new ConcurrentHashMap<>();
    private final Map<String, Counter> findings = new ConcurrentHashMap<>();
    private final Map<String, Counter> exported = new ConcurrentHashMap<>();
    private final Map<String, Counter> exportFailures = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastExportedAt = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry, Supplier<Number> queueDepth) {
        this.registry = registry;
        eventsIn = Counter.builder("governed.recovery.events.in")
                .description("Committed events handed to the recovery pipeline").register(registry);
        dropped = Counter.builder("governed.recovery.events.dropped")
                .description("Events not queued because the intake queue was full").register(registry);
        outboxWritten = Counter.builder("governed.recovery.outbox.written")
                .description("Events and findings written to the outbox").register(registry);
        Gauge.builder("governed.recovery.queue.depth", queueDepth).description("Events waiting for the outbox")
                .register(registry);
    }

    /**
     * Registers the scorer's memory gauges: keys it tracks and keys it evicted to make room for new ones (raise
     * 'max-keys-per-table' if that grows fast). Read from the metrics thread; a slightly stale value is fine.
     */
    public void scorer(Supplier<Number> trackedKeys, Supplier<Number> evictedKeys) {
        Gauge.builder("governed.recovery.scorer.keys", trackedKeys)
                .description("Accounts and addresses the anomaly scorer tracks in its windows").register(registry);
        Gauge.builder("governed.recovery.scorer.evicted.keys", evictedKeys)
                .description("Least recently used keys the scorer evicted to make room for new ones").register(registry);
    }

    public static PipelineMetrics global(Supplier<Number> queueDepth) {
        return new PipelineMetrics(Metrics.globalRegistry, queueDepth);
    }

    public void eventIn() {
        eventsIn.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void written(int rows) {
        outboxWritten.increment(rows);
    }

    public void finding(String rule) {
        findings.computeIfAbsent(rule, r -> Counter.builder("governed.recovery.findings").tag("rule", r)
                .description("Findings raised, by rule").register(registry)).increment();
    }

    public void exported(String sink, int records, long newestInsertedAt) {
        exported.computeIfAbsent(sink, s -> Counter.builder("governed.recovery.exported").tag("sink", s)
                .description("Records delivered, by sink").register(registry)).increment(records);
        lag(sink).set(newestInsertedAt);
    }

    public void exportFailed(String sink) {
        exportFailures.computeIfAbsent(sink, s -> Counter.builder("governed.recovery.export.failures").tag("sink", s)
                .description("Failed delivery attempts, by sink").register(registry)).increment();
    }

    /** Registers the lag gauge of a sink: seconds between now and the newest record it delivered. */
    public void sink(String sink) {
        lag(sink);
    }

    private AtomicLong lag(String sink) {
        return lastExportedAt.computeIfAbsent(sink, s -> {
            AtomicLong at = new AtomicLong(System.currentTimeMillis());
            Gauge.builder("governed.recovery.export.lag.seconds", at,
                            a -> (System.currentTimeMillis() - a.get()) / 1000.0)
                    .tag("sink", s).description("Age of the newest record a sink delivered").register(registry);
            return at;
        });
    }

    /** Counts outbox rows a worker read from the database (the cost of polling). */
    public void rowsRead(String worker, int rows) {
        if (rows > 0) {
            rowsRead.computeIfAbsent(worker, w -> Counter.builder("governed.recovery.rows.read").tag("worker", w)
                    .description("Outbox rows read from the database, by worker").register(registry)).increment(rows);
        }
    }

    public double count(String name) {
        Counter c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }
}
