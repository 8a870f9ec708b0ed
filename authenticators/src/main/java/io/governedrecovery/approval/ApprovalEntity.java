package io.governedrecovery.approval;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One request for a second person's approval of a privileged account's reset. Bound to the requester's browser tab
 * (a hash of the authentication session and tab ids) and to the user; decided once; consumed once.
 */
@Entity
@Table(name = "GOVERNED_RECOVERY_APPROVAL")
@NamedQueries({
        @NamedQuery(name = "governedRecoveryApprovalDecide",
                query = "update ApprovalEntity a set a.status = :status, a.decidedBy = :by, a.decidedAt = :now, "
                        + "a.decidedVia = :via, a.reason = :reason "
                        + "where a.id = :id and a.status = 'PENDING' and a.expiresAt > :now"),
        @NamedQuery(name = "governedRecoveryApprovalTransition",
                query = "update ApprovalEntity a set a.status = :to where a.id = :id and a.status = :from"),
        @NamedQuery(name = "governedRecoveryApprovalPending",
                query = "select a from ApprovalEntity a where a.realmId = :realmId and a.status = 'PENDING' "
                        + "and a.expiresAt > :now order by a.createdAt"),
        @NamedQuery(name = "governedRecoveryApprovalDeleteOld",
                query = "delete from ApprovalEntity a where a.expiresAt < :before")
})
public class ApprovalEntity {

    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "USER_ID", length = 255, nullable = false)
    private String userId;

    @Column(name = "BINDING", length = 64, nullable = false)
    private String binding;

    @Column(name = "APPROVER_GROUP_ID", length = 36, nullable = false)
    private String approverGroupId;

    @Column(name = "STATUS", length = 16, nullable = false)
    private String status;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "REQUESTER_IP", length = 64)
    private String requesterIp;

    @Column(name = "METHODS", length = 255)
    private String methods;

    @Column(name = "DECIDED_BY", length = 255)
    private String decidedBy;

    @Column(name = "DECIDED_AT")
    private Long decidedAt;

    @Column(name = "DECIDED_VIA", length = 16)
    private String decidedVia;

    @Column(name = "REASON", length = 255)
    private String reason;

    protected ApprovalEntity() {
    }

    ApprovalEntity(String id, String realmId, String userId, String binding, String approverGroupId, long createdAt,
                   long expiresAt, String requesterIp, String methods) {
        this.id = id;
        this.realmId = realmId;
        this.userId = userId;
        this.binding = binding;
        this.approverGroupId = approverGroupId;
        this.status = Approval.Status.PENDING.name();
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.requesterIp = requesterIp;
        this.methods = methods;
    }

    Approval toApproval() {
        return new Approval(id, realmId, userId, binding, approverGroupId, Approval.Status.valueOf(status), createdAt,
                expiresAt, requesterIp, methods == null || methods.isEmpty() ? java.util.List.of()
                : java.util.List.of(methods.split(",")), decidedBy, decidedAt, decidedVia, reason);
    }
}
