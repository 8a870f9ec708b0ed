package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.ResetWalk;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * An existing account and a missing one get the same pages, headers and answer times, and every code of the missing
 * one fails. Names of equal length keep the pages byte-comparable.
 */
@ExtendWith(RealKeycloak.class)
class NoAccountEnumerationIT {

    private static final String KNOWN = "enum-known-1";
    private static final String UNKNOWN = "enum-nobody1";

    @BeforeAll
    static void anAccountWithEmailAndAppThatPrefersGerman(TestRealm realm) {
        // The preferred language must not leak either: the pages follow the browser, not the account.
        realm.user(KNOWN).totp("enum-secret").attribute("locale", "de").create();
    }

    @Test
    void existing_and_missing_accounts_see_identical_pages_at_every_step(TestRealm realm) {
        List<FlowClient.Page> known = ResetWalk.walk(realm, KNOWN);
        List<FlowClient.Page> unknown = ResetWalk.walk(realm, UNKNOWN);

        for (int step = 0; step < known.size(); step++) {
            String knownPage = ResetWalk.masked(known.get(step).body(), KNOWN);
            String unknownPage = ResetWalk.masked(unknown.get(step).body(), UNKNOWN);
            keepForDiagnosis(step, knownPage, unknownPage);
            assertThat(unknown.get(step).status()).as("status of step " + step).isEqualTo(known.get(step).status());
            assertThat(unknownPage).as("page of step " + step + " (both kept under target/enumeration)")
                    .isEqualTo(knownPage);
        }
        assertThat(unknown.get(3).body()).contains("That did not work");
    }

    @Test
    void a_missing_account_walks_the_same_pages_and_every_code_fails(TestRealm realm, MailCatcher mail) {
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), UNKNOWN);
        FlowClient.Page totp = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "totp"));
        FlowClient.Page answer = client.post(totp.formAction("governed-recovery-code-form"),
                Map.of("action", "verify", "code", Totp.now("enum-secret")));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("That did not work").doesNotContain("password-new");
        assertThat(mail.count(UNKNOWN + "@example.test")).isZero();
    }

    @Test
    void existing_and_missing_accounts_take_the_same_time_to_answer(TestRealm realm, MailCatcher mail) {
        // Warm both paths (JIT, caches, the server's padding estimate), then alternate; compare medians of 50 each.
        measure(realm, mail, 30);
        long[][] samples = measure(realm, mail, 50);
        for (String step : new String[] {"name", "email code"}) {
            int i = "name".equals(step) ? 0 : 1;
            double knownMedian = median(samples[i * 2]);
            double unknownMedian = median(samples[i * 2 + 1]);
            double gap = Math.abs(knownMedian - unknownMedian) / Math.max(knownMedian, unknownMedian);
            System.out.printf("Answer time after %s: existing %.2f ms, missing %.2f ms, gap %.1f %%%n", step,
                    knownMedian / 1e6, unknownMedian / 1e6, gap * 100);
            assertThat(gap).as("median gap after " + step).isLessThanOrEqualTo(0.10);
        }
    }

    /** Rows: name known, name unknown, email-code known, email-code unknown (nanoseconds). */
    private static long[][] measure(TestRealm realm, MailCatcher mail, int rounds) {
        long[][] samples = new long[4][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int who = 0; who < 2; who++) {
                String name = who == 0 ? KNOWN : UNKNOWN;
                FlowClient client = new FlowClient();
                FlowClient.Page reset = client.openResetPage(realm);
                FlowClient.Page methods = client.requestReset(reset, name);
                samples[who][round] = methods.took().toNanos();
                FlowClient.Page email = client.post(methods.formAction("governed-recovery-methods-form"),
                        Map.of("action", "select", "method", "email-code"));
                samples[2 + who][round] = email.took().toNanos();
                if (who == 0) {
                    // Let the code mail leave before the next request, so its sending (off the request path, on the
                    // same two cores) does not slow whichever request happens to come next.
                    mail.next(KNOWN + "@example.test");
                }
            }
        }
        return samples;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static void keepForDiagnosis(int step, String known, String unknown) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "enumeration");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.writeString(dir.resolve("step" + step + "-existing.html"), known);
            java.nio.file.Files.writeString(dir.resolve("step" + step + "-missing.html"), unknown);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


}
