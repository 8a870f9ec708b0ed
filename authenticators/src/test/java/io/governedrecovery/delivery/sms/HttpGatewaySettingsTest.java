package io.governedrecovery.delivery.sms;

import static io.governedrecovery.delivery.ServerOptionsTest.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
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
}
