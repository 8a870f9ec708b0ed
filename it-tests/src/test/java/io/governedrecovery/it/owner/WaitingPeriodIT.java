package io.governedrecovery.it.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.governedrecovery.it.harness.Await;
import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.Helpdesk;
import io.governedrecovery.it.harness.KeycloakServer;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.RestCall;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;

/**
 * Waiting-period recovery, as the README describes it: someone who proved one method of a standard account that cannot
 * meet the policy may wait (72 hours by default) instead of calling the helpdesk. Every channel of the account is told
 * at the start and halfway, each notice with "This was not me" and a plain cancel link; nothing works before the end;
 * after it the same browser proves the same method again and sets the new password. A sign-in of the account, a cancel,
 * a proof in another browser, "This was not me" and the helpdesk end the wait; a realm admin never gets one. The tests
 * move Keycloak's clock instead of waiting.
 */
@ExtendWith(RealKeycloak.class)
public class WaitingPeriodIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String HELPDESK_PAGE = "governed-recovery-helpdesk-intro";
    static final String WAIT_FORM = "governed-recovery-waiting-form";
    static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    static final String STARTED_SUBJECT = "A waiting period to reset your password has started";

    @BeforeAll
    static void waitingPeriodsOn(TestRealm realm) {
        // Before any sign-in of the realm: the pipeline reads the setting again only every 10 seconds.
        realm.policy(Map.of("waiting-period", "true"));
        // A realm admin with the app and recovery codes: after the email code the reset goes on to the methods page.
        realm.user("wp-admin").phone("+4915112360009").totp("wp-admin-secret").recoveryCodes("WPADMIN00001")
                .group("/realm-admins").password("Admin-password-1").create();
    }

    @Test
    void bob_waits_out_the_period_told_on_both_channels_and_then_resets_from_the_same_browser(
            TestRealm realm, MailCatcher mail, SmsGatewayStub sms, TestEnvironment env) {
        String phone = "+4915112360001";
        String id = realm.user("wp-bob").phone(phone).password("Old-password-1").create();
        long passwordSet = realm.passwordSetAt(id);
        FlowClient bob = new FlowClient();
        FlowClient.Page helpdesk = proveEmail(realm, mail, bob, "wp-bob");
        assertThat(helpdesk.body()).contains(HELPDESK_PAGE).contains(WAIT_FORM).contains("wait 72 hours");

        FlowClient.Page started = bob.post(helpdesk.formAction(WAIT_FORM), Map.of("action", "wait"));
        assertThat(started.body()).contains("The waiting period has started").doesNotContain(WAIT_FORM);
        assertThat(bob.cookie("GOVERNED_RECOVERY_WAIT")).as("the wait is bound to this browser").hasSizeGreaterThan(30);

        // Both channels are told, each with "This was not me" and the cancel link.
        MailCatcher.Mail notice = mail.await("wp-bob@example.test", m -> m.subject().equals(STARTED_SUBJECT));
        assertThat(notice.text()).contains("/governed-recovery/not-me?key=")
                .contains("/governed-recovery/waiting-cancel?key=").contains("Any sign-in to your account ends");
        assertThat(sms.await(phone, s -> s.text().contains("waiting period")).text())
                .contains("/governed-recovery/waiting-cancel?key=").contains("/governed-recovery/not-me?key=");
        // A mail scanner opening the cancel link changes nothing.
        FlowClient scanner = new FlowClient();
        FlowClient.Page cancelPage = scanner.get(notice.linkContaining("/waiting-cancel?key="));
        assertThat(cancelPage.status()).isEqualTo(200);
        assertThat(cancelPage.body()).contains("governed-recovery-waiting-cancel-form");
        JsonNode waiting = waiting(realm, "wp-bob");
        assertThat(waiting).as("the helpdesk sees the wait").isNotNull();
        assertThat(waiting.path("method").asText()).isEqualTo("email-code");
        assertThat(waiting.path("endsAt").asLong() - waiting.path("startedAt").asLong())
                .isEqualTo(Duration.ofHours(72).toMillis());

        ExportedEvents exported = new ExportedEvents(env.exportDir());
        exported.await(ExportedEvents.ofType("RESET_PASSWORD", id).and(e -> "waiting"
                .equals(ExportedEvents.detail(e, "gr_step")) && "started".equals(ExportedEvents.detail(e,
                "gr_outcome"))), Duration.ofSeconds(20));

        KeycloakServer server = realm.server();
        try (KeycloakServer.ClockShift ignored = server.clockAhead(Duration.ofHours(37))) {
            // Halfway, both channels are told again (a task of Keycloak's timer, every 10 seconds).
            assertThat(mail.await("wp-bob@example.test", m -> m.subject().contains("Half of the waiting period"),
                    Duration.ofSeconds(45)).text()).contains("/governed-recovery/waiting-cancel?key=");
            assertThat(sms.await(phone, s -> s.text().contains("half of the waiting period")).text())
                    .contains("/governed-recovery/not-me?key=");
        }
        try (KeycloakServer.ClockShift ignored = server.clockAhead(Duration.ofHours(71))) {
            // Before the end, nothing works, even from the same browser with the same method.
            FlowClient.Page early = proveEmail(realm, mail, bob, "wp-bob");
            assertThat(early.body()).contains("Your waiting period is still running").doesNotContain(NEW_PASSWORD_FORM)
                    .doesNotContain(WAIT_FORM);
        }
        try (KeycloakServer.ClockShift ignored = server.clockAhead(Duration.ofHours(72).plusMinutes(1))) {
            FlowClient.Page form = proveEmail(realm, mail, bob, "wp-bob");
            assertThat(form.body()).contains(NEW_PASSWORD_FORM);
            FlowClient.Page done = bob.postFollowing(form.formAction(NEW_PASSWORD_FORM),
                    Map.of("password-new", "Waited-password-2", "password-confirm", "Waited-password-2"));
            assertThat(done.body()).doesNotContain(NEW_PASSWORD_FORM);
            assertThat(realm.passwordSetAt(id)).as("a new password").isGreaterThan(passwordSet);
            assertThat(waiting(realm, "wp-bob")).as("the wait is completed").isNull();
            var rep = realm.userResource(id).toRepresentation();
            assertThat(rep.getRequiredActions()).as("the registration campaign asks for new methods")
                    .contains("governed-recovery-register");
            // Without the campaign's question, the new password signs in and the old one does not.
            rep.setRequiredActions(java.util.List.of());
            realm.userResource(id).update(rep);
            assertThat(realm.passwordWorks("wp-bob", "Waited-password-2")).isTrue();
            assertThat(realm.passwordWorks("wp-bob", "Old-password-1")).isFalse();
        }
        exported.await(ExportedEvents.ofType("RESET_PASSWORD", id).and(e -> "waiting"
                .equals(ExportedEvents.detail(e, "gr_step")) && "completed".equals(ExportedEvents.detail(e,
                "gr_outcome"))), Duration.ofSeconds(20));
    }

    @Test
    void a_sign_in_and_this_was_not_me_end_the_wait(TestRealm realm, MailCatcher mail) {
        // A sign-in of the account ends the wait (the event pipeline sees it).
        realm.user("wp-carl").phone("+4915112360002").password("Carl-password-1").create();
        FlowClient carl = startWait(realm, mail, "wp-carl");
        assertThat(realm.accessToken("wp-carl", "Carl-password-1", null)).isNotBlank();
        Await.until("the wait ended by the sign-in", Duration.ofSeconds(20), () -> waiting(realm, "wp-carl") == null
                ? Boolean.TRUE : null);
        try (KeycloakServer.ClockShift ignored = realm.server().clockAhead(Duration.ofHours(73))) {
            FlowClient.Page after = proveEmail(realm, mail, carl, "wp-carl");
            assertThat(after.body()).as("no new password after an ended wait").doesNotContain(NEW_PASSWORD_FORM)
                    .contains(HELPDESK_PAGE);

            // "This was not me" from a start notice freezes the account and ends its wait (a day later on Keycloak's
            // clock: this realm's third wait would otherwise be its address's third in a day).
            String fionaId = realm.user("wp-fiona").phone("+4915112360005").password("Fiona-password-1").create();
            startWait(realm, mail, "wp-fiona");
            String notMe = mail.await("wp-fiona@example.test", m -> m.subject().equals(STARTED_SUBJECT))
                    .linkContaining("/not-me?key=");
            FlowClient fiona = new FlowClient();
            FlowClient.Page shown = fiona.get(notMe);
            assertThat(shown.body()).contains("someone started a waiting period to reset the password");
            fiona.post(shown.formAction(NotMeIT.CONFIRM_FORM),
                    Map.of("key", notMe.substring(notMe.indexOf("key=") + 4)));
            assertThat(waiting(realm, "wp-fiona")).isNull();
            assertThat(realm.userResource(fionaId).toRepresentation().getAttributes())
                    .containsKey("governed-recovery.frozen-at");
        }
    }

    @Test
    void a_realm_admin_is_never_offered_a_wait_and_a_crafted_request_starts_none(TestRealm realm, MailCatcher mail,
                                                                                   TestEnvironment env) {
        FlowClient client = new FlowClient();
        FlowClient.Page page = proveEmail(realm, mail, client, "wp-admin");
        assertThat(page.body()).doesNotContain(WAIT_FORM);
        // The same request the offer's button would send, from the methods page of the admin's reset.
        FlowClient.Page crafted = client.post(page.formAction("governed-recovery-methods-form"),
                Map.of("action", "wait"));
        assertThat(crafted.status()).isLessThan(500);
        assertThat(crafted.body()).doesNotContain("The waiting period has started");
        assertThat(client.cookie("GOVERNED_RECOVERY_WAIT")).isNull();
        assertThat(waiting(realm, "wp-admin")).isNull();
        assertThat(mail.to("wp-admin@example.test").stream().noneMatch(m -> m.subject().equals(STARTED_SUBJECT)))
                .isTrue();
        // The crafted request is recorded as what it is.
        new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("RESET_PASSWORD_ERROR",
                realm.userIdOf("wp-admin")).and(e -> "invalid_request".equals(ExportedEvents.detail(e, "gr_step"))
                && "waiting not offered".equals(ExportedEvents.detail(e, "gr_reason"))), Duration.ofSeconds(20));
    }

    /**
     * An account whose only notice channel is the one just proven (email and the app, no phone): whoever holds the
     * mailbox would read every notice of the wait, so none is offered, not even from the helpdesk button.
     */
    @Test
    void no_wait_when_every_notice_would_go_to_the_channel_just_proven(TestRealm realm, MailCatcher mail) {
        realm.user("wp-ivy").totp("wp-ivy-secret").password("Ivy-password-1").create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = proveEmail(realm, mail, client, "wp-ivy");
        FlowClient.Page helpdesk = client.post(methods.formAction("governed-recovery-methods-form"),
                Map.of("action", "helpdesk"));
        assertThat(helpdesk.body()).contains(HELPDESK_PAGE).doesNotContain(WAIT_FORM);
        assertThat(client.post(methods.formAction("governed-recovery-methods-form"), Map.of("action", "wait"))
                .body()).doesNotContain("The waiting period has started");
        assertThat(waiting(realm, "wp-ivy")).isNull();
    }

    /** A new reset in {@code client}: the email code proven; the page after it. */
    public static FlowClient.Page proveEmail(TestRealm realm, MailCatcher mail, FlowClient client, String username) {
        String address = username + "@example.test";
        int seen = mail.count(address);
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), username);
        return client.prove(methods, "email-code", () -> Codes.in(Await.until("the code mail", Duration.ofSeconds(20),
                () -> mail.to(address, seen).stream().filter(m -> m.subject().equals("Your verification code"))
                        .findFirst().orElse(null)).text()));
    }

    /** A browser that started a wait for {@code username}. */
    public static FlowClient startWait(TestRealm realm, MailCatcher mail, String username) {
        FlowClient client = new FlowClient();
        FlowClient.Page helpdesk = proveEmail(realm, mail, client, username);
        FlowClient.Page started = client.post(helpdesk.formAction(WAIT_FORM), Map.of("action", "wait"));
        assertThat(started.body()).contains("The waiting period has started");
        assertThat(waiting(realm, username)).isNotNull();
        return client;
    }

    /** The account's wait in the helpdesk's list, or null. */
    public static JsonNode waiting(TestRealm realm, String username) {
        return waits(realm, username).stream().findFirst().orElse(null);
    }

    /** Every wait of the account in the helpdesk's list. */
    public static java.util.List<JsonNode> waits(TestRealm realm, String username) {
        HttpResponse<String> answer = RestCall.send("GET", Helpdesk.adminApi(realm) + "waiting-recoveries",
                realm.server().adminToken(), null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        try {
            java.util.List<JsonNode> found = new java.util.ArrayList<>();
            for (JsonNode w : JSON.readTree(answer.body()).path("waiting")) {
                if (username.equals(w.path("username").asText())) {
                    found.add(w);
                }
            }
            return found;
        } catch (java.io.IOException e) {
            throw new AssertionError(answer.body(), e);
        }
    }
}
