package io.governedrecovery.events.sink.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.sink.Deadlines;
import io.governedrecovery.events.sink.DeliveryException;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Posts batches of OCSF records as a JSON array, through Keycloak's own outgoing HTTP client (its truststore, host-name
 * verification, proxy settings; redirects are not followed). Each request is signed: header
 * {@code X-Governed-Recovery-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} with
 * {@code X-Governed-Recovery-Timestamp} (epoch seconds), so a receiver can check origin and refuse replays. Only a 2xx
 * answer counts as delivered. 408, 425, 429 and 5xx (and no answer within the timeout) are retried with back-off; 400,
 * 413 and 422 refuse the records in the batch; any other answer (401, 403, 404, 405, a redirect) refuses every batch
 * alike and is retried with an alarm (see {@link #verdict}).
 */
public final class WebhookSink implements EventSink {

    public static final String SIGNATURE_HEADER = "X-Governed-Recovery-Signature";
    public static final String TIMESTAMP_HEADER = "X-Governed-Recovery-Timestamp";

    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final OcsfRecords ocsf;
    private final Supplier<CloseableHttpClient> client;
    private final LongSupplier epochMillis;

    public WebhookSink(URI url, String secret, Duration timeout, OcsfRecords ocsf, Supplier<CloseableHttpClient> client,
                       LongSupplier epochMillis) {
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.ocsf = ocsf;
        this.client = client;
        this.epochMillis = epochMillis;
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public byte[] encode(OutboxRecord record) {
        return ocsf.toOcsf(record).toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void deliver(List<Encoded> batch) throws DeliveryException {
        byte[] body = body(batch);
        String timestamp = Long.toString(epochMillis.getAsLong() / 1000);
        int millis = (int) timeout.toMillis();
        HttpPost post = new HttpPost(url);
        post.setConfig(RequestConfig.custom().setConnectTimeout(millis).setSocketTimeout(millis)
                .setConnectionRequestTimeout(millis).setRedirectsEnabled(false).build());
        post.setHeader(TIMESTAMP_HEADER, timestamp);
        post.setHeader(SIGNATURE_HEADER, "sha256=" + sign(timestamp, body));
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        int status;
        // The socket timeout bounds each read; the deadline bounds the whole exchange (a receiver that trickles).
        try (Deadlines.Deadline ignored = Deadlines.after(millis, post::abort);
             CloseableHttpResponse response = client.get().execute(post)) {
            status = response.getStatusLine().getStatusCode();
            EntityUtils.consumeQuietly(response.getEntity());
        } catch (IOException | RuntimeException e) {
            throw DeliveryException.unavailable("webhook " + url.getHost() + ": " + e, e);
        }
        DeliveryException failure = verdict(status);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * What an answer means: null for a 2xx (delivered); 408, 425, 429 and 5xx the receiver is busy or away (retried);
     * 400, 413 and 422 refuse this body (counted against its records); any other answer (401, 403, 404, 405, a
     * redirect...) refuses every body alike: a fault of the configuration, retried with an alarm, never parked.
     */
    static DeliveryException verdict(int status) {
        if (status / 100 == 2) {
            return null;
        }
        String answer = "webhook answered HTTP " + status;
        if (status == 408 || status == 425 || status == 429 || status / 100 == 5) {
            return DeliveryException.unavailable(answer, null);
        }
        if (status == 400 || status == 413 || status == 422) {
            return DeliveryException.refused(answer);
        }
        return DeliveryException.receiverRefused(answer + switch (status) {
            case 401, 403 -> " (check webhook-secret and the receiver's credentials)";
            case 404, 405 -> " (check webhook-url)";
            default -> status / 100 == 3 ? " (redirects are not followed: set webhook-url to the final address)" : "";
        });
    }

    static byte[] body(List<Encoded> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(batch.get(i).bytes());
        }
        out.write(']');
        return out.toByteArray();
    }

    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        // Keycloak owns the HTTP client and its connections.
    }
}
