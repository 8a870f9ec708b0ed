package io.governedrecovery.delivery.sms;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Settings of the HTTP SMS gateway sender, read once at start from SPI options
 * ({@code --spi-governed-recovery-sms-sender--http-gateway--url=...}). Secrets can come from environment variables
 * ({@code KC_SPI_GOVERNED_RECOVERY_SMS_SENDER__HTTP_GATEWAY__AUTH_VALUE}) or Keycloak's vault-backed config.
 */
record HttpGatewaySettings(URI url, String method, String contentType, String body, String authHeader,
                           String authValue, String basicUsername, String basicPassword, Duration timeout) {

    static final String DEFAULT_BODY = "{\"to\":\"${to}\",\"text\":\"${text}\"}";

    boolean configured() {
        return url != null;
    }

    static HttpGatewaySettings from(Config.Scope config) {
        String rawUrl = config.get("url");
        URI url = null;
        if (rawUrl != null && !rawUrl.isBlank()) {
            url = URI.create(rawUrl.trim());
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new IllegalArgumentException("SMS gateway option 'url' is '" + rawUrl + "': it must be an http(s) URL");
            }
        }
        String method = config.get("method", "POST").toUpperCase(java.util.Locale.ROOT);
        if (!List.of("POST", "PUT").contains(method)) {
            throw new IllegalArgumentException("SMS gateway option 'method' is '" + method + "': allowed are POST and PUT");
        }
        int timeout = config.getInt("timeout-seconds", 10);
        if (timeout < 1 || timeout > 120) {
            throw new IllegalArgumentException("SMS gateway option 'timeout-seconds' is " + timeout + "; allowed is 1 to 120");
        }
        return new HttpGatewaySettings(url, method, config.get("content-type", "application/json"),
                config.get("body", DEFAULT_BODY), config.get("auth-header", "Authorization"), config.get("auth-value"),
                config.get("basic-username"), config.get("basic-password"), Duration.ofSeconds(timeout));
    }

    static List<ProviderConfigProperty> metadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("url").type(ProviderConfigProperty.URL_TYPE)
                    .helpText("The gateway's send endpoint (http or https). Without it, SMS methods send nothing and "
                            + "log a warning.").add()
                .property().name("method").type(ProviderConfigProperty.LIST_TYPE).options("POST", "PUT")
                    .defaultValue("POST").helpText("HTTP method of the send request.").add()
                .property().name("content-type").type(ProviderConfigProperty.STRING_TYPE)
                    .defaultValue("application/json")
                    .helpText("Content type of the body. With a JSON type the placeholders are JSON-escaped, with "
                            + "application/x-www-form-urlencoded they are URL-encoded.").add()
                .property().name("body").type(ProviderConfigProperty.TEXT_TYPE).defaultValue(DEFAULT_BODY)
                    .helpText("Body template; ${to} is the number (E.164), ${text} the message, ${realm} the realm name.")
                    .add()
                .property().name("auth-header").type(ProviderConfigProperty.STRING_TYPE).defaultValue("Authorization")
                    .helpText("Header that carries the gateway credential given in auth-value.").add()
                .property().name("auth-value").type(ProviderConfigProperty.PASSWORD).secret(true)
                    .helpText("Credential sent in auth-header, for example 'Bearer <token>'. Secret: set it through an "
                            + "environment variable or the vault, never in a committed file.").add()
                .property().name("basic-username").type(ProviderConfigProperty.STRING_TYPE)
                    .helpText("User for HTTP basic authentication (instead of auth-value).").add()
                .property().name("basic-password").type(ProviderConfigProperty.PASSWORD).secret(true)
                    .helpText("Password for HTTP basic authentication. Secret.").add()
                .property().name("timeout-seconds").type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(10)
                    .helpText("Connect and response timeout, 1 to 120 seconds.").add()
                .build();
    }
}
