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
 * the shared secret, as a careful SIEM endpoint does. It can go down (connections refused) and come back on its port,
 * answer slowly, and refuse some batches the way real receivers do (a body-size limit, a redirect); it records how
 * many requests it was handling at once.
 */
public final class WebhookReceiver implements AutoCloseable {

    public static final String SECRET = "webhook-test-secret-1234567890";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final List<JsonNode> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Integer> bodySizes = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, Long> firstArrivals = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long delayMillis;
    private volatile java.util.function.ToIntFunction<String> refusal = body -> 0;
    private HttpServer server;
    private java.util.concurrent.ExecutorService executor;

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
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            requests.incrementAndGet();
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                bodySizes.add(body.getBytes(StandardCharsets.UTF_8).length);
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                int refused = refusal.applyAsInt(body);
                String timestamp = exchange.getRequestHeaders().getFirst("X-Governed-Recovery-Timestamp");
                String signature = exchange.getRequestHeaders().getFirst("X-Governed-Recovery-Signature");
                if (refused != 0) {
                    status = refused;
                } else if (timestamp == null || signature == null || !MessageDigest.isEqual(
                        signature.getBytes(StandardCharsets.US_ASCII),
                        ("sha256=" + hmac(timestamp + "." + body)).getBytes(StandardCharsets.US_ASCII))) {
                    badSignatures.incrementAndGet();
                    status = 401;
                } else {
                    long arrived = System.currentTimeMillis();
                    for (JsonNode record : JSON.readTree(body)) {
                        records.add(record);
                        firstArrivals.putIfAbsent(record.path("metadata").path("uid").asText(), arrived);
                    }
                    status = 204;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 503;
            } finally {
                inFlight.decrementAndGet();
            }
            if (status / 100 == 3) {
                exchange.getResponseHeaders().add("Location", url() + "-moved");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        executor = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-webhook-receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Answers every request only after {@code delay} (a slow receiver); zero for prompt answers. */
    public void delay(java.time.Duration delay) {
        this.delayMillis = delay.toMillis();
    }

    /**
     * Refuses a batch with the status {@code rule} gives for its body (0 accepts it), for example 413 for bodies over
     * a size limit or 307 for a moved endpoint; {@code body -> 0} accepts every batch again.
     */
    public void refuse(java.util.function.ToIntFunction<String> rule) {
        this.refusal = rule;
    }

    /** The most requests this receiver was handling at the same moment so far. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Forgets the concurrency high-water mark (before a new scenario). */
    public void resetMaxInFlight() {
        maxInFlight.set(inFlight.get());
    }

    public int requests() {
        return requests.get();
    }

    /** Body sizes in bytes of every request received so far. */
    public List<Integer> bodySizes() {
        return List.copyOf(bodySizes);
    }

    /** Stops listening: the sink's connections are refused until {@link #up()}. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
            executor.shutdownNow();
        }
    }

    public List<JsonNode> records() {
        return List.copyOf(records);
    }

    /** When each record id first arrived (epoch milliseconds of this machine's clock). */
    public java.util.Map<String, Long> firstArrivals() {
        return java.util.Map.copyOf(firstArrivals);
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
