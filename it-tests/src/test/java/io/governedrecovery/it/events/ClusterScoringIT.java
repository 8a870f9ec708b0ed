package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.PostgresServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.Realms;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Two Keycloak nodes on one PostgreSQL database (both on loopback): failed resets split across the nodes add up to
 * one picture, and the finding is raised and exported once.
 */
@ExtendWith(RealKeycloak.class)
class ClusterScoringIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void failed_resets_split_across_two_nodes_raise_one_finding(KeycloakServer shared, MailCatcher mail)
            throws Exception {
        Path work = shared.workDir().resolveSibling("cluster");
        Path dist = work.resolve("keycloak");
        KeycloakServer.copyDistribution(shared.distDir(), dist);
        List<KeycloakServer> nodes = new ArrayList<>();
        try (PostgresServer pg = PostgresServer.start(work)) {
            for (String name : List.of("node1", "node2")) {
                KeycloakServer node = pg.configure(KeycloakServer.builder()).distDir(dist).keepData()
                        .workDir(work.resolve(name))
                        .option(TestEnvironment.EVENTS_SPI + "export-dir", work.resolve(name).resolve("export").toString())
                        .option(TestEnvironment.EVENTS_SPI + "poll-millis", "200")
                        .build();
                nodes.add(node);
                node.start();
                if (nodes.size() == 1) {
                    Realms.importRealm(node, mail, Realms.DEMO, "cluster", json -> Realms.withoutRateLimits(json).remove("users"));
                    TestRealm.existing(node, "cluster").user("split").totp("split-secret").create();
                }
            }
            String userId = TestRealm.existing(nodes.get(1), "cluster").userIdOf("split");

            failResets(TestRealm.existing(nodes.get(0), "cluster"), 3);
            failResets(TestRealm.existing(nodes.get(1), "cluster"), 2);

            for (KeycloakServer node : nodes) {
                JsonNode findings = Await.until("the finding seen from " + node.baseUrl(), Duration.ofSeconds(30), () -> {
                    JsonNode f = findings(node, userId);
                    return f.size() > 0 ? f : null;
                });
                assertThat(findings).as("one finding, whichever node asks").hasSize(1);
                assertThat(findings.get(0).path("record").path("evidence").path("failures").asText()).isEqualTo("5");
            }
            String findingId = findings(nodes.get(0), userId).get(0).path("id").asText();
            long exported = Await.until("the finding in a node's export", Duration.ofSeconds(30), () -> {
                long n = nodes.stream().mapToLong(node -> new ExportedEvents(node.workDir().resolve("export")).all()
                        .stream().filter(r -> findingId.equals(ExportedEvents.id(r))).count()).sum();
                return n > 0 ? n : null;
            });
            assertThat(exported).as("exported by one node, once").isEqualTo(1);
        } finally {
            nodes.forEach(KeycloakServer::close);
        }
    }

    /** Fails {@code times} recovery tries for the user on one node (one flow, wrong app codes). */
    private static void failResets(TestRealm realm, int times) {
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "split");
        FlowClient.Page page = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "totp"));
        for (int i = 0; i < times; i++) {
            page = client.post(page.formAction("governed-recovery-code-form"),
                    Map.of("action", "verify", "code", "00000" + i));
        }
    }

    private static JsonNode findings(KeycloakServer node, String userId) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl()
                            + "/admin/realms/cluster/governed-recovery/findings?rule=failed-resets&user=" + userId))
                    .header("Authorization", "Bearer " + node.adminToken()).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("Cannot read findings from " + node.baseUrl() + ": " + e, e);
        }
    }
}
