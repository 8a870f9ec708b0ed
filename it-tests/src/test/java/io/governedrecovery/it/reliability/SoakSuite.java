package io.governedrecovery.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.Processes;

/**
 * Soak: one Keycloak node on PostgreSQL at a steady rate for {@code suite.soak.minutes} (60): virtual users, each
 * starting a flow every few seconds (resets and sign-ins, governed and stock realm). Every minute the node's heap
 * after a full GC, its live threads, and the row counts of the pack's tables (records, pending deliveries, counters,
 * approvals, notices, baselines) and of Keycloak's own (events, sessions) are sampled.
 * <p>
 * The tables' bounds are days and hours (records are kept 7 days, counters for two of their windows), so an hour of
 * real time would only show them grow. The soak therefore compresses time: every {@code suite.soak.jump-seconds} (60)
 * it holds the virtual users between flows and moves Keycloak's clock (which the event pipeline follows) ahead by
 * {@code suite.soak.jump-hours} (4); an hour of soak covers 10 days, past the 7-day retention, so retention and the
 * counters' clean-up run for real and the tables must level off. Heap and threads are real time.
 * <p>
 * Run: {@code ./benchmarks/run soak} (report {@code benchmarks/soak.md}).
 */
class SoakSuite {

    private static final List<String> TABLES = List.of("GOVERNED_RECOVERY_RECORD", "GOVERNED_RECOVERY_DELIVERY",
            "GOVERNED_RECOVERY_COUNTER", "GOVERNED_RECOVERY_APPROVAL", "GOVERNED_RECOVERY_NOTICE",
            "GOVERNED_RECOVERY_BASELINE", "EVENT_ENTITY", "OFFLINE_USER_SESSION");

    /**
     * One sample; {@code staleRecords} are records whose event is older than the retention by more than
     * {@link #RECORD_GRACE} (retention runs hourly by the pipeline clock), {@code staleCounters} counters expired longer
     * ago than {@link #COUNTER_GRACE_JUMPS} clock jumps (their clean-up runs every ten real minutes).
     */
    record Sample(double minute, double simulatedHours, double heapMb, double threads, Map<String, Long> rows,
                  long staleRecords, long staleCounters, long flows, long errors) {
    }

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Duration RECORD_GRACE = Duration.ofHours(12);
    private static final int COUNTER_GRACE_JUMPS = 12;

