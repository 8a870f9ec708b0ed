package io.governedrecovery.it.reliability;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;

/**
 * The fuzz suite (issue 14): at least 10,000 generated hostile inputs over every form field and flow parameter of the
 * reset, contact-change, campaign and approval pages and every admin and approver endpoint; then the report
 * {@code benchmarks/fuzz.md} and the promises (no 5xx of ours, no state change, no secret or stack trace in an
 * answer). Run by {@code ./benchmarks/run fuzz}; parameters {@code suite.fuzz.inputs} (10000), {@code suite.fuzz.seed}
 * (random, printed), {@code suite.fuzz.threads} (4), {@code suite.fuzz.replay} (input numbers to send again, each
 * printed with its answer), {@code suite.fuzz.samples} (inputs per target to print). Its short part in CI is
 * {@link FuzzIT}.
 */
@ExtendWith(RealKeycloak.class)
class FuzzSuite {

    @Test
    void hostile_input_on_every_page_and_endpoint(TestEnvironment env) {
        Fuzzer.Settings settings = Fuzzer.Settings.fromProperties("suite.fuzz", 10_000, 4);
        SuiteReport report = SuiteReport.start("Fuzz suite: hostile input on every page and endpoint",
                env.server().distributionVersion(), "./benchmarks/run fuzz -Dsuite.fuzz.seed=" + settings.seed());
        try (FuzzFixture fixture = FuzzFixture.create(env, "fuzzsuite", settings.threads())) {
            Fuzzer fuzzer = new Fuzzer(fixture, settings).run();
            fuzzer.report(report);
            FuzzFindings.write(report);
            if (settings.replay().isEmpty()) {
                report.write(Path.of(System.getProperty("suite.report.dir", "../benchmarks")).resolve("fuzz.md"));
            } else {
                System.out.println(report.text());
            }
            fuzzer.assertPromises();
        }
    }
}
