package io.governedrecovery.it.owner;

import static io.governedrecovery.it.owner.WaitingPeriodIT.HELPDESK_PAGE;
import static io.governedrecovery.it.owner.WaitingPeriodIT.NEW_PASSWORD_FORM;
import static io.governedrecovery.it.owner.WaitingPeriodIT.WAIT_FORM;
import static io.governedrecovery.it.owner.WaitingPeriodIT.proveEmail;
import static io.governedrecovery.it.owner.WaitingPeriodIT.startWait;
import static io.governedrecovery.it.owner.WaitingPeriodIT.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.representations.idm.RealmRepresentation;

import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The checks a waiting-period recovery meets at its very end, each of which alone stops a completion: a session of the
 * account that began during the wait (even one the event pipeline never saw), and the setting turned off meanwhile;
 * and no offer while the realm's events listener is off. Two starts at the same moment make one wait.
 * In a realm of its own: one test turns the realm's events listener off for a while.
 */
@ExtendWith(RealKeycloak.class)
class WaitingPeriodGuardsIT {

    private static final String LISTENER = "governed-recovery-events";

    @BeforeAll
    static void waitingPeriodsOn(TestRealm realm) {
        realm.policy(Map.of("waiting-period", "true"));
    }

    @Test
    void a_sign_in_the_event_pipeline_never_saw_still_stops_the_completion(TestRealm realm, MailCatcher mail) {
        String id = realm.user("wg-erin").phone("+4915112360021").password("Erin-password-1").create();
        long passwordSet = realm.passwordSetAt(id);
        FlowClient erin = startWait(realm, mail, "wg-erin");
        KeycloakServer server = realm.server();
        listener(realm, false);
        try {
            // The owner signs in just before the end; with the listener off, only the session itself tells.
            try (KeycloakServer.ClockShift ignored = server.clockAhead(Duration.ofHours(71).plusMinutes(59))) {
                assertThat(realm.accessToken("wg-erin", "Erin-password-1", null)).isNotBlank();
            }
            assertThat(waiting(realm, "wg-erin")).as("nothing ended the wait yet").isNotNull();
            try (KeycloakServer.ClockShift ignored = server.clockAhead(Duration.ofHours(72).plusMinutes(1))) {
                FlowClient.Page form = proveEmail(realm, mail, erin, "wg-erin");
                assertThat(form.body()).contains(NEW_PASSWORD_FORM);
                FlowClient.Page after = erin.postFollowing(form.formAction(NEW_PASSWORD_FORM),
                        Map.of("password-new", "Stolen-password-2", "password-confirm", "Stolen-password-2"));
                assertThat(after.body()).doesNotContain(NEW_PASSWORD_FORM);
                assertThat(realm.passwordSetAt(id)).as("the password is unchanged").isEqualTo(passwordSet);
                assertThat(waiting(realm, "wg-erin")).as("the wait is ended").isNull();
            }
        } finally {
            listener(realm, true);
        }
        assertThat(realm.passwordWorks("wg-erin", "Erin-password-1")).isTrue();
        assertThat(realm.passwordWorks("wg-erin", "Stolen-password-2")).isFalse();
    }

    @Test
    void turning_the_setting_off_stops_the_completion_of_a_wait_under_way(TestRealm realm, MailCatcher mail) {
        String id = realm.user("wg-finn").phone("+4915112360022").password("Finn-password-1").create();
        long passwordSet = realm.passwordSetAt(id);
        FlowClient finn = startWait(realm, mail, "wg-finn");
        realm.policy(Map.of("waiting-period", "false"));
        try (KeycloakServer.ClockShift ignored = realm.server().clockAhead(Duration.ofHours(72).plusMinutes(1))) {
            FlowClient.Page after = proveEmail(realm, mail, finn, "wg-finn");
            assertThat(after.body()).as("the policy again, not the waited reset").doesNotContain(NEW_PASSWORD_FORM)
                    .contains(HELPDESK_PAGE);
        } finally {
            realm.policy(Map.of("waiting-period", "true"));
        }
        assertThat(realm.passwordSetAt(id)).isEqualTo(passwordSet);
    }

