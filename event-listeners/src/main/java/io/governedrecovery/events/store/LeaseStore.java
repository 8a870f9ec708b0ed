package io.governedrecovery.events.store;

/**
 * The lease rows a sink's lease is kept in: compare-and-set updates on owner, epoch and heartbeat. {@link Leases}
 * keeps them in Keycloak's database; the policy (when to take over, when to give up) lives in the sink's lease.
 */
public interface LeaseStore {

    /** What a lease row says now. */
    record State(String owner, long epoch, long heartbeat) {
    }

    /** The lease's row, or null when nobody ever held it. */
    State read(String name);

    /** Creates the lease for {@code owner} (epoch 1); false when another node created it first. */
    boolean create(String name, String owner);

    /**
     * Takes the lease for {@code owner} if it is still as observed ({@code epoch}, {@code heartbeat}); the epoch grows
     * by one. Returns the new epoch, or -1 when someone else moved first.
     */
    long take(String name, String owner, long epoch, long heartbeat);

    /** Moves the heartbeat of a lease {@code owner} holds at {@code epoch}; false when it is no longer held. */
    boolean renew(String name, String owner, long epoch);

    /** Gives the lease up (a clean shutdown), so another node takes it at once instead of after a lease period. */
    void release(String name, String owner, long epoch);
}
