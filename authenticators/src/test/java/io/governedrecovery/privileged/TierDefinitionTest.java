package io.governedrecovery.privileged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticatorConfigModel;

class TierDefinitionTest {

    @Test
    void defaults_mark_break_glass_accounts_by_attribute_and_test_every_90_days() {
        TierDefinition d = TierDefinition.from(null);
        assertThat(d.breakGlassAttribute().name()).isEqualTo("governed-recovery.break-glass");
        assertThat(d.breakGlassAttribute().matches(List.of("true"))).isTrue();
        assertThat(d.breakGlassAttribute().matches(List.of("false"))).isFalse();
        assertThat(d.breakGlassTestDays()).isEqualTo(90);
        assertThat(d.notifyGroup()).isEmpty();
    }

    @Test
    void settings_are_read_and_bad_numbers_are_refused_with_the_setting_named() {
        TierDefinition d = TierDefinition.from(config(Map.of("break-glass-groups", "/break-glass##/emergency",
                "notify-group", " /realm-admins ", "break-glass-test-days", "30")));
        assertThat(d.breakGlassGroups()).containsExactly("/break-glass", "/emergency");
        assertThat(d.notifyGroup()).isEqualTo(Optional.of("/realm-admins"));
        assertThat(d.breakGlassTestDays()).isEqualTo(30);
        assertThatThrownBy(() -> TierDefinition.from(config(Map.of("break-glass-test-days", "0"))))
                .hasMessageContaining("break-glass-test-days");
        assertThatThrownBy(() -> TierDefinition.from(config(Map.of("break-glass-test-window-minutes", "x"))))
                .hasMessageContaining("break-glass-test-window-minutes");
    }

    @Test
    void every_authenticator_id_fits_keycloaks_execution_column() {
        // AUTHENTICATION_EXECUTION.AUTHENTICATOR is VARCHAR(36); a longer id fails realm imports.
        for (AuthenticatorFactory factory : ServiceLoader.load(AuthenticatorFactory.class)) {
            assertThat(factory.getId().length()).as(factory.getId()).isLessThanOrEqualTo(36);
        }
        assertThat(ServiceLoader.load(AuthenticatorFactory.class).stream().count()).isGreaterThanOrEqualTo(4);
    }

    private static AuthenticatorConfigModel config(Map<String, String> values) {
        AuthenticatorConfigModel model = new AuthenticatorConfigModel();
        model.setConfig(new java.util.HashMap<>(values));
        return model;
    }
}
