package io.governedrecovery.delivery.sms;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the request itself sets: the credential may not take their place. */
    private static final List<String> RESERVED_HEADERS = List.of("host", "content-length", "content-type",
            "transfer-encoding", "connection");

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
            URI url = url(URL.text(config::get));
            String method = METHOD.text(config::get).toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new InvalidSetting(METHOD.name(), method, METHOD.allowed());
            }
            String contentType = CONTENT_TYPE.text(config::get);
            if (contentType.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidSetting(CONTENT_TYPE.name(), "(with control characters)", "a media type");
            }
            String authHeader = AUTH_HEADER.text(config::get);
            if (!HEADER_NAME.matcher(authHeader).matches()
                    || RESERVED_HEADERS.contains(authHeader.toLowerCase(Locale.ROOT))) {
                throw new InvalidSetting(AUTH_HEADER.name(), authHeader, "a header name other than "
                        + String.join(", ", RESERVED_HEADERS));
            }
            // The body and the secrets are taken as given (no trimming): they are sent as they are. A secret is never
            // repeated in an error.
            String authValue = secret(AUTH_VALUE, config.get(AUTH_VALUE.name()));
            String basicPassword = secret(BASIC_PASSWORD, config.get(BASIC_PASSWORD.name()));
            return new HttpGatewaySettings(url, method, contentType, config.get(BODY.name(), DEFAULT_BODY), authHeader,
                    authValue, BASIC_USERNAME.text(config::get), basicPassword,
                    Duration.ofSeconds(TIMEOUT_SECONDS.number(config::get)));
        } catch (IllegalArgumentException invalid) { // an InvalidSetting
            throw new IllegalArgumentException("SMS gateway: " + invalid.getMessage(), invalid);
        }
    }

    /** A secret as given, refused (without repeating it) when it holds control characters. */
    private static String secret(Setting setting, String value) {
        if (value != null && value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSetting(setting.name(), "(hidden)", "text without control characters");
        }
        return value;
    }

    /**
     * The gateway's URL: http or https with a host, and without a user name or password in it (they would go to
     * Keycloak's shared credentials store; give them as basic-username and basic-password). An error shows the URL
     * without its user part and query, which may hold a key.
     */
    private static URI url(String raw) {
        if (raw == null) {
            return null;
        }
        URI url;
        try {
            url = URI.create(raw);
        } catch (IllegalArgumentException unreadable) {
            throw new InvalidSetting(URL.name(), "(unreadable)", "an http or https URL");
        }
        String shown = url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
        if ((!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) || url.getHost() == null) {
            throw new InvalidSetting(URL.name(), shown, "an http or https URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new InvalidSetting(URL.name(), shown + " (with a user part)", "a URL without a user name or "
                    + "password: give them as basic-username and basic-password");
        }
        return url;
    }

    static List<ProviderConfigProperty> metadata() {
        return Setting.properties(SERVER_OPTIONS);
    }
}
