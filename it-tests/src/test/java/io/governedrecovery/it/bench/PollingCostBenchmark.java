package io.governedrecovery.it.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MetricValues;
import io.governedrecovery.it.harness.PostgresServer;
import io.governedrecovery.it.harness.SyslogReceiver;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.WebhookReceiver;

/**
 * Benchmark, not a test: what the event pipeline costs one node per second at a steady rate of events, with the
 * shipped defaults (poll every 250 ms; file, syslog over TCP, webhook and notices sinks) on PostgreSQL. The pipeline
 * feeds itself synthetic failed sign-ins ({@code fault-synthetic-events-per-second}, benchmarks only), because two
 * cores cannot push 1,000 sign-ins a second through Keycloak's pages. Measures, per second over a minute after a
 * warm-up: outbox rows each worker read, time each worker spent in its rounds, the server's CPU time, PostgreSQL's
 * committed transactions and rows returned, and whether delivery kept up. Writes a section of
 * benchmarks/event-pipeline.md between its markers.
 */
public final class PollingCostBenchmark {

    private static final String BEGIN = "<!-- polling-cost:begin -->";
    private static final String END = "<!-- polling-cost:end -->";
    private static final List<String> WORKERS = List.of("intake", "scorer", "file", "syslog", "webhook", "notices",
            "housekeeping");

    private PollingCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration warmUp = Duration.ofSeconds(Long.getLong("benchmark.warmup.seconds", 30));
        Duration measure = Duration.ofSeconds(Long.getLong("benchmark.measure.seconds", 60));
        Path report = Path.of(System.getProperty("benchmark.report", "../benchmarks/event-pipeline.md"));
        Path work = Path.of(System.getProperty("harness.work.dir", "target/benchmark")).resolve("polling-cost");
        KeycloakServer.copyDistribution(KeycloakServer.builder().build().distDir(), work.resolve("keycloak"));
        List<String> rows = new ArrayList<>();
        try (PostgresServer pg = PostgresServer.start(work); SyslogReceiver syslog = new SyslogReceiver();
             WebhookReceiver webhook = new WebhookReceiver()) {
            for (int rate : new int[] {0, 100, 1000}) {
                KeycloakServer node = pg.configure(KeycloakServer.builder()).distDir(work.resolve("keycloak"))
                        .keepData().workDir(work.resolve("node-" + rate))
                        .option(TestEnvironment.EVENTS_SPI + "export-dir", work.resolve("export").toString())
                        .option(TestEnvironment.EVENTS_SPI + "syslog-host", "127.0.0.1")
                        .option(TestEnvironment.EVENTS_SPI + "syslog-port", Integer.toString(syslog.port()))
                        .option(TestEnvironment.EVENTS_SPI + "webhook-url", webhook.url())
                        .env(TestEnvironment.WEBHOOK_SECRET_ENV, WebhookReceiver.SECRET)
                        .option(TestEnvironment.EVENTS_SPI + "fault-synthetic-events-per-second",
                                Integer.toString(rate))
                        .build();
                try {
                    node.start();
                    pause(warmUp);
                    Map<String, Double> before = sample(node, pg);
                    Instant from = Instant.now();
                    pause(measure);
                    Map<String, Double> after = sample(node, pg);
                    double seconds = Duration.between(from, Instant.now()).toMillis() / 1000.0;
                    rows.add(row(rate, before, after, seconds, node));
                    System.out.println(rows.get(rows.size() - 1));
                } finally {
                    node.close();
                }
            }
        }
        String section = BEGIN + "\n" + "Measured " + LocalDate.now() + " by `PollingCostBenchmark` ("
                + Runtime.getRuntime().availableProcessors() + " cores shared with other work; one node on "
                + "PostgreSQL 15, shipped defaults: poll 250 ms, batch 200, sinks file + syslog (TCP) + webhook + "
                + "notices; " + warmUp.toSeconds() + " s warm-up, then " + measure.toSeconds() + " s measured):\n\n"
                + "| events/s | outbox rows read/s: scorer | sinks (sum) | worker time ms/s: intake | scorer | sinks "
                + "(sum) | server CPU ms/s | PostgreSQL commits/s | rows returned/s (all of Keycloak) | pipeline "
                + "tables: rows by sequential scan/s | by index/s | delivered/s: file / syslog / webhook | backlog "
                + "at end |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n" + END;
        String md = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "";
        int b = md.indexOf(BEGIN);
        int e = md.indexOf(END);
        md = b >= 0 && e > b ? md.substring(0, b) + section + md.substring(e + END.length()) : md + "\n" + section + "\n";
        Files.writeString(report, md, StandardCharsets.UTF_8);
        System.out.println(section);
    }

    private static Map<String, Double> sample(KeycloakServer node, PostgresServer pg) {
        String metrics = node.metrics();
        Map<String, Double> s = new LinkedHashMap<>();
        for (String worker : WORKERS) {
            s.put("read." + worker, value(metrics, "governed_recovery_rows_read_total", Map.of("worker", worker)));
            s.put("time." + worker, value(metrics, "governed_recovery_worker_round_seconds_sum",
                    Map.of("worker", worker)));
        }
        for (String sink : List.of("file", "syslog", "webhook")) {
            s.put("exported." + sink, value(metrics, "governed_recovery_exported_total", Map.of("sink", sink)));
            s.put("backlog." + sink, value(metrics, "governed_recovery_export_backlog", Map.of("sink", sink)));
        }
        s.put("cpu", node.cpuTime().toMillis() / 1000.0);
        String[] db = pg.sql("SELECT xact_commit, tup_returned + tup_fetched FROM pg_stat_database "
                + "WHERE datname = 'keycloak'").trim().split("\t");
        s.put("commits", Double.parseDouble(db[0]));
        s.put("tuples", Double.parseDouble(db[1]));
        String[] ours = pg.sql("SELECT COALESCE(SUM(seq_tup_read), 0), COALESCE(SUM(idx_tup_fetch), 0) "
                + "FROM pg_stat_user_tables WHERE relname LIKE 'governed_recovery_%'").trim().split("\t");
        s.put("seqRows", Double.parseDouble(ours[0]));
        s.put("idxRows", Double.parseDouble(ours[1]));
        return s;
    }

    private static double value(String metrics, String name, Map<String, String> tags) {
        Double v = MetricValues.value(metrics, name, tags);
        return v == null ? 0 : v;
    }

    private static String row(int rate, Map<String, Double> a, Map<String, Double> b, double seconds,
                              KeycloakServer node) {
        java.util.function.Function<String, Double> per = k -> (b.get(k) - a.get(k)) / seconds;
        double sinkRows = 0;
        double sinkTime = 0;
        for (String sink : List.of("file", "syslog", "webhook", "notices")) {
            sinkRows += per.apply("read." + sink);
            sinkTime += per.apply("time." + sink);
        }
        return String.format(java.util.Locale.ROOT,
                "| %d | %.0f | %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f / %.0f / %.0f | %.0f |",
                rate, per.apply("read.scorer"), sinkRows, per.apply("time.intake") * 1000,
                per.apply("time.scorer") * 1000, sinkTime * 1000, per.apply("cpu") * 1000, per.apply("commits"),
                per.apply("tuples"), per.apply("seqRows"), per.apply("idxRows"), per.apply("exported.file"),
                per.apply("exported.syslog"),
                per.apply("exported.webhook"), b.get("backlog.file") + b.get("backlog.syslog")
                        + b.get("backlog.webhook"));
    }

    private static void pause(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis()); // a benchmark's measuring window, not a test waiting for an outcome
    }
}
