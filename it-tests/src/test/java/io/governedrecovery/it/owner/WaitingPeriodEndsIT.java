package io.governedrecovery.it.owner;

import static io.governedrecovery.it.owner.WaitingPeriodIT.HELPDESK_PAGE;
import static io.governedrecovery.it.owner.WaitingPeriodIT.STARTED_SUBJECT;
import static io.governedrecovery.it.owner.WaitingPeriodIT.WAIT_FORM;
import static io.governedrecovery.it.owner.WaitingPeriodIT.proveEmail;
import static io.governedrecovery.it.owner.WaitingPeriodIT.startWait;
import static io.governedrecovery.it.owner.WaitingPeriodIT.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * The ends of a waiting-period recovery besides a sign-in ({@link WaitingPeriodIT}): the plain cancel link, a method
 * proven in another browser, and "This was not me"; each ended wait keeps the account from starting another for one
 * period. Three waits started from one address in a day raise the scorer's {@code waiting-recoveries} finding (which
 * raises that address's risk, so it is offered no further wait). In a realm of its own: the scorer's risk is per realm.
 */
@ExtendWith(RealKeycloak.class)
class WaitingPeriodEndsIT {

    @BeforeAll
    static void waitingPeriodsOn(TestRealm realm) {
        realm.policy(Map.of("waiting-period", "true"));
    }

    @Test
    void a_cancel_another_browser_and_this_was_not_me_each_end_the_wait(TestRealm realm, MailCatcher mail,
                                                                        TestEnvironment env) {
        // The plain cancel link: GET shows, POST ends it; a new wait is not offered for one period.
        realm.user("wp-dora").phone("+4915112360003").password("Dora-password-1").create();
        FlowClient dora = startWait(realm, mail, "wp-dora");
        String cancel = mail.await("wp-dora@example.test", m -> m.subject().equals(STARTED_SUBJECT))
                .linkContaining("/waiting-cancel?key=");
        FlowClient owner = new FlowClient();
        FlowClient.Page confirm = owner.get(cancel);
        assertThat(waiting(realm, "wp-dora")).as("a GET ends nothing").isNotNull();
        String key = cancel.substring(cancel.indexOf("key=") + 4);
        assertThat(owner.post(confirm.formAction("governed-recovery-waiting-cancel-form"),
                Map.of("key", key + "x")).status()).as("a tampered key").isEqualTo(400);
        FlowClient.Page cancelled = owner.post(confirm.formAction("governed-recovery-waiting-cancel-form"),
                Map.of("key", key));
        assertThat(cancelled.body()).contains("The waiting period was cancelled");
        assertThat(waiting(realm, "wp-dora")).isNull();
        assertThat(owner.get(cancel).body()).contains("This waiting period has already ended");
        assertThat(proveEmail(realm, mail, dora, "wp-dora").body()).as("not offered again within the period")
                .contains(HELPDESK_PAGE).doesNotContain(WAIT_FORM);

        // A method proven in another browser ends the wait.
        realm.user("wp-emil").phone("+4915112360004").password("Emil-password-1").create();
        startWait(realm, mail, "wp-emil");
        FlowClient elsewhere = new FlowClient();
        assertThat(proveEmail(realm, mail, elsewhere, "wp-emil").body()).contains(HELPDESK_PAGE)
                .doesNotContain(WAIT_FORM);
        assertThat(waiting(realm, "wp-emil")).isNull();

        // "This was not me" from the start notice freezes the account and ends the wait.
        String fionaId = realm.user("wp-fiona").phone("+4915112360005").password("Fiona-password-1").create();
        startWait(realm, mail, "wp-fiona");
        String notMe = mail.await("wp-fiona@example.test", m -> m.subject().equals(STARTED_SUBJECT))
                .linkContaining("/not-me?key=");
        FlowClient fiona = new FlowClient();
        FlowClient.Page shown = fiona.get(notMe);
        assertThat(shown.body()).contains("someone started a waiting period to reset the password");
        fiona.post(shown.formAction(NotMeIT.CONFIRM_FORM), Map.of("key", notMe.substring(notMe.indexOf("key=") + 4)));
        assertThat(waiting(realm, "wp-fiona")).isNull();
        assertThat(realm.userResource(fionaId).toRepresentation().getAttributes())
                .containsKey("governed-recovery.frozen-at");

        // The third wait from one address in a day: the scorer's finding, and no further wait from there.
        JsonNode finding = new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("waiting-recoveries"),
                Duration.ofSeconds(20));
        assertThat(finding.toString()).contains("127.0.0.1");
        realm.user("wp-gina").phone("+4915112360006").password("Gina-password-1").create();
        assertThat(proveEmail(realm, mail, new FlowClient(), "wp-gina").body()).as("a fourth from there")
                .contains(HELPDESK_PAGE).doesNotContain(WAIT_FORM);
    }
}
