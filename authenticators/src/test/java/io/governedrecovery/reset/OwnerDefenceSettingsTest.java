package io.governedrecovery.reset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.governedrecovery.settings.InvalidSetting;

class OwnerDefenceSettingsTest {

    private static final List<String> INSTALLED = List.of("totp", "email-code", "sms-code");

    @Test
    void the_owners_defences_default_to_a_week_long_link_and_everything_else_off() {
        ResetSettings.OwnerDefence o = ResetSettings.from(Map.of(), INSTALLED).owner();
        assertThat(o).isEqualTo(ResetSettings.OwnerDefence.DEFAULTS);
        assertThat(o.notMeLinkLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(o.waitingPeriod()).isFalse();
        assertThat(o.waitingPeriodLength()).isEqualTo(Duration.ofHours(72));
    }

    @Test
    void each_setting_is_read_and_checked_against_its_range() {
        ResetSettings.OwnerDefence o = ResetSettings.from(Map.of("not-me-link-days", "30",
                "not-me-disables-account", "true", "new-network-notice", "true", "waiting-period", "true",
                "waiting-period-hours", "24"), INSTALLED).owner();
        assertThat(o).isEqualTo(new ResetSettings.OwnerDefence(Duration.ofDays(30), true, true, true,
                Duration.ofHours(24)));
        for (Map<String, String> bad : List.of(Map.of("not-me-link-days", "0"), Map.of("not-me-link-days", "31"),
                Map.of("waiting-period-hours", "23"), Map.of("waiting-period-hours", "721"),
                Map.of("waiting-period", "yes"), Map.of("new-network-notice", "1"))) {
            String key = bad.keySet().iterator().next();
            assertThatThrownBy(() -> ResetSettings.from(bad, INSTALLED)).as(bad.toString())
                    .isInstanceOf(InvalidSetting.class).hasMessageContaining(key);
        }
    }
}
