package io.governedrecovery.events.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * Which node delivers for a sink: the owner, an epoch that grows with every change of owner (an acknowledgement must
 * carry the current one), and a heartbeat the owner increments while it works. Other nodes judge a lease dead when
 * its heartbeat has not moved for a lease period of their own monotonic clock: no clock is compared across nodes.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_LEASE")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryLeaseRenew",
                query = "update LeaseEntity l set l.heartbeat = l.heartbeat + 1 where l.name = :name "
                        + "and l.epoch = :epoch and l.owner = :owner"),
        @NamedQuery(name = "governedRecoveryLeaseTake",
                query = "update LeaseEntity l set l.owner = :owner, l.epoch = l.epoch + 1, l.heartbeat = 0 "
                        + "where l.name = :name and l.epoch = :epoch and l.heartbeat = :heartbeat"),
        @NamedQuery(name = "governedRecoveryLeaseRelease",
                query = "update LeaseEntity l set l.owner = null, l.heartbeat = l.heartbeat + 1 "
                        + "where l.name = :name and l.epoch = :epoch and l.owner = :owner")
})
public class LeaseEntity {

    @Id
    @Column(name = "LEASE_NAME", length = 32)
    private String name;

    @Column(name = "LEASE_OWNER", length = 64)
    private String owner;

    @Column(name = "LEASE_EPOCH", nullable = false)
    private long epoch;

    @Column(name = "HEARTBEAT", nullable = false)
    private long heartbeat;

    protected LeaseEntity() {
    }

    LeaseEntity(String name, String owner) {
        this.name = name;
        this.owner = owner;
        this.epoch = 1;
        this.heartbeat = 0;
    }

    public String getName() {
        return name;
    }

    public String getOwner() {
        return owner;
    }

    public long getEpoch() {
        return epoch;
    }

    public long getHeartbeat() {
        return heartbeat;
    }
}
