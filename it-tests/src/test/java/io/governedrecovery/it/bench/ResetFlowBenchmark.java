package io.governedrecovery.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Benchmark, not a test: server time per page of the governed reset against Keycloak's stock reset, both on one
 * server in one run, alternating, each page timed from the client on loopback. Writes a Markdown report.
 *
 * <p>Run: {@code ./mvnw -B -DskipTests install && ./mvnw -B -pl it-tests exec:java@reset-flow-benchmark}
 * (optional {@code -Dbenchmark.rounds=200}).
 */
public final class ResetFlowBenchmark {

    private ResetFlowBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = Integer.getInteger("benchmark.rounds", 200);
        int warmup = Math.max(20, rounds / 5);
        Path report = Path.of(System.getProperty("benchmark.report", "../benchmarks/reset-flow.md"));
        try (TestEnvironment env = TestEnvironment.start()) {
            Realms.importRealm(env.server(), env.mail(), Realms.DEMO, "bench-governed",
                    json -> Realms.withoutRateLimits(json).remove("users"));
            Realms.importRealm(env.server(), env.mail(), Realms.DEMO, "bench-stock", json -> {
                json.remove("users");
                json.put("resetCredentialsFlow", "reset credentials");
            });
            TestRealm governed = TestRealm.existing(env.server(), "bench-governed");
            TestRealm stock = TestRealm.existing(env.server(), "bench-stock");
            governed.user("bench-user").create();
            stock.user("bench-user").create();

            run(governed, stock, warmup);
            long[][] t = run(governed, stock, rounds);
            write(report, rounds, t);
        }
    }

    /** Rows: stock reset page, stock name, governed reset page, governed name, governed email-code choice. */
    private static long[][] run(TestRealm governed, TestRealm stock, int rounds) {
        long[][] t = new long[5][rounds];
        for (int i = 0; i < rounds; i++) {
            FlowClient s = new FlowClient();
            FlowClient.Page sReset = s.openResetPage(stock);
            t[0][i] = sReset.took().toNanos();
            t[1][i] = s.requestReset(sReset, "bench-user").took().toNanos();

            FlowClient g = new FlowClient();
            FlowClient.Page gReset = g.openResetPage(governed);
            t[2][i] = gReset.took().toNanos();
            FlowClient.Page methods = g.requestReset(gReset, "bench-user");
            t[3][i] = methods.took().toNanos();
            t[4][i] = g.post(methods.formAction("governed-recovery-methods-form"),
                    Map.of("action", "select", "method", "email-code")).took().toNanos();
        }
        return t;
    }

    private static void write(Path report, int rounds, long[][] t) throws IOException {
        double stockTotal = median(t[0]) + median(t[1]);
        double governedTotal = median(t[2]) + median(t[3]) + median(t[4]);
        StringBuilder md = new StringBuilder();
        md.append("# Reset flow: server time per page, governed vs stock\n\n")
                .append("Measured ").append(LocalDate.now()).append(" by `ResetFlowBenchmark` on one Keycloak 26.7.3 ")
                .append("(start-dev, H2) with both realms, ").append(rounds)
                .append(" alternating rounds after warm-up, loopback HTTP, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores. Times are medians (p90) in ms.\n\n")
                .append("| page | stock | governed | ratio governed/stock |\n|---|---|---|---|\n");
        row(md, "\"Forgot password?\" page (GET)", t[0], t[2]);
        row(md, "submit the name", t[1], t[3]);
        md.append("| choose \"code by email\" | - | ").append(fmt(t[4])).append(" | - |\n");
        md.append(String.format("| **reaching the code page / the \"email sent\" page** | %.2f | %.2f | **%.2f** |%n",
                stockTotal / 1e6, governedTotal / 1e6, governedTotal / stockTotal));
        md.append("\nReading it: the stock flow sends its mail on the request thread; ours queues it after commit, but ")
                .append("pads the steps before a proof to the slower outcome's 90th percentile so that an existing ")
                .append("and a missing account answer alike, and needs one more page (the method choice).\n");
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
        System.out.println(md);
        System.out.println("Report written to " + report.toAbsolutePath().normalize());
    }

    private static void row(StringBuilder md, String page, long[] stock, long[] governed) {
        md.append("| ").append(page).append(" | ").append(fmt(stock)).append(" | ").append(fmt(governed))
                .append(String.format(" | %.2f |%n", median(governed) / median(stock)));
    }

    private static String fmt(long[] samples) {
        return String.format("%.2f (%.2f)", median(samples) / 1e6, percentile(samples, 0.9) / 1e6);
    }

    private static double median(long[] samples) {
        return percentile(samples, 0.5);
    }

    private static double percentile(long[] samples, double q) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

}
