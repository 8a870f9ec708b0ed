package io.governedrecovery.governance;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registration campaign's settings (Authentication, Required actions, the campaign's gear): who is asked, until
 * when they may put it off and how often, and how often everyone reviews their methods.
 */
public record CampaignSettings(List<String> targetGroups, Optional<LocalDate> deadline, int snoozes,
                               int reconfirmDays) {

    public static final String TARGET_GROUPS = "target-groups";
    public static final String DEADLINE = "deadline";
    public static final String SNOOZES = "snoozes";
    public static final String RECONFIRM_DAYS = "reconfirm-days";

    private static final Pattern LIST = Pattern.compile("##|,");

    public CampaignSettings {
        targetGroups = List.copyOf(targetGroups);
    }

    /** Reads the settings; a bad value throws {@link IllegalArgumentException} naming the setting. */
    public static CampaignSettings from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String groups = c.get(TARGET_GROUPS);
        List<String> targets = groups == null || groups.isBlank() ? List.of()
                : Arrays.stream(LIST.split(groups)).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String path : targets) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("Setting '" + TARGET_GROUPS + "': '" + path
                        + "' is not a group path; write it as /group or /parent/group");
            }
        }
        Optional<LocalDate> deadline = Optional.empty();
        String rawDeadline = c.get(DEADLINE);
        if (rawDeadline != null && !rawDeadline.isBlank()) {
            try {
                deadline = Optional.of(LocalDate.parse(rawDeadline.trim()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Setting '" + DEADLINE + "' has value '" + rawDeadline
                        + "': write a date as 2027-03-31");
            }
        }
        return new CampaignSettings(targets, deadline, number(c, SNOOZES, 3, 0, 20),
                number(c, RECONFIRM_DAYS, 0, 0, 3650));
    }

    private static int number(Map<String, String> c, String key, int fallback, int min, int max) {
        String raw = c.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("Setting '" + key + "' has value '" + raw + "': use a whole number from "
                + min + " to " + max);
    }
}
