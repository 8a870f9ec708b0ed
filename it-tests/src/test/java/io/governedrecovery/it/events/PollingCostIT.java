package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.EventRepresentation;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MetricValues;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Polling reads only what is new: once every record is scored and delivered, the scorer and the sinks read no more
 * rows, however often they poll.
 */
@ExtendWith(RealKeycloak.class)
class PollingCostIT {

    @Test
    void an_idle_pipeline_reads_no_rows(TestRealm realm, TestEnvironment env, KeycloakServer server) {
        String id = realm.user("quinn").create();
        for (int i = 0; i < 20; i++) {
            assertThat(realm.signIn("quinn", "wrong-password-" + i, null)).isFalse();
        }
        Set<String> committed = new HashSet<>(realm.admin().getEvents(List.of("LOGIN_ERROR"), null, id, null, null,
                null, 0, 100).stream().map(EventRepresentation::getId).toList());
        Await.until("every event at the webhook", Duration.ofSeconds(60), () -> env.webhook().records().stream()
                .map(ExportedEvents::id).collect(Collectors.toSet()).containsAll(committed));
        double[] last = {-1};
        Instant[] changed = {Instant.now()};
        Await.until("deliveries to have settled for a second", Duration.ofSeconds(60), () -> {
            double exported = MetricValues.of(server, "governed_recovery_exported_total");
            if (exported != last[0]) {
                last[0] = exported;
                changed[0] = Instant.now();
            }
            return Duration.between(changed[0], Instant.now()).toMillis() >= 1000;
        });

        double before = rowsRead(server);
        Instant from = Instant.now();
        // Observe three seconds of idle polling (15 polls of each worker at poll-millis 200).
        Await.until("three seconds of idle polling", Duration.ofSeconds(10),
                () -> Duration.between(from, Instant.now()).toMillis() >= 3000);
        assertThat(rowsRead(server)).as("rows read by the scorer and the sinks while idle").isEqualTo(before);
    }

    private static double rowsRead(KeycloakServer server) {
        double all = 0;
        for (String worker : List.of("scorer", "file", "syslog", "webhook", "notices")) {
            all += MetricValues.of(server, "governed_recovery_rows_read_total", Map.of("worker", worker));
        }
        return all;
    }
}
