package io.governedrecovery.it.controls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The anonymizer list is read only from sources the operator allows, in the background, and never whole into memory:
 * a file outside the list directory, a device, plain http to a host the operator did not name, a redirect to another
 * host and an endless answer are each refused with a clear line in the log and in the policy summary, and the server
 * keeps answering resets all along.
 */
@ExtendWith(RealKeycloak.class)
class AnonymizerListIT {

    private static HttpServer lists;

    @BeforeAll
    static void listServer() throws IOException {
        lists = HttpServer.create(new InetSocketAddress(TestEnvironment.LIST_HTTP_HOST, 0), 0);
        lists.createContext("/tor.txt", exchange -> answer(exchange, 200, "# exits\n198.51.100.23\n"));
        lists.createContext("/elsewhere", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://localhost:" + port() + "/tor.txt");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        lists.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = "198.51.100.1\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
                for (long sent = 0; sent < 64L * 1024 * 1024; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException closedByTheReader) {
                // the reader stopped at its cap: expected
            }
        });
        lists.start();
    }

    @AfterAll
    static void stop() {
        lists.stop(0);
    }

    @Test
    void sources_the_operator_did_not_allow_are_refused_and_resets_go_on(TestRealm realm, KeycloakServer server,
                                                                        TestEnvironment env) throws Exception {
        realm.user("anon-ok").create();
        Path outside = Files.createTempFile("outside-list", ".txt");
        Files.writeString(outside, "198.51.100.23\n");
        Map<String, String> refused = Map.of(
                outside.toString(), "outside the list directory",
                "/dev/urandom", "outside the list directory",
                "/etc/passwd", "outside the list directory",
                "http://localhost:" + port() + "/tor.txt", "list-http-hosts",
                "http://" + TestEnvironment.LIST_HTTP_HOST + ":" + port() + "/elsewhere", "another host",
                "http://" + TestEnvironment.LIST_HTTP_HOST + ":" + port() + "/endless", "larger than");
        for (var source : refused.entrySet()) {
            realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32",
                    "anonymizer-list", source.getKey()));
            FlowClient client = new FlowClient().header("X-Forwarded-For", "198.51.100.23");
            FlowClient.Page page = client.requestReset(client.openResetPage(realm), "anon-ok");
            assertThat(page.status()).as(source.getKey()).isEqualTo(200);
            assertThat(page.body()).as("an unread list counts as empty: " + source.getKey())
                    .contains("governed-recovery-methods-form");
            assertThat(AddressListStatus.awaitProblem(realm, source.getKey())).as(source.getKey())
                    .contains(source.getValue());
            assertThat(Files.readString(server.logFile())).contains("address list " + source.getKey());
        }

        // What the operator allows is read, and a listed address is refused.
        String allowed = "http://" + TestEnvironment.LIST_HTTP_HOST + ":" + port() + "/tor.txt";
        realm.config("governed-recovery-controls", Map.of("anonymizer-list", allowed));
        startReset(realm);
        AddressListStatus.awaitLoaded(realm, allowed);
        FlowClient viaTor = new FlowClient().header("X-Forwarded-For", "198.51.100.23");
        assertThat(viaTor.requestReset(viaTor.openResetPage(realm), "anon-ok").body())
                .contains("governed-recovery-helpdesk-text").doesNotContain("governed-recovery-methods-form");
        Path inside = env.listDir().resolve("inside.txt");
        Files.writeString(inside, "203.0.113.7\n");
        realm.config("governed-recovery-controls", Map.of("anonymizer-list", inside.toString()));
        startReset(realm);
        AddressListStatus.awaitLoaded(realm, inside.toString());
        realm.config("governed-recovery-controls", Map.of("anonymizer-list", ""));
    }

    /** A reset start makes the controls ask for the list, which starts its loading. */
    private static void startReset(TestRealm realm) {
        FlowClient client = new FlowClient();
        client.requestReset(client.openResetPage(realm), "anon-ok");
    }

    private static int port() {
        return lists.getAddress().getPort();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
