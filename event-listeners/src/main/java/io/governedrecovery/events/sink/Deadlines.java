package io.governedrecovery.events.sink;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Enforces a deadline on blocking I/O that has no timeout of its own (a socket write blocks for as long as the
 * receiver does not read): when the deadline passes, the given action (closing the socket, aborting the request) makes
 * the blocked call fail. One daemon thread for all sinks.
 */
public final class Deadlines {

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "governed-recovery-deadlines");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Deadlines() {
    }

    /** Runs {@code onTimeout} after {@code millis} unless the returned handle is closed first. */
    public static Deadline after(long millis, Runnable onTimeout) {
        ScheduledFuture<?> future = TIMER.schedule(onTimeout, millis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    /** A pending deadline; closing it before it passes cancels it. */
    @FunctionalInterface
    public interface Deadline extends AutoCloseable {
        @Override
        void close();
    }
}
