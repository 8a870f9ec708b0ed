package io.governedrecovery.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP SMS gateway: Keycloak's http-gateway sender posts {"to": ..., "text": ...} to it, and tests (or the
 * demo page) read what arrived. It checks the bearer credential the server was configured with, and can be switched
 * to fail, to test a gateway outage.
 */
public final class SmsGatewayStub implements AutoCloseable {

    public static final String TOKEN = "Bearer sms-gateway-test-token";

    /** One text message the gateway accepted. */
    public record Sms(String to, String text, Instant received) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<Sms> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> consumed = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean failing = new AtomicBoolean();

    public SmsGatewayStub(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 32);
        } catch (IOException e) {
            throw new HarnessException("Cannot open the SMS gateway stub on port " + port + ": " + e.getMessage(), e);
        }
        server.createContext("/sms", exchange -> {
            int status;
            try (InputStream in = exchange.getRequestBody()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    status = 401;
                } else if (failing.get()) {
                    status = 503;
                } else {
                    JsonNode sms = JSON.readTree(body);
                    received.add(new Sms(sms.path("to").asText(), sms.path("text").asText(), Instant.now()));
                    status = 202;
                }
            } catch (IOException e) {
                status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static SmsGatewayStub onFreePort() {
        return new SmsGatewayStub(Ports.free());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms";
    }

    /** A host name that resolves nowhere ({@code .test} is reserved): reached only through a proxy mapping. */
    public static final String PROXIED_HOST = "sms-gateway.test";

    /** The gateway's address on {@link #PROXIED_HOST}. */
    public String proxiedUrl() {
        return "http://" + PROXIED_HOST + ":" + server.getAddress().getPort() + "/sms";
    }

    /**
     * A value of Keycloak's {@code proxy-mappings} option that sends requests for {@link #PROXIED_HOST} to this stub,
     * which takes them as a forward proxy passes them on (the absolute address in the request line, same path).
     */
    public String proxyMapping() {
        return PROXIED_HOST.replace(".", "\\.") + ";http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Sms> all() {
        return new ArrayList<>(received);
    }

    public List<Sms> to(String number) {
        return received.stream().filter(s -> s.to().equals(number)).toList();
    }

    /**
     * Whether a text is a notice of a method change (sent whenever the event pipeline delivers it, after the change):
     * {@link #next} leaves those out so tests read the messages of a flow in order; read them with {@link #await}.
     */
    static boolean methodChangeNotice(Sms sms) {
        String text = sms.text();
        return text.contains(" was added to your account (") || text.contains(" was removed from your account (")
                || text.contains("an administrator removed a sign-in method") || text.contains(
                "an administrator set a new password") || text.contains("issued a temporary access pass for your");
    }

    /** The first message to {@code number} that {@code wanted} accepts, waiting up to 20 s (reads out of order). */
    public Sms await(String number, java.util.function.Predicate<Sms> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            for (Sms sms : to(number)) {
                if (wanted.test(sms)) {
                    return sms;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("No matching SMS to " + number + "; seen: " + to(number));
            }
            pause();
        }
    }

    /** The next message to {@code number} not handed out yet (method-change notices aside), waiting up to 20 s. */
    public Sms next(String number) {
        int wanted = consumed.getOrDefault(number, 0);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (true) {
            List<Sms> messages = to(number).stream().filter(m -> !methodChangeNotice(m)).toList();
            if (messages.size() > wanted) {
                consumed.put(number, wanted + 1);
                return messages.get(wanted);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("SMS number " + (wanted + 1) + " to " + number + " did not arrive; seen: "
                        + received.stream().map(Sms::to).toList());
            }
            pause();
        }
    }

    public void failing(boolean fail) {
        failing.set(fail);
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
