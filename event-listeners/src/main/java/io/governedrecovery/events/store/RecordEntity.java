package io.governedrecovery.events.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One committed recovery event or finding in Keycloak's database: the cluster's shared, durable stream. {@code SEQ} is
 * assigned by the database when the row is inserted (an identity column); scorers read past it, tracking gaps left by
 * transactions still open. {@code RECORD_ID} is the stable id every export carries.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_RECORD")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryRecordIds",
                query = "select r.recordId from RecordEntity r where r.recordId in :ids"),
        @NamedQuery(name = "governedRecoveryRecordById",
                query = "select r from RecordEntity r where r.recordId = :id and r.realmId = :realm"),
        @NamedQuery(name = "governedRecoveryRecordsBySeq",
                query = "select r from RecordEntity r where r.seq in :seqs"),
        @NamedQuery(name = "governedRecoveryRecordsAfter",
                query = "select r from RecordEntity r where r.seq > :after order by r.seq"),
        @NamedQuery(name = "governedRecoveryRecordsMaxSeq", query = "select max(r.seq) from RecordEntity r"),
        @NamedQuery(name = "governedRecoveryRecordsFirstSince",
                query = "select min(r.seq) from RecordEntity r where r.eventTime >= :from"),
        @NamedQuery(name = "governedRecoveryRecordsReplay",
                query = "select r from RecordEntity r where r.seq > :after and r.seq <= :upTo and ("
                        + "(r.signalKind = :methodKind and r.eventTime >= :methodFrom) or "
                        + "(r.signalKind in :historyKinds and r.eventTime >= :historyFrom)) order by r.seq"),
        @NamedQuery(name = "governedRecoveryRecordsExpired",
                query = "select r.seq from RecordEntity r where r.eventTime < :before and not exists "
                        + "(select d.recordSeq from DeliveryEntity d where d.recordSeq = r.seq) order by r.seq"),
        @NamedQuery(name = "governedRecoveryRecordsExpiredKept",
                query = "select count(r) from RecordEntity r where r.eventTime < :before"),
        @NamedQuery(name = "governedRecoveryRecordsDelete",
                query = "delete from RecordEntity r where r.seq in :seqs")
})
public class RecordEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "SEQ")
    private Long seq;

    @Column(name = "RECORD_ID", length = 100, nullable = false, unique = true)
    private String recordId;

    @Column(name = "RECORD_KIND", length = 16, nullable = false)
    private String kind;

    @Column(name = "REALM_ID", length = 36)
    private String realmId;

    @Column(name = "EVENT_TYPE", length = 64, nullable = false)
    private String type;

    @Column(name = "EVENT_TIME", nullable = false)
    private long eventTime;

    @Column(name = "WRITTEN_AT", nullable = false)
    private long writtenAt;

    @Column(name = "USER_ID", length = 255)
    private String userId;

    @Column(name = "IP_ADDRESS", length = 255)
    private String ip;

    @Column(name = "FINDING_RULE", length = 64)
    private String rule;

    @Column(name = "SIGNAL_KIND", length = 16)
    private String signalKind;

    @Column(name = "PAYLOAD", nullable = false)
    private String payload;

    protected RecordEntity() {
    }

    public RecordEntity(OutboxRecord record, long writtenAt) {
        this.recordId = record.id();
        this.kind = record.kind().name();
        this.realmId = record.realmId();
        this.type = record.type();
        this.eventTime = record.eventTime();
        this.writtenAt = writtenAt;
        this.userId = record.userId();
        this.ip = record.ip();
        this.rule = record.rule();
        this.signalKind = record.signalKind();
        this.payload = record.payload();
    }

    public OutboxRecord toRecord() {
        return new OutboxRecord(recordId, OutboxRecord.Kind.valueOf(kind), realmId, type, eventTime, userId, ip, rule,
                signalKind, payload, writtenAt, seq == null ? 0 : seq);
    }

    public long getSeq() {
        return seq == null ? 0 : seq;
    }

    public String getRecordId() {
        return recordId;
    }
}
