package io.governedrecovery.settings;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.keycloak.provider.ProviderConfigProperty;

/**
 * One setting of a step, declared once: its name, label, type, default, allowed values and help text. The admin
 * console's field ({@link #property()}) and the parser with its error messages ({@link #number}, {@link #flag},
 * {@link #text}) are both built from it, and {@code SettingsDocumentedTest} checks the README's tables against it, so
 * a range or a default is written in one place.
 */
public final class Setting {

    /** The kinds of value a setting holds. */
    public enum Type { NUMBER, FLAG, TEXT, TEXTS, URL, SECRET, CHOICE, CHOICES }

    private final String name;
    private final String label;
    private final Type type;
    private final String fallback;
    private final int min;
    private final int max;
    private final String allowed;
    private final List<String> options;
    private final String help;

    private Setting(String name, String label, Type type, String fallback, int min, int max, String allowed,
                    List<String> options, String help) {
        this.name = name;
        this.label = label;
        this.type = type;
        this.fallback = fallback;
        this.min = min;
        this.max = max;
        this.allowed = allowed;
        this.options = List.copyOf(options);
        this.help = help;
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting number(String name, String label, int fallback, int min, int max, String help) {
        if (fallback < min || fallback > max) {
            throw new IllegalArgumentException(name + ": default " + fallback + " outside " + min + " to " + max);
        }
        return new Setting(name, label, Type.NUMBER, Integer.toString(fallback), min, max, min + " to " + max,
                List.of(), help);
    }

    /** true or false. */
    public static Setting flag(String name, String label, boolean fallback, String help) {
        return new Setting(name, label, Type.FLAG, Boolean.toString(fallback), 0, 0, "true or false", List.of(), help);
    }

    /** Free text; {@code fallback} may be null (no default). */
    public static Setting text(String name, String label, String fallback, String help) {
        return new Setting(name, label, Type.TEXT, fallback, 0, 0, null, List.of(), help);
    }

    /** Several free-text values (group paths, roles); the parser's caller splits and checks them. */
    public static Setting texts(String name, String label, String help) {
        return new Setting(name, label, Type.TEXTS, null, 0, 0, null, List.of(), help);
    }

    /** Several free-text values with a default, stored as Keycloak stores a multivalued field ({@code ##}). */
    public static Setting texts(String name, String label, List<String> fallback, String help) {
        return new Setting(name, label, Type.TEXTS, String.join("##", fallback), 0, 0, null, List.of(), help);
    }

    /** A URL; the parser's caller checks its scheme. */
    public static Setting url(String name, String label, String help) {
        return new Setting(name, label, Type.URL, null, 0, 0, null, List.of(), help);
    }

    /** A secret: shown masked in the console, never with a default. */
    public static Setting secret(String name, String label, String help) {
        return new Setting(name, label, Type.SECRET, null, 0, 0, null, List.of(), help);
    }

    /** One of {@code options}. */
    public static Setting choice(String name, String label, String fallback, List<String> options, String help) {
        return new Setting(name, label, Type.CHOICE, fallback, 0, 0, String.join(" or ", options), options, help);
    }

    /** Several of a list of values known only when the server runs (given to {@link #property(List)}). */
    public static Setting choices(String name, String label, String help) {
        return new Setting(name, label, Type.CHOICES, null, 0, 0, null, List.of(), help);
    }

    /**
     * This number setting with its allowed range described in words, for a bound that depends on another setting
     * (for example "0 to 'Methods required'"); the parser then takes the bounds at {@link #number(Map, int, int, int)}.
     */
    public Setting allowedAs(String words) {
        return new Setting(name, label, type, fallback, min, max, words, options, help);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The default as the console and the README show it; null when there is none. */
    public String fallback() {
        return fallback;
    }

    /** The allowed values in words ("2 to 5", "true or false"); null for free text. */
    public String allowed() {
        return allowed;
    }

    /** The help text with the allowed values. */
    public String helpText() {
        return type == Type.NUMBER ? help + " Allowed: " + allowed + "." : help;
    }

    /** The console's field. */
    public ProviderConfigProperty property() {
        return property(options);
    }

    /** The console's field, with the values to choose from (for {@link #choices}). */
    public ProviderConfigProperty property(List<String> values) {
        ProviderConfigProperty p = new ProviderConfigProperty();
        p.setName(name);
        p.setLabel(label);
        p.setHelpText(helpText());
        p.setType(switch (type) {
            case NUMBER -> ProviderConfigProperty.INTEGER_TYPE;
            case FLAG -> ProviderConfigProperty.BOOLEAN_TYPE;
            case TEXT -> ProviderConfigProperty.STRING_TYPE;
            case TEXTS -> ProviderConfigProperty.MULTIVALUED_STRING_TYPE;
            case URL -> ProviderConfigProperty.URL_TYPE;
            case SECRET -> ProviderConfigProperty.PASSWORD;
            case CHOICE -> ProviderConfigProperty.LIST_TYPE;
            case CHOICES -> ProviderConfigProperty.MULTIVALUED_LIST_TYPE;
        });
        if (!values.isEmpty()) {
            p.setOptions(values);
        }
        p.setSecret(type == Type.SECRET);
        if (fallback != null) {
            p.setDefaultValue(switch (type) {
                case NUMBER -> Integer.valueOf(fallback);
                case FLAG -> Boolean.valueOf(fallback);
                default -> fallback;
            });
        }
        return p;
    }

    /** The console's fields of {@code settings}, in order. */
    public static List<ProviderConfigProperty> properties(List<Setting> settings) {
        return settings.stream().map(Setting::property).toList();
    }

    /** The value, or the default when unset. */
    public int number(Map<String, String> config) {
        return number(config::get);
    }

    /** The value within bounds that depend on other settings, or {@code dflt} when unset. */
    public int number(Map<String, String> config, int dflt, int low, int high) {
        return number(config::get, dflt, low, high);
    }

    /** The value read through {@code get} (a server option's scope), or the default when unset. */
    public int number(Function<String, String> get) {
        return number(get, Integer.parseInt(fallback), min, max);
    }

    /** The value read through {@code get} within bounds of its caller's, or {@code dflt} when unset. */
    public int number(Function<String, String> get, int dflt, int low, int high) {
        String raw = get.apply(name);
        if (raw == null || raw.isBlank()) {
            if (dflt < low || dflt > high) {
                throw new InvalidSetting(name, "(unset, default " + dflt + ")", low + " to " + high);
            }
            return dflt;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < low || value > high) {
                throw new InvalidSetting(name, raw, low + " to " + high);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidSetting(name, raw, "a whole number from " + low + " to " + high);
        }
    }

    /** The value, or the default when unset. */
    public boolean flag(Map<String, String> config) {
        return flag(config::get);
    }

    /** The value read through {@code get}, or the default when unset. */
    public boolean flag(Function<String, String> get) {
        String raw = get.apply(name);
        if (raw == null || raw.isBlank()) {
            return Boolean.parseBoolean(fallback);
        }
        if (!raw.trim().equalsIgnoreCase("true") && !raw.trim().equalsIgnoreCase("false")) {
            throw new InvalidSetting(name, raw, "true or false");
        }
        return Boolean.parseBoolean(raw.trim());
    }

    /** The value trimmed, or the default (possibly null) when unset or blank. */
    public String text(Map<String, String> config) {
        return text(config::get);
    }

    /** The value read through {@code get}, trimmed, or the default (possibly null) when unset or blank. */
    public String text(Function<String, String> get) {
        String raw = get.apply(name);
        return raw == null || raw.isBlank() ? fallback : raw.trim();
    }
}
