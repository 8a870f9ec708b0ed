package io.governedrecovery.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CampaignSettingsTest {

    @Test
    void defaults_ask_everyone_allow_three_snoozes_and_no_review() {
        CampaignSettings s = CampaignSettings.from(null);
        assertThat(s.targetGroups()).isEmpty();
        assertThat(s.snoozes()).isEqualTo(3);
        assertThat(s.reconfirmDays()).isZero();
        assertThat(s.deadline()).isEmpty();
    }

    @Test
    void settings_are_read_and_bad_ones_name_the_setting() {
        CampaignSettings s = CampaignSettings.from(Map.of("target-groups", "/pilot##/it/admins", "deadline",
                "2027-03-31", "snoozes", "0", "reconfirm-days", "180"));
        assertThat(s.targetGroups()).containsExactly("/pilot", "/it/admins");
        assertThat(s.deadline()).isEqualTo(Optional.of(LocalDate.of(2027, 3, 31)));
        assertThat(s.snoozes()).isZero();
        assertThat(s.reconfirmDays()).isEqualTo(180);
        assertThatThrownBy(() -> CampaignSettings.from(Map.of("target-groups", "pilot")))
                .hasMessageContaining("target-groups");
        assertThatThrownBy(() -> CampaignSettings.from(Map.of("deadline", "31.03.2027")))
                .hasMessageContaining("deadline");
        assertThatThrownBy(() -> CampaignSettings.from(Map.of("snoozes", "21"))).hasMessageContaining("snoozes");
        assertThatThrownBy(() -> CampaignSettings.from(Map.of("reconfirm-days", "-1")))
                .hasMessageContaining("reconfirm-days");
    }
}
