package io.governedrecovery.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.provider.ProviderConfigProperty;

class SettingTest {

    private static final Setting LENGTH = Setting.number("code-length", "Code length", 8, 6, 10, "Digits of codes.");
    private static final Setting MASKED = Setting.flag("show-masked", "Show masked", false, "Show where it went.");

    @Test
    void a_number_is_read_within_its_range_and_a_bad_one_names_setting_value_and_range() {
        assertThat(LENGTH.number(Map.of())).isEqualTo(8);
        assertThat(LENGTH.number(Map.of("code-length", " 6 "))).isEqualTo(6);
        assertThatThrownBy(() -> LENGTH.number(Map.of("code-length", "11"))).isInstanceOf(InvalidSetting.class)
                .hasMessage("Setting 'code-length' has value '11'; allowed: 6 to 10");
        assertThatThrownBy(() -> LENGTH.number(Map.of("code-length", "eight")))
                .hasMessage("Setting 'code-length' has value 'eight'; allowed: a whole number from 6 to 10");
        assertThatThrownBy(() -> LENGTH.number(Map.of(), 3, 1, 2)).hasMessageContaining("(unset, default 3)");
    }

    @Test
    void a_flag_takes_only_true_or_false_and_text_falls_back_when_blank() {
        assertThat(MASKED.flag(Map.of())).isFalse();
        assertThat(MASKED.flag(Map.of("show-masked", "TRUE"))).isTrue();
        assertThatThrownBy(() -> MASKED.flag(Map.of("show-masked", "yes")))
                .hasMessage("Setting 'show-masked' has value 'yes'; allowed: true or false");
        Setting attribute = Setting.text("phone-attribute", "Phone", "phoneNumber", "Where the number is.");
        assertThat(attribute.text(Map.of("phone-attribute", "  "))).isEqualTo("phoneNumber");
        assertThat(attribute.text(Map.of("phone-attribute", " mobile "))).isEqualTo("mobile");
    }

    @Test
    void the_console_field_carries_the_declared_type_default_and_range() {
        ProviderConfigProperty field = LENGTH.property();
        assertThat(field.getName()).isEqualTo("code-length");
        assertThat(field.getType()).isEqualTo(ProviderConfigProperty.INTEGER_TYPE);
        assertThat(field.getDefaultValue()).isEqualTo(8);
        assertThat(field.getHelpText()).isEqualTo("Digits of codes. Allowed: 6 to 10.");
        ProviderConfigProperty methods = Setting.choices("methods", "Methods", "Which methods.")
                .property(List.of("email-code", "totp"));
        assertThat(methods.getType()).isEqualTo(ProviderConfigProperty.MULTIVALUED_LIST_TYPE);
        assertThat(methods.getOptions()).containsExactly("email-code", "totp");
        assertThat(MASKED.property().getDefaultValue()).isEqualTo(false);
        assertThatThrownBy(() -> Setting.number("x", "X", 0, 1, 5, "help")).isInstanceOf(
                IllegalArgumentException.class);
    }
}
