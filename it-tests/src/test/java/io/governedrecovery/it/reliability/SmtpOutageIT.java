package io.governedrecovery.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SinkTally;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The faults suite's SMTP fault, short, on the shared server (tests of the shared JVM run one at a time, so stopping
 * its mail server disturbs nobody): the mail server is down while notices are queued and a reset sends a code by
 * email, and comes back 13 s after the code was sent; the user sees the neutral code page, the code arrives within
 * 20 s of the server's return (retried every 15 s at most: about 4 s after; the former back-off of 2, 10 and 30 s
 * tried again 42 s after sending, 29 s after the return) and the reset completes with it, every queued notice arrives
 * once, and every event reaches the file, syslog and webhook sinks. The suite
 * ({@code ./benchmarks/run faults}) runs the same scenario with a two-minute outage on two nodes.
 */
@ExtendWith(RealKeycloak.class)
class SmtpOutageIT {

    @Test
    void a_code_mailed_while_the_mail_server_is_down_arrives_once_it_is_back(TestRealm realm, MailCatcher mail,
                                                                            TestEnvironment env) {
        java.time.Instant begin = java.time.Instant.now();
        FaultRow row = new SmtpOutageFault(realm, mail, Duration.ofSeconds(13), SinkTally.of(env), "smtp-it").run();
        System.out.println(row + "\n  scenario time: " + Duration.between(begin, java.time.Instant.now()).toSeconds()
                + " s");
        assertThat(row.problems).as("what the SMTP outage must not cause").isEmpty();
    }
}
