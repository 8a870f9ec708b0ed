package io.governedrecovery.approval;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.governedrecovery.settings.Setting;

/**
 * Settings of the approval step: which group approves, and how long a request waits.
 *
 * @param approversGroup group path whose members (and members of its subgroups) may approve
 * @param lifetime       how long a request waits for a decision
 */
public record ApprovalSettings(String approversGroup, Duration lifetime) {

    public static final String APPROVERS_GROUP = "approvers-group";
    public static final String LIFETIME_MINUTES = "approval-minutes";
    public static final int DEFAULT_MINUTES = 30;

    /** The step's settings, declared once: the console's fields and the parser below are built from these. */
    static final Setting APPROVERS_GROUP_SETTING = Setting.text(APPROVERS_GROUP, "Approvers group", null,
            "Group path (for example /recovery-approvers). Its enabled members with an email address, subgroups "
                    + "included, get the approval link; the requester never approves their own reset. Without any such "
                    + "member privileged resets are refused.");
    static final Setting LIFETIME_SETTING = Setting.number(LIFETIME_MINUTES, "Approval wait (minutes)",
            DEFAULT_MINUTES, 5, 1440, "How long a request waits for a decision; after it the reset ends. Keep it "
                    + "within the realm's login timeout (Realm settings, Sessions).");

    /** The step's settings (for the console and the README check). */
    public static List<Setting> declared() {
        return List.of(APPROVERS_GROUP_SETTING, LIFETIME_SETTING);
    }

    /** Reads the settings; a missing group or a bad number throws {@link IllegalArgumentException} naming it. */
    public static ApprovalSettings from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String group = APPROVERS_GROUP_SETTING.text(c);
        if (group == null) {
            throw new IllegalArgumentException("setting '" + APPROVERS_GROUP + "' is empty: name the group whose "
                    + "members approve privileged resets, for example /recovery-approvers");
        }
        int minutes = LIFETIME_SETTING.number(c);
        return new ApprovalSettings(group, Duration.ofMinutes(minutes));
    }
}
