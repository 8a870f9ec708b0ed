package io.governedrecovery.approval;

import java.time.Duration;
import java.util.Map;

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

    /** Reads the settings; a missing group or a bad number throws {@link IllegalArgumentException} naming it. */
    public static ApprovalSettings from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String group = c.get(APPROVERS_GROUP);
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("setting '" + APPROVERS_GROUP + "' is empty: name the group whose "
                    + "members approve privileged resets, for example /recovery-approvers");
        }
        String raw = c.get(LIFETIME_MINUTES);
        int minutes = DEFAULT_MINUTES;
        if (raw != null && !raw.isBlank()) {
            try {
                minutes = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                minutes = -1;
            }
            if (minutes < 5 || minutes > 1440) {
                throw new IllegalArgumentException("setting '" + LIFETIME_MINUTES + "' is '" + raw
                        + "': use a whole number of minutes from 5 to 1440");
            }
        }
        return new ApprovalSettings(group.trim(), Duration.ofMinutes(minutes));
    }
}
