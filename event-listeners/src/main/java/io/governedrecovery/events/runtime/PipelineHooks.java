package io.governedrecovery.events.runtime;

import java.util.Collection;
import java.util.ServiceLoader;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import io.governedrecovery.core.event.RecoveryEvent;

/**
 * Seams for the pipeline's fault tests and benchmarks, and nothing in production: {@link #load()} looks for an
 * implementation only when the JVM runs with {@code -Dgoverned-recovery.test-hooks=true}, and finds one only when a JAR
 * on the server's class path lists it in {@code META-INF/services/io.governedrecovery.events.runtime.PipelineHooks}
 * (the integration tests' own provider JAR, never shipped). No setting of a production server can inject a fault.
 */
public interface PipelineHooks {

    /** No hooks: what production runs. */
    PipelineHooks NONE = new PipelineHooks() {
    };

    /** Called before a worker ({@code intake}, {@code scorer}, a sink's name) handles an event; a test throws here. */
    default void handling(String worker, RecoveryEvent event) {
    }

    /** Whether {@link #handling} does anything (a sink decodes its records for it only then). */
    default boolean watchesHandling() {
        return false;
    }

    /** Called inside the transaction that writes these events to the outbox, before it commits (a slow commit). */
    default void beforeCommit(Collection<RecoveryEvent> events) {
    }

    /** Called when the intake has taken a batch off its queue, before it writes it (a window for a crash). */
    default void batchTaken() {
    }

    /** Milliseconds added to the pipeline's clock now (two nodes' clocks apart, days passing). */
    default long clockOffsetMillis() {
        return 0;
    }

    /** Called once the pipeline's workers run, with its scheduler and the intake (a benchmark's synthetic load). */
    default void started(ScheduledExecutorService scheduler, Consumer<RecoveryEvent> intake) {
    }

    /** The JVM option without which no hooks are looked for. */
    String ENABLE_PROPERTY = "governed-recovery.test-hooks";

    /** The hooks a JAR on the class path provides when the JVM option allows them, or {@link #NONE}. */
    static PipelineHooks load() {
        if (!Boolean.getBoolean(ENABLE_PROPERTY)) {
            return NONE;
        }
        for (PipelineHooks hooks : ServiceLoader.load(PipelineHooks.class, PipelineHooks.class.getClassLoader())) {
            return hooks;
        }
        return NONE;
    }
}
