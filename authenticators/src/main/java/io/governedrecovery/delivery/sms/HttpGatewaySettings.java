package io.governedrecovery.delivery.sms;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.settings.InvalidSetting;
import io.governedrecovery.settings.Setting;

/**
 * Settings of the HTTP SMS gateway sender, read once at start from SPI options
 * ({@code --spi-governed-recovery-sms-sender--http-gateway--url=...}). Secrets can come from environment variables
 * ({@code KC_SPI_GOVERNED_RECOVERY_SMS_SENDER__HTTP_GATEWAY__AUTH_VALUE}) or Keycloak's vault-backed config.
 */
record HttpGatewaySettings(URI url, String method, String contentType, String body, String authHeader,
                           String authValue, String basicUsername, String basicPassword, Duration timeout) {

    static final String DEFAULT_BODY = "{\"to\":\"${to}\",\"text\":\"${text}\"}";
    private static final List<String> METHODS = List.of("POST", "PUT");

    /** The server options, each declared once (console help, parser, README check). */
    static final Setting URL = Setting.url("url", "Gateway URL", "The gateway's send endpoint (http or https). "
            + "Without it, SMS methods send nothing and log a warning.");
    static final Setting METHOD = Setting.choice("method", "HTTP method", "POST", METHODS,
            "HTTP method of the send request.");
    static final Setting CONTENT_TYPE = Setting.text("content-type", "Content type", "application/json",
            "Content type of the body. With a JSON type the placeholders are JSON-escaped, with "
                    + "application/x-www-form-urlencoded they are URL-encoded.");
    static final Setting BODY = Setting.text("body", "Body template", DEFAULT_BODY,
            "Body template; ${to} is the number (E.164), ${text} the message, ${realm} the realm name.");
    static final Setting AUTH_HEADER = Setting.text("auth-header", "Credential header", "Authorization",
            "Header that carries the gateway credential given in auth-value.");
    static final Setting AUTH_VALUE = Setting.secret("auth-value", "Credential", "Credential sent in auth-header, "
            + "for example 'Bearer <token>'. Secret: set it through an environment variable or the vault, never in a "
            + "committed file.");
    static final Setting BASIC_USERNAME = Setting.text("basic-username", "Basic user", null,
            "User for HTTP basic authentication (instead of auth-value).");
    static final Setting BASIC_PASSWORD = Setting.secret("basic-password", "Basic password",
            "Password for HTTP basic authentication. Secret.");
    static final Setting TIMEOUT_SECONDS = Setting.number("timeout-seconds", "Timeout (seconds)", 10, 1, 120,
            "Connect and response timeout.");
    static final List<Setting> SERVER_OPTIONS = List.of(URL, METHOD, CONTENT_TYPE, BODY, AUTH_HEADER, AUTH_VALUE,
            BASIC_USERNAME, BASIC_PASSWORD, TIMEOUT_SECONDS);

    boolean configured() {
        return url != null;
    }

    static HttpGatewaySettings from(Config.Scope config) {
        try {
            String rawUrl = URL.text(config::get);
            URI url = rawUrl == null ? null : URI.create(rawUrl);
            if (url != null && !"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
                throw new InvalidSetting(URL.name(), rawUrl, "an http or https URL");
            }
            String method = METHOD.text(config::get).toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new InvalidSetting(METHOD.name(), method, METHOD.allowed());
            }
            // The body and the secrets are taken as given (no trimming): they are sent as they are.
            return new HttpGatewaySettings(url, method, CONTENT_TYPE.text(config::get),
                    config.get(BODY.name(), DEFAULT_BODY), AUTH_HEADER.text(config::get),
                    config.get(AUTH_VALUE.name()), BASIC_USERNAME.text(config::get), config.get(BASIC_PASSWORD.name()),
                    Duration.ofSeconds(TIMEOUT_SECONDS.number(config::get)));
        } catch (IllegalArgumentException invalid) { // an InvalidSetting, or a URL that does not parse
            throw new IllegalArgumentException("SMS gateway: " + invalid.getMessage(), invalid);
        }
    }

    static List<ProviderConfigProperty> metadata() {
        return Setting.properties(SERVER_OPTIONS);
    }
}
