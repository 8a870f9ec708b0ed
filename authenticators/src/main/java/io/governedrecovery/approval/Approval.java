package io.governedrecovery.approval;

import java.util.List;

/** A read-only view of an approval request. */
public record Approval(String id, String realmId, String userId, String binding, String approverGroupId,
                       Status status, long createdAt, long expiresAt, String requesterIp, List<String> methods,
                       String decidedBy, Long decidedAt, String decidedVia, String reason) {

    public enum Status {
        /** Waiting for an approver. */
        PENDING,
        /** Approved; the requester's flow may go on once. */
        APPROVED,
        /** Denied by an approver. */
        DENIED,
        /** Approved and used by the requester's flow. */
        CONSUMED,
        /** Nobody decided in time, or the requester gave up. */
        EXPIRED
    }

    public Approval {
        methods = List.copyOf(methods);
    }

    /** The status as of {@code now}: a pending request past its expiry is expired. */
    public Status statusAt(long now) {
        return status == Status.PENDING && now >= expiresAt ? Status.EXPIRED : status;
    }
}
