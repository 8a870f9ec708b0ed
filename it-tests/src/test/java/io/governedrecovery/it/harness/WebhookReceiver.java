package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver that accepts a batch only when its HMAC-SHA256 signature (over timestamp + "." + body) matches
 * the shared secret, as a careful SIEM endpoint does. It can go down (connections refused) and come back on its port.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final String SECRET = "webhook-test-secret-1234567890";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final List<JsonNode> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private HttpServer server;

    public WebhookReceiver() {
        this.port = Ports.free();
        up();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    public synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 32);
        } catch (IOException e) {
            throw new HarnessException("Cannot open the webhook receiver on " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/hook", exchange -> {
            int status;
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String timestamp = exchange.getRequestHeaders().getFirst("X-Governed-Recovery-Timestamp");
                String signature = exchange.getRequestHeaders().getFirst("X-Governed-Recovery-Signature");
                if (timestamp == null || signature == null || !MessageDigest.isEqual(
                        signature.getBytes(StandardCharsets.US_ASCII),
                        ("sha256=" + hmac(timestamp + "." + body)).getBytes(StandardCharsets.US_ASCII))) {
                    badSignatures.incrementAndGet();
                    status = 401;
                } else {
                    JSON.readTree(body).forEach(records::add);
                    status = 204;
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Stops listening: the sink's connections are refused until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public List<JsonNode> records() {
        return List.copyOf(records);
    }

    public int badSignatures() {
        return badSignatures.get();
    }

    static String hmac(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        down();
    }
}
