package io.governedrecovery.it.harness;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values out of Keycloak's {@code /metrics} (Prometheus text). */
public final class MetricValues {

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})? (\\S+)$",
            Pattern.MULTILINE);
    private static final Pattern TAG = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private MetricValues() {
    }

    /**
     * The sum of every series of {@code name} whose tags include {@code tags} (all series when empty); null when the
     * metric is not there at all.
     */
    public static Double value(String metricsText, String name, Map<String, String> tags) {
        Matcher m = LINE.matcher(metricsText);
        Double sum = null;
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                continue;
            }
            if (!tags.isEmpty()) {
                Matcher t = TAG.matcher(m.group(3) == null ? "" : m.group(3));
                Map<String, String> found = new java.util.HashMap<>();
                while (t.find()) {
                    found.put(t.group(1), t.group(2));
                }
                if (!tags.entrySet().stream().allMatch(e -> e.getValue().equals(found.get(e.getKey())))) {
                    continue;
                }
            }
            sum = (sum == null ? 0 : sum) + Double.parseDouble(m.group(4));
        }
        return sum;
    }

    /** {@link #value} of a server's metric now, 0 when absent. */
    public static double of(KeycloakServer server, String name, Map<String, String> tags) {
        Double v = value(server.metrics(), name, tags);
        return v == null ? 0 : v;
    }

    public static double of(KeycloakServer server, String name) {
        return of(server, name, Map.of());
    }
}
