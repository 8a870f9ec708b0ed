package io.governedrecovery.reset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.core.policy.RecoveryPolicy;
import io.governedrecovery.method.MethodSettings;
import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

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

    /** Every setting of the step, declared once: the console's fields and the parser below are built from these. */
    static final class Declared {
        static final Setting BRANCH = Setting.choice(ResetSettings.BRANCH, "Branch", "standard",
                List.of("standard", "privileged"), "'standard': the step every account reaches; it holds privileged "
                        + "accounts to the settings of the privileged branch's step and refuses break-glass accounts. "
                        + "'privileged': the step inside the branch under 'Condition - privileged account' (after the "
                        + "standard step); its settings are the privileged policy: only strong methods count, and "
                        + "self-service can be turned off.");
        static final Setting SELF_SERVICE = Setting.flag(ResetSettings.SELF_SERVICE, "Self-service", true,
                "Privileged branch only. Off: after the first proven method the user sees the administrator recovery "
                        + "procedure (the helpdesk text and link below) instead of a reset.");
        static final Setting MIN_METHODS = Setting.number(ResetSettings.MIN_METHODS, "Methods required", 2, 2,
                RecoveryPolicy.MAX_CHANNELS, "How many methods the user must prove before a reset, counted by "
                        + "distinct channel (an SMS and a call to one number count once).");
        static final Setting MIN_STRONG = Setting.number(ResetSettings.MIN_STRONG, "Strong methods required", 1, 0,
                RecoveryPolicy.MAX_CHANNELS, "How many of them must be strong (authenticator app, security key or "
                        + "passkey, recovery codes). 0 lets email plus SMS alone reset a password: only set it "
                        + "knowingly. In the privileged branch it is ignored: every required method must be strong "
                        + "there.").allowedAs("0 to 'Methods required'");
        static final Setting COOLDOWN_HOURS = Setting.number(ResetSettings.COOLDOWN_HOURS,
                "Cooldown after a method change (hours)", 72, 0, 24 * 30,
                "A method added or changed less than this many hours ago does not count.");
        static final Setting METHODS = Setting.choices(ResetSettings.METHODS, "Methods offered",
                "Which methods the selection page offers. Empty offers all installed methods. The page lists the same "
                        + "methods for every account.");
        static final Setting CODE_LENGTH = Setting.number(ResetSettings.CODE_LENGTH, "Code length", 8, 6, 10,
                "Digits of codes sent by email or SMS.");
        static final Setting CODE_LIFETIME = Setting.number(ResetSettings.CODE_LIFETIME, "Code lifetime (seconds)",
                600, 10, 600, "How long a sent code is valid, in seconds.");
        static final Setting CODE_ATTEMPTS = Setting.number(ResetSettings.CODE_ATTEMPTS, "Tries per code", 5, 1, 10,
                "Wrong tries a sent code survives before the user must ask for a new one.");
        static final Setting MAX_SENDS = Setting.number(ResetSettings.MAX_SENDS, "Codes per method and reset", 3, 1,
                10, "How many codes (the first and the resent ones) one reset may send per method.");
        static final Setting FAILURE_BUDGET = Setting.number(ResetSettings.FAILURE_BUDGET,
                "Failures before a method pauses", 5, 1, 100, "Failed tries per method, per name typed and client "
                        + "address, across resets and cluster nodes, after which the method pauses for that name and "
                        + "address (correct codes are refused too).");
        static final Setting FAILURE_BUDGET_TOTAL = Setting.number(ResetSettings.FAILURE_BUDGET_TOTAL,
                "Failures before a method pauses everywhere", 20, 1, 1000, "Failed tries per method and name typed, "
                        + "from all addresses together, after which the method pauses for that name from every "
                        + "address. Bounds the guesses of an attacker with many addresses; the per-address budget "
                        + "keeps one attacker from pausing the owner's method.")
                .allowedAs("'Failures before a method pauses' to 1000");
        static final Setting FAILURE_WINDOW = Setting.number(ResetSettings.FAILURE_WINDOW,
                "Failure window (minutes)", 60, 1, 24 * 60, "The sliding window failures are counted in; a paused "
                        + "method resumes as failures age out of it.");
        static final Setting HELPDESK_TEXT = Setting.text(ResetSettings.HELPDESK_TEXT, "Helpdesk text", null,
                "What users who cannot reset themselves should do, for example 'Call the IT helpdesk on +49 30 1234 "
                        + "567'. Empty shows the theme's text (message governedRecoveryHelpdeskText, translatable "
                        + "under Realm settings, Localization).");
        static final Setting HELPDESK_URL = Setting.text(ResetSettings.HELPDESK_URL, "Helpdesk link", null,
                "A link for the helpdesk (https://, mailto: or tel:). Optional.");
        static final Setting PHONE_ATTRIBUTE = Setting.text(ResetSettings.PHONE_ATTRIBUTE, "Phone number attribute",
                DEFAULT_PHONE_ATTRIBUTE, "User attribute with the recovery phone number in E.164 form "
                        + "(+4917012345678).");
        static final Setting PHONE_VERIFIED_ATTRIBUTE = Setting.text(ResetSettings.PHONE_VERIFIED_ATTRIBUTE,
                "Phone confirmed attribute", DEFAULT_PHONE_VERIFIED_ATTRIBUTE, "User attribute that is 'true' once "
                        + "the number was confirmed with a code. Unconfirmed numbers are not used.");
        static final Setting SHOW_MASKED = Setting.flag(ResetSettings.SHOW_MASKED, "Show masked destinations", false,
                "Show where a code went (a•••e@e•••e.test). Off by default: it tells, to anyone who types a "
                        + "name, that the account exists and has that method.");
        static final Setting END_OFFLINE_SESSIONS = Setting.flag(ResetSettings.END_OFFLINE_SESSIONS,
                "End offline sessions too", true, "After a reset, end the user's offline sessions (long-lived "
                        + "refresh tokens) as well as the other browser sessions.");
        static final Setting NOT_ME_LINK_DAYS = Setting.number(ResetSettings.NOT_ME_LINK_DAYS,
                "'This was not me' link lifetime (days)", 7, 1, 30, "Every notice to an account's owner carries a "
                        + "'This was not me' link, valid this many days. Confirming it freezes the account's "
                        + "self-service recovery, signs out every session and tells the security contacts. Read from "
                        + "the standard branch's step.");
        static final Setting NOT_ME_DISABLES_ACCOUNT = Setting.flag(ResetSettings.NOT_ME_DISABLES_ACCOUNT,
                "'This was not me' disables the account", false, "Also disable the account when its owner reports "
                        + "a change as not theirs. Off by default: the owner still signs in with the password and "
                        + "second factor. Read from the standard branch's step.");
        static final Setting NEW_NETWORK_NOTICE = Setting.flag(ResetSettings.NEW_NETWORK_NOTICE,
                "Notify sign-ins from a new network", false, "Tell the owner (when, from which network, which "
                        + "application, with 'This was not me') when an account signs in from a network it was not "
                        + "seen from; at most one notice per account and network a day. Read from the standard "
                        + "branch's step.");
        static final Setting WAITING_PERIOD = Setting.flag(ResetSettings.WAITING_PERIOD, "Offer a waiting period",
                false, "A user who proved one method but cannot meet the policy may wait instead of calling the "
                        + "helpdesk: every channel of the account is told at the start and halfway, any sign-in, "
                        + "cancel or new reset ends the wait, and after it the same browser proves the same method "
                        + "again. Standard accounts only. Read from the standard branch's step.");
        static final Setting WAITING_PERIOD_HOURS = Setting.number(ResetSettings.WAITING_PERIOD_HOURS,
                "Waiting period (hours)", 72, 24, 720, "How long the wait lasts, in hours.");

        static final List<Setting> ALL = List.of(BRANCH, SELF_SERVICE, MIN_METHODS, MIN_STRONG, COOLDOWN_HOURS,
                METHODS, CODE_LENGTH, CODE_LIFETIME, CODE_ATTEMPTS, MAX_SENDS, FAILURE_BUDGET, FAILURE_BUDGET_TOTAL,
                FAILURE_WINDOW, HELPDESK_TEXT, HELPDESK_URL, PHONE_ATTRIBUTE, PHONE_VERIFIED_ATTRIBUTE, SHOW_MASKED,
                END_OFFLINE_SESSIONS, NOT_ME_LINK_DAYS, NOT_ME_DISABLES_ACCOUNT, NEW_NETWORK_NOTICE, WAITING_PERIOD,
                WAITING_PERIOD_HOURS);

        private Declared() {
        }
    }

    /** Every setting of the step (for the README check). */
    public static List<Setting> declared() {
        return Declared.ALL;
    }

    /** The console's fields; {@code installed} are the method ids the "Methods offered" field lists. */
    public static List<ProviderConfigProperty> properties(List<String> installed) {
        return Declared.ALL.stream()
                .map(s -> s == Declared.METHODS ? s.property(installed) : s.property())
                .toList();
    }

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
        int minMethods = Declared.MIN_METHODS.number(c);
        int minStrong;
        if (branch == Branch.PRIVILEGED) {
            // Email and SMS never count for a privileged account: every method required must be strong, whatever the
            // setting says (the console's dialog pre-fills the standard default, 1; saving it must not break the branch).
            Declared.MIN_STRONG.number(c, minMethods, 0, minMethods);
            minStrong = minMethods;
        } else {
            minStrong = Declared.MIN_STRONG.number(c, 1, 0, minMethods);
        }
        boolean selfService = Declared.SELF_SERVICE.flag(c);
        if (!selfService && branch != Branch.PRIVILEGED) {
            throw new InvalidSetting(SELF_SERVICE, "false", "true in the standard branch (turning self-service off is "
                    + "for the privileged branch)");
        }
        int cooldownHours = Declared.COOLDOWN_HOURS.number(c);
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
                Declared.CODE_LENGTH.number(c),
                Duration.ofSeconds(Declared.CODE_LIFETIME.number(c)),
                Declared.CODE_ATTEMPTS.number(c),
                attributeName(c, Declared.PHONE_ATTRIBUTE),
                attributeName(c, Declared.PHONE_VERIFIED_ATTRIBUTE),
                Declared.SHOW_MASKED.flag(c));

        String helpdeskUrl = Declared.HELPDESK_URL.text(c);
        if (helpdeskUrl != null && !helpdeskUrl.matches("(?i)(https?://|mailto:|tel:)\\S+")) {
            throw new InvalidSetting(HELPDESK_URL, helpdeskUrl, "an http(s), mailto: or tel: link");
        }
        int failureBudget = Declared.FAILURE_BUDGET.number(c);
        return new ResetSettings(branch, selfService, policy, methods, methodSettings,
                Declared.MAX_SENDS.number(c),
                failureBudget,
                Declared.FAILURE_BUDGET_TOTAL.number(c, Math.max(20, failureBudget), failureBudget, 1000),
                Duration.ofMinutes(Declared.FAILURE_WINDOW.number(c)),
                Declared.HELPDESK_TEXT.text(c), helpdeskUrl,
                Declared.END_OFFLINE_SESSIONS.flag(c), false,
                new OwnerDefence(Duration.ofDays(Declared.NOT_ME_LINK_DAYS.number(c)),
                        Declared.NOT_ME_DISABLES_ACCOUNT.flag(c), Declared.NEW_NETWORK_NOTICE.flag(c),
                        Declared.WAITING_PERIOD.flag(c),
                        Duration.ofHours(Declared.WAITING_PERIOD_HOURS.number(c))));
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
        String raw = Declared.BRANCH.text(c);
        if (raw == null || raw.equalsIgnoreCase("standard")) {
            return Branch.STANDARD;
        }
        if (raw.equalsIgnoreCase("privileged")) {
            return Branch.PRIVILEGED;
        }
        throw new InvalidSetting(BRANCH, raw, "standard or privileged");
    }

    private static String attributeName(Map<String, String> c, Setting setting) {
        String raw = setting.text(c);
        if (!ATTRIBUTE_NAME.matcher(raw).matches()) {
            throw new InvalidSetting(setting.name(), raw, "a user attribute name (letters, digits, . _ -)");
        }
        return raw;
    }

    /** The method ids in the order the settings list them (for tests and summaries). */
    public static List<String> split(String multivalued) {
        return Arrays.stream(MULTIVALUED.split(multivalued)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
