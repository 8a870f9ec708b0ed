package io.governedrecovery.core.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResponseTimeEqualizerTest {

    private static final long MS = 1_000_000L;

    @Test
    void nothing_is_padded_before_a_class_has_enough_samples() {
        var equalizer = new ResponseTimeEqualizer(64, 0.9, 300 * MS);
        for (int i = 0; i < 7; i++) {
            assertThat(equalizer.record("known", 5 * MS)).isZero();
        }
    }

    @Test
    void the_fast_outcome_is_padded_up_to_the_slow_outcomes_percentile_whatever_the_mix() {
        var equalizer = new ResponseTimeEqualizer(64, 0.9, 300 * MS);
        for (int i = 0; i < 64; i++) {
            equalizer.record("known", 10 * MS);
        }
        for (int i = 0; i < 8; i++) {
            equalizer.record("unknown", (14 + i % 3) * MS);
        }
        assertThat(equalizer.targetNanos()).isEqualTo(16 * MS);
        assertThat(10 * MS + equalizer.padFor(10 * MS)).isEqualTo(16 * MS);
        assertThat(15 * MS + equalizer.padFor(15 * MS)).isEqualTo(16 * MS);
        assertThat(equalizer.padFor(20 * MS)).as("a slower answer is never sped up, only not delayed").isZero();
    }

    @Test
    void padding_never_exceeds_the_cap() {
        var equalizer = new ResponseTimeEqualizer(8, 0.9, 50 * MS);
        for (int i = 0; i < 8; i++) {
            equalizer.record("slow", 2_000 * MS);
        }
        assertThat(equalizer.padFor(1 * MS)).isEqualTo(50 * MS);
    }

    @Test
    void the_target_follows_recent_samples() {
        var equalizer = new ResponseTimeEqualizer(8, 0.5, 300 * MS);
        for (int i = 0; i < 8; i++) {
            equalizer.record("unknown", 40 * MS);
        }
        assertThat(equalizer.targetNanos()).isEqualTo(40 * MS);
        for (int i = 0; i < 16; i++) {
            equalizer.record("unknown", 20 * MS);
        }
        assertThat(equalizer.targetNanos()).isEqualTo(20 * MS);
    }

    @Test
    void bad_parameters_are_refused() {
        assertThatThrownBy(() -> new ResponseTimeEqualizer(4, 0.9, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResponseTimeEqualizer(8, 1.5, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
