package io.governedrecovery.core.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OneTimeCodeTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final SecureRandom random = new SecureRandom();

    private OneTimeCode.Issued issue() {
        return OneTimeCode.issue(random, 8, NOW, Duration.ofMinutes(10), 5);
    }

    @Test
    void a_code_has_the_requested_number_of_digits_and_codes_differ() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String plain = issue().plain();
            assertThat(plain).matches("[0-9]{8}");
            seen.add(plain);
        }
        assertThat(seen).hasSizeGreaterThan(195);
    }

    @Test
    void the_stored_form_never_contains_the_code() {
        var issued = issue();
        assertThat(issued.record().serialize()).doesNotContain(issued.plain());
    }

    @Test
    void the_right_code_is_valid_once_and_consumed() {
        var issued = issue();
        var check = issued.record().check(issued.plain(), NOW.plusSeconds(30));
        assertThat(check.outcome()).isEqualTo(OneTimeCode.Outcome.VALID);
        assertThat(check.remaining()).isNull();
    }

    @Test
    void spaces_and_dashes_in_the_typed_code_are_ignored() {
        var issued = issue();
        String spaced = issued.plain().substring(0, 4) + " - " + issued.plain().substring(4);
        assertThat(issued.record().check(spaced, NOW).outcome()).isEqualTo(OneTimeCode.Outcome.VALID);
    }

    @Test
    void a_wrong_code_costs_an_attempt_and_the_fifth_kills_the_code() {
        var issued = issue();
        OneTimeCode record = issued.record();
        for (int attempt = 1; attempt <= 4; attempt++) {
            var check = record.check("00000000".equals(issued.plain()) ? "11111111" : "00000000", NOW);
            assertThat(check.outcome()).isEqualTo(OneTimeCode.Outcome.WRONG);
            record = check.remaining();
            assertThat(record.attemptsLeft()).isEqualTo(5 - attempt);
        }
        var fifth = record.check("not-a-code", NOW);
        assertThat(fifth.outcome()).isEqualTo(OneTimeCode.Outcome.EXHAUSTED);
        assertThat(fifth.remaining()).isNull();
    }

    @Test
    void an_expired_code_fails_even_when_right() {
        var issued = issue();
        var check = issued.record().check(issued.plain(), NOW.plus(Duration.ofMinutes(10)));
        assertThat(check.outcome()).isEqualTo(OneTimeCode.Outcome.EXPIRED);
        assertThat(check.remaining()).isNull();
    }

    @Test
    void garbage_input_is_just_a_wrong_code() {
        var record = issue().record();
        for (String garbage : new String[] {null, "", "x".repeat(10_000), "１２３４５６７８", "1234\u0000567", "12 34"}) {
            assertThat(record.check(garbage, NOW).outcome()).as(String.valueOf(garbage).length() + " chars")
                    .isEqualTo(OneTimeCode.Outcome.WRONG);
        }
    }

    @Test
    void serialized_records_round_trip_and_foreign_values_are_ignored() {
        var issued = issue();
        var parsed = OneTimeCode.parse(issued.record().serialize());
        assertThat(parsed).isEqualTo(issued.record());
        assertThat(parsed.check(issued.plain(), NOW).outcome()).isEqualTo(OneTimeCode.Outcome.VALID);
        assertThat(OneTimeCode.parse(null)).isNull();
        assertThat(OneTimeCode.parse("v2.a.b.8.1.5")).isNull();
        assertThat(OneTimeCode.parse("v1.!!.b.8.x.5")).isNull();
    }

    @Test
    void code_length_outside_six_to_ten_is_refused() {
        assertThatThrownBy(() -> OneTimeCode.issue(random, 5, NOW, Duration.ofMinutes(1), 5))
                .hasMessageContaining("allowed is 6 to 10");
        assertThatThrownBy(() -> OneTimeCode.issue(random, 11, NOW, Duration.ofMinutes(1), 5))
                .hasMessageContaining("allowed is 6 to 10");
    }
}
