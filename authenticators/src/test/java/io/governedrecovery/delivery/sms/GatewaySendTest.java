package io.governedrecovery.delivery.sms;

import static io.governedrecovery.delivery.ServerOptionsTest.scope;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.client.LaxRedirectStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One send to the gateway, against a raw socket that answers as told: the whole exchange is bounded by the timeout,
 * however slowly the gateway (or anyone on the path) drips its answer, and no answer body is waited for.
 */
class GatewaySendTest {

    private ServerSocket socket;
    private Thread server;
    private ScheduledExecutorService deadlines;
    private CloseableHttpClient client;

    @BeforeEach
    void open() throws IOException {
        socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        deadlines = Executors.newSingleThreadScheduledExecutor();
        // A client that follows redirects even of a POST, as a shared client set up to follow them would: the
        // request's own settings must still keep the credential from following one.
        client = HttpClients.custom().setRedirectStrategy(new LaxRedirectStrategy()).build();
    }

    @AfterEach
    void close() throws IOException {
        socket.close();
        if (server != null) {
            server.interrupt();
        }
        deadlines.shutdownNow();
        client.close();
    }

    /** Answers one request with {@code head}, then drips {@code drip} a byte every 200 ms until the socket closes. */
    private void answer(String head, String drip) {
        server = new Thread(() -> {
            try (Socket s = socket.accept()) {
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[8192];
                String seen = "";
                while (!seen.contains("\r\n\r\n")) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return;
                    }
                    seen += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                }
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                for (int i = 0; drip != null; i++) {
                    out.write(drip.charAt(i % drip.length()));
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException | InterruptedException stopped) {
                // the client went away, or the test ended
            }
        });
        server.setDaemon(true);
        server.start();
    }

    private HttpGatewaySettings settings() {
        return HttpGatewaySettings.from(scope(Map.of("url", "http://127.0.0.1:" + socket.getLocalPort() + "/sms",
                "timeout-seconds", "1", "auth-value", "Bearer t")));
    }

    private void send() throws IOException {
        HttpGatewaySmsSenderFactory.send(client, deadlines, settings(), "realm", "+4915112345999", "code 123456");
    }

    @Test
    void a_gateway_that_drips_its_headers_is_cut_off_at_the_timeout() {
        answer("HTTP/1.1 200 OK\r\n", "X-Drip: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(this::send)
                .isInstanceOf(IOException.class).hasMessage("the SMS gateway did not answer within 1 s"));
    }

    @Test
    void an_accepted_text_does_not_wait_for_an_endless_body() {
        answer("HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n", "1\r\na\r\n");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatCode(this::send).doesNotThrowAnyException());
    }

    @Test
    void a_refusal_is_a_failure_with_its_status_only() {
        answer("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\n\r\nbusy!", null);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(this::send)
                .isInstanceOf(IOException.class).hasMessage("the SMS gateway answered HTTP 503"));
    }

    @Test
    void a_redirect_is_a_failed_send_and_the_credential_does_not_follow_it() {
        answer("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:" + socket.getLocalPort()
                + "/elsewhere\r\nContent-Length: 0\r\n\r\n", null);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(this::send)
                .isInstanceOf(IOException.class).hasMessage("the SMS gateway answered HTTP 307"));
    }
}
