package io.governedrecovery.governance;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

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

    /** Every setting of the campaign, declared once: the console's fields and the parser below are built from these. */
    static final Setting TARGET_GROUPS_SETTING = Setting.texts(TARGET_GROUPS, "Target groups",
            "Group paths (for example /pilot) whose members are asked at sign-in to register enough recovery methods "
                    + "for their policy. Empty: everyone. Start with a pilot group.");
    static final Setting DEADLINE_SETTING = Setting.text(DEADLINE, "Deadline", null,
            "Date (2027-03-31) after which nobody may put registering off any more.");
    static final Setting SNOOZES_SETTING = Setting.number(SNOOZES, "Times a user may put it off", 3, 0, 20,
            "How often a user may choose 'Later' before registering is required.");
    static final Setting RECONFIRM_DAYS_SETTING = Setting.number(RECONFIRM_DAYS, "Review methods every (days)", 0, 0,
            3650, "Users who meet their policy review and confirm their methods this often; 0 never.");

    /** Every setting of the campaign (for the console and the README check). */
    public static List<Setting> declared() {
        return List.of(TARGET_GROUPS_SETTING, DEADLINE_SETTING, SNOOZES_SETTING, RECONFIRM_DAYS_SETTING);
    }

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
                throw new InvalidSetting(DEADLINE, rawDeadline, "a date written like 2027-03-31");
            }
        }
        return new CampaignSettings(targets, deadline, SNOOZES_SETTING.number(c), RECONFIRM_DAYS_SETTING.number(c));
    }
}
