package io.governedrecovery.delivery.sms;

import static io.governedrecovery.delivery.ServerOptionsTest.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The SMS gateway's server options, read from their declarations. */
class HttpGatewaySettingsTest {

    @Test
    void unset_options_take_their_declared_defaults_and_no_url_means_not_configured() {
        HttpGatewaySettings settings = HttpGatewaySettings.from(scope(Map.of()));
        assertThat(settings).isEqualTo(new HttpGatewaySettings(null, "POST", "application/json",
                HttpGatewaySettings.DEFAULT_BODY, "Authorization", null, null, null, Duration.ofSeconds(10)));
        assertThat(settings.configured()).isFalse();
    }

    @Test
    void given_options_are_taken_and_the_body_and_secrets_exactly_as_given() {
        HttpGatewaySettings settings = HttpGatewaySettings.from(scope(Map.of("url", " https://sms.example/send ",
                "method", "put", "body", " to=${to} ", "auth-value", " Bearer x ", "basic-password", "p ",
                "timeout-seconds", "120")));
        assertThat(settings.url()).isEqualTo(URI.create("https://sms.example/send"));
        assertThat(settings.method()).isEqualTo("PUT");
        assertThat(settings.body()).isEqualTo(" to=${to} ");
        assertThat(settings.authValue()).isEqualTo(" Bearer x ");
        assertThat(settings.basicPassword()).isEqualTo("p ");
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void what_an_option_does_not_allow_stops_the_start_naming_the_option() {
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("url", "ftp://sms.example"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SMS gateway: Setting 'url' has value 'ftp://sms.example'; allowed: an http or https URL");
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("url", "https://a b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SMS gateway: ");
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("method", "GET"))))
                .hasMessage("SMS gateway: Setting 'method' has value 'GET'; allowed: POST or PUT");
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("timeout-seconds", "121"))))
                .hasMessage("SMS gateway: Setting 'timeout-seconds' has value '121'; allowed: 1 to 120");
    }

    @Test
    void the_secrets_are_masked_in_the_console() {
        assertThat(HttpGatewaySettings.metadata()).filteredOn(p -> p.isSecret()).extracting(p -> p.getName())
                .containsExactly("auth-value", "basic-password");
    }

    @Test
    void a_url_with_a_user_part_is_refused_and_no_error_repeats_a_secret_or_a_query() {
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("url",
                "https://user:s3cret@sms.example/send?api_key=k3y")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https://sms.example/send (with a user part)")
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("k3y");
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("url", "https://sms.example/ x?api_key=k3y"))))
                .hasMessageContaining("(unreadable)").hasMessageNotContaining("k3y");
        assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("auth-value", "Bearer x\r\nX-Evil: 1"))))
                .hasMessage("SMS gateway: Setting 'auth-value' has value '(hidden)'; allowed: text without control "
                        + "characters");
    }

    @Test
    void the_credential_header_must_be_a_header_name_the_request_does_not_set_itself() {
        for (String bad : List.of("X Token", "X-Token:", "Host", "content-length", "Content-Type", "Connection")) {
            assertThatThrownBy(() -> HttpGatewaySettings.from(scope(Map.of("auth-header", bad)))).as(bad)
                    .hasMessageContaining("Setting 'auth-header'");
        }
        assertThat(HttpGatewaySettings.from(scope(Map.of("auth-header", "X-Api-Key"))).authHeader())
                .isEqualTo("X-Api-Key");
    }
}
