package io.governedrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * When a message that could not be sent is tried again: a mailed code until it expires (a mail server away for two
 * minutes must not lose a code that lives ten), a notice for the delivery's retry period; never faster than the
 * back-off, never unbounded.
 */
class DeliveryRetriesTest {

    private static final long T0 = 1_700_000_000_000L;

    /** The times (ms after the first try) of every try of a message that always fails. */
    private static List<Long> tries(DeliveryRetries retries, Long useBy) {
        List<Long> at = new ArrayList<>(List.of(0L));
        long now = T0;
        for (int failures = 1; failures < 10_000; failures++) {
            long delay = retries.nextDelayMillis(failures, T0, now, useBy);
            if (delay < 0) {
                return at;
            }
            now += delay;
            at.add(now - T0);
        }
        throw new AssertionError("never gave up");
    }

    @Test
    void a_code_is_retried_for_as_long_as_it_lives_and_not_after() {
        DeliveryRetries retries = new DeliveryRetries(Duration.ofMinutes(60));
        List<Long> at = tries(retries, T0 + Duration.ofSeconds(600).toMillis());
        long last = at.get(at.size() - 1);
        assertThat(last).as("the last try comes within the last 15 s of the code's 10 minutes")
                .isBetween(Duration.ofSeconds(585).toMillis(), Duration.ofSeconds(600).toMillis() - 1);
        // A mail server back after two minutes gets the code within 15 s.
        long firstAfterTwoMinutes = at.stream().filter(t -> t >= 120_000).findFirst().orElseThrow();
        assertThat(firstAfterTwoMinutes).isLessThanOrEqualTo(135_000);
        assertThat(at.get(1)).as("the first retry comes soon").isLessThanOrEqualTo(2_000);
    }

    @Test
    void a_short_lived_code_is_not_sent_after_it_expired() {
        DeliveryRetries retries = new DeliveryRetries(Duration.ofMinutes(60));
        List<Long> at = tries(retries, T0 + 10_000);
        assertThat(at).allMatch(t -> t < 10_000);
        assertThat(at).hasSizeGreaterThan(1);
    }

    @Test
    void a_notice_is_retried_for_the_retry_period_at_most_a_minute_apart() {
        DeliveryRetries retries = new DeliveryRetries(Duration.ofMinutes(60));
        List<Long> at = tries(retries, null);
        assertThat(at.get(at.size() - 1)).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofMinutes(60)
                .toMillis());
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(i - 1)).isBetween(1_000L, 60_000L);
        }
    }

    @Test
    void no_retry_period_means_the_few_quick_retries_only() {
        DeliveryRetries retries = new DeliveryRetries(Duration.ZERO);
        assertThat(tries(retries, null)).hasSizeLessThanOrEqualTo(4);
    }
}
