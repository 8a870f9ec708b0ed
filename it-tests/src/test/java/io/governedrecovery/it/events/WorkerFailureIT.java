package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
 * An {@link Error} (a missing method, say) in the intake, the scorer or a sink does not stop the pipeline: the worker
 * is restarted with back-off, the cause is logged, and liveness gauges show it. The shared server throws one in every
 * worker on the first event of the user {@link TestEnvironment#WORKER_FAULT_USER}.
 */
@ExtendWith(RealKeycloak.class)
class WorkerFailureIT {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void an_error_in_any_worker_is_logged_and_the_worker_carries_on(TestRealm realm, TestEnvironment env,
                                                                 KeycloakServer server) {
        String id = realm.user(TestEnvironment.WORKER_FAULT_USER).create();
        for (int i = 0; i < 6; i++) {
            assertThat(realm.signIn(TestEnvironment.WORKER_FAULT_USER, "wrong-password-" + i, null)).isFalse();
        }
        Set<String> committed = new HashSet<>(realm.admin().getEvents(List.of("LOGIN_ERROR"), null, id, null, null,
                null, 0, 100).stream().map(EventRepresentation::getId).toList());
        assertThat(committed).hasSize(6);
        Await.until("every event in every sink", WAIT, () -> fileIds(env).containsAll(committed)
                && env.syslog().ids().containsAll(committed) && env.webhook().records().stream()
                .map(ExportedEvents::id).collect(Collectors.toSet()).containsAll(committed));

        String log = server.log();
        for (String worker : List.of("intake", "scorer", "file", "syslog", "webhook")) {
            assertThat(log).as("the failure of " + worker + " is logged with its cause")
                    .contains("Governed Recovery worker '" + worker + "' failed")
                    .contains("NoSuchMethodError");
            assertThat(MetricValues.of(server, "governed_recovery_worker_restarts_total", Map.of("worker", worker)))
                    .as("restarts of " + worker).isGreaterThanOrEqualTo(1);
            Await.until(worker + " is up again", WAIT, () -> MetricValues.of(server, "governed_recovery_worker_up",
                    Map.of("worker", worker)) == 1.0);
        }
        assertThat(MetricValues.value(server.metrics(), "governed_recovery_worker_idle_seconds",
                Map.of("worker", "scorer"))).as("liveness gauge of the scorer").isNotNull();
        assertThat(MetricValues.value(server.metrics(), "governed_recovery_export_backlog",
                Map.of("sink", "webhook"))).as("lag gauge of a sink").isNotNull();
    }

    private static Set<String> fileIds(TestEnvironment env) {
        return new ExportedEvents(env.exportDir()).all().stream().map(ExportedEvents::id).collect(Collectors.toSet());
    }
}
