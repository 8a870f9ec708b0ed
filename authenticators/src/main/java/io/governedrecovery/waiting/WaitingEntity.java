package io.governedrecovery.waiting;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A waiting-period recovery as stored ({@link WaitingRecovery}); every change is a conditional update. */
@Entity
@Table(name = "GOVERNED_RECOVERY_WAITING")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryWaitingOf",
                query = "select w from WaitingEntity w where w.realmId = :realmId and w.userId = :userId "
                        + "and w.status = 'WAITING' order by w.startedAt desc"),
        @NamedQuery(name = "governedRecoveryWaitingEnd",
                query = "update WaitingEntity w set w.status = :status, w.endedAt = :now, w.endedReason = :reason, "
                        + "w.activeKey = w.id where w.id = :id and w.status = 'WAITING'"),
        @NamedQuery(name = "governedRecoveryWaitingEndAll",
                query = "update WaitingEntity w set w.status = 'ENDED', w.endedAt = :now, w.endedReason = :reason, "
                        + "w.activeKey = w.id where w.realmId = :realmId and w.userId = :userId "
                        + "and w.status = 'WAITING' and w.startedAt <= :before"),
        @NamedQuery(name = "governedRecoveryWaitingHalfway",
                query = "update WaitingEntity w set w.halfwayAt = :now where w.id = :id and w.status = 'WAITING' "
                        + "and w.halfwayAt = 0"),
        @NamedQuery(name = "governedRecoveryWaitingDue",
                query = "select w from WaitingEntity w where w.status = 'WAITING' and w.halfwayAt = 0 "
                        + "and w.halfwayFrom <= :now order by w.halfwayFrom"),
        @NamedQuery(name = "governedRecoveryWaitingInRealm",
                query = "select w from WaitingEntity w where w.realmId = :realmId and w.status = 'WAITING' "
                        + "order by w.startedAt"),
        @NamedQuery(name = "governedRecoveryWaitingEverywhere",
                query = "select w from WaitingEntity w where w.status = 'WAITING' order by w.startedAt"),
        @NamedQuery(name = "governedRecoveryWaitingEndedSince",
                query = "select w from WaitingEntity w where w.realmId = :realmId and w.userId = :userId "
                        + "and w.status = 'ENDED' and w.endedAt >= :since and w.endedReason in :reasons "
                        + "order by w.endedAt desc"),
        @NamedQuery(name = "governedRecoveryWaitingById",
                query = "select w from WaitingEntity w where w.id = :id and w.realmId = :realmId"),
        @NamedQuery(name = "governedRecoveryWaitingDeleteOld",
                query = "delete from WaitingEntity w where w.status <> 'WAITING' and w.endedAt < :before")
})
public class WaitingEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 255, nullable = false)
    private String userId;

    @Column(name = "BINDING", length = 64, nullable = false)
    private String binding;

    @Column(name = "METHOD", length = 64, nullable = false)
    private String method;

    /**
     * Unique: the realm and user while the wait is under way (so an account has at most one, whatever requests race),
     * the wait's own id once it ended.
     */
    @Column(name = "ACTIVE_KEY", length = 300, nullable = false)
    private String activeKey;

    @Column(name = "STATUS", length = 16, nullable = false)
    private String status;

    @Column(name = "STARTED_AT", nullable = false)
    private long startedAt;

    @Column(name = "ENDS_AT", nullable = false)
    private long endsAt;

    /** When the halfway notices are due (a column, so the due ones are found by an index). */
    @Column(name = "HALFWAY_FROM", nullable = false)
    private long halfwayFrom;

    @Column(name = "HALFWAY_AT", nullable = false)
    private long halfwayAt;

    @Column(name = "ENDED_AT", nullable = false)
    private long endedAt;

    @Column(name = "ENDED_REASON", length = 32)
    private String endedReason;

    @Column(name = "REQUESTER_IP", length = 64)
    private String requesterIp;

    protected WaitingEntity() {
        // for JPA
    }

    WaitingEntity(String id, String realmId, String userId, String binding, String method, long startedAt,
                  long endsAt, String requesterIp) {
        this.id = id;
        this.realmId = realmId;
        this.userId = userId;
        this.binding = binding;
        this.method = method;
        this.status = WaitingRecovery.Status.WAITING.name();
        this.activeKey = realmId + ":" + userId;
        this.startedAt = startedAt;
        this.endsAt = endsAt;
        this.halfwayFrom = startedAt + (endsAt - startedAt) / 2;
        this.requesterIp = requesterIp;
    }

    WaitingRecovery toRecovery() {
        return new WaitingRecovery(id, realmId, userId, binding, method, WaitingRecovery.Status.valueOf(status),
                startedAt, endsAt, halfwayAt, endedAt, endedReason, requesterIp);
    }
}
