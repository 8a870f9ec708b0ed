package io.governedrecovery.events.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.governedrecovery.events.runtime.PipelineMetrics;

/**
 * Runs one round of a pipeline worker (the intake, the scorer, a sink, housekeeping) and survives anything it throws,
 * {@link Error}s included (a missing method after a bad upgrade, a stack overflow): the failure is counted, logged with
 * its cause (in full the first time each cause appears, briefly after), and the worker resumes after a back-off that
 * doubles up to a minute. Exposes {@code governed_recovery_worker_up} and {@code _idle_seconds} per worker.
 */
public final class SupervisedWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(SupervisedWorker.class);
    private static final long FIRST_BACKOFF_NANOS = 1_000_000_000L;
    private static final long MAX_BACKOFF_NANOS = 60_000_000_000L;

    private final String name;
    private final BooleanSupplier round;
    private final PipelineMetrics metrics;
    private final Set<String> causesLogged = ConcurrentHashMap.newKeySet();
    private volatile boolean up = true;
    private volatile long lastRoundEnd = System.nanoTime();
    private long resumeAt = System.nanoTime();
    private long backoff;

    /** @param round one round of work; returns true when there may be more to do right away */
    public SupervisedWorker(String name, BooleanSupplier round, PipelineMetrics metrics) {
        this.name = name;
        this.round = round;
        this.metrics = metrics;
        metrics.worker(name, () -> up ? 1 : 0, () -> (System.nanoTime() - lastRoundEnd) / 1e9);
    }

    public String name() {
        return name;
    }

    @Override
    public void run() {
        runOnce();
    }

    /** Runs one round unless the worker is backing off after a failure; true when it did work and may do more. */
    public boolean runOnce() {
        return runOnce(round);
    }

    /**
     * Runs {@code work} as one round of this worker (a worker whose round needs what its caller holds, like the
     * reconciler's cluster-wide pass in the session the timer opened): same supervision, same gauges.
     */
    public synchronized boolean runOnce(BooleanSupplier work) {
        long now = System.nanoTime();
        if (now - resumeAt < 0) {
            return false;
        }
        try {
            boolean more = work.getAsBoolean();
            lastRoundEnd = System.nanoTime();
            metrics.round(name, lastRoundEnd - now);
            if (!up) {
                up = true;
                LOG.infof("Governed Recovery worker '%s' runs again", name);
            }
            backoff = 0;
            return more;
        } catch (Throwable t) { // NOSONAR: a worker must survive Errors too, or it stops for good without a word
            failed(t);
            return false;
        }
    }

    private void failed(Throwable t) {
        up = false;
        metrics.workerRestarted(name);
        backoff = backoff == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        resumeAt = System.nanoTime() + backoff;
        String cause = t.getClass().getName() + ": " + t.getMessage();
        if (causesLogged.size() < 100 && causesLogged.add(cause)) {
            LOG.errorf(t, "Governed Recovery worker '%s' failed and restarts in %d ms: %s", name,
                    backoff / 1_000_000, t.toString());
        } else {
            LOG.debugf("Governed Recovery worker '%s' failed again and restarts in %d ms: %s", name,
                    backoff / 1_000_000, t.toString());
        }
        if (t instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
        }
    }
}
