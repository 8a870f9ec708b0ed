package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.UserRepresentation;

import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * A node that starts (or restarts) scores with the whole of every rule's window: a recovery-method change 30 hours
 * ago still makes a reset now a finding (the rule looks back 72 hours), because the scorer replays that far.
 */
@ExtendWith(RealKeycloak.class)
class ScorerRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void a_restarted_node_remembers_a_method_change_from_thirty_hours_ago(TestRealm realm, TestEnvironment env,
                                                                         KeycloakServer server) {
        String id = realm.user("sr-mona").create();
        UserRepresentation mona = realm.userResource(id).toRepresentation();
        mona.setEmail("sr-mona.new@example.test");
        realm.userResource(id).update(mona);
        ExportedEvents export = new ExportedEvents(env.exportDir());
        export.await(ExportedEvents.ofType("UPDATE_PROFILE", id)
                .and(e -> "true".equals(ExportedEvents.detail(e, "gr_method_change"))), WAIT);

        // Thirty hours later (by the pipeline's clock) the node restarts and replays the outbox into its scorer.
        env.clock().set(Duration.ofHours(30));
        try {
            server.restart();
            FlowClient client = new FlowClient();
            client.requestReset(client.openResetPage(realm), "sr-mona");
            var finding = export.await(ExportedEvents.finding("reset-after-method-change", id), WAIT);
            assertThat(finding.path("evidences").get(0).path("data").path("minutes_since_change").asLong())
                    .isLessThan(60);
        } finally {
            env.clock().set(Duration.ZERO);
        }
    }
}
