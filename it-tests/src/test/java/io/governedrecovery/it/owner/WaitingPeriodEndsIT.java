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
 * The ends of a waiting-period recovery besides a sign-in and "This was not me" ({@link WaitingPeriodIT}): the plain
 * cancel link, a method proven in another browser, and a risk above normal; each ended wait keeps the account from
 * starting another for one period. Three waits started from one address in a day raise the scorer's
 * {@code waiting-recoveries} finding, which raises that address's risk: the background task ends the wait under way
 * from there, and no further wait is offered from there. In a realm of its own: the scorer's risk is per realm.
 */
@ExtendWith(RealKeycloak.class)
class WaitingPeriodEndsIT {

    @BeforeAll
    static void waitingPeriodsOn(TestRealm realm) {
        realm.policy(Map.of("waiting-period", "true"));
    }

    @Test
    void a_cancel_another_browser_and_a_risk_each_end_the_wait(TestRealm realm, MailCatcher mail,
                                                                        TestEnvironment env) {
        // The plain cancel link: GET shows, POST ends it; a new wait is not offered for one period.
        realm.user("wp-dora").phone("+4915112360003").password("Dora-password-1").create();
        FlowClient dora = startWait(realm, mail, "wp-dora");
        String cancel = mail.await("wp-dora@example.test", m -> m.subject().equals(STARTED_SUBJECT))
                .linkContaining("/waiting-cancel?key=");
        String doraWait = waiting(realm, "wp-dora").path("id").asText();
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
        assertThat(io.governedrecovery.it.harness.RestCall.send("POST", io.governedrecovery.it.harness.Helpdesk
                .adminApi(realm) + "waiting-recoveries/" + doraWait + "/end", realm.server().adminToken(),
                "{\"ticket\":\"INC-9\"}").statusCode()).as("the helpdesk cannot end it again").isEqualTo(409);
        assertThat(proveEmail(realm, mail, dora, "wp-dora").body()).as("not offered again within the period")
                .contains(HELPDESK_PAGE).doesNotContain(WAIT_FORM);

        // A method proven in another browser ends the wait.
        realm.user("wp-emil").phone("+4915112360004").password("Emil-password-1").create();
        startWait(realm, mail, "wp-emil");
        FlowClient elsewhere = new FlowClient();
        assertThat(proveEmail(realm, mail, elsewhere, "wp-emil").body()).contains(HELPDESK_PAGE)
                .doesNotContain(WAIT_FORM);
        assertThat(waiting(realm, "wp-emil")).isNull();

        // The third wait from one address in a day: the scorer's finding raises the address's risk, and the background
        // task ends the wait under way from there; no further wait is offered from there.
        String kimId = realm.user("wp-kim").phone("+4915112360007").password("Kim-password-1").create();
        startWait(realm, mail, "wp-kim");
        ExportedEvents exported = new ExportedEvents(env.exportDir());
        JsonNode finding = exported.await(ExportedEvents.finding("waiting-recoveries"), Duration.ofSeconds(20));
        assertThat(finding.toString()).contains("127.0.0.1");
        exported.await(ExportedEvents.ofType("RESET_PASSWORD", kimId).and(e -> "waiting"
                .equals(ExportedEvents.detail(e, "gr_step")) && "risk".equals(ExportedEvents.detail(e, "gr_reason"))),
                Duration.ofSeconds(30));
        assertThat(waiting(realm, "wp-kim")).isNull();
        realm.user("wp-gina").phone("+4915112360006").password("Gina-password-1").create();
        assertThat(proveEmail(realm, mail, new FlowClient(), "wp-gina").body()).as("a fourth from there")
                .contains(HELPDESK_PAGE).doesNotContain(WAIT_FORM);
    }
}
