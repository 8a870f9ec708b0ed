package io.governedrecovery.events.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One committed recovery event or finding, in Keycloak's database: the cluster's shared, durable stream. Every node
 * scores it; exporters deliver it at least once under its stable id.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_OUTBOX")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryOutboxSince",
                query = "select o from OutboxEntity o where o.insertedAt >= :from order by o.insertedAt, o.id"),
        @NamedQuery(name = "governedRecoveryOutboxIds",
                query = "select o.id from OutboxEntity o where o.id in :ids"),
        @NamedQuery(name = "governedRecoveryOutboxDeleteOlder",
                query = "delete from OutboxEntity o where o.insertedAt < :before")
})
public class OutboxEntity {

    @Id
    @Column(name = "ID", length = 100)
    private String id;

    @Column(name = "KIND", length = 16, nullable = false)
    private String kind;

    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Column(name = "TYPE", length = 64, nullable = false)
    private String type;

    @Column(name = "EVENT_TIME", nullable = false)
    private long eventTime;

    @Column(name = "INSERTED_AT", nullable = false)
    private long insertedAt;

    @Column(name = "USER_ID", length = 36)
    private String userId;

    @Column(name = "IP", length = 64)
    private String ip;

    @Column(name = "RULE", length = 64)
    private String rule;

    @Column(name = "PAYLOAD", nullable = false)
    private String payload;

    protected OutboxEntity() {
    }

    public OutboxEntity(OutboxRecord record, long insertedAt) {
        this.id = record.id();
        this.kind = record.kind().name();
        this.realmId = record.realmId();
        this.type = record.type();
        this.eventTime = record.eventTime();
        this.insertedAt = insertedAt;
        this.userId = record.userId();
        this.ip = record.ip();
        this.rule = record.rule();
        this.payload = record.payload();
    }

    public OutboxRecord toRecord() {
        return new OutboxRecord(id, OutboxRecord.Kind.valueOf(kind), realmId, type, eventTime, userId, ip, rule,
                payload, insertedAt);
    }

    public String getId() {
        return id;
    }

    public long getInsertedAt() {
        return insertedAt;
    }
}
