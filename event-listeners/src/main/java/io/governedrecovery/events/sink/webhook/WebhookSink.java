package io.governedrecovery.events.sink.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

/**
 * Posts batches of OCSF records as a JSON array. Each request is signed: header
 * {@code X-Governed-Recovery-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>} with
 * {@code X-Governed-Recovery-Timestamp} (epoch seconds), so a receiver can check origin and refuse replays. Only a 2xx
 * answer counts as delivered.
 */
public final class WebhookSink implements EventSink {

    public static final String SIGNATURE_HEADER = "X-Governed-Recovery-Signature";
    public static final String TIMESTAMP_HEADER = "X-Governed-Recovery-Timestamp";

    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final OcsfRecords ocsf;
    private final ObjectMapper json;
    private final HttpClient http;

    public WebhookSink(URI url, String secret, Duration timeout, OcsfRecords ocsf, ObjectMapper json) {
        this.url = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.ocsf = ocsf;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void deliver(List<OutboxRecord> batch) throws IOException {
        ArrayNode records = json.createArrayNode();
        batch.forEach(r -> records.add(ocsf.toOcsf(r)));
        String body = records.toString();
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "sha256=" + sign(timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("webhook answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while posting to the webhook", e);
        }
    }

    String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        // The HTTP client holds no connection worth closing.
    }
}
