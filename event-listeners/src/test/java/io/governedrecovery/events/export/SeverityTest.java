package io.governedrecovery.events.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.governedrecovery.core.event.RecoveryEvent;

class SeverityTest {

    @Test
    void break_glass_is_critical_privileged_resets_high_other_failures_medium() {
        assertThat(OcsfRecords.severity(event("LOGIN", Map.of("gr_tier", "break-glass")), false)).isEqualTo(5);
        assertThat(OcsfRecords.severity(event("RESET_PASSWORD_ERROR", Map.of("gr_tier", "break-glass")), true))
                .isEqualTo(5);
        assertThat(OcsfRecords.severity(event("RESET_PASSWORD", Map.of("gr_tier", "privileged")), false))
                .isEqualTo(4);
        assertThat(OcsfRecords.severity(event("LOGIN", Map.of("gr_tier", "privileged")), false)).isEqualTo(1);
        assertThat(OcsfRecords.severity(event("RESET_PASSWORD_ERROR", Map.of()), true)).isEqualTo(3);
        assertThat(OcsfRecords.severity(event("RESET_PASSWORD", Map.of()), false)).isEqualTo(1);
    }

    private static RecoveryEvent event(String type, Map<String, String> details) {
        return new RecoveryEvent("id-1", 1000, RecoveryEvent.Kind.USER, type, "realm-1", "r", "client", "user-1",
                "127.0.0.1", null, details);
    }
}
