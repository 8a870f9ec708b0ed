package io.governedrecovery.controls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.governedrecovery.flow.AppliedControls;
import io.governedrecovery.settings.InvalidSetting;

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

    public static final ControlSettings DEFAULTS = from(Map.of());

    public ControlSettings {
        trustedProxies = List.copyOf(trustedProxies);
        denied = List.copyOf(denied);
        allowed = List.copyOf(allowed);
    }

    public static ControlSettings from(Map<String, String> config) {
        Map<String, String> c = config == null ? Map.of() : config;
        String source = c.get(ANONYMIZER_LIST);
        source = source == null || source.isBlank() ? null : source.trim();
        if (source != null && !source.matches("(?i)https?://\\S+") && !source.startsWith("/")
                && !source.startsWith("file:")) {
            throw new InvalidSetting(ANONYMIZER_LIST, source, "an absolute file path, a file: URL or an http(s) URL");
        }
        return new ControlSettings(cidrs(c, TRUSTED_PROXIES), cidrs(c, DENY_CIDRS),
                Action.parse(DENY_ACTION, c.get(DENY_ACTION), Action.DENY),
                cidrs(c, ALLOW_CIDRS), Action.parse(OUTSIDE_ALLOW_ACTION, c.get(OUTSIDE_ALLOW_ACTION), Action.STEP_UP),
                source, Action.parse(ANONYMIZER_ACTION, c.get(ANONYMIZER_ACTION), Action.DENY),
                number(c, STARTS_PER_ADDRESS, 20), number(c, STARTS_PER_NAME, 10), number(c, SENDS_PER_USER, AppliedControls.DEFAULT_SENDS_PER_USER_HOUR),
                number(c, SENDS_PER_ADDRESS, AppliedControls.DEFAULT_SENDS_PER_ADDRESS_HOUR), bool(c, RISK_POLICY, true));
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

    private static int number(Map<String, String> c, String setting, int fallback) {
        String raw = c.get(setting);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1 && value <= 100_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSetting(setting, raw, "a whole number from 1 to 100000 (per hour)");
    }

    private static boolean bool(Map<String, String> c, String setting, boolean fallback) {
        String raw = c.get(setting);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        if (raw.trim().equalsIgnoreCase("true") || raw.trim().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw.trim());
        }
        throw new InvalidSetting(setting, raw, "true or false");
    }
}
