package io.governedrecovery.approval;

/**
 * What an approver's decision page shows. {@code state}: {@code decide} (the request and the two buttons),
 * {@code approved}, {@code denied}, {@code invalid} (a bad or expired key), {@code decided} (already decided or
 * expired) or {@code self} (the requester's own request).
 */
public final class DecisionPageBean {

    private final String state;
    private final String requester;
    private final String when;
    private final String ip;
    private final String methods;
    private final String expires;
    private final String action;
    private final String key;

    private DecisionPageBean(String state, String requester, String when, String ip, String methods, String expires,
                             String action, String key) {
        this.state = state;
        this.requester = requester;
        this.when = when;
        this.ip = ip;
        this.methods = methods;
        this.expires = expires;
        this.action = action;
        this.key = key;
    }

    public static DecisionPageBean result(String state) {
        return new DecisionPageBean(state, "", "", "", "", "", "", "");
    }

    public static DecisionPageBean decide(Approval approval, String requester, String action, String key) {
        return new DecisionPageBean("decide", requester, ApprovalDecisions.time(approval.createdAt()),
                approval.requesterIp() == null ? "-" : approval.requesterIp(), String.join(", ", approval.methods()),
                ApprovalDecisions.time(approval.expiresAt()), action, key);
    }

    public String getState() {
        return state;
    }

    public String getRequester() {
        return requester;
    }

    public String getWhen() {
        return when;
    }

    public String getIp() {
        return ip;
    }

    public String getMethods() {
        return methods;
    }

    public String getExpires() {
        return expires;
    }

    public String getAction() {
        return action;
    }

    public String getKey() {
        return key;
    }
}
