package io.governedrecovery.events.sink;

import org.jboss.logging.Logger;

import io.governedrecovery.events.store.LeaseStore;

/**
 * One node's view of a sink's lease. The holder renews it (moves its heartbeat) every third of a lease period, also
 * while a delivery is under way; it stops starting new batches when two thirds of a period passed without a successful
 * renewal. Another node takes the lease over only when it has watched the heartbeat stand still for a whole period of
 * its own monotonic clock, or at once when the holder released it. No wall clock is compared between nodes, so clock
 * skew cannot make two nodes deliver at once; and every acknowledgement carries the epoch, so a node that lost the
 * lease mid-delivery cannot acknowledge (its batch is delivered again by the new holder: a duplicate, never a loss).
 */
final class SinkLease {

    private static final Logger LOG = Logger.getLogger(SinkLease.class);

    private final String name;
    private final String node;
    private final LeaseStore leases;
    private final long leaseNanos;
    private volatile long epoch = -1;
    private volatile long renewedAt;
    private LeaseStore.State seen;
    private long seenAt;

    SinkLease(String name, String node, LeaseStore leases, long leaseMillis) {
        this.name = name;
        this.node = node;
        this.leases = leases;
        this.leaseNanos = leaseMillis * 1_000_000L;
    }

    /** Whether this node may start a batch now. */
    boolean held() {
        return epoch >= 0 && System.nanoTime() - renewedAt < leaseNanos * 2 / 3;
    }

    /** The epoch this node holds the lease in (an acknowledgement must carry it), or -1. */
    long epoch() {
        return epoch;
    }

    /** Holds the lease, taking it when it is free, new or dead; false when another node holds it. */
    synchronized boolean acquire() {
        if (held()) {
            return true;
        }
        long now = System.nanoTime();
        if (epoch >= 0 && leases.renew(name, node, epoch)) {
            renewedAt = now; // the last renewals failed (a database hiccup), but nobody took the lease meanwhile
            return true;
        }
        epoch = -1;
        LeaseStore.State state = leases.read(name);
        if (state == null) {
            return leases.create(name, node) && took(1, now);
        }
        if (state.owner() == null) {
            return took(leases.take(name, node, state.epoch(), state.heartbeat()), now);
        }
        if (!state.equals(seen)) {
            seen = state;
            seenAt = now;
            return false;
        }
        if (now - seenAt >= leaseNanos) {
            LOG.infof("Governed Recovery takes over sink '%s': its lease's heartbeat stood still for %d s",
                    name, leaseNanos / 1_000_000_000L);
            return took(leases.take(name, node, state.epoch(), state.heartbeat()), now);
        }
        return false;
    }

    private boolean took(long newEpoch, long now) {
        if (newEpoch < 0) {
            return false;
        }
        epoch = newEpoch;
        renewedAt = now;
        seen = null;
        return true;
    }

    /** Moves the heartbeat while this node holds the lease (called every third of a lease period). */
    synchronized void renew() {
        if (epoch < 0) {
            return;
        }
        try {
            if (leases.renew(name, node, epoch)) {
                renewedAt = System.nanoTime();
            } else {
                LOG.infof("Governed Recovery lost the lease of sink '%s' to another node", name);
                epoch = -1;
            }
        } catch (RuntimeException e) {
            // the database is away: held() runs out by itself; the next renewal or acquire() tries again
            LOG.debugf("Governed Recovery could not renew the lease of sink '%s': %s", name, e);
        }
    }

    /** Notes that an acknowledgement was refused: another node holds the lease now. */
    synchronized void lost() {
        epoch = -1;
    }

    /** Gives the lease up on a clean shutdown, so another node takes the sink at once. */
    synchronized void release() {
        if (epoch >= 0) {
            try {
                leases.release(name, node, epoch);
            } catch (RuntimeException e) {
                LOG.debugf("Governed Recovery could not release the lease of sink '%s': %s", name, e);
            }
            epoch = -1;
        }
    }
}
