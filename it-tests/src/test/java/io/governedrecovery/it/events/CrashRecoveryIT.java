package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.EventRepresentation;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Keycloak is killed with SIGKILL in the middle of a burst of 600 events and started again on the same database:
 * every event Keycloak committed (its own event store says which) reaches the export, duplicates allowed.
 */
@ExtendWith(RealKeycloak.class)
class CrashRecoveryIT {

    @Test
    void every_committed_event_is_exported_after_a_kill_during_a_burst(TestRealm realm, KeycloakServer server,
                                                                       TestEnvironment env) throws Exception {
        String id = realm.user("crash").create();
        // Fault injection: the intake holds each batch for 3 s, so the kill surely catches committed events that never
        // reached the outbox; only the reconciler (Keycloak's event store) can bring them back.
        server.option(TestEnvironment.EVENTS_SPI + "fault-intake-pause-millis", "3000").restart();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService burst = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 600; i++) {
            int n = i;
            burst.execute(() -> {
                try {
                    realm.signIn("crash", "wrong-password-" + n, null);
                    answered.incrementAndGet();
                } catch (RuntimeException serverGone) {
                    // expected once the server is killed
                }
            });
        }
        Await.until("half the burst answered", Duration.ofSeconds(120), () -> answered.get() >= 300);
        server.kill();
        burst.shutdownNow();
        assertThat(burst.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        server.option(TestEnvironment.EVENTS_SPI + "fault-intake-pause-millis", null).restart();
        List<EventRepresentation> committed = realm.admin().getEvents(List.of("LOGIN_ERROR"), null, id, null, null,
                null, 0, 5000);
        assertThat(committed.size()).as("events Keycloak committed before the kill").isGreaterThan(200);
        Set<String> committedIds = committed.stream().map(EventRepresentation::getId).collect(Collectors.toSet());

        Set<String> missing = Await.until("every committed event in the export", Duration.ofSeconds(90), () -> {
            Set<String> exported = new ExportedEvents(env.exportDir()).all().stream().map(ExportedEvents::id)
                    .collect(Collectors.toSet());
            Set<String> notYet = committedIds.stream().filter(e -> !exported.contains(e)).collect(Collectors.toSet());
            return notYet.isEmpty() ? notYet : null;
        });
        assertThat(missing).isEmpty();
        assertThat(server.log()).as("the reconciler recovered events the crash kept out of the outbox")
                .containsPattern("recovered \\d+ committed events missing from the outbox");
    }
}
