package io.governedrecovery.events.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.governedrecovery.core.event.RecoveryEvent;
import io.governedrecovery.events.export.OcsfRecords;
import io.governedrecovery.events.export.RecordCodec;
import io.governedrecovery.events.sink.DeliveryException;
import io.governedrecovery.events.sink.EventSink;
import io.governedrecovery.events.store.OutboxRecord;

class WebhookSinkTest {

    private final RecordCodec codec = new RecordCodec(new ObjectMapper());
    private final CloseableHttpClient http = HttpClients.custom().disableRedirectHandling().build();
    private final AtomicInteger status = new AtomicInteger(204);
    private final HttpServer server = start();

    private HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            s.createContext("/hook", exchange -> {
                exchange.getRequestBody().readAllBytes();
                if (status.get() / 100 == 3) {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:1/elsewhere");
                }
                exchange.sendResponseHeaders(status.get(), -1);
                exchange.close();
            });
            s.start();
            return s;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        http.close();
    }

    private void deliverWith(int answer) throws DeliveryException {
        status.set(answer);
        WebhookSink sink = new WebhookSink(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                "0123456789abcdef0123", Duration.ofSeconds(2), new OcsfRecords(codec, "test"), () -> http,
                System::currentTimeMillis);
        OutboxRecord r = codec.record(new RecoveryEvent("e1", 1, RecoveryEvent.Kind.USER, "LOGIN_ERROR", "realm",
                "r", "c", "u", null, "x", Map.of()));
        sink.deliver(List.of(new EventSink.Encoded(r, sink.encode(r))));
    }

    @Test
    void only_a_2xx_is_a_delivery_and_only_some_failures_are_worth_retrying() throws Exception {
        deliverWith(200);
        deliverWith(204);
        for (int transientStatus : new int[] {408, 425, 429, 500, 502, 503}) {
            assertThatThrownBy(() -> deliverWith(transientStatus)).isInstanceOfSatisfying(DeliveryException.class,
                    e -> assertThat(e.permanent()).as("HTTP " + transientStatus).isFalse());
        }
        for (int refusal : new int[] {400, 413, 422}) {
            assertThatThrownBy(() -> deliverWith(refusal)).isInstanceOfSatisfying(DeliveryException.class,
                    e -> assertThat(e.permanent()).as("HTTP " + refusal).isTrue())
                    .hasMessageContaining("answered HTTP " + refusal);
        }
    }

    @Test
    void a_receiver_that_refuses_everything_is_retried_with_an_alarm_and_never_counted_against_records() {
        // A wrong secret, a wrong address, a redirect: every record would be refused alike, so none may be parked.
        for (int refusal : new int[] {401, 403, 404, 405, 301, 302, 307, 308}) {
            assertThatThrownBy(() -> deliverWith(refusal)).isInstanceOfSatisfying(DeliveryException.class,
                    e -> {
                        assertThat(e.permanent()).as("HTTP " + refusal + " counts against the records").isFalse();
                        assertThat(e.receiverWide()).as("HTTP " + refusal + " raises the alarm").isTrue();
                    }).hasMessageContaining("answered HTTP " + refusal);
        }
        for (int transientStatus : new int[] {429, 503}) {
            assertThatThrownBy(() -> deliverWith(transientStatus)).isInstanceOfSatisfying(DeliveryException.class,
                    e -> assertThat(e.permanent()).isFalse());
        }
    }

    @Test
    void a_receiver_that_is_away_is_worth_retrying() {
        server.stop(0);
        assertThatThrownBy(() -> deliverWith(204)).isInstanceOfSatisfying(DeliveryException.class,
                e -> assertThat(e.permanent()).isFalse());
    }

    @Test
    void the_body_is_a_json_array_of_the_encoded_records() throws Exception {
        OutboxRecord r = codec.record(new RecoveryEvent("e1", 1, RecoveryEvent.Kind.USER, "LOGIN_ERROR", "realm",
                "r", "c", "u", null, "x", Map.of()));
        byte[] body = WebhookSink.body(List.of(new EventSink.Encoded(r, "{\"a\":1}".getBytes()),
                new EventSink.Encoded(r, "{\"b\":2}".getBytes())));
        assertThat(new String(body)).isEqualTo("[{\"a\":1},{\"b\":2}]");
    }
}
