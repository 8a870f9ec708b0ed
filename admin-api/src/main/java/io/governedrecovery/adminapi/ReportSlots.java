package io.governedrecovery.adminapi;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The compliance reports one node writes at once. A slot is taken when a report is accepted and given back when its
 * transfer ends, however it ends. A slot whose transfer never began (a HEAD request, a client gone before the answer
 * was written: Keycloak's web layer then never calls the writer) is taken back after {@code unstartedTimeoutMillis},
 * so no request can hold a slot for ever without reading.
 *
 * <p>One instance per node, owned by the admin API's factory.
 */
final class ReportSlots {

    /** A slot taken by {@link #tryTake()}: started when the transfer begins, released when it ends. */
    final class Slot {
        private boolean started;
        private boolean released;

        /** The transfer began: from now on only {@link #release()} frees the slot. */
        void started() {
            synchronized (ReportSlots.this) {
                started = true;
            }
        }

        /** Gives the slot back; calling it again does nothing. */
        void release() {
            synchronized (ReportSlots.this) {
                if (!released) {
                    released = true;
                    taken.remove(this);
                }
            }
        }
    }

    private final int capacity;
    private final long unstartedTimeoutMillis;
    private final LongSupplier clock;
    private final Map<Slot, Long> taken = new HashMap<>();

    ReportSlots(int capacity, long unstartedTimeoutMillis, LongSupplier clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.unstartedTimeoutMillis = unstartedTimeoutMillis;
        this.clock = clock;
    }

    /** A free slot, or {@code null} when {@code capacity} reports are being written. */
    synchronized Slot tryTake() {
        long now = clock.getAsLong();
        taken.entrySet().removeIf(e -> !e.getKey().started && now - e.getValue() >= unstartedTimeoutMillis);
        if (taken.size() >= capacity) {
            return null;
        }
        Slot slot = new Slot();
        taken.put(slot, now);
        return slot;
    }

    synchronized int inUse() {
        return taken.size();
    }
}
