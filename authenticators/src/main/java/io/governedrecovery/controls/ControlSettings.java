package io.governedrecovery.controls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.governedrecovery.flow.AppliedControls;
import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

/**
 * The settings of the "recovery controls" step: network rules, cluster-wide rate limits and whether the scorer's
 * risk raises the bar. Every value is validated; a bad one throws {@link InvalidSetting} naming it.
 */
public record ControlSettings(List<Cidr> trustedProxies, List<Cidr> denied, Action deniedAction, List<Cidr> allowed,
                              Action outsideAllowedAction, String anonymizerSource, Action anonymizerAction,
                              int startsPerAddressHour, int startsPerNameHour, int sendsPerUserHour,
                              int sendsPerAddressHour, boolean riskPolicy) {

    /** What a network rule does to a reset. */
    public enum Action {
        /** Nothing: the configured policy. */
        ALLOW,
        /** One more strong method. */
        STEP_UP,
        /** No self-service: the neutral helpdesk page and an event. */
        DENY;

        static Action parse(String setting, String raw, Action fallback) {
            if (raw == null || raw.isBlank()) {
                return fallback;
            }
            return switch (raw.trim().toLowerCase(Locale.ROOT)) {
                case "allow" -> ALLOW;
                case "step-up" -> STEP_UP;
                case "deny" -> DENY;
                default -> throw new InvalidSetting(setting, raw, "allow, step-up or deny");
            };
        }
    }

    public static final String TRUSTED_PROXIES = "trusted-proxies";
    public static final String DENY_CIDRS = "deny-cidrs";
    public static final String DENY_ACTION = "deny-action";
    public static final String ALLOW_CIDRS = "allow-cidrs";
    public static final String OUTSIDE_ALLOW_ACTION = "outside-allow-action";
    public static final String ANONYMIZER_LIST = "anonymizer-list";
    public static final String ANONYMIZER_ACTION = "anonymizer-action";
    public static final String STARTS_PER_ADDRESS = "starts-per-ip-hour";
    public static final String STARTS_PER_NAME = "starts-per-name-hour";
    public static final String SENDS_PER_USER = "sends-per-user-hour";
    public static final String SENDS_PER_ADDRESS = "sends-per-ip-hour";
    public static final String RISK_POLICY = "risk-policy";

    private static final Pattern LIST = Pattern.compile("##|[,\\s]+");
    private static final int MAX_PER_HOUR = 100_000;

    /** Every setting of the step, declared once: the console's fields and the parser below are built from these. */
    static final class Declared {
        static final Setting TRUSTED_PROXIES = Setting.texts(ControlSettings.TRUSTED_PROXIES, "Trusted proxies",
                "Only for a Keycloak started without --proxy-headers (a fallback): addresses or networks (CIDR) of "
                        + "your reverse proxies. X-Forwarded-For is believed only for requests from these; the client "
                        + "is its right-most address that is not a trusted proxy. Empty: X-Forwarded-For is ignored. "
                        + "With --proxy-headers, Keycloak's own proxy options (--proxy-trusted-addresses) decide the "
                        + "client address and this setting is ignored.");
        static final Setting DENY_CIDRS = Setting.texts(ControlSettings.DENY_CIDRS, "Denied networks",
                "IPv4/IPv6 addresses or networks (CIDR) from which self-service reset is refused or stepped up (see "
                        + "the action).");
        static final Setting DENY_ACTION = Setting.choice(ControlSettings.DENY_ACTION, "Action for denied networks",
                "deny", List.of("deny", "step-up", "allow"), "deny: the neutral helpdesk page and an event; step-up: "
                        + "one more strong method; allow: only an event.");
        static final Setting ALLOW_CIDRS = Setting.texts(ControlSettings.ALLOW_CIDRS, "Expected networks",
                "If set, resets from outside these networks get the action below (for example the office and VPN "
                        + "ranges).");
        static final Setting OUTSIDE_ALLOW_ACTION = Setting.choice(ControlSettings.OUTSIDE_ALLOW_ACTION,
                "Action outside expected networks", "step-up", List.of("step-up", "deny", "allow"),
                "What a reset from outside the expected networks gets.");
        static final Setting ANONYMIZER_LIST = Setting.text(ControlSettings.ANONYMIZER_LIST, "Anonymizer list", null,
                "An https URL (http only to hosts the server option list-http-hosts allows) or a file under the "
                        + "directory the server option list-dir names, listing anonymizer addresses (for example Tor "
                        + "exit addresses), one address or network per line, at most 16 MB. Read in the background, "
                        + "never during a request; until it is read, and when it is refused, it counts as empty (the "
                        + "policy summary says why). An unreadable list keeps the last good one.");
        static final Setting ANONYMIZER_ACTION = Setting.choice(ControlSettings.ANONYMIZER_ACTION,
                "Action for anonymizer addresses", "deny", List.of("deny", "step-up", "allow"),
                "What a reset from a listed anonymizer address gets.");
        static final Setting STARTS_PER_ADDRESS = Setting.number(ControlSettings.STARTS_PER_ADDRESS,
                "Reset starts per address and hour", 20, 1, MAX_PER_HOUR,
                "Cluster-wide; beyond it the address gets a neutral 'try again later' page.");
        static final Setting STARTS_PER_NAME = Setting.number(ControlSettings.STARTS_PER_NAME,
                "Reset starts per name and hour", 10, 1, MAX_PER_HOUR,
                "Cluster-wide, counted per typed name whether or not an account has it.");
        static final Setting SENDS_PER_USER = Setting.number(ControlSettings.SENDS_PER_USER,
                "Code messages per account and hour", AppliedControls.DEFAULT_SENDS_PER_USER_HOUR, 1, MAX_PER_HOUR,
                "Email and SMS codes sent to one account, across all its resets; beyond it the page looks the same "
                        + "but nothing is sent.");
        static final Setting SENDS_PER_ADDRESS = Setting.number(ControlSettings.SENDS_PER_ADDRESS,
                "Code messages per address and hour", AppliedControls.DEFAULT_SENDS_PER_ADDRESS_HOUR, 1, MAX_PER_HOUR,
                "Email and SMS codes one client address may cause, across all accounts.");
        static final Setting RISK_POLICY = Setting.flag(ControlSettings.RISK_POLICY, "Risk raises the bar", true,
                "Elevated risk of the account or address (anomaly scorer): one more strong method; high risk: no "
                        + "self-service (the helpdesk page after the first method).");

        static final List<Setting> ALL = List.of(TRUSTED_PROXIES, DENY_CIDRS, DENY_ACTION, ALLOW_CIDRS,
                OUTSIDE_ALLOW_ACTION, ANONYMIZER_LIST, ANONYMIZER_ACTION, STARTS_PER_ADDRESS, STARTS_PER_NAME,
                SENDS_PER_USER, SENDS_PER_ADDRESS, RISK_POLICY);

        private Declared() {
        }
    }

    /** Every setting of the step (for the console and the README check). */
    public static List<Setting> declared() {
        return Declared.ALL;
    }

    public static final ControlSettings DEFAULTS = from(Map.of());

    public ControlSettings {
        trustedProxies = List.copyOf(trustedProxies);
        denied = List.copyOf(denied);
        allowed = List.copyOf(allowed);
    }

    public static ControlSettings from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String source = Declared.ANONYMIZER_LIST.text(c);
        if (source != null && !source.matches("(?i)https?://\\S+") && !source.startsWith("/")
                && !source.startsWith("file:")) {
            throw new InvalidSetting(ANONYMIZER_LIST, source, "an absolute file path, a file: URL or an http(s) URL");
        }
        return new ControlSettings(cidrs(c, TRUSTED_PROXIES), cidrs(c, DENY_CIDRS), action(c, Declared.DENY_ACTION),
                cidrs(c, ALLOW_CIDRS), action(c, Declared.OUTSIDE_ALLOW_ACTION), source,
                action(c, Declared.ANONYMIZER_ACTION), Declared.STARTS_PER_ADDRESS.number(c),
                Declared.STARTS_PER_NAME.number(c), Declared.SENDS_PER_USER.number(c),
                Declared.SENDS_PER_ADDRESS.number(c), Declared.RISK_POLICY.flag(c));
    }

    private static Action action(Map<String, String> c, Setting setting) {
        return Action.parse(setting.name(), c.get(setting.name()), Action.parse(setting.name(), setting.fallback(),
                null));
    }

    private static List<Cidr> cidrs(Map<String, String> c, String setting) {
        String raw = c.get(setting);
        List<Cidr> parsed = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return parsed;
        }
        for (String part : LIST.split(raw.trim())) {
            if (part.isEmpty()) {
                continue;
            }
            parsed.add(Cidr.parse(part).orElseThrow(() -> new InvalidSetting(setting, part,
                    "IPv4 or IPv6 addresses or networks such as 203.0.113.0/24 or 2001:db8::/32")));
        }
        return parsed;
    }
}
