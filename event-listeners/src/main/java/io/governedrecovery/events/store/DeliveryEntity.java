package io.governedrecovery.events.store;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A record a sink has not delivered yet: written in the record's own transaction, deleted when the sink acknowledged
 * it (under the sink's current lease epoch). {@code PENDING} rows are delivered in sequence order; a record the sink
 * refused for good too often is {@code PARKED} (kept, alarmed, never deleted by retention).
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_DELIVERY")
@IdClass(DeliveryEntity.Key.class)
@NamedQueries({
        @NamedQuery(name = "governedRecoveryPending",
                query = "select d from DeliveryEntity d where d.sinkName = :sink and d.state = 'PENDING' "
                        + "order by d.recordSeq"),
        @NamedQuery(name = "governedRecoveryDelivered",
                query = "delete from DeliveryEntity d where d.sinkName = :sink and d.recordSeq in :seqs"),
        @NamedQuery(name = "governedRecoveryBacklog",
                query = "select d.sinkName, d.state, count(d), min(d.enqueuedAt) from DeliveryEntity d "
                        + "group by d.sinkName, d.state")
})
public class DeliveryEntity {

    public static final String PENDING = "PENDING";
    public static final String PARKED = "PARKED";

    @Id
    @Column(name = "SINK_NAME", length = 32)
    private String sinkName;

    @Id
    @Column(name = "RECORD_SEQ")
    private long recordSeq;

    @Column(name = "DELIVERY_STATE", length = 8, nullable = false)
    private String state;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "ENQUEUED_AT", nullable = false)
    private long enqueuedAt;

    @Column(name = "LAST_ERROR", length = 255)
    private String lastError;

    protected DeliveryEntity() {
    }

    public DeliveryEntity(String sinkName, long recordSeq, long enqueuedAt) {
        this.sinkName = sinkName;
        this.recordSeq = recordSeq;
        this.state = PENDING;
        this.attempts = 0;
        this.enqueuedAt = enqueuedAt;
    }

    public long getRecordSeq() {
        return recordSeq;
    }

    public int getAttempts() {
        return attempts;
    }

    public String getState() {
        return state;
    }

    /** Counts a refused attempt; parks the record when {@code parkAfter} attempts have been refused. */
    void refused(String error, int parkAfter) {
        attempts++;
        lastError = error == null ? null : error.length() > 255 ? error.substring(0, 255) : error;
        if (attempts >= parkAfter) {
            state = PARKED;
        }
    }

    /** The composite key: sink and record. */
    public static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;

        private String sinkName;
        private long recordSeq;

        public Key() {
        }

        public Key(String sinkName, long recordSeq) {
            this.sinkName = sinkName;
            this.recordSeq = recordSeq;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.recordSeq == recordSeq && Objects.equals(k.sinkName, sinkName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(sinkName, recordSeq);
        }
    }
}
