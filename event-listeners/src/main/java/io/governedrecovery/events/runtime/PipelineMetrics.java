package io.governedrecovery.events.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * The pipeline's meters in Keycloak's Micrometer registry (on {@code /metrics} of the management port with
 * {@code --metrics-enabled=true}): names {@code governed_recovery_*}, tags only {@code rule}, {@code sink} and
 * {@code worker} (names of our own rules, sinks and workers), never a user or an address.
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final Counter eventsIn;
    private final Counter dropped;
    private final Counter unwritable;
    private final Counter unenriched;
    private final Counter outboxWritten;
    private final Counter writeFailures;
    private final Counter scored;
    private final Counter replayed;
    private final Counter reconcilerCapped;
    private final Counter scorerPaused;
    private final Counter scorerSkipped;
    private final Map<String, Counter> rowsRead = new ConcurrentHashMap<>();
    private final Map<String, Counter> findings = new ConcurrentHashMap<>();
    private final Map<String, Counter> exported = new ConcurrentHashMap<>();
    private final Map<String, Counter> exportFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> receiverRefusals = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusingReceivers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> orphaned = new ConcurrentHashMap<>();
    private final Map<String, Counter> restarts = new ConcurrentHashMap<>();
    private final Map<String, Timer> rounds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> backlog = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> parked = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> oldestPending = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry, Supplier<Number> queueDepth) {
        this.registry = registry;
        eventsIn = Counter.builder("governed.recovery.events.in")
                .description("Committed events handed to the recovery pipeline").register(registry);
        dropped = Counter.builder("governed.recovery.events.dropped")
                .description("Events not queued because the intake queue was full (the reconciler recovers them "
                        + "from Keycloak's event store)").register(registry);
        unwritable = Counter.builder("governed.recovery.events.unwritable")
                .description("Single events the database refused again and again while other writes succeeded")
                .register(registry);
        unenriched = Counter.builder("governed.recovery.events.unenriched")
                .description("Events written without tier or department because the lookup failed (marked "
                        + "gr_enrichment=failed)").register(registry);
        outboxWritten = Counter.builder("governed.recovery.outbox.written")
                .description("Events and findings written to the outbox").register(registry);
        writeFailures = Counter.builder("governed.recovery.outbox.write.failures")
                .description("Failed attempts to write events or findings to the outbox (retried with back-off)")
                .register(registry);
        scored = Counter.builder("governed.recovery.scorer.rows")
                .description("Outbox rows this node's scorer read, each once").register(registry);
        replayed = Counter.builder("governed.recovery.scorer.replayed")
                .description("Older outbox rows replayed into this node's scorer when it started (long rule windows)")
                .register(registry);
        scorerSkipped = Counter.builder("governed.recovery.scorer.skipped.records")
                .description("Records the scorer gave up on after they failed it five times in a row (each logged "
                        + "with its id; they are still exported)").register(registry);
        scorerPaused = Counter.builder("governed.recovery.scorer.paused.rounds")
                .description("Scorer rounds that read nothing because too many findings wait to be written "
                        + "(back-pressure; nothing is dropped)").register(registry);
        reconcilerCapped = Counter.builder("governed.recovery.reconciler.capped.passes")
                .description("Reconciler passes over one realm's events that stopped at the row cap (the next pass "
                        + "resumes there)").register(registry);
        Gauge.builder("governed.recovery.queue.depth", queueDepth).description("Events waiting for the outbox")
                .register(registry);
    }

    public static PipelineMetrics global(Supplier<Number> queueDepth) {
        return new PipelineMetrics(Metrics.globalRegistry, queueDepth);
    }

    /**
     * Registers the scorer's gauges: keys it tracks, keys evicted to make room (raise 'max-keys-per-table' if that
     * grows fast) and sequence gaps it is still waiting for. Read from the metrics thread; slightly stale is fine.
     */
    public <T> void scorer(T scorer, ToDoubleFunction<T> trackedKeys, ToDoubleFunction<T> evictedKeys,
                           ToDoubleFunction<T> gaps) {
        Gauge.builder("governed.recovery.scorer.keys", scorer, trackedKeys)
                .description("Accounts and addresses the anomaly scorer tracks in its windows").register(registry);
        FunctionCounter.builder("governed.recovery.scorer.evicted.keys", scorer, evictedKeys)
                .description("Least recently used keys the scorer evicted to make room for new ones")
                .register(registry);
        Gauge.builder("governed.recovery.scorer.gaps", scorer, gaps)
                .description("Sequence numbers the scorer has passed without seeing their rows yet (transactions "
                        + "still open, or rolled back)").register(registry);
    }

    /**
     * Registers the reconciler's gauges: realm/kind streams whose last pass stopped at the row cap (still catching
     * up), and how far behind the oldest of them reads. Both stay above 0 while the reconciler cannot keep up.
     */
    public void reconciler(Supplier<Number> behind, Supplier<Number> lagSeconds) {
        Gauge.builder("governed.recovery.reconciler.behind", behind)
                .description("Realm event streams the reconciler has not read to the end yet (passes hit the cap)")
                .register(registry);
        Gauge.builder("governed.recovery.reconciler.lag.seconds", lagSeconds)
                .description("How far behind the reconciler reads Keycloak's event store where it is catching up")
                .register(registry);
    }

    public void reconcilerCapped() {
        reconcilerCapped.increment();
    }

    /** Registers the liveness gauges of a worker (intake, scorer, a sink...). */
    public void worker(String worker, Supplier<Number> up, Supplier<Number> idleSeconds) {
        Gauge.builder("governed.recovery.worker.up", up).tag("worker", worker)
                .description("1 while the worker runs normally, 0 from a failure until its next good round")
                .register(registry);
        Gauge.builder("governed.recovery.worker.idle.seconds", idleSeconds).tag("worker", worker)
                .description("Seconds since the worker last finished a round (liveness)").register(registry);
    }

    /** Times a worker's round (its cost: database reads, delivery, scoring). */
    public void round(String worker, long nanos) {
        rounds.computeIfAbsent(worker, w -> Timer.builder("governed.recovery.worker.round").tag("worker", w)
                .description("Time the worker spends per round").register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void workerRestarted(String worker) {
        counter(restarts, "governed.recovery.worker.restarts", "worker", worker,
                "Times the worker failed and was restarted").increment();
    }

    /** Registers a sink's lag gauges: pending and parked records, age of the oldest pending one, lease held here. */
    public void sink(String sink, PipelineClock clock, Supplier<Number> leaseHeld) {
        Gauge.builder("governed.recovery.export.backlog", gauge(backlog, sink), AtomicLong::get).tag("sink", sink)
                .description("Records the sink has still to deliver").register(registry);
        Gauge.builder("governed.recovery.export.parked", gauge(parked, sink), AtomicLong::get).tag("sink", sink)
                .description("Records parked after the sink refused them too often (dead letters)").register(registry);
        AtomicLong oldest = gauge(oldestPending, sink);
        Gauge.builder("governed.recovery.export.oldest.pending.seconds", oldest,
                        o -> o.get() == 0 ? 0 : Math.max(0, (clock.millis() - o.get()) / 1000.0))
                .tag("sink", sink).description("Age of the oldest record the sink has still to deliver (its lag)")
                .register(registry);
        Gauge.builder("governed.recovery.export.lease.held", leaseHeld).tag("sink", sink)
                .description("1 when this node delivers for the sink now").register(registry);
    }

    private static AtomicLong gauge(Map<String, AtomicLong> values, String sink) {
        return values.computeIfAbsent(sink, s -> new AtomicLong());
    }

    /** Updates a sink's backlog gauges from the database's counts. */
    public void backlog(String sink, long pending, long parkedRecords, long oldestPendingAt) {
        gauge(backlog, sink).set(pending);
        gauge(parked, sink).set(parkedRecords);
        gauge(oldestPending, sink).set(pending == 0 ? 0 : oldestPendingAt);
    }

    public void eventIn() {
        eventsIn.increment();
    }

    public void dropped() {
        dropped.increment();
    }

    public void unwritable(int events) {
        unwritable.increment(events);
    }

    public void scorerSkipped() {
        scorerSkipped.increment();
    }

    public void scorerPaused() {
        scorerPaused.increment();
    }

    public void unenriched() {
        unenriched.increment();
    }

    public void written(int rows) {
        outboxWritten.increment(rows);
    }

    public void writeFailed() {
        writeFailures.increment();
    }

    public void scored() {
        scored.increment();
    }

    public void replayed(int rows) {
        replayed.increment(rows);
    }

    /** Counts outbox rows a worker read from the database (the cost of polling). */
    public void rowsRead(String worker, int rows) {
        if (rows > 0) {
            counter(rowsRead, "governed.recovery.rows.read", "worker", worker,
                    "Outbox rows read from the database, by worker").increment(rows);
        }
    }

    public void finding(String rule) {
        counter(findings, "governed.recovery.findings", "rule", rule, "Findings raised, by rule").increment();
    }

    public void exported(String sink, int records) {
        counter(exported, "governed.recovery.exported", "sink", sink, "Records delivered, by sink").increment(records);
    }

    public void exportFailed(String sink) {
        counter(exportFailures, "governed.recovery.export.failures", "sink", sink,
                "Failed delivery attempts, by sink").increment();
    }

    /** Counts a refusal of a sink by its receiver as a whole and sets (or clears) the sink's alarm gauge. */
    public void receiverRefused(String sink, boolean refusing) {
        sinkGauge(refusingReceivers, "governed.recovery.export.receiver.refusing", sink,
                "1 while the sink's receiver refuses every batch (a wrong secret or address, a redirect): nothing is "
                        + "delivered or parked until it is fixed").set(refusing ? 1 : 0);
        if (refusing) {
            counter(receiverRefusals, "governed.recovery.export.receiver.refusals", "sink", sink,
                    "Batches the sink's receiver refused as a whole (retried)").increment();
        }
    }

    /** Records waiting for a sink the configuration does not have (0 once they are gone). */
    public void orphaned(String sink, long records) {
        sinkGauge(orphaned, "governed.recovery.export.orphaned", sink,
                "Pending and parked records of a sink this node's configuration does not have").set(records);
    }

    public double count(String name) {
        Counter c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    /** The counter {@code name} tagged {@code tag=value}, registered on first use and kept in {@code counters}. */
    private Counter counter(Map<String, Counter> counters, String name, String tag, String value, String description) {
        return counters.computeIfAbsent(value, v -> Counter.builder(name).tag(tag, v).description(description)
                .register(registry));
    }

    /** The gauge {@code name} of {@code sink}, registered on first use and kept in {@code values}. */
    private AtomicLong sinkGauge(Map<String, AtomicLong> values, String name, String sink, String description) {
        return values.computeIfAbsent(sink, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag("sink", s).description(description).register(registry);
            return value;
        });
    }
}
