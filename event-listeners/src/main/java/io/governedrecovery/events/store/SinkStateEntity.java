package io.governedrecovery.events.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Where a sink's delivery stands (its watermark), and which node delivers for it until when (a lease). */
@Entity
@Table(name = "GOVERNED_RECOVERY_SINK")
public class SinkStateEntity {

    @Id
    @Column(name = "NAME", length = 32)
    private String name;

    @Column(name = "WATERMARK", nullable = false)
    private long watermark;

    @Column(name = "OWNER", length = 64)
    private String owner;

    @Column(name = "LEASE_UNTIL", nullable = false)
    private long leaseUntil;

    protected SinkStateEntity() {
    }

    SinkStateEntity(String name, long watermark, String owner, long leaseUntil) {
        this.name = name;
        this.watermark = watermark;
        this.owner = owner;
        this.leaseUntil = leaseUntil;
    }

    public String getName() {
        return name;
    }

    public long getWatermark() {
        return watermark;
    }

    public void setWatermark(long watermark) {
        this.watermark = watermark;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public long getLeaseUntil() {
        return leaseUntil;
    }

    public void setLeaseUntil(long leaseUntil) {
        this.leaseUntil = leaseUntil;
    }
}
