package io.governedrecovery.events.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowFailuresTest {

    @Test
    void a_row_is_given_up_only_after_failing_the_limit_in_a_row() {
        RowFailures failures = new RowFailures(3);
        assertThat(failures.failedAndGiveUp(7)).isFalse();
        assertThat(failures.failedAndGiveUp(7)).isFalse();
        assertThat(failures.count()).isEqualTo(2);
        assertThat(failures.failedAndGiveUp(7)).as("the third failure in a row").isTrue();
        assertThat(failures.count()).as("starts over").isZero();
    }

    @Test
    void a_success_or_another_row_starts_the_count_over() {
        RowFailures failures = new RowFailures(3);
        failures.failedAndGiveUp(7);
        failures.failedAndGiveUp(7);
        failures.succeeded();
        assertThat(failures.failedAndGiveUp(7)).isFalse();
        assertThat(failures.failedAndGiveUp(8)).as("another row").isFalse();
        assertThat(failures.failedAndGiveUp(8)).isFalse();
        assertThat(failures.failedAndGiveUp(8)).isTrue();
    }
}
