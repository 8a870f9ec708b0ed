package io.governedrecovery.it.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown report a reliability suite writes under {@code benchmarks/}: a title, the header every report carries
 * (date, machine, Java, Keycloak version, the command that reruns it), then the suite's own sections and tables.
 */
public final class SuiteReport {

    private final StringBuilder md = new StringBuilder();
    /** The suite's JVM runs this suite only: its start is the suite's. */
    private Instant started = Instant.ofEpochMilli(
            java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());

    private SuiteReport(String title) {
        md.append("# ").append(title).append("\n\n");
    }

    /** A report with the standard header: run date, machine, Java, the Keycloak version and the rerun command. */
    public static SuiteReport start(String title, String keycloakVersion, String command) {
        SuiteReport report = new SuiteReport(title);
        report.md.append("| | |\n|---|---|\n")
                .append("| run | ").append(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                        .format(Instant.now().atOffset(ZoneOffset.UTC))).append(" |\n")
                .append("| machine | ").append(machine()).append(" |\n")
                .append("| Java | Keycloak on ").append(keycloakJava()).append("; the suite on ")
                .append(System.getProperty("java.version")).append(" |\n")
                .append("| Keycloak | ").append(keycloakVersion).append(" |\n")
                .append("| rerun | `").append(command).append("` |\n\n");
        return report;
    }

    /** The suite began at {@code when} (a report rewritten after each step of a longer suite); its wall time counts from it. */
    public SuiteReport startedAt(Instant when) {
        this.started = when;
        return this;
    }

    public SuiteReport heading(String text) {
        md.append("## ").append(text).append("\n\n");
        return this;
    }

    public SuiteReport paragraph(String text) {
        md.append(text).append("\n\n");
        return this;
    }

    /** A table; every row has as many cells as {@code columns}. */
    public SuiteReport table(List<String> columns, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", columns)).append(" |\n|")
                .append("---|".repeat(columns.size())).append('\n');
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + row + " does not match " + columns);
            }
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        md.append('\n');
        return this;
    }

    public String text() {
        return md.toString();
    }

    /** Writes the report (with the suite's wall time) and prints it. */
    public void write(Path file) {
        String text = md + "Suite wall time: " + minutes(Duration.between(started, Instant.now())) + ".\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write " + file + ": " + e.getMessage(), e);
        }
        System.out.println(text);
        System.out.println("Report written to " + file.toAbsolutePath().normalize());
    }

    static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
    }

    /** {@code q} quantile (0..1) of samples, nearest rank. */
    public static double quantile(long[] samples, double q) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** The Java version Keycloak runs on (the harness's KEYCLOAK_JAVA_HOME). */
    static String keycloakJava() {
        String home = System.getenv("KEYCLOAK_JAVA_HOME");
        try {
            for (String line : Files.readAllLines(Path.of(home, "release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring(line.indexOf('=') + 1).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return "?";
    }

    /** Cores, memory and CPU model of this machine, as one line. */
    static String machine() {
        String cpu = "unknown CPU";
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count is still known
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + (memKb > 0 ? (memKb / 1024 / 1024) + " GiB" : "? GiB") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    /** The least-squares line through the points: {intercept, slope} (a single x: the line through the origin). */
    public static double[] fit(double[] x, double[] y) {
        int n = x.length;
        double mx = java.util.Arrays.stream(x).average().orElse(0);
        double my = java.util.Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxx == 0 ? (mx == 0 ? 0 : my / mx) : sxy / sxx;
        return new double[] {my - slope * mx, slope};
    }
}