    @Test
    void a_steady_rate_for_an_hour_leaves_heap_threads_and_tables_flat() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("suite.soak.minutes", 60));
        int users = Integer.getInteger("suite.soak.users", 12);
        Duration pacing = Duration.ofSeconds(Long.getLong("suite.soak.pacing-seconds", 8));
        Duration jumpEvery = Duration.ofSeconds(Long.getLong("suite.soak.jump-seconds", 60));
        long jumpHours = Long.getLong("suite.soak.jump-hours", 4);
        Duration sampleEvery = Duration.ofSeconds(Long.getLong("suite.soak.sample-seconds", 60));
        Path work = Path.of(System.getProperty("harness.work.dir", "target/harness")).resolveSibling("soak-suite");
        Path reportFile = Path.of(System.getProperty("suite.report.dir", "../benchmarks")).resolve("soak.md");

        try (SuiteCluster cluster = new SuiteCluster(work, 1, Map.of("sends-per-account", "255"));
             Traffic traffic = new Traffic(cluster.nodes, cluster.realms(), cluster.mail, cluster.sms)) {
            KeycloakServer node = cluster.nodes.get(0);
            cluster.createAccounts(traffic, users, 2);
            Instant start = Instant.now();
            Instant end = start.plus(length);
            CompletableFuture<Void> load = CompletableFuture.runAsync(
                    () -> traffic.run(users, 2, end, Duration.ofMillis(300), pacing));
            List<Sample> samples = new ArrayList<>();
            long offsetSeconds = 0;
            Instant nextJump = start.plus(jumpEvery);
            Instant nextSample = start;
            while (Instant.now().isBefore(end)) {
                if (!Instant.now().isBefore(nextSample)) {
                    samples.add(sample(cluster, node, traffic, start, offsetSeconds, jumpHours));
                    Sample last = samples.get(samples.size() - 1);
                    System.out.printf(Locale.ROOT, "soak %.1f min: %s%n", last.minute(), last);
                    nextSample = nextSample.plus(sampleEvery);
                }
                if (!Instant.now().isBefore(nextJump)) {
                    traffic.pause();
                    Await.until("the virtual users between two flows", Duration.ofMinutes(3),
                            () -> traffic.busy() == 0 ? Boolean.TRUE : null);
                    offsetSeconds += jumpHours * 3600;
                    node.setClockOffset((int) offsetSeconds);
                    traffic.resume();
                    nextJump = nextJump.plus(jumpEvery);
                }
                Thread.sleep(500);
            }
            load.get();
            samples.add(sample(cluster, node, traffic, start, offsetSeconds, jumpHours));
            node.setClockOffset(0);

            write(reportFile, node, samples, users, pacing, jumpEvery, jumpHours, traffic);
            traffic.errorExamples().forEach((k, v) -> System.out.println("ERROR EXAMPLE " + k + ":\n" + v));

            List<Sample> steady = steady(samples, jumpHours);
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            assertThat(traffic.errors()).as("flows that did not end as a user's would").isEmpty();
            assertThat(slopePerHour(liveSet(samples), Sample::heapMb)).as("heap's live set, MiB per hour")
                    .isLessThan(Math.max(64, first.heapMb() * 0.1));
            assertThat(max(steady, Sample::threads) - min(steady, Sample::threads))
                    .as("live threads, spread in the steady part").isLessThanOrEqualTo(20);
            assertThat(max(samples.subList(1, samples.size()), s -> s.rows().get("GOVERNED_RECOVERY_DELIVERY")))
                    .as("deliveries pending at any sample (no backlog)").isLessThan(1000);
            // Whatever the rate: nothing is kept past its bound (records 7 days, counters two windows).
            for (Sample sample : samples) {
                assertThat(sample.staleRecords()).as("records older than the retention at minute "
                        + Math.round(sample.minute())).isZero();
                assertThat(sample.staleCounters()).as("counters long expired at minute "
                        + Math.round(sample.minute())).isZero();
            }
            assertThat(last.simulatedHours()).as("the soak covered more than the retention")
                    .isGreaterThan(RETENTION.toHours() + 24);
        }
    }

    private static Sample sample(SuiteCluster cluster, KeycloakServer node, Traffic traffic, Instant start,
                                 long offsetSeconds, long jumpHours) {
        String jcmd = Path.of(System.getenv().getOrDefault("KEYCLOAK_JAVA_HOME", System.getProperty("java.home")),
                "bin", "jcmd").toString();
        Processes.run(List.of(jcmd, Long.toString(node.javaPid()), "GC.run"),
                cluster.work.resolve("jcmd.log"));
        String metrics = node.metrics();
        double heap = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1024 * 1024);
        double threads = metrics.lines().filter(l -> l.startsWith("jvm_threads_live_threads"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, table.equals("GOVERNED_RECOVERY_DELIVERY")
                    ? Long.parseLong(cluster.db.sql("SELECT COUNT(*) FROM " + table + " WHERE DELIVERY_STATE = 'PENDING'").trim())
                    : cluster.count(table));
        }
        long serverNow = System.currentTimeMillis() + offsetSeconds * 1000;
        long staleRecords = Long.parseLong(cluster.db.sql("SELECT COUNT(*) FROM GOVERNED_RECOVERY_RECORD WHERE "
                + "EVENT_TIME < " + (serverNow - RETENTION.plus(RECORD_GRACE).toMillis())).trim());
        long staleCounters = Long.parseLong(cluster.db.sql("SELECT COUNT(*) FROM GOVERNED_RECOVERY_COUNTER WHERE "
                + "EXPIRES_AT < " + (serverNow - Duration.ofHours(jumpHours * COUNTER_GRACE_JUMPS).toMillis())).trim());
        long flows = traffic.completed().values().stream().mapToLong(Long::longValue).sum();
        long errors = traffic.errors().values().stream().mapToLong(Long::longValue).sum();
        return new Sample(Duration.between(start, Instant.now()).toMillis() / 60000.0, offsetSeconds / 3600.0, heap,
                threads, rows, staleRecords, staleCounters, flows, errors);
    }

    private static void write(Path file, KeycloakServer node, List<Sample> samples, int users, Duration pacing,
                              Duration jumpEvery, long jumpHours, Traffic traffic) {
        SuiteReport report = SuiteReport.start("Soak: an hour at a steady rate on one node",
                node.distributionVersion(), "./benchmarks/run soak");
        Sample last = samples.get(samples.size() - 1);
        report.paragraph(String.format(Locale.ROOT, "One Keycloak node (start-dev, PostgreSQL 15 as the store) with "
                        + "the event pipeline's defaults (file, syslog and webhook sinks); %d virtual users each starting a "
                        + "flow every %d s (%.1f flows/s: governed and stock resets and sign-ins, alternating), for "
                        + "%.0f minutes; %d flows completed, %d errors. Time compressed for the tables: every %d s the "
                        + "users are held between flows and Keycloak's clock moves %d h ahead (%.0f simulated days in "
                        + "all; records are kept 7 days, counters two windows). Heap is measured after a full GC "
                        + "(jcmd GC.run) from Keycloak's metrics; samples every minute.",
                users, pacing.toSeconds(), users / (double) pacing.toSeconds(), last.minute(), last.flows(),
                last.errors(), jumpEvery.toSeconds(), jumpHours, last.simulatedHours() / 24));
        report.paragraph("Reading it: the pack's tables grow with the rate of events until their bound (records: "
                + "7 days of events, kept longer only while a sink has not delivered them; counters: two windows, "
                + "then removed within ten minutes), then stay at the rate times the bound; with the compressed clock "
                + "that bound is reached within the hour, and the exact check is that no row outlives it (the last "
                + "two rows). Keycloak's own event table keeps 30 days (the demo realm's setting) and is not the "
                + "pack's.");
        List<Sample> steady = steady(samples, jumpHours);
        List<Sample> live = liveSet(samples);
        report.heading(String.format(Locale.ROOT, "Slopes and bounds (steady part: minutes %.0f to %.0f)",
                steady.get(0).minute(), last.minute()));
        report.paragraph("Tables and threads are fitted over the steady part: from the first sample past the 7-day "
                + "retention on (before it the records grow towards their bound, as they should), or the second half "
                + "when the run is too short. The heap is read from Keycloak's metrics just after a full GC while the "
                + "users keep going, so a sample carries what was allocated in between: its live set is the lowest "
                + "sample of each ten minutes, fitted over the whole run.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("heap's live set (lowest after GC per 10 minutes, MiB)", fmt(live.get(0).heapMb()),
                fmt(live.get(live.size() - 1).heapMb()), fmt(slopePerHour(live, Sample::heapMb)) + " MiB/h"));
        rows.add(List.of("live threads", fmt(steady.get(0).threads()), fmt(last.threads()),
                fmt(slopePerHour(steady, Sample::threads)) + " /h"));
        for (String table : TABLES) {
            rows.add(List.of(table + " rows" + (table.endsWith("DELIVERY") ? " (pending)" : ""),
                    Long.toString(steady.get(0).rows().get(table)), Long.toString(last.rows().get(table)),
                    fmt(slopePerHour(steady, s -> s.rows().get(table))) + " /h"));
        }
        rows.add(List.of("records older than the retention (7 days) + 12 h", "-", Long.toString(last.staleRecords()),
                "max " + samples.stream().mapToLong(Sample::staleRecords).max().orElse(0)));
        rows.add(List.of("counters expired more than " + COUNTER_GRACE_JUMPS + " clock jumps ago", "-",
                Long.toString(last.staleCounters()),
                "max " + samples.stream().mapToLong(Sample::staleCounters).max().orElse(0)));
        report.table(List.of("measure", "first sample", "last sample", "slope"), rows);
        report.heading("Samples");
        List<String> columns = new ArrayList<>(List.of("minute", "simulated day", "heap MiB", "threads"));
        TABLES.forEach(t -> columns.add(t.replace("GOVERNED_RECOVERY_", "GR_")));
        columns.add("records past retention");
        columns.add("counters long expired");
        columns.add("flows");
        List<List<String>> sampleRows = new ArrayList<>();
        for (Sample s : samples) {
            List<String> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.0f", s.minute()),
                    String.format(Locale.ROOT, "%.1f", s.simulatedHours() / 24), fmt(s.heapMb()), fmt(s.threads())));
            TABLES.forEach(t -> row.add(Long.toString(s.rows().get(t))));
            row.add(Long.toString(s.staleRecords()));
            row.add(Long.toString(s.staleCounters()));
            row.add(Long.toString(s.flows()));
            sampleRows.add(row);
        }
        report.table(columns, sampleRows);
        if (!traffic.errors().isEmpty()) {
            List<List<String>> errorRows = new ArrayList<>();
            traffic.errors().forEach((k, v) -> errorRows.add(List.of(k.replace("|", "/"), Long.toString(v))));
            report.heading("Errors").table(List.of("error", "count"), errorRows);
        }
        report.write(file);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** The samples past the retention bound (the tables' steady state), or the second half of a shorter run. */
    static List<Sample> steady(List<Sample> samples, long jumpHours) {
        List<Sample> past = samples.stream()
                .filter(x -> x.simulatedHours() >= RETENTION.toHours() + jumpHours).toList();
        return past.size() >= 5 ? past : samples.subList(samples.size() / 2, samples.size());
    }

    /** The lowest heap sample of each ten minutes (what stays live), one per window. */
    static List<Sample> liveSet(List<Sample> samples) {
        java.util.TreeMap<Long, Sample> lowest = new java.util.TreeMap<>();
        for (Sample x : samples) {
            lowest.merge((long) (x.minute() / 10), x, (a, b) -> a.heapMb() <= b.heapMb() ? a : b);
        }
        return new ArrayList<>(lowest.values());
    }

    static double slopePerHour(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        if (samples.size() < 2) {
            return 0;
        }
        double[] minutes = samples.stream().mapToDouble(Sample::minute).toArray();
        double[] values = samples.stream().mapToDouble(y).toArray();
        return SuiteReport.fit(minutes, values)[1] * 60;
    }

    private static double max(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        return samples.stream().mapToDouble(y).max().orElse(0);
    }

    private static double min(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        return samples.stream().mapToDouble(y).min().orElse(0);
    }
}
