package io.governedrecovery.it.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;

/**
 * The fuzz suite's short part for every test run: the same engine and targets as {@link FuzzSuite}, a hundred-odd
 * inputs (a new random seed each run, printed; {@code -Dit.fuzz.seed=...} repeats one, {@code -Dit.fuzz.inputs=...}
 * changes the count) on the shared server, and the same promises: no 5xx of ours, no state change, no secret or stack
 * trace in an answer.
 */
@ExtendWith(RealKeycloak.class)
class FuzzIT {

    @Test
    void hostile_inputs_break_no_promise(TestEnvironment env) {
        Fuzzer.Settings settings = Fuzzer.Settings.fromProperties("it.fuzz", 150, 2);
        System.out.println("FuzzIT: seed " + settings.seed() + " (repeat with -Dit.fuzz.seed=" + settings.seed() + ")");
        SuiteReport report = SuiteReport.start("Fuzz (CI part)", env.server().distributionVersion(),
                "-Dit.test=FuzzIT -Dit.fuzz.seed=" + settings.seed());
        long start = System.nanoTime();
        try (FuzzFixture fixture = FuzzFixture.create(env, "fuzzit", settings.threads())) {
            Fuzzer fuzzer = new Fuzzer(fixture, settings).run();
            fuzzer.report(report);
            System.out.println(report.text());
            System.out.printf(java.util.Locale.ROOT, "FuzzIT: %.1f s of test time%n", (System.nanoTime() - start) / 1e9);
            fuzzer.assertPromises();
        }
    }
}