    @Test
    void no_wait_is_offered_while_the_realms_events_listener_is_off(TestRealm realm, MailCatcher mail) {
        // Without the pipeline a sign-in of the owner would not end the wait, so none may start.
        realm.user("wg-gina").phone("+4915112360023").password("Gina-password-1").create();
        listener(realm, false);
        try {
            FlowClient gina = new FlowClient();
            FlowClient.Page helpdesk = proveEmail(realm, mail, gina, "wg-gina");
            assertThat(helpdesk.body()).contains(HELPDESK_PAGE).doesNotContain(WAIT_FORM);
            assertThat(waiting(realm, "wg-gina")).isNull();
        } finally {
            listener(realm, true);
        }
        // The same account from a new browser once the listener is back: the wait is offered.
        assertThat(proveEmail(realm, mail, new FlowClient(), "wg-gina").body()).contains(WAIT_FORM);
    }

    /**
     * Two browsers that both proved a method of one account post the offer's button at the same moment: one wait
     * starts (the unique active key), the other request gets a page, not an error, and keeps nothing; one start notice
     * goes out.
     */
    @Test
    void two_starts_at_the_same_moment_make_one_wait(TestRealm realm, MailCatcher mail) throws Exception {
        realm.user("wg-race").phone("+4915112360024").password("Race-password-1").create();
        // From an address of their own: waits started from one address count towards the scorer's risk.
        FlowClient first = new FlowClient().header("X-Forwarded-For", "203.0.113.141");
        FlowClient second = new FlowClient().header("X-Forwarded-For", "203.0.113.141");
        FlowClient.Page offerA = proveEmail(realm, mail, first, "wg-race");
        FlowClient.Page offerB = proveEmail(realm, mail, second, "wg-race");
        assertThat(offerA.body()).contains(WAIT_FORM);
        assertThat(offerB.body()).contains(WAIT_FORM);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<FlowClient.Page> answers;
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            var a = pool.submit(() -> {
                go.await();
                return first.post(offerA.formAction(WAIT_FORM), Map.of("action", "wait"));
            });
            var b = pool.submit(() -> {
                go.await();
                return second.post(offerB.formAction(WAIT_FORM), Map.of("action", "wait"));
            });
            go.countDown();
            answers = List.of(a.get(60, java.util.concurrent.TimeUnit.SECONDS),
                    b.get(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertThat(answers).allSatisfy(page -> assertThat(page.status()).as(page.body()).isLessThan(500));
        assertThat(answers.stream().filter(page -> page.body().contains("The waiting period has started")).count())
                .as("browsers told their wait started").isEqualTo(1);
        assertThat(java.util.stream.Stream.of(first, second).filter(c -> c.cookie("GOVERNED_RECOVERY_WAIT") != null)
                .count()).as("browsers bound to a wait").isEqualTo(1);
        assertThat(WaitingPeriodIT.waits(realm, "wg-race")).as("the helpdesk sees one wait").hasSize(1);
        mail.await("wg-race@example.test", m -> m.subject().equals(WaitingPeriodIT.STARTED_SUBJECT));
        assertThat(mail.to("wg-race@example.test").stream()
                .filter(m -> m.subject().equals(WaitingPeriodIT.STARTED_SUBJECT)).count())
                .as("start notices (the refused request's transaction was rolled back)").isEqualTo(1);
    }

    private static void listener(TestRealm realm, boolean on) {
        RealmRepresentation rep = realm.admin().toRepresentation();
        List<String> listeners = new java.util.ArrayList<>(rep.getEventsListeners());
        listeners.remove(LISTENER);
        if (on) {
            listeners.add(LISTENER);
        }
        rep.setEventsListeners(listeners);
        realm.admin().update(rep);
    }
}
