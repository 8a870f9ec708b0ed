package io.governedrecovery.events.pipeline;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.sink.EventSink;

/**
 * Takes committed events off the request thread: {@link #submit} only enqueues into a bounded queue served by one
 * worker thread that the pipeline owns. When the queue is full the event is counted as dropped; a login never waits.
 */
public final class EventPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);

    private final ThreadPoolExecutor worker;
    private final List<EventSink> sinks;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicInteger dropWarnings = new AtomicInteger();

    public EventPipeline(int queueCapacity, List<EventSink> sinks) {
        this.sinks = List.copyOf(sinks);
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "governed-recovery-events");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Hands an event to the worker without blocking. */
    public void submit(RecoveryEvent event) {
        try {
            worker.execute(() -> deliver(event));
        } catch (RejectedExecutionException full) {
            dropped.increment();
            if (dropWarnings.getAndIncrement() % 1000 == 0) {
                LOG.warnf("Governed Recovery event queue is full: dropped %d events so far", dropped.sum());
            }
        }
    }

    private void deliver(RecoveryEvent event) {
        for (EventSink sink : sinks) {
            try {
                sink.write(event);
            } catch (Exception e) {
                failed.increment();
                LOG.warnf("Governed Recovery sink '%s' failed to write event %s: %s", sink.name(), event.id(), e.toString());
            }
        }
    }

    public long droppedCount() {
        return dropped.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    public int queueDepth() {
        return worker.getQueue().size();
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warnf("Governed Recovery event worker did not finish within 10 s; %d events still queued",
                        worker.getQueue().size());
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
        sinks.forEach(EventSink::close);
    }
}
