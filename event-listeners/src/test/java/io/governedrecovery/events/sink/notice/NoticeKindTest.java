package io.governedrecovery.events.sink.notice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.governedrecovery.core.event.RecoveryEvent;

class NoticeKindTest {

    @Test
    void break_glass_sign_ins_are_a_use_unless_inside_a_recorded_test() {
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "break-glass",
                "gr_break_glass_test", "false")))).contains("break-glass-sign-in");
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "break-glass")))).contains(
                "break-glass-sign-in");
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "break-glass",
                "gr_break_glass_test", "true")))).contains("break-glass-test");
        assertThat(NoticeSink.kind(event("LOGIN", null, Map.of("gr_tier", "privileged")))).isEmpty();
    }

    @Test
    void only_a_finished_privileged_reset_and_a_refused_break_glass_reset_are_announced() {
        assertThat(NoticeSink.kind(event("RESET_PASSWORD", null, Map.of("gr_step", "finish", "gr_outcome", "reset",
                "gr_tier", "privileged")))).contains("privileged-reset");
        assertThat(NoticeSink.kind(event("RESET_PASSWORD", null, Map.of("gr_step", "finish", "gr_outcome", "reset",
                "gr_tier", "standard")))).isEmpty();
        assertThat(NoticeSink.kind(event("RESET_PASSWORD", null, Map.of("gr_step", "verify",
                "gr_tier", "privileged")))).isEmpty();
        assertThat(NoticeSink.kind(event("RESET_PASSWORD_ERROR", "governed_recovery_break_glass",
                Map.of("gr_step", "identify")))).contains("break-glass-reset-attempt");
        assertThat(NoticeSink.kind(event("RESET_PASSWORD_ERROR", "governed_recovery_code_invalid",
                Map.of("gr_step", "verify")))).isEqualTo(Optional.empty());
    }

    static RecoveryEvent event(String type, String error, Map<String, String> details) {
        return new RecoveryEvent("id-1", 1000, RecoveryEvent.Kind.USER, type, "realm-1", "r", "client", "user-1",
                "127.0.0.1", error, details);
    }
}
