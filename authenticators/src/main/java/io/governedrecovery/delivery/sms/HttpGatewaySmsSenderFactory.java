package io.governedrecovery.delivery.sms;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;

import io.governedrecovery.settings.Setting;

/**
 * "http-gateway": posts each text message to an HTTP SMS gateway with a configurable body and credentials. The
 * factory owns one HTTP client; senders are per session and stateless.
 */
public final class HttpGatewaySmsSenderFactory implements SmsSenderFactory {

    /** The gateway's server options, as declared. */
    public static final List<Setting> SERVER_OPTIONS = HttpGatewaySettings.SERVER_OPTIONS;

    public static final String PROVIDER_ID = "http-gateway";

    private static final Logger LOG = Logger.getLogger(HttpGatewaySmsSenderFactory.class);

    private HttpGatewaySettings settings;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void init(Config.Scope config) {
        settings = HttpGatewaySettings.from(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        if (!settings.configured()) {
            LOG.info("Governed Recovery SMS gateway has no URL (--spi-governed-recovery-sms-sender--http-gateway--url): "
                    + "SMS codes will not be sent");
        }
    }

    @Override
    public String notReady() {
        return settings == null || !settings.configured()
                ? "the SMS gateway has no URL (--spi-governed-recovery-sms-sender--http-gateway--url)" : null;
    }

    @Override
    public SmsSender create(KeycloakSession session) {
        // Keycloak's shared HTTP client: its proxy mappings, truststore and connection pool apply to the gateway too.
        CloseableHttpClient client = session.getProvider(HttpClientProvider.class).getHttpClient();
        return (realm, number, text) -> send(client, realm, number, text);
    }

    private void send(CloseableHttpClient client, RealmModel realm, String number, String text) throws IOException {
        if (!settings.configured()) {
            throw new IOException("the SMS gateway URL is not configured");
        }
        boolean json = settings.contentType().toLowerCase(java.util.Locale.ROOT).contains("json");
        boolean form = settings.contentType().toLowerCase(java.util.Locale.ROOT).contains("x-www-form-urlencoded");
        String body = settings.body()
                .replace("${to}", encode(number, json, form))
                .replace("${text}", encode(text, json, form))
                .replace("${realm}", encode(realm.getName(), json, form));
        HttpEntityEnclosingRequestBase request = "PUT".equals(settings.method()) ? new HttpPut(settings.url())
                : new HttpPost(settings.url());
        int millis = (int) settings.timeout().toMillis();
        // A gateway that redirects is refused like any other non-2xx answer: the credential never follows a redirect.
        request.setConfig(RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).setRedirectsEnabled(false).build());
        request.setHeader("Content-Type", settings.contentType());
        request.setEntity(new StringEntity(body, StandardCharsets.UTF_8));
        if (settings.authValue() != null && !settings.authValue().isBlank()) {
            request.setHeader(settings.authHeader(), settings.authValue());
        } else if (settings.basicUsername() != null) {
            String basic = settings.basicUsername() + ":" + (settings.basicPassword() == null ? "" : settings.basicPassword());
            request.setHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        try (CloseableHttpResponse response = client.execute(request)) {
            int status = response.getStatusLine().getStatusCode();
            EntityUtils.consumeQuietly(response.getEntity());
            if (status / 100 != 2) {
                throw new IOException("the SMS gateway answered HTTP " + status);
            }
        }
    }

    static String encode(String value, boolean json, boolean form) {
        if (form) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
        if (!json) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return HttpGatewaySettings.metadata();
    }

    @Override
    public void close() {
        // The HTTP client is Keycloak's.
    }
}
