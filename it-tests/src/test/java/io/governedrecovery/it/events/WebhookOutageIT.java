package io.governedrecovery.it.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/** A SIEM webhook that is away for a while gets every event once it is back: nothing is skipped. */
@ExtendWith(RealKeycloak.class)
class WebhookOutageIT {

    @Test
    void every_event_arrives_after_the_webhook_was_down(TestRealm realm, TestEnvironment env) {
        String id = realm.user("otto").create();
        env.webhook().down();
        Set<String> ids = new HashSet<>();
        try {
            for (int i = 0; i < 25; i++) {
                assertThat(realm.signIn("otto", "wrong-password-" + i, null)).isFalse();
            }
            // The failed sign-ins are committed and exported to the file while the webhook is away.
            List<JsonNode> failures = Await.until("25 failed sign-ins in the file export", Duration.ofSeconds(20), () -> {
                List<JsonNode> found = new ExportedEvents(env.exportDir()).all().stream()
                        .filter(ExportedEvents.ofType("LOGIN_ERROR", id)).toList();
                return found.size() >= 25 ? found : null;
            });
            failures.forEach(f -> ids.add(ExportedEvents.id(f)));
            assertThat(env.webhook().records()).extracting(ExportedEvents::id).doesNotContainAnyElementsOf(ids);
        } finally {
            env.webhook().up();
        }
        Await.until("every event at the webhook after the outage", Duration.ofSeconds(60), () ->
                env.webhook().records().stream().map(ExportedEvents::id).toList().containsAll(ids));
        assertThat(env.webhook().badSignatures()).isZero();
    }
}
