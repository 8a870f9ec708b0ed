package io.governedrecovery.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(30));

    private static final RegisteredMethod EMAIL = new RegisteredMethod("email-code", Strength.WEAK,
            Channel.mailbox("Alice@Example.test"), LONG_AGO);
    private static final RegisteredMethod SMS = new RegisteredMethod("sms-code", Strength.WEAK,
            Channel.phone("+49 170 1234567"), LONG_AGO);
    private static final RegisteredMethod VOICE_SAME_NUMBER = new RegisteredMethod("voice-code", Strength.WEAK,
            Channel.phone("+491701234567"), LONG_AGO);
    private static final RegisteredMethod TOTP = new RegisteredMethod("totp", Strength.STRONG,
            Channel.of(ChannelKind.AUTHENTICATOR_APP), LONG_AGO);
    private static final RegisteredMethod WEBAUTHN = new RegisteredMethod("webauthn", Strength.STRONG,
            Channel.of(ChannelKind.SECURITY_KEY), LONG_AGO);

    private static PolicyEvaluator.Progress evaluate(RecoveryPolicy policy, List<RegisteredMethod> registered,
                                                     RegisteredMethod... proven) {
        return PolicyEvaluator.evaluate(policy, registered,
                java.util.Arrays.stream(proven).map(VerifiedMethod::of).toList(), NOW);
    }

    @Test
    void email_and_totp_satisfy_the_standard_policy() {
        var progress = evaluate(RecoveryPolicy.STANDARD, List.of(EMAIL, TOTP), EMAIL, TOTP);
        assertThat(progress.satisfied()).isTrue();
        assertThat(progress.channelsProven()).isEqualTo(2);
        assertThat(progress.strongProven()).isEqualTo(1);
    }

    @Test
    void one_method_alone_never_satisfies() {
        var progress = evaluate(RecoveryPolicy.STANDARD, List.of(EMAIL, TOTP), EMAIL);
        assertThat(progress.satisfied()).isFalse();
        assertThat(progress.reachable()).isTrue();
        assertThat(progress.channelsMissing()).isEqualTo(1);
        assertThat(progress.strongMissing()).isEqualTo(1);
    }

    @Test
    void weak_plus_weak_is_refused_by_default() {
        var progress = evaluate(RecoveryPolicy.STANDARD, List.of(EMAIL, SMS), EMAIL, SMS);
        assertThat(progress.satisfied()).isFalse();
        assertThat(progress.reachable()).isFalse();
    }

    @Test
    void weak_plus_weak_is_enough_only_when_an_admin_allows_it() {
        var allowWeak = new RecoveryPolicy(2, 0, Duration.ofHours(72), true);
        assertThat(evaluate(allowWeak, List.of(EMAIL, SMS), EMAIL, SMS).satisfied()).isTrue();
    }

    @Test
    void sms_and_voice_to_one_number_count_as_one_channel() {
        var allowWeak = new RecoveryPolicy(2, 0, Duration.ofHours(72), true);
        var progress = evaluate(allowWeak, List.of(SMS, VOICE_SAME_NUMBER), SMS, VOICE_SAME_NUMBER);
        assertThat(progress.channelsProven()).isEqualTo(1);
        assertThat(progress.satisfied()).isFalse();
        assertThat(progress.reachable()).isFalse();
    }

    @Test
    void a_method_added_inside_the_cooldown_does_not_count() {
        var freshTotp = new RegisteredMethod("totp", Strength.STRONG, Channel.of(ChannelKind.AUTHENTICATOR_APP),
                NOW.minus(Duration.ofHours(71)));
        var progress = evaluate(RecoveryPolicy.STANDARD, List.of(EMAIL, freshTotp), EMAIL,
                freshTotp);
        assertThat(progress.satisfied()).isFalse();
        assertThat(progress.reachable()).isFalse();
        assertThat(PolicyEvaluator.eligible(RecoveryPolicy.STANDARD, List.of(EMAIL, freshTotp), NOW))
                .containsExactly(EMAIL);
    }

    @Test
    void a_method_counts_again_exactly_when_the_cooldown_ends() {
        var totp = new RegisteredMethod("totp", Strength.STRONG, Channel.of(ChannelKind.AUTHENTICATOR_APP),
                NOW.minus(Duration.ofHours(72)));
        assertThat(evaluate(RecoveryPolicy.STANDARD, List.of(EMAIL, totp), EMAIL, totp).satisfied()).isTrue();
    }

    @Test
    void a_zero_cooldown_counts_a_method_at_once() {
        var noCooldown = new RecoveryPolicy(2, 1, Duration.ZERO, true);
        var justAdded = new RegisteredMethod("totp", Strength.STRONG, Channel.of(ChannelKind.AUTHENTICATOR_APP), NOW);
        assertThat(evaluate(noCooldown, List.of(EMAIL, justAdded), EMAIL, justAdded).satisfied()).isTrue();
    }

    @Test
    void a_proof_of_a_method_the_user_has_not_registered_does_not_count() {
        var progress = evaluate(RecoveryPolicy.STANDARD, List.of(EMAIL), EMAIL, TOTP);
        assertThat(progress.satisfied()).isFalse();
        assertThat(progress.channelsProven()).isEqualTo(1);
    }

    @Test
    void privileged_policy_ignores_weak_methods_entirely() {
        var privileged = new RecoveryPolicy(2, 2, Duration.ofHours(72), false);
        assertThat(evaluate(privileged, List.of(EMAIL, SMS, TOTP), EMAIL, SMS, TOTP).satisfied()).isFalse();
        assertThat(evaluate(privileged, List.of(EMAIL, SMS, TOTP), EMAIL).reachable()).isFalse();
        assertThat(evaluate(privileged, List.of(TOTP, WEBAUTHN), TOTP, WEBAUTHN).satisfied()).isTrue();
    }

    @Test
    void an_unknown_user_has_nothing_registered_and_cannot_reach_any_policy() {
        var progress = evaluate(RecoveryPolicy.STANDARD, List.of());
        assertThat(progress.satisfied()).isFalse();
        assertThat(progress.reachable()).isFalse();
    }

    @Test
    void extra_strong_methods_raise_the_bar_up_to_the_maximum() {
        var elevated = RecoveryPolicy.STANDARD.withExtraStrong(1);
        assertThat(elevated.minChannels()).isEqualTo(3);
        assertThat(elevated.minStrong()).isEqualTo(2);
        assertThat(evaluate(elevated, List.of(EMAIL, TOTP, WEBAUTHN), EMAIL, TOTP).satisfied()).isFalse();
        assertThat(evaluate(elevated, List.of(EMAIL, TOTP, WEBAUTHN), EMAIL, TOTP, WEBAUTHN).satisfied()).isTrue();
        assertThat(RecoveryPolicy.STANDARD.withExtraStrong(10).minChannels()).isEqualTo(RecoveryPolicy.MAX_CHANNELS);
    }

    @Test
    void bad_policies_are_refused_with_the_allowed_range() {
        assertThatThrownBy(() -> new RecoveryPolicy(1, 0, Duration.ZERO, true))
                .hasMessageContaining("allowed is 2 to 5");
        assertThatThrownBy(() -> new RecoveryPolicy(2, 3, Duration.ZERO, true))
                .hasMessageContaining("allowed is 0 to 2");
        assertThatThrownBy(() -> new RecoveryPolicy(2, 1, Duration.ofHours(-1), true))
                .hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> new RecoveryPolicy(2, 1, Duration.ZERO, false))
                .hasMessageContaining("must equal minimum methods");
    }

    @Test
    void channel_keys_round_trip_and_normalize() {
        assertThat(Channel.fromKey(Channel.mailbox("A@B.test").key())).isEqualTo(Channel.mailbox("a@b.test"));
        assertThat(Channel.fromKey(Channel.of(ChannelKind.SECURITY_KEY).key()))
                .isEqualTo(Channel.of(ChannelKind.SECURITY_KEY));
        assertThat(Channel.phone("+49 (170) 123-4567")).isEqualTo(Channel.phone("+491701234567"));
    }
}
