package io.governedrecovery.reset;

import io.governedrecovery.settings.InvalidSetting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.governedrecovery.core.policy.RecoveryPolicy;
import io.governedrecovery.method.MethodSettings;

/**
 * The realm's recovery policy and its limits, read from the reset authenticator's config (Authentication, the
 * governed reset flow, the step's settings). Every value is checked; a bad one names the setting, the value and the
 * allowed range.
 */
public record ResetSettings(Branch branch, boolean selfService, RecoveryPolicy policy, List<String> methods,
                            MethodSettings methodSettings, int maxSends, int failureBudget, int failureBudgetTotal,
                            Duration failureWindow,
                            String helpdeskText, String helpdeskUrl, boolean endOfflineSessions,
                            boolean riskRefused, OwnerDefence owner) {

    /**
     * The account owner as the last line of defence: how long a notice's "This was not me" link is valid, whether a
     * report also disables the account, and whether sign-ins from a new network are announced to the owner. Read from
     * the standard branch's step (one per realm).
     */
    public record OwnerDefence(Duration notMeLinkLifetime, boolean reportDisablesAccount, boolean newNetworkNotice,
                               boolean waitingPeriod, Duration waitingPeriodLength) {
        public static final OwnerDefence DEFAULTS = new OwnerDefence(Duration.ofDays(7), false, false, false,
                Duration.ofHours(72));
    }

    /** Which accounts a reset step serves. */
    public enum Branch {
        /** Every account the privileged branch did not take. Refuses privileged accounts it sees. */
        STANDARD,
        /** The privileged branch: only strong methods count; optionally no self-service at all. */
        PRIVILEGED
    }

    public static final String BRANCH = "branch";
    public static final String SELF_SERVICE = "self-service";

    public static final String MIN_METHODS = "min-methods";
    public static final String MIN_STRONG = "min-strong-methods";
    public static final String COOLDOWN_HOURS = "cooldown-hours";
    public static final String METHODS = "methods";
    public static final String CODE_LENGTH = "code-length";
    public static final String CODE_LIFETIME = "code-lifetime-seconds";
    public static final String CODE_ATTEMPTS = "code-attempts";
    public static final String MAX_SENDS = "max-sends";
    public static final String FAILURE_BUDGET = "failure-budget";
    public static final String FAILURE_BUDGET_TOTAL = "failure-budget-total";
    public static final String FAILURE_WINDOW = "failure-window-minutes";
    public static final String HELPDESK_TEXT = "helpdesk-text";
    public static final String HELPDESK_URL = "helpdesk-url";
    public static final String PHONE_ATTRIBUTE = "phone-attribute";
    public static final String PHONE_VERIFIED_ATTRIBUTE = "phone-verified-attribute";
    public static final String SHOW_MASKED = "show-masked-destinations";
    public static final String END_OFFLINE_SESSIONS = "end-offline-sessions";
    public static final String NOT_ME_LINK_DAYS = "not-me-link-days";
    public static final String NOT_ME_DISABLES_ACCOUNT = "not-me-disables-account";
    public static final String NEW_NETWORK_NOTICE = "new-network-notice";
    public static final String WAITING_PERIOD = "waiting-period";
    public static final String WAITING_PERIOD_HOURS = "waiting-period-hours";

    public static final String DEFAULT_PHONE_ATTRIBUTE = "phoneNumber";
    public static final String DEFAULT_PHONE_VERIFIED_ATTRIBUTE = "phoneNumberVerified";

    private static final Pattern MULTIVALUED = Pattern.compile("##");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ResetSettings {
        methods = List.copyOf(methods);
    }

    /**
     * Reads the settings; unset values take their defaults.
     *
     * @param installed the method ids this server has, in display order
     */
    public static ResetSettings from(Map<String, String> config, Collection<String> installed) {
        Map<String, String> c = config == null ? Map.of() : config;
        Branch branch = branch(c);
        int minMethods = integer(c, MIN_METHODS, 2, 2, RecoveryPolicy.MAX_CHANNELS);
        int minStrong;
        if (branch == Branch.PRIVILEGED) {
            // Email and SMS never count for a privileged account: every method required must be strong, whatever the
            // setting says (the console's dialog pre-fills the standard default, 1; saving it must not break the branch).
            integer(c, MIN_STRONG, minMethods, 0, minMethods);
            minStrong = minMethods;
        } else {
            minStrong = integer(c, MIN_STRONG, 1, 0, minMethods);
        }
        boolean selfService = bool(c, SELF_SERVICE, true);
        if (!selfService && branch != Branch.PRIVILEGED) {
            throw new InvalidSetting(SELF_SERVICE, "false", "true in the standard branch (turning self-service off is "
                    + "for the privileged branch)");
        }
        int cooldownHours = integer(c, COOLDOWN_HOURS, 72, 0, 24 * 30);
        RecoveryPolicy policy = new RecoveryPolicy(minMethods, minStrong, Duration.ofHours(cooldownHours), true);

        List<String> methods = new ArrayList<>();
        String rawMethods = c.get(METHODS);
        if (rawMethods == null || rawMethods.isBlank()) {
            methods.addAll(installed);
        } else {
            for (String id : MULTIVALUED.split(rawMethods)) {
                String trimmed = id.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!installed.contains(trimmed)) {
                    throw new InvalidSetting(METHODS, trimmed, "one of " + installed);
                }
                if (!methods.contains(trimmed)) {
                    methods.add(trimmed);
                }
            }
            // Keep the server's display order, whatever order the admin listed them in.
            methods.sort((a, b) -> List.copyOf(installed).indexOf(a) - List.copyOf(installed).indexOf(b));
        }
        if (methods.size() < minMethods) {
            throw new InvalidSetting(METHODS, String.join(",", methods),
                    "at least " + MIN_METHODS + " (" + minMethods + ") methods");
        }

        MethodSettings methodSettings = new MethodSettings(
                integer(c, CODE_LENGTH, 8, 6, 10),
                Duration.ofSeconds(integer(c, CODE_LIFETIME, 600, 10, 600)),
                integer(c, CODE_ATTEMPTS, 5, 1, 10),
                attributeName(c, PHONE_ATTRIBUTE, DEFAULT_PHONE_ATTRIBUTE),
                attributeName(c, PHONE_VERIFIED_ATTRIBUTE, DEFAULT_PHONE_VERIFIED_ATTRIBUTE),
                bool(c, SHOW_MASKED, false));

        String helpdeskUrl = text(c, HELPDESK_URL);
        if (helpdeskUrl != null && !helpdeskUrl.matches("(?i)(https?://|mailto:|tel:)\\S+")) {
            throw new InvalidSetting(HELPDESK_URL, helpdeskUrl, "an http(s), mailto: or tel: link");
        }
        int failureBudget = integer(c, FAILURE_BUDGET, 5, 1, 100);
        return new ResetSettings(branch, selfService, policy, methods, methodSettings,
                integer(c, MAX_SENDS, 3, 1, 10),
                failureBudget,
                integer(c, FAILURE_BUDGET_TOTAL, Math.max(20, failureBudget), failureBudget, 1000),
                Duration.ofMinutes(integer(c, FAILURE_WINDOW, 60, 1, 24 * 60)),
                text(c, HELPDESK_TEXT), helpdeskUrl,
                bool(c, END_OFFLINE_SESSIONS, true), false,
                new OwnerDefence(Duration.ofDays(integer(c, NOT_ME_LINK_DAYS, 7, 1, 30)),
                        bool(c, NOT_ME_DISABLES_ACCOUNT, false), bool(c, NEW_NETWORK_NOTICE, false),
                        bool(c, WAITING_PERIOD, false),
                        Duration.ofHours(integer(c, WAITING_PERIOD_HOURS, 72, 24, 720))));
    }

    /**
     * These settings as the recovery controls adjusted them for one flow: {@code extraStrong} more strong methods
     * (a network step-up, elevated risk), or no self-service at all (high risk).
     */
    public ResetSettings withControls(int extraStrong, boolean refused) {
        if (extraStrong <= 0 && !refused) {
            return this;
        }
        return new ResetSettings(branch, selfService && !refused, policy.withExtraStrong(Math.max(0, extraStrong)),
                methods, methodSettings, maxSends, failureBudget, failureBudgetTotal, failureWindow, helpdeskText,
                helpdeskUrl,
                endOfflineSessions, refused, owner);
    }

    private static Branch branch(Map<String, String> c) {
        String raw = text(c, BRANCH);
        if (raw == null || raw.equalsIgnoreCase("standard")) {
            return Branch.STANDARD;
        }
        if (raw.equalsIgnoreCase("privileged")) {
            return Branch.PRIVILEGED;
        }
        throw new InvalidSetting(BRANCH, raw, "standard or privileged");
    }

    private static int integer(Map<String, String> c, String key, int fallback, int min, int max) {
        String raw = c.get(key);
        if (raw == null || raw.isBlank()) {
            if (fallback < min || fallback > max) {
                throw new InvalidSetting(key, "(unset, default " + fallback + ")", min + " to " + max);
            }
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min || value > max) {
                throw new InvalidSetting(key, raw, min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSetting(key, raw, "a whole number from " + min + " to " + max);
        }
    }

    private static boolean bool(Map<String, String> c, String key, boolean fallback) {
        String raw = c.get(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        if (!raw.trim().equalsIgnoreCase("true") && !raw.trim().equalsIgnoreCase("false")) {
            throw new InvalidSetting(key, raw, "true or false");
        }
        return Boolean.parseBoolean(raw.trim());
    }

    private static String text(Map<String, String> c, String key) {
        String raw = c.get(key);
        return raw == null || raw.isBlank() ? null : raw.trim();
    }

    private static String attributeName(Map<String, String> c, String key, String fallback) {
        String raw = text(c, key);
        if (raw == null) {
            return fallback;
        }
        if (!ATTRIBUTE_NAME.matcher(raw).matches()) {
            throw new InvalidSetting(key, raw, "a user attribute name (letters, digits, . _ -)");
        }
        return raw;
    }

    /** The method ids in the order the settings list them (for tests and summaries). */
    public static List<String> split(String multivalued) {
        return Arrays.stream(MULTIVALUED.split(multivalued)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
