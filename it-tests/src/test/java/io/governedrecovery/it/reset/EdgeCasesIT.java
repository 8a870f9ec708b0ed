package io.governedrecovery.it.reset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.governedrecovery.it.harness.Codes;
import io.governedrecovery.it.harness.ExportedEvents;
import io.governedrecovery.it.harness.FlowClient;
import io.governedrecovery.it.harness.MailCatcher;
import io.governedrecovery.it.harness.RealKeycloak;
import io.governedrecovery.it.harness.SmsGatewayStub;
import io.governedrecovery.it.harness.TestEnvironment;
import io.governedrecovery.it.harness.TestRealm;
import io.governedrecovery.it.harness.Totp;

/**
 * The README's table "Edge cases: which path serves whom", row by row as it is written: a lost phone, a SIM swap and
 * travel. (New hire: TemporaryAccessPassIT; administrator: PrivilegedResetIT, TemporaryAccessPassIT; break-glass:
 * BreakGlassIT; each named in the table.)
 */
@ExtendWith(RealKeycloak.class)
class EdgeCasesIT {

    private static final String METHODS_FORM = "governed-recovery-methods-form";
    private static final String NEW_PASSWORD_FORM = "kc-passwd-update-form";
    private static final String HELPDESK = "governed-recovery-helpdesk-text";

    @AfterEach
    void controlsAsShipped(TestRealm realm) {
        Map<String, String> shipped = new HashMap<>();
        for (String key : List.of("trusted-proxies", "allow-cidrs", "deny-cidrs")) {
            shipped.put(key, "");
        }
        shipped.put("outside-allow-action", "step-up");
        shipped.put("risk-policy", "true");
        realm.config("governed-recovery-controls", shipped);
    }

    @Test
    void lost_phone_reset_with_the_remaining_methods_and_remove_the_app(TestRealm realm, MailCatcher mail,
                                                                        TestEnvironment env) {
        // The app was on the lost phone; recovery codes and email remain.
        String id = realm.user("ed-lost").totp("ed-lost-secret").recoveryCodes("LOSTPHONE234", "LOSTPHONE567")
                .create();
        FlowClient client = new FlowClient();
        FlowClient.Page methods = client.requestReset(client.openResetPage(realm), "ed-lost");
        FlowClient.Page afterEmail = client.prove(methods, "email-code",
                () -> Codes.in(mail.next("ed-lost@example.test").text()));
        FlowClient.Page newPassword = client.prove(afterEmail, "recovery-codes", () -> "LOSTPHONE234");
        FlowClient.Page offer = client.postFollowing(newPassword.formAction(NEW_PASSWORD_FORM),
                Map.of("password-new", "New-password-2", "password-confirm", "New-password-2"));
        assertThat(offer.body()).as("right after the new password: remove what was not used")
                .contains("governed-recovery-lost-totp");
        FlowClient.Page done = client.postFollowing(offer.formAction("governed-recovery-lost-form"),
                Map.of("remove", "totp", "action", "continue"));
        assertThat(done.body()).contains("governed-recovery-done-removed-totp");
        assertThat(realm.userResource(id).credentials()).extracting("type").doesNotContain("otp");
        new ExportedEvents(env.exportDir()).await(ExportedEvents.ofType("REMOVE_CREDENTIAL", id)
                .and(e -> "lost_device".equals(ExportedEvents.detail(e, "gr_step"))), Duration.ofSeconds(20));
        assertThat(realm.passwordWorks("ed-lost", "New-password-2")).as("signs in without the lost app").isTrue();
    }

