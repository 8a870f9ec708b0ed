package io.governedrecovery.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;

/**
 * Load: two Keycloak nodes on PostgreSQL, {@code suite.load.users} (200) virtual users for
 * {@code suite.load.minutes} (10) after a warm-up, each alternating resets and sign-ins in the governed and the stock
 * realm on the same nodes (side by side in one run). Reports throughput and page times per flow with the ratio
 * governed / stock, the export lag to the webhook (p50, p99), errors, and whether every event Keycloak stored reached
 * the file, syslog and webhook sinks. Fails on any error of a flow and on any lost event.
 * <p>
 * Run: {@code ./benchmarks/run load} (report {@code benchmarks/load.md}).
 */
class LoadSuite {

    private static final List<String> COMMON_STEPS = List.of("sign-in page", "sign in", "reset page", "submit name",
            "set password");

    @Test
    void governed_and_stock_side_by_side_under_load() throws InterruptedException {
        int users = Integer.getInteger("suite.load.users", 200);
        int accountsPerUser = Integer.getInteger("suite.load.accounts-per-user", 2);
        Duration measure = Duration.ofMinutes(Long.getLong("suite.load.minutes", 10));
        Duration warmUp = Duration.ofSeconds(Long.getLong("suite.load.warmup-seconds", 60));
        Duration think = Duration.ofMillis(Long.getLong("suite.load.think-millis", 1000));
        Path work = Path.of(System.getProperty("harness.work.dir", "target/harness")).resolveSibling("load-suite");
        Path reportFile = Path.of(System.getProperty("suite.report.dir", "../benchmarks")).resolve("load.md");

        // Many accounts reset again and again by design: the scorer's per-account send rule would flag them.
        try (SuiteCluster cluster = new SuiteCluster(work, 2, Map.of("sends-per-account", "255"));
             Traffic traffic = new Traffic(cluster.nodes, cluster.realms(), cluster.mail, cluster.sms)) {
            cluster.createAccounts(traffic, users, accountsPerUser);
            traffic.run(users, accountsPerUser, Instant.now().plus(warmUp), think, Duration.ZERO);
            Map<String, Long> warmUpErrors = traffic.errors();
            traffic.errorExamples().forEach((k, v) -> System.out.println("WARM-UP ERROR EXAMPLE " + k + ":\n" + v));
            traffic.resetFigures();
            long from = System.currentTimeMillis();
            traffic.run(users, accountsPerUser, Instant.now().plus(measure), think, Duration.ZERO);
            long to = System.currentTimeMillis();
            double seconds = (to - from) / 1000.0;

            // Every event Keycloak stored reaches every sink; then the lag of those of the measured window.
            Set<String> stored = cluster.storedEventIds();
            Instant drainStart = Instant.now();
            Set<String> missingAtWebhook = new HashSet<>(stored);
            Set<String> missingInFiles = new HashSet<>(stored);
            Set<String> missingAtSyslog = new HashSet<>(stored);
            while (Instant.now().isBefore(drainStart.plus(Duration.ofMinutes(10)))
                    && !(missingAtWebhook.isEmpty() && missingInFiles.isEmpty() && missingAtSyslog.isEmpty())) {
                missingAtWebhook.removeAll(cluster.webhook.firstArrivals().keySet());
                missingInFiles.removeAll(cluster.fileIds());
                missingAtSyslog.removeAll(cluster.cluster.syslogIds());
                Thread.sleep(1000);
            }
            if (!missingAtWebhook.isEmpty() || !missingInFiles.isEmpty() || !missingAtSyslog.isEmpty()) {
                Set<String> some = new HashSet<>(missingAtWebhook);
                some.addAll(missingInFiles);
                some.addAll(missingAtSyslog);
                System.out.println("MISSING events (type, realm, time): " + cluster.db.sql(
                        "SELECT e.ID, e.TYPE, e.REALM_ID, e.EVENT_TIME FROM EVENT_ENTITY e WHERE e.ID IN ('"
                        + String.join("','", some.stream().limit(30).toList()) + "')"));
                System.out.println("Outbox rows for them: " + cluster.db.sql(
                        "SELECT RECORD_ID, SEQ FROM GOVERNED_RECOVERY_RECORD WHERE RECORD_ID IN ('"
                        + String.join("','", some.stream().limit(30).toList()) + "')"));
            }
            Duration drained = Duration.between(drainStart, Instant.now());
            Map<String, Long> arrivals = cluster.webhook.firstArrivals();
            List<Long> lags = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (JsonNode r : cluster.webhook.records()) {
                long time = r.path("time").asLong();
                String id = ExportedEvents.id(r);
                if (time >= from && time <= to && seen.add(id) && arrivals.containsKey(id)) {
                    lags.add(arrivals.get(id) - time);
                }
            }
            long[] lag = lags.stream().mapToLong(Long::longValue).toArray();
            long duplicates = cluster.webhook.records().size() - arrivals.size();

            SuiteReport report = SuiteReport.start("Load: " + users + " concurrent reset flows and sign-ins, governed vs stock",
                    cluster.nodes.get(0).distributionVersion(), "./benchmarks/run load");
            report.paragraph(String.format(Locale.ROOT, "Two Keycloak nodes (start-dev with PostgreSQL 15 as the store, "
                    + "each its own JVM; a sticky client: each virtual user stays on one node), the load generator, "
                    + "PostgreSQL, a mail catcher, an SMS gateway stub, a syslog and a webhook receiver on the same machine. "
                    + "%d virtual users, each with its own client address and %d accounts per realm, %d ms think "
                    + "time between pages, each page waited for up to %d s as a browser would; each repeats: reset an account, sign in with it, alternating the governed "
                    + "realm (name, code by email, code from the authenticator app, new password) and the stock realm (Keycloak's "
                    + "reset credentials: name, emailed link, new password). %d s warm-up (%d errors, listed below if "
                    + "any), then %.0f s measured. Event pipeline with the shipped defaults (file, syslog over TCP and webhook sinks, "
                    + "poll 250 ms) except `sends-per-account` = 255 (the load resets the same accounts on purpose). "
                    + "Governed accounts have an email address, a phone and an authenticator app (the demo policy "
                    + "asks for a strong method); stock accounts a password and an email address. Successful sign-ins "
                    + "of standard accounts are not exported (by design), so the loss check covers every other "
                    + "exported type Keycloak stored.",
                    users, accountsPerUser, think.toMillis(), Traffic.PAGE_TIMEOUT.toSeconds(), warmUp.toSeconds(),
                    warmUpErrors.values().stream().mapToLong(Long::longValue).sum(), seconds));

            Map<String, Long> done = traffic.completed();
            report.heading("Throughput (completed flows per second)");
            List<List<String>> rows = new ArrayList<>();
            for (String flow : List.of("reset", "sign-in")) {
                long g = done.getOrDefault("governed/" + flow, 0L);
                long s = done.getOrDefault("stock/" + flow, 0L);
                rows.add(List.of(flow, String.format(Locale.ROOT, "%.2f (%d)", g / seconds, g),
                        String.format(Locale.ROOT, "%.2f (%d)", s / seconds, s),
                        s == 0 ? "-" : String.format(Locale.ROOT, "%.2f", (double) g / s)));
            }
            report.table(List.of("flow", "governed /s (count)", "stock /s (count)", "ratio governed/stock"), rows);

            Map<String, long[]> pages = traffic.pageTimes();
            report.heading("Page times (ms, measured at the client: p50 / p95 / p99)");
            rows = new ArrayList<>();
            for (String step : COMMON_STEPS) {
                long[] g = pages.getOrDefault("governed/" + step, new long[0]);
                long[] s = pages.getOrDefault("stock/" + step, new long[0]);
                rows.add(List.of(step, ms(g), ms(s), ratio(g, s, 0.5), ratio(g, s, 0.95)));
            }
            for (String step : List.of("choose method", "verify code")) {
                rows.add(List.of(step + " (governed only, x2 per reset)", ms(pages.getOrDefault("governed/" + step,
                        new long[0])), "-", "-", "-"));
            }
            rows.add(List.of("sign in: app code (governed only: its accounts have an authenticator app)",
                    ms(pages.getOrDefault("governed/sign in: app code", new long[0])), "-", "-", "-"));
            rows.add(List.of("open emailed link (stock only)", "-", ms(pages.getOrDefault("stock/open emailed link",
                    new long[0])), "-", "-"));
            report.table(List.of("page", "governed p50 / p95 / p99", "stock p50 / p95 / p99", "ratio p50", "ratio p95"), rows);

            report.heading("Export and errors");
            Map<String, Long> errors = traffic.errors();
            report.table(List.of("figure", "value"), List.of(
                    List.of("events Keycloak stored (both realms, exported types)", Integer.toString(stored.size())),
                    List.of("of them missing at the webhook / in the files / at syslog after the run",
                            missingAtWebhook.size() + " / " + missingInFiles.size() + " / " + missingAtSyslog.size()
                            + " (awaited: " + drained.toSeconds()
                            + " s after the load stopped)"),
                    List.of("export lag to the webhook, p50 / p99 / max (ms, event time to arrival)",
                            String.format(Locale.ROOT, "%.0f / %.0f / %.0f", SuiteReport.quantile(lag, 0.5),
                                    SuiteReport.quantile(lag, 0.99), SuiteReport.quantile(lag, 1.0))),
                    List.of("records delivered twice to the webhook (same id)", Long.toString(duplicates)),
                    List.of("flow errors (measured)", Long.toString(errors.values().stream().mapToLong(Long::longValue)
                            .sum()))));
            if (!errors.isEmpty() || !warmUpErrors.isEmpty()) {
                List<List<String>> errorRows = new ArrayList<>();
                warmUpErrors.forEach((k, v) -> errorRows.add(List.of("warm-up", k.replace("|", "/"),
                        Long.toString(v))));
                errors.forEach((k, v) -> errorRows.add(List.of("measured", k.replace("|", "/"), Long.toString(v))));
                report.table(List.of("phase", "error", "count"), errorRows);
            }
            report.write(reportFile);
            traffic.errorExamples().forEach((k, v) -> System.out.println("ERROR EXAMPLE " + k + ":\n" + v));

            assertThat(missingAtWebhook).as("stored events that never reached the webhook").isEmpty();
            assertThat(missingInFiles).as("stored events that never reached the file export").isEmpty();
            assertThat(missingAtSyslog).as("stored events that never reached syslog").isEmpty();
            assertThat(errors).as("flows that did not end as a user's would").isEmpty();
            assertThat(done.getOrDefault("governed/reset", 0L)).as("governed resets completed").isPositive();
            assertThat(done.getOrDefault("stock/reset", 0L)).as("stock resets completed").isPositive();
        }
    }

    static String ms(long[] samples) {
        if (samples.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", SuiteReport.quantile(samples, 0.5) / 1e6,
                SuiteReport.quantile(samples, 0.95) / 1e6, SuiteReport.quantile(samples, 0.99) / 1e6);
    }

    static String ratio(long[] governed, long[] stock, double q) {
        if (governed.length == 0 || stock.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f", SuiteReport.quantile(governed, q) / SuiteReport.quantile(stock, q));
    }
}
