package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/** What a security team reads: the admin endpoint (JSON, CSV, filters) and the metrics on /metrics. */
@ExtendWith(RealKeycloak.class)
class SecurityTeamViewsIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void findings_and_events_can_be_read_as_json_and_csv_and_metrics_name_no_user(TestRealm realm,
                                                                                  KeycloakServer server,
                                                                                  TestEnvironment env)
            throws Exception {
        String id = realm.user("sita").totp("sita-secret").create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "sita");
        FlowClient.Page page = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "select", "method", "totp"));
        for (int i = 0; i < 5; i++) {
            FlowClient.Page answer = client.post(page.formAction("governed-recovery-code-form"),
                    Map.of("action", "verify", "code", "00000" + i));
            if (answer.body().contains("governed-recovery-code-form")) {
                page = answer;
            }
        }
        new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("failed-resets", id), Duration.ofSeconds(20));

        String base = server.baseUrl() + "/admin/realms/" + realm.name() + "/governed-recovery";
        HttpResponse<String> found = get(base + "/findings?rule=failed-resets&user=" + id, server.adminToken());
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        JsonNode findings = JSON.readTree(found.body());
        assertThat(findings.isArray()).isTrue();
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).path("record").path("evidence").path("failures").asText()).isEqualTo("5");

        JsonNode events = JSON.readTree(get(base + "/events?user=" + id + "&limit=50", server.adminToken()).body());
        assertThat(events).isNotEmpty();
        assertThat(events.findValuesAsText("type")).contains("RESET_PASSWORD_ERROR", "RESET_PASSWORD");

        HttpResponse<String> csv = get(base + "/findings?format=csv&user=" + id, server.adminToken());
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body().lines()).hasSize(2).first()
                .isEqualTo("id,kind,time,type,user_id,username,ip,step,method,decision,outcome,reason,tier,error,rule,"
                        + "score");
        assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("recovery-findings.csv");

        assertThat(get(base + "/findings?limit=0", server.adminToken()).statusCode()).isEqualTo(400);
        assertThat(get(base + "/findings?from=yesterday", server.adminToken()).body()).contains("'from'");
        assertThat(get(base + "/findings?format=xml", server.adminToken()).statusCode()).isEqualTo(400);
        assertThat(get(base + "/findings", null).statusCode()).isEqualTo(401);
        assertThat(get(base + "/findings", "not-a-token").statusCode()).isEqualTo(401);

        String metrics = Await.until("pipeline metrics", Duration.ofSeconds(10), () -> {
            String m = server.metrics();
            return m.contains("governed_recovery_findings_total{rule=\"failed-resets\"}") ? m : null;
        });
        assertThat(metrics).contains("governed_recovery_events_in_total", "governed_recovery_events_dropped_total",
                "governed_recovery_queue_depth", "governed_recovery_scorer_keys", "governed_recovery_scorer_evicted_keys",
                "governed_recovery_export_oldest_pending_seconds{sink=\"webhook\"}",
                "governed_recovery_export_backlog{sink=\"syslog\"}", "governed_recovery_exported_total{sink=\"file\"}");
        metrics.lines().filter(l -> l.startsWith("governed_recovery")).forEach(line ->
                assertThat(line).doesNotContain(id).doesNotContain("127.0.0.1").doesNotContain("sita"));
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
