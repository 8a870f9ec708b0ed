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
 * A sink that is down, or refuses some records, never loses the rest: retention keeps what a sink has not delivered
 * (and raises an alarm), batches stay under a receiver's body limit, and a record the receiver refuses for good is
 * parked after a few tries while everything else is delivered.
 */
@ExtendWith(RealKeycloak.class)
class StuckSinkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration BACK_OFF_MAX = Duration.ofSeconds(TestEnvironment.RETRY_MAX_SECONDS);
    private static final int BODY_LIMIT = 16 * 1024;

    @Test
    void a_webhook_down_longer_than_retention_gets_its_whole_backlog(TestRealm realm, TestEnvironment env,
                                                                    KeycloakServer server) {
        String id = realm.user("rita").create();
        env.webhook().down();
        Set<String> committed;
        try {
            for (int i = 0; i < 10; i++) {
                assertThat(realm.signIn("rita", "wrong-password-" + i, null)).isFalse();
            }
            committed = committed(realm, "LOGIN_ERROR", id);
            Await.until("rita's events in the file export", WAIT, () -> fileIds(env).containsAll(committed));
            // Eight days pass (retention is seven) while the webhook is still down.
            env.clock().set(Duration.ofDays(8));
            Await.until("the alarm about the webhook's aged backlog", WAIT, () -> server.log()
                    .contains("Governed Recovery sink 'webhook' has undelivered records older than"));
            Await.until("a retention pass that kept what the webhook has not delivered", WAIT, () -> server.log()
                    .contains("kept until every sink delivered them"));
            assertThat(MetricValues.of(server, "governed_recovery_export_oldest_pending_seconds",
                    Map.of("sink", "webhook"))).isGreaterThan(Duration.ofDays(7).toSeconds());
        } finally {
            env.clock().set(Duration.ZERO);
            env.webhook().up();
        }
        // The sink backs off up to retry-max-seconds between attempts while the receiver is down (README): the backlog
        // comes with the first attempt after it is up again, not a minute (the default) later.
        Await.until("the whole backlog at the webhook", BACK_OFF_MAX.plusSeconds(15),
                () -> webhookIds(env).containsAll(committed));
    }

    @Test
    void a_body_limit_and_refused_records_do_not_stop_the_rest(TestRealm realm, TestEnvironment env,
                                                              KeycloakServer server) {
        String bulk = realm.user("bulk").create();
        String tooBig = realm.user("too-big").create();
        String unfit = realm.user("unfit").create();
        env.webhook().down();
        // Like real receivers: a body-size limit, and (standing in for one record over that limit, and for a body the
        // receiver cannot process) batches holding those two accounts' records are refused for good.
        env.webhook().refuse(body -> body.length() > BODY_LIMIT || body.contains(tooBig) ? 413
                : body.contains(unfit) ? 422 : 0);
        Set<String> delivered;
        try {
            for (int i = 0; i < 40; i++) {
                assertThat(realm.signIn("bulk", "wrong-password-" + i, null)).isFalse();
            }
            assertThat(realm.signIn("too-big", "wrong-password", null)).isFalse();
            assertThat(realm.signIn("unfit", "wrong-password", null)).isFalse();
            delivered = committed(realm, "LOGIN_ERROR", bulk);
            Set<String> all = new HashSet<>(delivered);
            all.addAll(committed(realm, "LOGIN_ERROR", tooBig));
            all.addAll(committed(realm, "LOGIN_ERROR", unfit));
            Await.until("the events in the file export", WAIT, () -> fileIds(env).containsAll(all));
            env.webhook().up();
            Await.until("every other event at the webhook", WAIT, () -> webhookIds(env).containsAll(delivered));
            Await.until("the two refused records parked", WAIT, () -> MetricValues.of(server,
                    "governed_recovery_export_parked", Map.of("sink", "webhook")) >= 2);
        } finally {
            env.webhook().refuse(body -> 0);
            env.webhook().up();
        }
        assertThat(env.webhook().bodySizes()).as("request bodies stay under the batch cap")
                .allMatch(size -> size <= TestEnvironment.BATCH_MAX_KB * 1024);
        assertThat(server.log()).contains("parked").contains("answered HTTP 413").contains("answered HTTP 422");
    }

    @Test
    void a_receiver_that_refuses_everything_parks_nothing_and_raises_an_alarm(TestRealm realm, TestEnvironment env,
                                                                            KeycloakServer server) {
        String id = realm.user("wendy").create();
        double parkedBefore = MetricValues.of(server, "governed_recovery_export_parked", Map.of("sink", "webhook"));
        // A wrong secret: every batch is refused alike (401; 403, 404, 405 and redirects are classified the same way,
        // see WebhookSinkTest).
        env.webhook().refuse(body -> 401);
        Set<String> committed;
        try {
            for (int i = 0; i < 12; i++) {
                assertThat(realm.signIn("wendy", "wrong-password-" + i, null)).isFalse();
            }
            committed = committed(realm, "LOGIN_ERROR", id);
            assertThat(committed).hasSize(12);
            Await.until("wendy's events in the file export", WAIT, () -> fileIds(env).containsAll(committed));
            Await.until("the receiver alarm", WAIT, () -> MetricValues.of(server,
                    "governed_recovery_export_receiver_refusing", Map.of("sink", "webhook")) == 1.0);
            assertThat(server.log()).contains("Governed Recovery sink 'webhook' is refused by its receiver as a whole")
                    .contains("answered HTTP 401");
            // Past dead-letter-after refusals of every record: none is parked.
            Await.until("more refusals than dead-letter-after", WAIT, () -> MetricValues.of(server,
                    "governed_recovery_export_receiver_refusals_total", Map.of("sink", "webhook"))
                    > TestEnvironment.DEAD_LETTER_AFTER);
            assertThat(MetricValues.of(server, "governed_recovery_export_parked", Map.of("sink", "webhook")))
                    .isEqualTo(parkedBefore);
        } finally {
            env.webhook().refuse(body -> 0);
        }
        Await.until("every event at the webhook once it accepts again", Duration.ofSeconds(120),
                () -> webhookIds(env).containsAll(committed));
        assertThat(MetricValues.of(server, "governed_recovery_export_parked", Map.of("sink", "webhook")))
                .as("nothing was parked").isEqualTo(parkedBefore);
        Await.until("the alarm is cleared", WAIT, () -> MetricValues.of(server,
                "governed_recovery_export_receiver_refusing", Map.of("sink", "webhook")) == 0.0);
    }

    private static Set<String> committed(TestRealm realm, String type, String userId) {
        return new HashSet<>(realm.admin().getEvents(List.of(type), null, userId, null, null, null, 0, 1000).stream()
                .map(EventRepresentation::getId).toList());
    }

    private static Set<String> fileIds(TestEnvironment env) {
        return new ExportedEvents(env.exportDir()).all().stream().map(ExportedEvents::id).collect(Collectors.toSet());
    }

    private static Set<String> webhookIds(TestEnvironment env) {
        return env.webhook().records().stream().map(ExportedEvents::id).collect(Collectors.toSet());
    }
}