    @Test
    void sim_swap_sms_alone_never_resets_and_a_changed_number_does_not_count(TestRealm realm, MailCatcher mail,
                                                                             SmsGatewayStub sms, TestEnvironment env) {
        String id = realm.user("ed-sim").phone("+4915112349001").totp("ed-sim-secret").password("Old-password-1")
                .create();
        // Whoever receives the texts proves SMS, and SMS is weak: the reset still needs a strong method.
        FlowClient attacker = new FlowClient();
        FlowClient.Page afterSms = attacker.prove(attacker.requestReset(attacker.openResetPage(realm), "ed-sim"),
                "sms-code", () -> Codes.in(sms.next("+4915112349001").text()));
        assertThat(afterSms.body()).contains("Strong methods still needed: 1").doesNotContain(NEW_PASSWORD_FORM);

        // The number changes (here by an admin): the old number is told, and the new one does not count yet.
        var user = realm.userResource(id);
        var rep = user.toRepresentation();
        rep.singleAttribute("phoneNumber", "+4915112349002");
        user.update(rep);
        assertThat(sms.next("+4915112349001").text()).as("the old number is told").contains("recovery phone number");
        assertThat(sms.next("+4915112349002").text()).as("and the new one").contains("recovery phone number");
        FlowClient swapped = new FlowClient();
        FlowClient.Page newNumber = swapped.prove(swapped.requestReset(swapped.openResetPage(realm), "ed-sim"),
                "sms-code", () -> Codes.in(sms.next("+4915112349002").text()));
        assertThat(newNumber.body()).contains("does not count yet").doesNotContain(NEW_PASSWORD_FORM);

        // A reset right after the change is scored high: while the risk lasts, no self-service, even with the app.
        new ExportedEvents(env.exportDir()).await(ExportedEvents.finding("reset-after-method-change", id),
                Duration.ofSeconds(20));
        FlowClient owner = new FlowClient();
        FlowClient.Page afterApp = owner.prove(owner.requestReset(owner.openResetPage(realm), "ed-sim"), "totp",
                () -> Totp.unused("ed-sim-secret"));
        assertThat(afterApp.body()).contains(HELPDESK).contains("For your protection")
                .doesNotContain(NEW_PASSWORD_FORM);
        assertThat(realm.passwordWorks("ed-sim", "Old-password-1", "ed-sim-secret")).isTrue();
    }

    @Test
    void travel_a_reset_from_an_unexpected_network_needs_one_more_strong_method(TestRealm realm, MailCatcher mail) {
        realm.config("governed-recovery-controls", Map.of("trusted-proxies", "127.0.0.1/32", "allow-cidrs",
                "10.0.0.0/8", "outside-allow-action", "step-up", "risk-policy", "false"));
        realm.user("ed-travel").totp("ed-travel-secret").recoveryCodes("TRAVELCODE23").create();

        FlowClient abroad = new FlowClient().header("X-Forwarded-For", "203.0.113.77");
        FlowClient.Page afterEmail = abroad.prove(abroad.requestReset(abroad.openResetPage(realm), "ed-travel"),
                "email-code", () -> Codes.in(mail.next("ed-travel@example.test").text()));
        FlowClient.Page afterApp = abroad.prove(afterEmail, "totp", () -> Totp.unused("ed-travel-secret"));
        assertThat(afterApp.body()).as("outside the allowed networks: email and app are not enough")
                .contains("Strong methods still needed: 1").doesNotContain(NEW_PASSWORD_FORM);
        assertThat(abroad.prove(afterApp, "recovery-codes", () -> "TRAVELCODE23").body())
                .as("with recovery codes the traveller meets the policy").contains(NEW_PASSWORD_FORM);

        FlowClient office = new FlowClient().header("X-Forwarded-For", "10.1.2.3");
        FlowClient.Page officeEmail = office.prove(office.requestReset(office.openResetPage(realm), "ed-travel"),
                "email-code", () -> Codes.in(mail.next("ed-travel@example.test").text()));
        assertThat(office.prove(officeEmail, "totp", () -> Totp.unused("ed-travel-secret")).body())
                .as("from the office network the usual policy").contains(NEW_PASSWORD_FORM);

        realm.config("governed-recovery-controls", Map.of("deny-cidrs", "198.51.100.0/24"));
        FlowClient denied = new FlowClient().header("X-Forwarded-For", "198.51.100.7");
        assertThat(denied.requestReset(denied.openResetPage(realm), "ed-travel").body())
                .as("a denied network ends on the helpdesk page").contains(HELPDESK).doesNotContain(METHODS_FORM);
    }
}
