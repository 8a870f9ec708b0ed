package io.governedrecovery.reset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.governedrecovery.settings.InvalidSetting;

class ResetSettingsBranchTest {

    private static final List<String> INSTALLED = List.of("totp", "webauthn", "recovery-codes", "email-code",
            "sms-code");

    @Test
    void the_standard_branch_needs_one_strong_method_of_two_by_default() {
        ResetSettings s = ResetSettings.from(Map.of(), INSTALLED);
        assertThat(s.branch()).isEqualTo(ResetSettings.Branch.STANDARD);
        assertThat(s.policy().minChannels()).isEqualTo(2);
        assertThat(s.policy().minStrong()).isEqualTo(1);
        assertThat(s.selfService()).isTrue();
    }

    @Test
    void in_the_privileged_branch_every_required_method_is_strong_whatever_the_setting_says() {
        ResetSettings s = ResetSettings.from(Map.of("branch", "privileged"), INSTALLED);
        assertThat(s.policy().minStrong()).isEqualTo(2);
        ResetSettings three = ResetSettings.from(Map.of("branch", "privileged", "min-methods", "3"), INSTALLED);
        assertThat(three.policy().minStrong()).isEqualTo(3);
        // The admin console's dialog pre-fills 1: saved as it is, the branch still asks for strong methods only.
        assertThat(ResetSettings.from(Map.of("branch", "privileged", "min-strong-methods", "1"), INSTALLED)
                .policy().minStrong()).isEqualTo(2);
        assertThatThrownBy(() -> ResetSettings.from(Map.of("branch", "privileged", "min-strong-methods", "x"),
                INSTALLED)).isInstanceOf(InvalidSetting.class).hasMessageContaining("min-strong-methods");
    }

    @Test
    void self_service_can_be_turned_off_only_for_privileged_accounts() {
        assertThat(ResetSettings.from(Map.of("branch", "privileged", "self-service", "false"), INSTALLED)
                .selfService()).isFalse();
        assertThatThrownBy(() -> ResetSettings.from(Map.of("self-service", "false"), INSTALLED))
                .isInstanceOf(InvalidSetting.class).hasMessageContaining("self-service");
        assertThatThrownBy(() -> ResetSettings.from(Map.of("branch", "admins"), INSTALLED))
                .isInstanceOf(InvalidSetting.class).hasMessageContaining("branch");
    }
}
