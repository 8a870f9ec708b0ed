package io.governedrecovery.events.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SeqGapsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void a_row_that_commits_late_fills_its_gap_once() {
        SeqGaps gaps = new SeqGaps(3600 * SECOND);
        gaps.add(5, 7, 0);
        assertThat(gaps.missing()).isEqualTo(3);
        assertThat(gaps.contains(6)).isTrue();
        gaps.fill(6);
        assertThat(gaps.contains(6)).as("seen now: a second sighting is not new").isFalse();
        assertThat(gaps.contains(5)).isTrue();
        assertThat(gaps.contains(7)).isTrue();
        assertThat(gaps.missing()).isEqualTo(2);
        assertThat(gaps.due(0, 10)).extracting(r -> r[0] + "-" + r[1]).containsExactly("5-5", "7-7");
    }

    @Test
    void young_gaps_are_looked_for_every_poll_older_ones_less_often_and_forgotten_after_the_limit() {
        SeqGaps gaps = new SeqGaps(3600 * SECOND);
        gaps.add(1, 1, 0);
        gaps.add(10, 1009, 0); // a database that skipped a block of numbers: one entry
        assertThat(gaps.due(SECOND, 50)).hasSize(2);
        assertThat(gaps.due(2 * SECOND, 50)).as("young: every poll").hasSize(2);
        gaps.due(20 * SECOND, 50);
        assertThat(gaps.due(20 * SECOND + SECOND / 2, 50)).as("older than 10 s: every 2 s").isEmpty();
        assertThat(gaps.due(23 * SECOND, 50)).hasSize(2);
        assertThat(gaps.expire(3599 * SECOND)).isZero();
        assertThat(gaps.expire(3600 * SECOND)).isEqualTo(1001);
        assertThat(gaps.isEmpty()).isTrue();
        assertThat(gaps.missing()).isZero();
    }

    @Test
    void at_most_the_asked_number_of_ranges_per_look() {
        SeqGaps gaps = new SeqGaps(3600 * SECOND);
        for (int i = 0; i < 100; i++) {
            gaps.add(i * 10L, i * 10L + 1, 0);
        }
        List<long[]> due = gaps.due(0, 50);
        assertThat(due).hasSize(50);
    }
}
