package io.governedrecovery.core.compat;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keycloak lines this JAR was built and tested for, and the decision whether a server's Keycloak version is one of
 * them. A line is a major.minor pair: every patch release of it counts (26.4.7, 26.4.8, and the Red Hat build's
 * {@code 26.4.7.redhat-00001}), nothing else does (26.6.x, 26.8.0, a snapshot, an unknown version).
 */
public final class SupportedKeycloak {

    /** Built and tested lines, oldest first. The README's compatibility table names the same. */
    public static final List<String> LINES = List.of("26.4", "26.5", "26.7");

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:[.-].*)?");

    private SupportedKeycloak() {
    }

    /** Whether a Keycloak version string ({@code org.keycloak.common.Version.VERSION}) is of a supported line. */
    public static boolean supports(String version) {
        if (version == null) {
            return false;
        }
        Matcher m = RELEASE.matcher(version.trim());
        if (!m.matches() || version.toUpperCase(java.util.Locale.ROOT).contains("SNAPSHOT")) {
            return false;
        }
        return LINES.contains(Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2)));
    }

    /** The one line the server logs when it refuses to start with this JAR, or empty when the version is supported. */
    public static Optional<String> refusal(String version) {
        if (supports(version)) {
            return Optional.empty();
        }
        return Optional.of("Governed Recovery supports Keycloak " + lineList() + " only; this server is Keycloak "
                + (version == null || version.isBlank() ? "(unknown version)" : version.trim())
                + ". Not starting: remove the Governed Recovery JAR from providers/ or install the release built for "
                + "this Keycloak version.");
    }

    /** "26.4.x, 26.5.x and 26.7.x". */
    static String lineList() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES.size(); i++) {
            if (i > 0) {
                text.append(i == LINES.size() - 1 ? " and " : ", ");
            }
            text.append(LINES.get(i)).append(".x");
        }
        return text.toString();
    }
}
