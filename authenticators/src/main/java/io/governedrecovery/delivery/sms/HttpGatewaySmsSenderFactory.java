package io.governedrecovery.delivery.sms;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpEntityEnclosingRequestBase;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
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
    /** Aborts a send that outlasts the timeout as a whole (a socket timeout only bounds the gap between two reads). */
    private ScheduledExecutorService deadlines;

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
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "governed-recovery-sms-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        deadlines = executor;
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
        return (realm, number, text) -> send(client, deadlines, settings, realm.getName(), number, text);
    }

    /**
     * Sends one text. The whole exchange has {@code settings.timeout()}: a gateway (or anyone on the path) that
     * answers a byte at a time is cut off, so it cannot hold a delivery worker. The answer's body is never read.
     */
    static void send(CloseableHttpClient client, ScheduledExecutorService deadlines, HttpGatewaySettings settings,
                     String realmName, String number, String text) throws IOException {
        if (!settings.configured()) {
            throw new IOException("the SMS gateway URL is not configured");
        }
        boolean json = settings.contentType().toLowerCase(java.util.Locale.ROOT).contains("json");
        boolean form = settings.contentType().toLowerCase(java.util.Locale.ROOT).contains("x-www-form-urlencoded");
        String body = settings.body()
                .replace("${to}", encode(number, json, form))
                .replace("${text}", encode(text, json, form))
                .replace("${realm}", encode(realmName, json, form));
        HttpEntityEnclosingRequestBase request = "PUT".equals(settings.method()) ? new HttpPut(settings.url())
                : new HttpPost(settings.url());
        int millis = (int) settings.timeout().toMillis();
        // A gateway that redirects is refused like any other non-2xx answer: the credential never follows a redirect,
        // and is never offered to an authentication challenge (it is sent up front).
        request.setConfig(RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).setRedirectsEnabled(false).setAuthenticationEnabled(false)
                .build());
        request.setHeader("Content-Type", settings.contentType());
        request.setEntity(new StringEntity(body, StandardCharsets.UTF_8));
        if (settings.authValue() != null && !settings.authValue().isBlank()) {
            request.setHeader(settings.authHeader(), settings.authValue());
        } else if (settings.basicUsername() != null) {
            String basic = settings.basicUsername() + ":" + (settings.basicPassword() == null ? "" : settings.basicPassword());
            request.setHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        ScheduledFuture<?> deadline = deadlines.schedule(request::abort, millis, TimeUnit.MILLISECONDS);
        int status;
        try (CloseableHttpResponse response = client.execute(request)) {
            // Closed unread: the connection is not reused, and no body, however long or slow, is waited for.
            status = response.getStatusLine().getStatusCode();
        } catch (IOException failed) {
            if (request.isAborted()) {
                throw new IOException("the SMS gateway did not answer within " + settings.timeout().toSeconds() + " s");
            }
            throw failed;
        } finally {
            deadline.cancel(false);
        }
        if (status / 100 != 2) {
            throw new IOException("the SMS gateway answered HTTP " + status);
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
        // The HTTP client is Keycloak's; the deadline thread is ours.
        if (deadlines != null) {
            deadlines.shutdownNow();
        }
    }
}
