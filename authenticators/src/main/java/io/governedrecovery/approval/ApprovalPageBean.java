package io.governedrecovery.approval;

/** What the requester's approval page shows: waiting, denied, expired or unavailable. */
public final class ApprovalPageBean {

    private final String state;
    private final long minutes;

    ApprovalPageBean(String state, long minutes) {
        this.state = state;
        this.minutes = minutes;
    }

    public String getState() {
        return state;
    }

    /** Minutes the request still waits (waiting state). */
    public long getMinutes() {
        return minutes;
    }
}
