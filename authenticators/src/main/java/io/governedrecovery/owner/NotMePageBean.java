package io.governedrecovery.owner;

/**
 * What the "This was not me" page shows. {@code state}: {@code confirm} (what happened, and the button),
 * {@code done} (reported: recovery frozen, sessions ended), or {@code invalid} (a tampered, expired or superseded link).
 * {@code notice} names what happened (a message key suffix), {@code when} when it did.
 */
public final class NotMePageBean {

    private final String state;
    private final String notice;
    private final String when;
    private final String action;
    private final String key;
    private final String helpdesk;

    private NotMePageBean(String state, String notice, String when, String action, String key, String helpdesk) {
        this.state = state;
        this.notice = notice;
        this.when = when;
        this.action = action;
        this.key = key;
        this.helpdesk = helpdesk;
    }

    static NotMePageBean confirm(String notice, String when, String action, String key) {
        return new NotMePageBean("confirm", notice, when, action, key, "");
    }

    static NotMePageBean result(String state, String helpdesk) {
        return new NotMePageBean(state, "", "", "", "", helpdesk);
    }

    public String getState() {
        return state;
    }

    public String getNotice() {
        return notice;
    }

    public String getWhen() {
        return when;
    }

    public String getAction() {
        return action;
    }

    public String getKey() {
        return key;
    }

    public String getHelpdesk() {
        return helpdesk;
    }
}
