package io.governedrecovery.waiting;

/**
 * A waiting-period recovery: a user who proved one method but cannot meet the policy waits out a period every channel
 * of the account is told about, then proves the same method again, from the same browser, and sets a new password.
 *
 * @param binding     SHA-256 (hex) of the secret in the requesting browser's cookie
 * @param method      the method proven at the start, which the completion must prove again
 * @param halfwayAt   when the halfway notices went out, or 0
 * @param endedAt     when the wait ended (cancelled, completed), or 0
 * @param endedReason why: sign-in, cancel, new-reset, risk, not-me, helpdesk, completed
 */
public record WaitingRecovery(String id, String realmId, String userId, String binding, String method, Status status,
                              long startedAt, long endsAt, long halfwayAt, long endedAt, String endedReason,
                              String requesterIp) {

    public enum Status { WAITING, ENDED, COMPLETED }

    /** Whether the period is over (the completion may start), on Keycloak's clock {@code now}. */
    public boolean matured(long now) {
        return status == Status.WAITING && now >= endsAt;
    }

    /** Whether the halfway notices are due. */
    public boolean halfwayDue(long now) {
        return status == Status.WAITING && halfwayAt == 0 && now >= startedAt + (endsAt - startedAt) / 2;
    }
}
