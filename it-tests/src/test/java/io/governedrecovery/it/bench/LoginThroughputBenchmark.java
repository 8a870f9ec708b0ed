package io.governedrecovery.it.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Benchmark, not a test: sign-in throughput on one real server with the recovery event pipeline on (realm uses the
 * listener; every sign-in goes through it to the outbox, the scorer and three sinks) versus off (same realm settings
 * without the listener). Blocks of a few seconds alternate between the two so drift hits both alike. Writes
 * benchmarks/login-throughput.md.
 *
 * <p>Run: {@code ./mvnw -B -DskipTests install && ./mvnw -B -pl it-tests exec:java@login-throughput-benchmark}
 */
public final class LoginThroughputBenchmark {

    private LoginThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("benchmark.threads", 4);
        int blocks = Integer.getInteger("benchmark.blocks", 12);
        long blockMillis = Long.getLong("benchmark.block.millis", 5000);
        Path report = Path.of(System.getProperty("benchmark.report", "../benchmarks/login-throughput.md"));
        try (TestEnvironment env = TestEnvironment.start()) {
            Realms.importRealm(env.server(), env.mail(), Realms.DEMO, "with-listener", json -> json.remove("users"));
            Realms.importRealm(env.server(), env.mail(), Realms.DEMO, "without-listener", json -> {
                json.remove("users");
                json.putArray("eventsListeners").add("jboss-logging");
            });
            TestRealm on = TestRealm.existing(env.server(), "with-listener");
            TestRealm off = TestRealm.existing(env.server(), "without-listener");
            for (int i = 0; i < threads; i++) {
                on.user("load-" + i).password("Load-password-1").create();
                off.user("load-" + i).password("Load-password-1").create();
            }
            run(on, threads, blockMillis); // warm-up of both paths
            run(off, threads, blockMillis);
            long onLogins = 0;
            long offLogins = 0;
            long onMillis = 0;
            long offMillis = 0;
            for (int b = 0; b < blocks; b++) {
                boolean listenerFirst = b % 2 == 0;
                for (TestRealm realm : listenerFirst ? List.of(on, off) : List.of(off, on)) {
                    long logins = run(realm, threads, blockMillis);
                    if (realm == on) {
                        onLogins += logins;
                        onMillis += blockMillis;
                    } else {
                        offLogins += logins;
                        offMillis += blockMillis;
                    }
                }
            }
            double onRate = onLogins * 1000.0 / onMillis;
            double offRate = offLogins * 1000.0 / offMillis;
            String md = "# Sign-in throughput with the recovery event pipeline on and off\n\n"
                    + "Measured " + LocalDate.now() + " by `LoginThroughputBenchmark`: one Keycloak 26.7.3 (start-dev, "
                    + "H2), direct-grant sign-ins from " + threads + " client threads on loopback, " + blocks
                    + " alternating blocks of " + blockMillis / 1000 + " s per realm after a warm-up, "
                    + Runtime.getRuntime().availableProcessors() + " cores shared by server and client.\n\n"
                    + "| realm | sign-ins | sign-ins per second |\n|---|---|---|\n"
                    + String.format("| listener off | %d | %.1f |%n", offLogins, offRate)
                    + String.format("| listener on (outbox, scorer, file + syslog + webhook sinks) | %d | %.1f |%n",
                    onLogins, onRate)
                    + String.format("%n**Ratio on/off: %.3f** (target at least 0.98).%n", onRate / offRate);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, md, StandardCharsets.UTF_8);
            System.out.println(md);
            System.out.println("Report written to " + report.toAbsolutePath().normalize());
        }
    }

    private static long run(TestRealm realm, int threads, long millis) throws InterruptedException {
        AtomicLong ok = new AtomicLong();
        long end = System.currentTimeMillis() + millis;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            String user = "load-" + t;
            pool.execute(() -> {
                while (System.currentTimeMillis() < end) {
                    if (realm.signIn(user, "Load-password-1", null)) {
                        ok.incrementAndGet();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(millis + 60_000, TimeUnit.MILLISECONDS);
        return ok.get();
    }

}
